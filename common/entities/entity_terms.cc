#include "common/entities/entity_terms.h"

#include <algorithm>
#include <array>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "common/entities/entity_labels.h"
#include "common/entities/entity_tokenizer.h"
#include "common/index/schema.h"
#include "common/text/text.h"

namespace warsearch {

std::string encode_id_list(const std::vector<std::string>& ids) {
    std::string out;
    for (const auto& id : ids) {
        if (!out.empty()) out += '\n';
        out += id;
    }
    return out;
}

std::vector<std::string> decode_id_list(std::string_view value) {
    std::vector<std::string> out;
    while (!value.empty()) {
        std::size_t nl = value.find('\n');
        std::string_view piece = value.substr(0, nl);
        if (!piece.empty()) out.emplace_back(piece);
        if (nl == std::string_view::npos) break;
        value.remove_prefix(nl + 1);
    }
    return out;
}

namespace {
std::string entity_term(std::string_view prefix, std::string_view id) {
    // Xapian terms are limited to 245 bytes.
    if (id.size() > 200) return schema::make_term(prefix, "#" + hex64(hash64(id)));
    return schema::make_term(prefix, id);
}
}  // namespace

std::string faction_term(std::string_view id) { return entity_term(schema::kFactionPrefix, id); }
std::string faction_ancestor_term(std::string_view id) { return entity_term(schema::kFactionAncestorPrefix, id); }
std::string place_term(std::string_view id) { return entity_term(schema::kPlacePrefix, id); }
std::string place_ancestor_term(std::string_view id) { return entity_term(schema::kPlaceAncestorPrefix, id); }
std::string organisation_term(std::string_view id) { return entity_term(schema::kOrganisationPrefix, id); }
std::string organisation_ancestor_term(std::string_view id) {
    return entity_term(schema::kOrganisationAncestorPrefix, id);
}

void add_entity_terms(Xapian::Document& doc, const Extraction& x) {
    // Weighted by the number of mentions: a free-text name searches these terms (see
    // searcher/src/entity_query.h), ranking an article that names the entity often first.
    auto mentions = [](std::size_t n) {
        return static_cast<Xapian::termcount>(std::max<std::size_t>(1, std::min<std::size_t>(n, 1000)));
    };
    for (const auto& f : x.factions) doc.add_term(faction_term(f.entity->id), mentions(f.count));
    for (const auto& p : x.places) doc.add_term(place_term(p.entity->id), mentions(p.count));
    std::vector<std::string> factions = x.faction_ids_with_ancestors();
    std::vector<std::string> places = x.place_ids_with_ancestors();
    for (const auto& id : factions) doc.add_boolean_term(faction_ancestor_term(id));
    for (const auto& id : places) doc.add_boolean_term(place_ancestor_term(id));
    if (!factions.empty()) doc.add_value(schema::kFactionsSlot, encode_id_list(factions));
    if (!places.empty()) doc.add_value(schema::kPlacesSlot, encode_id_list(places));
    for (const auto& o : x.organisations) doc.add_term(organisation_term(o.entity->id), mentions(o.count));
    std::vector<std::string> organisations = x.organisation_ids_with_ancestors();
    for (const auto& id : organisations) doc.add_boolean_term(organisation_ancestor_term(id));
    if (!organisations.empty()) doc.add_value(schema::kOrganisationsSlot, encode_id_list(organisations));
}

bool store_catalog_metadata(Xapian::WritableDatabase& db, const Catalog& catalog) {
    using json = nlohmann::json;
    std::string version = catalog.content_hash();
    if (db.get_metadata(std::string(kMetaCatalogVersion)) == version) return false;

    std::map<std::string, std::string> wanted;
    std::map<std::string, std::vector<std::string>> successors;  // derived from predecessors
    for (const Entity& e : catalog.entities())
        for (const auto& pr : e.predecessors) successors[pr.id].push_back(e.id);
    std::map<std::string, std::array<std::set<std::string>, 3>> names;  // by EntityClass
    for (const Entity& e : catalog.entities()) {
        bool place = e.cls == EntityClass::place;
        auto add_name = [&](const std::string& n) {
            std::string norm = normalise_name(n);
            if (norm.empty() || norm.size() > 200) return;
            names[norm][static_cast<std::size_t>(e.cls)].insert(e.id);
        };
        add_name(e.name);
        add_name(e.id);  // "faction:hts" and "location:sy/idlib" work too
        for (const auto& a : e.aliases) add_name(a);
        for (const auto& a : e.case_sensitive) add_name(a);

        json j;
        j["id"] = e.id;
        j["name"] = e.name;
        if (std::string label = display_label(catalog, e); label != e.name) j["label"] = label;
        j["class"] = place ? "place" : e.cls == EntityClass::faction ? "faction" : "organisation";
        j["type"] = e.type;
        j["parent"] = e.parent;
        json anc = json::array();
        for (const Entity* a : catalog.ancestors(e.id)) anc.push_back(a->id);
        j["ancestors"] = anc;
        std::vector<std::string> aliases = e.aliases;
        aliases.insert(aliases.end(), e.case_sensitive.begin(), e.case_sensitive.end());
        j["aliases"] = aliases;
        if (!e.generic_terms.empty()) j["generic_terms"] = e.generic_terms;
        if (e.has_coordinates) {
            j["lat"] = e.lat;
            j["lon"] = e.lon;
        }
        if (!e.predecessors.empty()) {
            json p = json::array();
            for (const auto& pr : e.predecessors) p.push_back(pr.id);
            j["predecessors"] = p;
        }
        if (auto s = successors.find(e.id); s != successors.end()) j["successors"] = s->second;
        if (e.id.size() <= 200)
            wanted[std::string(kMetaEntityPrefix) + e.id] = j.dump(-1, ' ', false, json::error_handler_t::replace);
    }
    for (const auto& [norm, ids] : names) {
        json j;
        j["places"] = std::vector<std::string>(ids[0].begin(), ids[0].end());
        j["factions"] = std::vector<std::string>(ids[1].begin(), ids[1].end());
        if (!ids[2].empty()) j["organisations"] = std::vector<std::string>(ids[2].begin(), ids[2].end());
        wanted[std::string(kMetaNamePrefix) + norm] = j.dump(-1, ' ', false, json::error_handler_t::replace);
    }
    // Drop what an earlier catalog stored and this one no longer has.
    std::vector<std::string> stale;
    try {
        for (std::string_view prefix : {kMetaNamePrefix, kMetaEntityPrefix}) {
            std::string p(prefix);
            for (auto k = db.metadata_keys_begin(p); k != db.metadata_keys_end(p); ++k)
                if (!wanted.count(*k)) stale.push_back(*k);
        }
    } catch (const Xapian::UnimplementedError&) {
        // The in-memory backend cannot list metadata keys; nothing stale to find there.
    }
    for (const auto& k : stale) db.set_metadata(k, std::string());
    for (const auto& [k, v] : wanted)
        if (db.get_metadata(k) != v) db.set_metadata(k, v);
    db.set_metadata(std::string(kMetaCatalogVersion), version);
    return true;
}

}  // namespace warsearch
