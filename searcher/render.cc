#include "searcher/render.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "searcher/explain.h"
#include "searcher/highlighter.h"

namespace warsearch {
namespace {

// Terminal output must not let a document drive the terminal: escape sequences and other
// control characters from indexed text are dropped.
std::string strip_controls(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (unsigned char c : s)
        if (c >= 0x20 || c == '\n') out += static_cast<char>(c);
    return out;
}

// @a j as text, strings escaped by nlohmann (invalid UTF-8 replaced), and '<', '>' and
// '&' written as \u escapes.  They can only occur inside JSON strings, where the escapes
// read back the same, and the output stays inert if a browser or a page ever treats it
// as HTML (a query "<script>" echoed in ?format=json; found by fuzz_cgi_request).
std::string dump_inert(const nlohmann::ordered_json& j, int indent) {
    return make_json_inert(j.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

}  // namespace

std::string make_json_inert(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        if (c == '<')
            out += "\\u003c";
        else if (c == '>')
            out += "\\u003e";
        else if (c == '&')
            out += "\\u0026";
        else
            out += c;
    }
    return out;
}

namespace {

bool digits(const std::string& s, std::size_t at, std::size_t n) {
    if (s.size() < at + n) return false;
    for (std::size_t i = at; i < at + n; ++i)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

// "HH:MM" at @a at, then optional ":SS", then 'Z' ending the string.
bool utc_clock_at(const std::string& s, std::size_t at) {
    if (!digits(s, at, 2) || s.size() < at + 6 || s[at + 2] != ':' || !digits(s, at + 3, 2)) return false;
    std::size_t z = at + 5;
    if (s[z] == ':' && digits(s, z + 1, 2)) z += 3;
    return z + 1 == s.size() && s[z] == 'Z';
}

// The hit's meta line part for a live-blog entry: "entry 3 of Kyiv live (kyiv-live) at 16.40 BST".
std::string entry_line(const StoredFields& f) {
    std::string out = "entry " + std::to_string(f.entry) + " of ";
    out += f.parent_title.empty() ? f.parent : "\"" + f.parent_title + "\" (" + f.parent + ")";
    std::string when = entry_time_label(f);
    if (!when.empty()) out += " at " + when;
    return out;
}

}  // namespace

std::string entry_time_label(const StoredFields& f) {
    if (!f.time_text.empty()) return f.time_text;
    static const char* const kMonthNames[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const std::string& t = f.time;
    if (utc_clock_at(t, 0)) return t.substr(0, 5) + " UTC";
    if (digits(t, 0, 4) && t.size() > 10 && t[4] == '-' && digits(t, 5, 2) && t[7] == '-' && digits(t, 8, 2) &&
        t[10] == 'T' && utc_clock_at(t, 11)) {
        int month = (t[5] - '0') * 10 + (t[6] - '0');
        if (month >= 1 && month <= 12) {
            std::string day = t[8] == '0' ? t.substr(9, 1) : t.substr(8, 2);
            return day + " " + kMonthNames[month - 1] + " " + t.substr(0, 4) + ", " + t.substr(11, 5) + " UTC";
        }
    }
    return t;
}

std::string render_text(const SearchResult& r, const TextRenderOptions& options) {
    std::string out;
    char buf[256];
    std::snprintf(buf, sizeof buf, "%s%u result%s (%.1f ms)\n", r.lower_bound == r.upper_bound ? "" : "about ",
                  static_cast<unsigned>(r.estimate), r.estimate == 1 ? "" : "s", r.seconds * 1000);
    out += buf;
    if (!r.suggestion.empty()) out += "Did you mean: " + strip_controls(r.suggestion) + "\n";
    const std::string open = options.ansi ? "\x1b[1m" : "[";
    const std::string close = options.ansi ? "\x1b[0m" : "]";
    for (const auto& h : r.hits) {
        const StoredFields& f = h.fields;
        out += '\n';
        out += std::to_string(h.rank);
        out += ". ";
        out += strip_controls(f.title.empty() ? "(untitled)" : f.title);
        out += "\n   ";
        std::string meta;
        auto add = [&](const std::string& s) {
            if (s.empty()) return;
            if (!meta.empty()) meta += " | ";
            meta += strip_controls(s);
        };
        add(h.source_name);
        add(f.date);
        add(f.id);
        add(f.dateline.empty() ? "" : "filed from " + f.dateline);
        if (!f.parent.empty()) add(entry_line(f));
        std::snprintf(buf, sizeof buf, "score %.2f", h.score);
        add(buf);
        out += meta + "\n";
        if (!f.url.empty()) out += "   " + strip_controls(f.url) + "\n";
        if (h.copies > 0) {
            out += "   +" + std::to_string(h.copies) + (h.copies == 1 ? " copy" : " copies");
            if (!h.copy_sources.empty()) {
                out += " (";
                for (size_t i = 0; i < h.copy_sources.size(); ++i)
                    out += (i ? ", " : "") + strip_controls(h.copy_sources[i]);
                out += ")";
            }
            out += "\n";
        }
        if (!h.snippet.empty()) {
            std::string text;
            for (const auto& s : h.snippet) {
                std::string piece = strip_controls(s.text);
                text += s.match ? open + piece + close : piece;
            }
            out += "   " + text + "\n";
        }
        if (options.explain && !h.reasons.empty()) {
            out += "   why:";
            for (const auto& words : reasons_in_words(h.reasons)) out += " " + strip_controls(words) + ";";
            out.back() = '\n';
        }
    }
    const std::string dates = date_histogram_dimension(r);
    for (const auto& facet : r.facets) {
        if (facet.values.empty()) continue;
        if ((facet.dimension == "month" || facet.dimension == "year") && facet.dimension != dates) continue;
        out += "\n" + facet.dimension + (r.facets_exact ? "" : " (estimated)") + ":";
        for (const auto& v : facet.values)
            out += "  " + strip_controls(v.label) + " (" + (r.facets_exact ? "" : "≈") + std::to_string(v.count) + ")";
        out += "\n";
    }
    if (!r.hits.empty() && r.offset + r.hits.size() < r.estimate) {
        std::snprintf(buf, sizeof buf, "\n(showing %u-%u; --offset %u for more)\n", static_cast<unsigned>(r.offset + 1),
                      static_cast<unsigned>(r.offset + r.hits.size()), static_cast<unsigned>(r.offset + r.hits.size()));
        out += buf;
    }
    return out;
}

std::string render_json(const SearchResult& r) {
    nlohmann::ordered_json j;
    j["query"] = r.query;
    j["parsed"] = r.parsed;
    j["total"] = {{"estimate", r.estimate},
                  {"lower_bound", r.lower_bound},
                  {"upper_bound", r.upper_bound},
                  {"exact", r.lower_bound == r.upper_bound}};
    j["offset"] = r.offset;
    j["limit"] = r.limit;
    // Microsecond precision; a non-finite or absurd time must not reach the integer cast (UB).
    j["elapsed_ms"] =
        std::isfinite(r.seconds) && std::fabs(r.seconds) < 1e9 ? std::round(r.seconds * 1e6) / 1000.0 : 0.0;
    nlohmann::ordered_json hits = nlohmann::ordered_json::array();
    for (const auto& h : r.hits) {
        const StoredFields& f = h.fields;
        nlohmann::ordered_json hj;
        hj["rank"] = h.rank;
        hj["id"] = f.id;
        hj["title"] = f.title;
        hj["date"] = f.date;
        hj["source"] = f.source;
        hj["source_name"] = h.source_name;
        hj["url"] = f.url;
        hj["score"] = h.score;
        hj["percent"] = h.percent;
        if (!f.parent.empty()) {
            hj["parent"] = f.parent;
            hj["parent_title"] = f.parent_title;
            hj["entry"] = f.entry;
            hj["time"] = f.time;
            hj["time_text"] = f.time_text;
            hj["time_label"] = entry_time_label(f);
        }
        hj["dateline"] = f.dateline;
        hj["snippet"] = join_segments(h.snippet, "", "");
        nlohmann::ordered_json segs = nlohmann::ordered_json::array();
        for (const auto& s : h.snippet) segs.push_back({{"text", s.text}, {"match", s.match}});
        hj["snippet_segments"] = segs;
        hj["story"] = h.story;
        hj["copies"] = h.copies;
        hj["copy_sources"] = h.copy_sources;
        hj["factions"] = f.factions;
        hj["places"] = f.places;
        hj["organisations"] = f.organisations;
        nlohmann::ordered_json why = nlohmann::ordered_json::array();
        for (const auto& reason : h.reasons)
            why.push_back(
                {{"term", reason.term}, {"field", reason.field}, {"origin", reason.origin}, {"from", reason.from}});
        hj["why"] = why;
        hits.push_back(hj);
    }
    j["hits"] = hits;
    j["collapsed"] = r.collapsed;
    j["suggestion"] = r.suggestion;
    nlohmann::ordered_json facets = nlohmann::ordered_json::object();
    for (const auto& facet : r.facets) {
        nlohmann::ordered_json values = nlohmann::ordered_json::array();
        for (const auto& v : facet.values) values.push_back({{"key", v.key}, {"label", v.label}, {"count", v.count}});
        facets[facet.dimension] = values;
    }
    j["facets"] = facets;
    j["facets_exact"] = r.facets_exact;
    j["partial"] = r.partial;
    j["missing_shards"] = r.missing_shards;
    j["warnings"] = r.warnings;
    j["notices"] = r.notices;
    j["index"] = {{"uuid", r.index_uuid}, {"revision", r.index_revision}, {"documents", r.index_documents}};
    return dump_inert(j, 2);
}

std::string render_json_error(const std::string& message) {
    nlohmann::ordered_json j;
    j["error"] = message;
    return dump_inert(j, -1);
}

}  // namespace warsearch
