#include "searcher/export.h"

#include <xapian.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "common/index/schema.h"
#include "common/index/stored_fields.h"
#include "searcher/searcher.h"

namespace warsearch {
namespace {

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& s : items) out += (out.empty() ? "" : "; ") + s;
    return out;
}

void append_csv_row(std::string& out, const StoredFields& f, const std::string& story, Xapian::doccount copies) {
    const std::string fields[] = {f.id,
                                  f.title,
                                  f.date,
                                  f.source,
                                  f.url,
                                  f.dateline,
                                  f.byline,
                                  joined(f.factions),
                                  joined(f.places),
                                  joined(f.organisations),
                                  story,
                                  std::to_string(copies),
                                  f.parent};
    bool first = true;
    for (const auto& v : fields) {
        if (!first) out += ',';
        first = false;
        out += csv_field(v);
    }
    out += "\r\n";
}

void append_jsonl_row(std::string& out, const StoredFields& f, const std::string& story, Xapian::doccount copies) {
    nlohmann::ordered_json j;
    j["id"] = f.id;
    j["title"] = f.title;
    j["date"] = f.date;
    j["source"] = f.source;
    j["url"] = f.url;
    j["dateline"] = f.dateline;
    j["byline"] = f.byline;
    j["factions"] = f.factions;
    j["places"] = f.places;
    j["organisations"] = f.organisations;
    j["story"] = story;
    j["copies"] = copies;
    j["parent"] = f.parent;
    out += j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    out += '\n';
}

// Walks the matches in date-sort-key order, one chunk per pass: each pass asks for the
// matches past the last key written (keys are date + id, so unique), so no pass looks
// past its chunk's end in the order and none holds more than a chunk.
class ExportWalk {
  public:
    ExportWalk(Xapian::Database& db, Xapian::Query query, bool ascending, std::size_t chunk)
        : db_(db), query_(std::move(query)), ascending_(ascending), chunk_(chunk) {}

    /// Calls @a row for each document of the next chunk; false when none was left.
    bool next(const std::function<void(const Xapian::Document&)>& row) {
        Xapian::Query q = query_;
        if (started_) {
            auto op = ascending_ ? Xapian::Query::OP_VALUE_GE : Xapian::Query::OP_VALUE_LE;
            q = Xapian::Query(Xapian::Query::OP_FILTER, query_, Xapian::Query(op, schema::kDateSortSlot, last_));
        }
        Xapian::Enquire enquire(db_);
        enquire.set_query(q);
        enquire.set_weighting_scheme(Xapian::BoolWeight());
        enquire.set_sort_by_value(schema::kDateSortSlot, !ascending_);
        Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(chunk_ + 1));
        std::size_t fresh = 0;
        std::string last = last_;
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            std::string key = it.get_sort_key();
            if (started_ && key == last_) continue;  // written by the previous chunk
            ++fresh;
            last = key;
            row(it.get_document());
        }
        started_ = true;
        last_ = last;
        return fresh > 0 && mset.size() > chunk_;
    }

  private:
    Xapian::Database& db_;
    Xapian::Query query_;
    bool ascending_;
    std::size_t chunk_;
    bool started_ = false;
    std::string last_;
};

}  // namespace

std::optional<ExportFormat> parse_export_format(std::string_view name) {
    if (name == "csv") return ExportFormat::csv;
    if (name == "jsonl") return ExportFormat::jsonl;
    return std::nullopt;
}

std::string csv_field(std::string_view value) {
    std::string v;
    if (!value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@')) v = "'";
    v += value;
    if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
    std::string out = "\"";
    for (char c : v) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

std::size_t export_matches(Searcher& searcher, const SearchRequest& request, ExportFormat format,
                           const std::function<void(std::string_view)>& write, std::size_t chunk_rows) {
    Xapian::Query query = searcher.query_for(request);
    Xapian::Database& db = searcher.database();
    ExportWalk walk(db, query, request.sort == SortOrder::date_oldest, chunk_rows > 0 ? chunk_rows : kExportChunkRows);
    std::unordered_set<std::size_t> stories;  // hashes of the stories written
    std::size_t rows = 0;
    std::string out;
    if (format == ExportFormat::csv) {
        for (const char* c : kExportColumns) out += std::string(out.empty() ? "" : ",") + c;
        out += "\r\n";
    }
    auto row = [&](const Xapian::Document& doc) {
        std::string story = doc.get_value(schema::kStorySlot);
        Xapian::doccount copies = 0;
        if (!story.empty()) {
            if (request.collapse && !stories.insert(std::hash<std::string>()(story)).second) return;
            Xapian::doccount n = db.get_termfreq(schema::make_term(schema::kStoryPrefix, story));
            copies = n > 0 ? n - 1 : 0;
        }
        StoredFields f = parse_stored_fields(doc.get_data());
        if (format == ExportFormat::csv)
            append_csv_row(out, f, story, copies);
        else
            append_jsonl_row(out, f, story, copies);
        ++rows;
    };
    bool more = true;
    while (more) {
        more = walk.next(row);
        if (!out.empty()) write(out);
        out.clear();
    }
    return rows;
}

}  // namespace warsearch
