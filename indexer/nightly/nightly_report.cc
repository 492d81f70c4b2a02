#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "indexer/nightly/nightly.h"

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace warsearch {
namespace {

// Markdown table cells: no pipes or newlines from document text.
std::string cell(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '|')
            out += "\\|";
        else if (c == '\n' || c == '\r')
            out += ' ';
        else
            out += c;
    }
    return out;
}

std::string num(const json& j, const char* key) { return j.contains(key) ? j[key].dump() : "0"; }

void write_atomically(const fs::path& path, const std::string& content) {
    fs::path tmp = path;
    tmp += ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << content;
        out.flush();
        if (!out) throw std::runtime_error("cannot write " + tmp.string());
    }
    fs::rename(tmp, path);
}

}  // namespace

std::string render_nightly_markdown(const json& r) {
    std::ostringstream md;
    const json& c = r["counts"];
    const json& d = r["documents"];
    md << "# Nightly reindex " << r.value("started", "") << "\n\n";
    md << "Status: **" << r.value("status", "") << "**";
    if (r.value("dry_run", false)) md << " (dry run: nothing written)";
    md << "  \nDatabase: `" << r.value("database", "") << "`, revision " << r["revision"]["before"].dump() << " → "
       << r["revision"]["after"].dump() << ", documents " << r["index_documents"]["before"].dump() << " → "
       << r["index_documents"]["after"].dump() << "  \n";
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.2f", r.value("duration_seconds", 0.0));
    md << "Duration: " << secs << " s\n\n";
    if (r.contains("error"))
        md << "**The run " << r.value("status", "") << ":** " << cell(r.value("error", "")) << "\n\n";
    md << "| files | added | changed | deleted | failed | unchanged |\n|---|---|---|---|---|---|\n";
    md << "| | " << num(c, "added") << " | " << num(c, "changed") << " | " << num(c, "deleted") << " | "
       << num(c, "failed") << " | " << num(c, "unchanged") << " |\n\n";
    md << "Documents: " << num(d, "added") << " new, " << num(d, "updated") << " updated, " << num(d, "deleted")
       << " deleted.\n\n";

    const json& nd = r["new_documents"];
    md << "## What came in (" << nd.value("count", 0) << " new or changed reports)\n\n";
    for (const auto& f : nd["facets"]) {
        std::string dim = f.value("dimension", "");
        if (dim != "faction" && dim.rfind("location.", 0) != 0 && dim != "source") continue;
        if (f["values"].empty()) continue;
        md << "**" << dim << "**: ";
        bool first = true;
        for (const auto& v : f["values"]) {
            md << (first ? "" : ", ") << cell(v.value("label", "")) << " (" << v["count"].dump() << ")";
            first = false;
        }
        md << "\n\n";
    }

    if (!r["alerts"].empty()) {
        md << "## Alerts\n\n";
        for (const auto& a : r["alerts"]) {
            md << "### " << cell(a.value("name", "")) << " — " << a["total"].dump() << " new\n\n";
            if (a.contains("error")) {
                md << "Error: " << cell(a["error"].get<std::string>()) << "\n\n";
                continue;
            }
            for (const auto& h : a["hits"]) {
                md << "- " << cell(h.value("date", "")) << " " << cell(h.value("source", "")) << ": **"
                   << cell(h.value("title", "")) << "** (`" << cell(h.value("id", "")) << "`)";
                // A live-blog entry: its time and the live page it belongs to.
                if (!h.value("parent", "").empty()) {
                    std::string when = h.value("time_label", "");
                    md << " — entry" << (when.empty() ? std::string() : " at " + cell(when)) << " in *"
                       << cell(h.value("parent_title", "")) << "*";
                }
                if (!h.value("url", "").empty()) md << " " << cell(h.value("url", ""));
                md << "\n";
            }
            md << "\n";
        }
    }
    if (r.contains("deleted_files") && !r["deleted_files"].empty()) {
        md << "## Deleted (files gone)\n\n";
        for (const auto& f : r["deleted_files"])
            md << "- `" << cell(f.value("path", "")) << "`: " << f["documents"].dump() << " documents\n";
        md << "\nDeleted ids are listed in the JSON report.\n\n";
    }
    if (r.contains("quarantined") && !r["quarantined"].empty()) {
        md << "## Quarantined files (read again when they change)\n\n";
        for (const auto& f : r["quarantined"])
            md << "- `" << cell(f.value("path", "")) << "`: " << cell(f.value("reason", "")) << "\n";
        md << "\n";
    }
    if (!r["failures"].empty()) {
        md << "## Failures\n\n";
        for (const auto& f : r["failures"])
            md << "- `" << cell(f.value("where", "")) << "`: " << cell(f.value("reason", "")) << "\n";
        md << "\n";
    }
    if (r.contains("recovered"))
        md << "Recovered from an interrupted compaction: " << r["recovered"].get<std::string>() << "\n\n";
    if (r["compaction"].value("done", false)) md << "The database was compacted.\n";
    return md.str();
}

std::vector<std::string> write_nightly_report(const std::string& report_dir, const json& report, std::size_t keep) {
    fs::create_directories(report_dir);
    std::string stamp = report.value("started", "unknown");
    stamp.erase(std::remove_if(stamp.begin(), stamp.end(), [](char ch) { return ch == '-' || ch == ':'; }),
                stamp.end());
    fs::path dir(report_dir);
    std::string text = report.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
    std::string md = render_nightly_markdown(report);
    // Two runs in the same second (tests, retries) get distinct names.
    fs::path base = dir / ("nightly-" + stamp);
    for (int n = 2; fs::exists(fs::path(base.string() + ".json")); ++n)
        base = dir / ("nightly-" + stamp + "-" + std::to_string(n));
    std::vector<std::string> written = {base.string() + ".json", base.string() + ".md"};
    write_atomically(written[0], text);
    write_atomically(written[1], md);
    write_atomically(dir / "latest.json", text);
    write_atomically(dir / "latest.md", md);
    if (keep > 0) {
        std::vector<std::string> runs;
        for (const auto& e : fs::directory_iterator(dir)) {
            std::string name = e.path().filename().string();
            if (name.rfind("nightly-", 0) == 0 && e.path().extension() == ".json") runs.push_back(e.path().string());
        }
        std::sort(runs.begin(), runs.end());
        std::error_code ec;
        for (std::size_t i = 0; i + keep < runs.size(); ++i) {
            fs::remove(runs[i], ec);
            fs::remove(fs::path(runs[i]).replace_extension(".md"), ec);
        }
    }
    return written;
}

}  // namespace warsearch
