#include "warsearch/extract_json.h"

#include <nlohmann/json.hpp>

namespace warsearch {

std::string extract_json(const Article& a) {
    nlohmann::ordered_json j;
    j["id"] = a.id;
    j["title"] = a.title;
    j["date"] = a.date.iso();
    j["source"] = a.source;
    j["url"] = a.url;
    j["lang"] = a.lang;
    if (!a.byline.empty()) j["byline"] = a.byline;
    j["kind"] = !a.parent.empty() ? "entry" : (a.live_blog ? "liveblog" : "article");
    if (!a.parent.empty()) {
        j["parent"] = a.parent;
        j["entry"] = a.entry;
        if (!a.time.empty()) j["time"] = a.time;
    }
    if (!a.dateline_place.empty()) j["dateline"] = a.dateline_place;
    if (!a.places.empty()) j["input_places"] = a.places;
    j["file"] = a.from.where();
    j["body"] = a.body;
    return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace warsearch
