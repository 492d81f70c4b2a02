#include "common/readers/json_ld.h"

#include <simdjson.h>

namespace warsearch {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

// JSON-LD nests the objects we want inside lists and graphs; pages seen in the wild go
// three or four levels deep, and a bound keeps hostile input from recursing far.
constexpr int kMaxDepth = 8;

std::string string_field(simdjson::dom::object obj, std::initializer_list<const char*> keys) {
    for (const char* key : keys) {
        element v;
        if (obj.at_key(key).get(v) != simdjson::SUCCESS) continue;
        std::string_view text;
        if (v.get(text) == simdjson::SUCCESS && !text.empty()) return std::string(text);
        // "headline": {"@value": "..."} and one-item lists are written too.
        simdjson::dom::object inner;
        if (v.get(inner) == simdjson::SUCCESS && inner.at_key("@value").get(text) == simdjson::SUCCESS)
            return std::string(text);
        simdjson::dom::array list;
        if (v.get(list) == simdjson::SUCCESS && list.size() > 0 && list.at(0).get(text) == simdjson::SUCCESS)
            return std::string(text);
    }
    return {};
}

bool is_live_blog(simdjson::dom::object obj) {
    element type;
    if (obj.at_key("@type").get(type) != simdjson::SUCCESS) return false;
    std::string_view name;
    if (type.get(name) == simdjson::SUCCESS) return name == "LiveBlogPosting";
    simdjson::dom::array list;
    if (type.get(list) == simdjson::SUCCESS)
        for (element item : list)
            if (item.get(name) == simdjson::SUCCESS && name == "LiveBlogPosting") return true;
    return false;
}

void read_update(simdjson::dom::object obj, JsonLdLiveBlog& out) {
    JsonLdUpdate u;
    u.headline = string_field(obj, {"headline", "name", "alternativeHeadline"});
    u.date_published = string_field(obj, {"datePublished", "dateCreated", "dateModified", "uploadDate"});
    u.body = string_field(obj, {"articleBody", "text", "description"});
    if (u.headline.empty() && u.body.empty()) return;
    out.updates.push_back(std::move(u));
}

void read_live_blog(simdjson::dom::object obj, JsonLdLiveBlog& out) {
    out.found = true;
    out.headline = string_field(obj, {"headline", "name"});
    out.date_published = string_field(obj, {"datePublished", "coverageStartTime", "dateCreated"});
    element updates;
    if (obj.at_key("liveBlogUpdate").get(updates) != simdjson::SUCCESS) return;
    simdjson::dom::object one;
    simdjson::dom::array list;
    if (updates.get(one) == simdjson::SUCCESS) {
        read_update(one, out);
    } else if (updates.get(list) == simdjson::SUCCESS) {
        for (element item : list)
            if (item.get(one) == simdjson::SUCCESS) read_update(one, out);
    }
}

void search(element e, int depth, JsonLdLiveBlog& out) {
    if (out.found || depth > kMaxDepth) return;
    simdjson::dom::array list;
    if (e.get(list) == simdjson::SUCCESS) {
        for (element item : list) search(item, depth + 1, out);
        return;
    }
    simdjson::dom::object obj;
    if (e.get(obj) != simdjson::SUCCESS) return;
    if (is_live_blog(obj)) {
        read_live_blog(obj, out);
        return;
    }
    for (const char* key : {"@graph", "mainEntity", "mainEntityOfPage", "hasPart"}) {
        element inner;
        if (obj.at_key(key).get(inner) == simdjson::SUCCESS) search(inner, depth + 1, out);
    }
}

}  // namespace

JsonLdLiveBlog read_json_ld_live_blog(std::string_view json, std::string& error) {
    error.clear();
    JsonLdLiveBlog out;
    simdjson::dom::parser parser;
    simdjson::padded_string padded(json);
    element doc;
    if (auto code = parser.parse(padded).get(doc); code != simdjson::SUCCESS) {
        error = simdjson::error_message(code);
        return out;
    }
    search(doc, 0, out);
    return out;
}

}  // namespace warsearch
