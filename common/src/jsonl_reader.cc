// JSON Lines and the object-to-Article mapping shared with the JSON array reader.
#include <simdjson.h>

#include <istream>

#include "warsearch/readers.h"
#include "warsearch/text.h"

namespace warsearch {
namespace {

// Keys looked up, in order, for each of our fields when --map does not name one.
// The first is our own schema's name; the rest are what common exports call it.
struct FieldKeys {
    const char* field;
    std::vector<std::string> keys;
};

const std::vector<FieldKeys>& default_keys() {
    static const std::vector<FieldKeys> kKeys = {
        {"id", {"id", "unit_id", "guid", "uuid", "_id"}},
        {"title", {"title", "headline", "article_title", "name"}},
        {"body", {"body", "content", "text", "article_content", "article", "description"}},
        {"date", {"date", "published", "published_at", "publication_date", "datetime",
                  "pubdate", "timestamp"}},
        {"source", {"source", "outlet", "publisher", "site"}},
        {"url", {"url", "link", "canonical_url", "permalink"}},
        {"lang", {"lang", "language"}},
        {"byline", {"byline", "author", "authors"}},
        {"parent", {"parent"}},
        {"time", {"time"}},
    };
    return kKeys;
}

std::string scalar_text(simdjson::dom::element v) {
    using simdjson::dom::element_type;
    switch (v.type()) {
        case element_type::STRING: return std::string(std::string_view(v));
        case element_type::INT64: return std::to_string(int64_t(v));
        case element_type::UINT64: return std::to_string(uint64_t(v));
        case element_type::DOUBLE: {
            std::string s = simdjson::minify(v);
            return s;
        }
        case element_type::BOOL: return bool(v) ? "true" : "false";
        case element_type::ARRAY: {
            // A list of strings (authors, places) becomes "a, b".
            std::string joined;
            for (simdjson::dom::element item : simdjson::dom::array(v)) {
                if (item.type() != element_type::STRING) continue;
                if (!joined.empty()) joined += ", ";
                joined += std::string(std::string_view(item));
            }
            return joined;
        }
        default: return {};
    }
}

}  // namespace

std::string article_from_json(std::string_view json, const ReadOptions& options, Article& out,
                              std::vector<std::string>& warnings) {
    thread_local simdjson::dom::parser parser;
    std::map<std::string, std::string> values;  // key -> text, for the keys we may want
    simdjson::dom::element doc;
    auto error = parser.parse(json.data(), json.size()).get(doc);
    if (error) return std::string("invalid JSON: ") + simdjson::error_message(error);
    if (doc.type() != simdjson::dom::element_type::OBJECT) return "not a JSON object";
    for (auto field : simdjson::dom::object(doc)) values[std::string(field.key)] = scalar_text(field.value);

    auto lookup = [&](const FieldKeys& fk) -> std::string {
        auto mapped = options.field_map.find(fk.field);
        if (mapped != options.field_map.end()) {
            auto it = values.find(mapped->second);
            return it == values.end() ? std::string() : it->second;
        }
        for (const auto& key : fk.keys) {
            auto it = values.find(key);
            if (it != values.end() && !it->second.empty()) return it->second;
        }
        return {};
    };
    for (const auto& fk : default_keys()) {
        std::string v = lookup(fk);
        std::string_view f = fk.field;
        if (f == "id") out.id = squeeze_space(v);
        else if (f == "title") out.title = squeeze_space(v);
        else if (f == "body") out.body = v;
        else if (f == "source") out.source = squeeze_space(v);
        else if (f == "url") out.url = squeeze_space(v);
        else if (f == "lang") out.lang = squeeze_space(v);
        else if (f == "byline") out.byline = squeeze_space(v);
        else if (f == "parent") out.parent = v;
        else if (f == "time") out.time = v;
        else if (f == "date" && !v.empty()) {
            if (auto d = parse_date(v, options.date_order)) out.date = *d;
            else warnings.push_back("unreadable date '" + v + "', left empty");
        }
    }
    if (out.title.empty() && out.body.empty()) return "no title and no body";
    return {};
}

void read_jsonl(std::istream& in, const std::string& path, const ReadOptions& options,
                const ReadSink& sink) {
    std::string line;
    std::uint64_t line_no = 0, record = 0;
    while (std::getline(in, line)) {
        ++line_no;
        if (line_no == 1 && line.size() >= 3 && line.compare(0, 3, "\xEF\xBB\xBF") == 0)
            line.erase(0, 3);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        ++record;
        Provenance from{path, line_no, record};
        if (line.size() > options.max_record_bytes) {
            sink.failure({from.where(), "line of " + std::to_string(line.size()) +
                                            " bytes is over the record limit"});
            continue;
        }
        std::vector<std::string> warnings;
        Article a;
        bool repaired = false;
        if (!is_valid_utf8(line)) {
            line = repair_utf8(line);
            repaired = true;
        }
        std::string reason = article_from_json(line, options, a, warnings);
        if (!reason.empty()) {
            sink.failure({from.where(), reason});
            continue;
        }
        if (repaired) warnings.push_back("invalid UTF-8 or control bytes repaired");
        for (auto& w : warnings)
            if (sink.warning) sink.warning({from.where(), w});
        a.from = from;
        ensure_id(a);
        sink.article(std::move(a));
    }
}

}  // namespace warsearch
