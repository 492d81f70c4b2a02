#include "indexer/extract_json.h"

#include <nlohmann/json.hpp>

namespace warsearch {

std::string extract_json(const Article& a, const Extraction* entities) {
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
        if (!a.time_text.empty()) j["time_text"] = a.time_text;
    }
    if (!a.dateline.empty()) j["dateline"] = a.dateline;
    if (!a.places.empty()) j["input_places"] = a.places;
    j["file"] = a.from.where();
    if (entities) {
        auto describe = [](const ExtractedEntity& x, bool place) {
            nlohmann::ordered_json e;
            e["id"] = x.entity->id;
            e["name"] = x.entity->name;
            e[place ? "type" : "kind"] = x.entity->type;
            auto ancestors = nlohmann::ordered_json::array();
            for (const Entity* anc : x.ancestors) ancestors.push_back(anc->name);
            e["ancestors"] = ancestors;
            if (place) {
                e["lat"] = x.entity->has_coordinates ? nlohmann::ordered_json(x.entity->lat) : nullptr;
                e["lon"] = x.entity->has_coordinates ? nlohmann::ordered_json(x.entity->lon) : nullptr;
            }
            e["mentions"] = x.mentions;
            return e;
        };
        j["factions"] = nlohmann::ordered_json::array();
        for (const auto& x : entities->factions) j["factions"].push_back(describe(x, false));
        j["locations"] = nlohmann::ordered_json::array();
        for (const auto& x : entities->places) j["locations"].push_back(describe(x, true));
        j["organisations"] = nlohmann::ordered_json::array();
        for (const auto& x : entities->organisations) j["organisations"].push_back(describe(x, false));
    }
    j["body"] = a.body;
    return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace warsearch
