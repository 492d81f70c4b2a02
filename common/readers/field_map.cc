#include "common/readers/field_map.h"

#include <cctype>

#include "common/readers/reader_support.h"
#include "common/text/dates.h"
#include "common/text/text.h"

namespace warsearch {
namespace {

struct FieldNames {
    std::string field;
    std::vector<std::string> names;
};

// The first name is our own schema's; the rest are what common exports call it.
const std::vector<FieldNames>& field_table() {
    static const std::vector<FieldNames> kTable = {
        {"id", {"id", "unit_id", "guid", "uuid", "_id", "article_id", "doc_id"}},
        {"title", {"title", "headline", "article_title", "name", "heading"}},
        {"body", {"body", "content", "text", "article_content", "article", "article_text", "full_text", "description"}},
        {"date",
         {"date", "published", "published_at", "publication_date", "datetime", "pubdate", "timestamp", "date_published",
          "created_at"}},
        {"source", {"source", "outlet", "publisher", "site", "source_name"}},
        {"url", {"url", "link", "canonical_url", "permalink"}},
        {"lang", {"lang", "language"}},
        {"byline", {"byline", "author", "authors"}},
        {"parent", {"parent"}},
        {"time", {"time"}},
    };
    return kTable;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

const std::string* find_field(const RecordFields& values, const RecordFields& folded, const std::string& name) {
    auto it = values.find(name);
    if (it != values.end()) return &it->second;
    auto f = folded.find(lower(name));
    return f == folded.end() ? nullptr : &f->second;
}

int two(std::string_view s, std::size_t at) { return (s[at] - '0') * 10 + (s[at + 1] - '0'); }

}  // namespace

const std::vector<std::string>& default_field_names(std::string_view field) {
    static const std::vector<std::string> kNone;
    for (const auto& f : field_table())
        if (f.field == field) return f.names;
    return kNone;
}

const std::vector<std::string>& record_field_names() {
    static const std::vector<std::string> kFields = [] {
        std::vector<std::string> v;
        for (const auto& f : field_table()) v.push_back(f.field);
        return v;
    }();
    return kFields;
}

std::optional<FilenameFields> parse_dated_filename(std::string_view name) {
    // 20220125T090000Z_GB_en_7d015e6984.txt
    std::size_t slash = name.find_last_of("/\\");
    if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
    if (name.size() < 22) return std::nullopt;
    for (std::size_t i : {0u, 1u, 2u, 3u, 4u, 5u, 6u, 7u, 9u, 10u, 11u, 12u, 13u, 14u})
        if (!std::isdigit(static_cast<unsigned char>(name[i]))) return std::nullopt;
    if (name[8] != 'T' || name[15] != 'Z' || name[16] != '_') return std::nullopt;
    std::size_t cc_end = name.find('_', 17);
    if (cc_end == std::string_view::npos || cc_end == 17 || cc_end - 17 > 3) return std::nullopt;
    std::size_t lang_end = name.find('_', cc_end + 1);
    if (lang_end == std::string_view::npos || lang_end - cc_end - 1 < 2 || lang_end - cc_end - 1 > 3)
        return std::nullopt;
    FilenameFields f;
    f.country = std::string(name.substr(17, cc_end - 17));
    f.lang = std::string(name.substr(cc_end + 1, lang_end - cc_end - 1));
    for (char c : f.country)
        if (!std::isalpha(static_cast<unsigned char>(c))) return std::nullopt;
    for (char c : f.lang)
        if (!std::islower(static_cast<unsigned char>(c))) return std::nullopt;
    std::string iso = std::string(name.substr(0, 4)) + "-" + std::string(name.substr(4, 2)) + "-" +
                      std::string(name.substr(6, 2)) + "T" + std::string(name.substr(9, 2)) + ":" +
                      std::string(name.substr(11, 2)) + ":" + std::string(name.substr(13, 2)) + "Z";
    auto d = parse_iso_date(iso);
    if (!d) return std::nullopt;
    f.date = *d;
    // Whole minutes are written at minute precision.
    if (two(name, 13) == 0) f.date.precision = DatePrecision::minute;
    std::size_t dot = name.rfind('.');
    f.stem = std::string(dot == std::string_view::npos || dot < lang_end ? name : name.substr(0, dot));
    return f;
}

std::string article_from_record(const RecordFields& values, const ReadOptions& options, Article& out,
                                std::vector<std::string>& warnings) {
    RecordFields folded;
    for (const auto& [k, v] : values) folded.emplace(lower(k), v);
    auto lookup = [&](const FieldNames& fn) -> std::string {
        auto mapped = options.field_map.find(fn.field);
        if (mapped != options.field_map.end()) {
            const std::string* v = find_field(values, folded, mapped->second);
            return v ? *v : std::string();
        }
        for (const auto& name : fn.names) {
            const std::string* v = find_field(values, folded, name);
            if (v && !v->empty()) return *v;
        }
        return {};
    };
    for (const auto& fn : field_table()) {
        std::string v = lookup(fn);
        const std::string& f = fn.field;
        if (f == "id")
            out.id = squeeze_space(v);
        else if (f == "title")
            out.title = squeeze_space(v);
        else if (f == "body")
            out.body = std::string(detail::trim(v));
        else if (f == "source")
            out.source = squeeze_space(v);
        else if (f == "url")
            out.url = squeeze_space(v);
        else if (f == "lang")
            out.lang = squeeze_space(v);
        else if (f == "byline")
            out.byline = squeeze_space(v);
        else if (f == "parent")
            out.parent = v;
        else if (f == "time")
            out.time = v;
        else if (f == "date" && !detail::trim(v).empty()) {
            if (auto d = parse_date(v, options.date_order))
                out.date = *d;
            else
                warnings.push_back("unreadable date '" + squeeze_space(v) + "', left empty");
        }
    }
    // Dumps that keep their metadata in a dated file name (the Ukraine corpus).
    if (const std::string* name = find_field(values, folded, "filename")) {
        if (auto ff = parse_dated_filename(*name)) {
            if (out.date.empty()) out.date = ff->date;
            if (out.lang.empty()) out.lang = ff->lang;
            if (out.source.empty()) out.source = ff->country;
            if (out.id.empty()) out.id = ff->stem;
        }
    }
    if (out.title.empty()) out.title = detail::title_from_text(out.body, options.date_order);
    if (out.title.empty() && out.body.empty()) return "no title and no body";
    return {};
}

}  // namespace warsearch
