#include "common/entities/entity_resolver.h"

#include <simdjson.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "common/entities/entity_terms.h"
#include "common/entities/entity_tokenizer.h"

namespace warsearch {

namespace {

using json = nlohmann::json;

// Levenshtein distance on bytes, giving up (returning limit + 1) past @a limit.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit) {
    if (a.size() > b.size() + limit || b.size() > a.size() + limit) return limit + 1;
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        std::size_t row_min = cur[0];
        for (std::size_t j = 1; j <= b.size(); ++j) {
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
            row_min = std::min(row_min, cur[j]);
        }
        if (row_min > limit) return limit + 1;
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

std::vector<std::string> ids_of(const json& j, const char* key) {
    std::vector<std::string> out;
    auto it = j.find(key);
    if (it != j.end() && it->is_array())
        for (const auto& v : *it)
            if (v.is_string()) out.push_back(v.get<std::string>());
    return out;
}

}  // namespace

EntityResolver::EntityResolver(const Xapian::Database& db) : db_(db) {}

bool EntityResolver::available() const { return !db_.get_metadata(std::string(kMetaCatalogVersion)).empty(); }

EntityResolution EntityResolver::resolve(EntityField field, std::string_view text, std::size_t max_suggestions) const {
    EntityResolution res;
    const char* key = field == EntityField::location  ? "places"
                      : field == EntityField::faction ? "factions"
                                                      : "organisations";
    const char* cls = field == EntityField::location  ? "place"
                      : field == EntityField::faction ? "faction"
                                                      : "organisation";
    res.normalised = normalise_name(text);
    if (res.normalised.empty()) return res;
    // An id typed as is ("sy/idlib") resolves to itself.
    if (auto e = entity(text); e && e->cls == cls) {
        res.ids.push_back(e->id);
        return res;
    }
    std::string value = db_.get_metadata(std::string(kMetaNamePrefix) + res.normalised);
    if (!value.empty()) {
        json j = json::parse(value, nullptr, false);
        if (j.is_object()) res.ids = ids_of(j, key);
    }
    if (!res.ids.empty() || max_suggestions == 0) return res;

    // Nearest names: a scan of the name keys, done only for unknown names.
    std::size_t limit = std::max<std::size_t>(2, res.normalised.size() / 4);
    std::vector<std::pair<std::size_t, std::string>> near;
    std::string prefix(kMetaNamePrefix);
    try {
        for (auto k = db_.metadata_keys_begin(prefix); k != db_.metadata_keys_end(prefix); ++k) {
            std::string name_key = *k;  // the iterator yields a temporary
            std::size_t d = edit_distance(res.normalised, std::string_view(name_key).substr(prefix.size()), limit);
            if (d <= limit) near.emplace_back(d, std::move(name_key));
        }
    } catch (const Xapian::UnimplementedError&) {
        return res;  // a backend that cannot list keys (in-memory): no suggestions
    }
    std::sort(near.begin(), near.end());
    for (const auto& [d, k] : near) {
        json j = json::parse(db_.get_metadata(k), nullptr, false);
        if (!j.is_object()) continue;
        for (const auto& id : ids_of(j, key)) {
            auto e = entity(id);
            if (!e) continue;
            if (std::find(res.suggestions.begin(), res.suggestions.end(), e->name) == res.suggestions.end())
                res.suggestions.push_back(e->name);
        }
        if (res.suggestions.size() >= max_suggestions) break;
    }
    if (res.suggestions.size() > max_suggestions) res.suggestions.resize(max_suggestions);
    return res;
}

std::optional<EntityInfo> EntityResolver::entity(std::string_view id) const {
    if (id.empty() || id.size() > 200) return std::nullopt;
    std::string value = db_.get_metadata(std::string(kMetaEntityPrefix) + std::string(id));
    if (value.empty()) return std::nullopt;
    json j = json::parse(value, nullptr, false);
    if (!j.is_object()) return std::nullopt;
    EntityInfo e;
    e.id = j.value("id", std::string(id));
    e.name = j.value("name", e.id);
    e.cls = j.value("class", "place");
    e.place = e.cls == "place";
    e.predecessors = ids_of(j, "predecessors");
    e.successors = ids_of(j, "successors");
    e.type = j.value("type", "");
    auto parent = j.find("parent");
    if (parent != j.end() && parent->is_string()) e.parent = parent->get<std::string>();
    e.ancestors = ids_of(j, "ancestors");
    e.aliases = ids_of(j, "aliases");
    e.generic_terms = ids_of(j, "generic_terms");
    if (j.contains("lat") && j["lat"].is_number()) e.lat = j["lat"].get<double>();
    if (j.contains("lon") && j["lon"].is_number()) e.lon = j["lon"].get<double>();
    return e;
}

std::string EntityResolver::name(std::string_view id) const {
    if (id.empty() || id.size() > 200) return {};
    std::string value = db_.get_metadata(std::string(kMetaEntityPrefix) + std::string(id));
    if (value.empty()) return {};
    thread_local simdjson::ondemand::parser parser;
    simdjson::padded_string padded(value);
    simdjson::ondemand::document doc;
    if (parser.iterate(padded).get(doc) != simdjson::SUCCESS) return {};
    std::string_view name;
    if (doc.find_field_unordered("label").get_string().get(name) == simdjson::SUCCESS) return std::string(name);
    if (parser.iterate(padded).get(doc) != simdjson::SUCCESS) return {};  // start over for "name"
    if (doc.find_field_unordered("name").get_string().get(name) != simdjson::SUCCESS) return std::string(id);
    return std::string(name);
}

std::vector<std::string> EntityResolver::lineage(std::string_view id) const {
    std::vector<std::string> seen{std::string(id)};
    for (std::size_t i = 0; i < seen.size() && seen.size() < 64; ++i) {
        auto e = entity(seen[i]);
        if (!e) continue;
        for (const auto* links : {&e->predecessors, &e->successors})
            for (const auto& l : *links)
                if (std::find(seen.begin(), seen.end(), l) == seen.end()) seen.push_back(l);
    }
    seen.erase(seen.begin());
    return seen;
}

std::vector<std::string> EntityResolver::aliases_for_word(std::string_view normalised) const {
    return named_entities(normalised).aliases;
}

NamedEntities EntityResolver::named_entities(std::string_view normalised) const {
    NamedEntities out;
    if (normalised.empty()) return out;
    std::string value = db_.get_metadata(std::string(kMetaNamePrefix) + std::string(normalised));
    if (value.empty()) return out;
    json j = json::parse(value, nullptr, false);
    if (!j.is_object()) return out;
    for (const char* key : {"places", "factions", "organisations"})
        for (const auto& id : ids_of(j, key)) {
            auto e = entity(id);
            if (!e) continue;
            (e->place ? out.place_ids : e->cls == "faction" ? out.faction_ids : out.organisation_ids).push_back(e->id);
            auto add = [&](const std::string& s) {
                if (normalise_name(s) == normalised) return;  // the word itself
                if (std::find(out.aliases.begin(), out.aliases.end(), s) == out.aliases.end()) out.aliases.push_back(s);
            };
            add(e->name);
            for (const auto& a : e->aliases) add(a);
            out.generic_terms.insert(out.generic_terms.end(), e->generic_terms.begin(), e->generic_terms.end());
        }
    return out;
}

}  // namespace warsearch
