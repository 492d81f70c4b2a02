#include "warsearch/stored_fields.h"

#include <nlohmann/json.hpp>

#include "warsearch/schema.h"
#include "warsearch/text.h"

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
    if (!f.file.empty()) j["file"] = f.file;
    if (!f.factions.empty()) j["factions"] = f.factions;
    if (!f.places.empty()) j["places"] = f.places;
    j["body"] = f.body;
    // Replace, not throw, on invalid UTF-8: readers repair text, but data must never
    // make indexing fail.
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

StoredFields parse_stored_fields(const std::string& data) {
    StoredFields f;
    nlohmann::json j = nlohmann::json::parse(data, nullptr, false);
    if (!j.is_object()) return f;
    auto str = [&](const char* key, std::string& out) {
        auto it = j.find(key);
        if (it != j.end() && it->is_string()) out = it->get<std::string>();
    };
    auto list = [&](const char* key, std::vector<std::string>& out) {
        auto it = j.find(key);
        if (it == j.end() || !it->is_array()) return;
        for (const auto& v : *it)
            if (v.is_string()) out.push_back(v.get<std::string>());
    };
    str("id", f.id);
    str("title", f.title);
    str("date", f.date);
    str("source", f.source);
    str("url", f.url);
    str("lang", f.lang);
    str("byline", f.byline);
    str("parent", f.parent);
    str("parent_title", f.parent_title);
    str("time", f.time);
    str("file", f.file);
    str("body", f.body);
    list("factions", f.factions);
    list("places", f.places);
    auto e = j.find("entry");
    if (e != j.end() && e->is_number_integer()) f.entry = e->get<int>();
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

}  // namespace warsearch
