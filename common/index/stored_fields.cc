#include "common/index/stored_fields.h"

#include <simdjson.h>

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>

#include "common/index/schema.h"
#include "common/text/text.h"

namespace warsearch {

std::string serialise_stored_fields(const StoredFields& f) {
    nlohmann::json j;
    j["id"] = f.id;
    j["title"] = f.title;
    if (!f.date.empty()) j["date"] = f.date;
    if (!f.source.empty()) j["source"] = f.source;
    if (!f.url.empty()) j["url"] = f.url;
    if (!f.lang.empty()) j["lang"] = f.lang;
    if (!f.byline.empty()) j["byline"] = f.byline;
    if (!f.parent.empty()) {
        j["parent"] = f.parent;
        j["parent_title"] = f.parent_title;
        j["entry"] = f.entry;
    }
    if (!f.time.empty()) j["time"] = f.time;
    if (!f.time_text.empty()) j["time_text"] = f.time_text;
    if (!f.dateline.empty()) j["dateline"] = f.dateline;
    if (!f.file.empty()) j["file"] = f.file;
    if (!f.factions.empty()) j["factions"] = f.factions;
    if (!f.places.empty()) j["places"] = f.places;
    if (!f.organisations.empty()) j["organisations"] = f.organisations;
    j["body"] = f.body;
    // Replace, not throw, on invalid UTF-8: readers repair text, but data must never
    // make indexing fail.
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

StoredFields parse_stored_fields(const std::string& data) {
    // Every hit's data is parsed, body included, so this is on the query path: simdjson,
    // not nlohmann (much slower at parsing), which is kept for writing.
    StoredFields f;
    thread_local simdjson::dom::parser parser;
    simdjson::dom::object obj;
    if (parser.parse(data.data(), data.size(), true).get(obj) != simdjson::SUCCESS) return f;
    for (auto field : obj) {
        std::string_view key = field.key;
        simdjson::dom::element v = field.value;
        std::string_view text;
        if (v.get(text) == simdjson::SUCCESS) {
            if (key == "id")
                f.id = text;
            else if (key == "title")
                f.title = text;
            else if (key == "date")
                f.date = text;
            else if (key == "source")
                f.source = text;
            else if (key == "url")
                f.url = text;
            else if (key == "lang")
                f.lang = text;
            else if (key == "byline")
                f.byline = text;
            else if (key == "parent")
                f.parent = text;
            else if (key == "parent_title")
                f.parent_title = text;
            else if (key == "time")
                f.time = text;
            else if (key == "time_text")
                f.time_text = text;
            else if (key == "dateline")
                f.dateline = text;
            else if (key == "file")
                f.file = text;
            else if (key == "body")
                f.body = text;
            continue;
        }
        simdjson::dom::array list;
        if (v.get(list) == simdjson::SUCCESS && (key == "factions" || key == "places" || key == "organisations")) {
            auto& out = key == "factions" ? f.factions : key == "places" ? f.places : f.organisations;
            for (simdjson::dom::element item : list)
                if (item.get(text) == simdjson::SUCCESS) out.emplace_back(text);
            continue;
        }
        std::int64_t number;
        if (key == "entry" && v.get(number) == simdjson::SUCCESS && number >= std::numeric_limits<int>::min() &&
            number <= std::numeric_limits<int>::max())
            f.entry = static_cast<int>(number);
    }
    return f;
}

std::string id_term(const std::string& id) {
    // Xapian terms are limited to 245 bytes; long ids are hashed.
    if (id.size() > 200) return schema::make_term(schema::kIdPrefix, "#" + hex64(hash64(id)));
    return schema::make_term(schema::kIdPrefix, id);
}

std::string source_term(const std::string& source) {
    std::string slug = slugify(source);
    if (slug.size() > 200) slug = hex64(hash64(slug));
    return schema::make_term(schema::kSourcePrefix, slug);
}

std::string dateline_term(const std::string& place) {
    std::string slug = slugify(place);
    if (slug.size() > 200) slug = hex64(hash64(slug));
    return schema::make_term(schema::kDatelinePrefix, slug);
}

}  // namespace warsearch
