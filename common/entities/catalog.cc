#include "common/entities/catalog.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/entities/entity_tokenizer.h"
#include "common/text/dates.h"
#include "common/text/text.h"

namespace warsearch {

namespace {

constexpr std::string_view kPlaceTypes[] = {"country", "region",  "admin1",        "admin2",   "admin3", "city",
                                            "town",    "village", "neighbourhood", "landmark", "world"};
constexpr std::string_view kFactionKinds[] = {"umbrella",
                                              "state forces",
                                              "pro-government militia",
                                              "armed opposition",
                                              "jihadist",
                                              "kurdish-led",
                                              "international coalition",
                                              "foreign state forces",
                                              "criminal",
                                              "paramilitary",
                                              "political",
                                              "insurgent"};

constexpr std::string_view kOrganisationKinds[] = {"international", "un body",    "alliance",  "regional body",
                                                   "court",         "ngo",        "monitor",   "ministry",
                                                   "command",       "government", "financial", "media"};

using json = nlohmann::json;

[[noreturn]] void fail(const std::string& where, const std::string& reason) {
    throw CatalogError(where + ": " + reason);
}

std::string get_string(const json& j, const char* key, const std::string& where, bool required) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
        if (required) fail(where, std::string("missing \"") + key + "\"");
        return {};
    }
    if (!it->is_string()) fail(where, std::string("\"") + key + "\" must be a string");
    std::string s = it->get<std::string>();
    if (required && squeeze_space(s).empty()) fail(where, std::string("\"") + key + "\" is empty");
    return s;
}

std::vector<std::string> get_strings(const json& j, const char* key, const std::string& where) {
    std::vector<std::string> out;
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return out;
    if (!it->is_array()) fail(where, std::string("\"") + key + "\" must be an array of strings");
    for (const auto& v : *it) {
        if (!v.is_string()) fail(where, std::string("\"") + key + "\" must be an array of strings");
        std::string s = v.get<std::string>();
        if (!squeeze_space(s).empty()) out.push_back(std::move(s));
    }
    return out;
}

}  // namespace

bool is_known_place_type(std::string_view type) {
    return std::find(std::begin(kPlaceTypes), std::end(kPlaceTypes), type) != std::end(kPlaceTypes);
}

bool is_known_faction_kind(std::string_view kind) {
    return std::find(std::begin(kFactionKinds), std::end(kFactionKinds), kind) != std::end(kFactionKinds);
}

bool is_known_organisation_kind(std::string_view kind) {
    return std::find(std::begin(kOrganisationKinds), std::end(kOrganisationKinds), kind) !=
           std::end(kOrganisationKinds);
}

int place_type_rank(std::string_view type) {
    static constexpr std::pair<std::string_view, int> kRanks[] = {
        {"world", 0}, {"country", 0}, {"region", 1},  {"admin1", 1},        {"admin2", 2},  {"admin3", 3},
        {"city", 4},  {"town", 5},    {"village", 6}, {"neighbourhood", 7}, {"landmark", 8}};
    for (const auto& [t, r] : kRanks)
        if (t == type) return r;
    return 9;
}

namespace {
// "YYYY", "YYYY-MM" or "YYYY-MM-DD", written exactly so (the filter's date parser).
bool is_catalog_date(std::string_view d) {
    auto date = parse_iso_date(d);
    return date && date->precision <= DatePrecision::day && date->iso() == d;
}

// "lat" and "lon": both or neither, numbers in range.
void read_coordinates(const json& j, const std::string& where, Entity& e) {
    auto lat = j.find("lat"), lon = j.find("lon");
    bool has_lat = lat != j.end() && !lat->is_null(), has_lon = lon != j.end() && !lon->is_null();
    if (has_lat != has_lon) fail(where, "\"lat\" and \"lon\" go together");
    if (!has_lat) return;
    if (!lat->is_number() || !lon->is_number()) fail(where, "\"lat\"/\"lon\" must be numbers");
    e.lat = lat->get<double>();
    e.lon = lon->get<double>();
    if (e.lat < -90 || e.lat > 90 || e.lon < -180 || e.lon > 180) fail(where, "coordinates out of range");
    e.has_coordinates = true;
}

// "founded" and "dissolved": catalog dates, the end not before the start.
void read_dates(const json& j, const std::string& where, Entity& e) {
    for (const char* key : {"founded", "dissolved"}) {
        std::string value = get_string(j, key, where, false);
        if (!value.empty() && !is_catalog_date(value))
            fail(where, std::string("\"") + key + "\" must be a date: YYYY, YYYY-MM or YYYY-MM-DD");
        (std::string_view(key) == "founded" ? e.founded : e.dissolved) = std::move(value);
    }
    if (!e.founded.empty() && !e.dissolved.empty() && e.dissolved < e.founded.substr(0, e.dissolved.size()))
        fail(where, "\"dissolved\" is before \"founded\"");
}

// "predecessors": ids, or {"id","year"} objects.
void read_predecessors(const json& j, const std::string& where, Entity& e) {
    auto pred = j.find("predecessors");
    if (pred == j.end() || pred->is_null()) return;
    if (!pred->is_array()) fail(where, "\"predecessors\" must be an array");
    for (const auto& p : *pred) {
        Predecessor pr;
        if (p.is_string()) {
            pr.id = p.get<std::string>();
        } else if (p.is_object()) {
            pr.id = get_string(p, "id", where, true);
            auto y = p.find("year");
            if (y != p.end() && y->is_number_integer()) pr.year = y->get<int>();
        } else {
            fail(where, "\"predecessors\" entries are {\"id\",\"year\"} objects");
        }
        e.predecessors.push_back(std::move(pr));
    }
}

// One catalog line's JSON object as an entity of @a cls; fails naming @a where.
Entity parse_entity(const json& j, EntityClass cls, const std::string& where) {
    Entity e;
    e.cls = cls;
    e.origin = where;
    e.id = get_string(j, "id", where, true);
    if (e.id.find_first_of(" \t\n") != std::string::npos) fail(where, "\"id\" contains white space");
    e.name = get_string(j, "name", where, true);
    if (cls == EntityClass::place) {
        e.type = get_string(j, "type", where, true);
        if (!is_known_place_type(e.type))
            fail(where, "unknown place type \"" + e.type +
                            "\" (country, admin1, admin2, admin3, city, town, village, "
                            "neighbourhood, landmark, region, world)");
    } else if (cls == EntityClass::faction) {
        e.type = get_string(j, "kind", where, true);
        if (!is_known_faction_kind(e.type)) fail(where, "unknown faction kind \"" + e.type + "\"");
    } else {
        e.type = get_string(j, "kind", where, true);
        if (!is_known_organisation_kind(e.type))
            fail(where, "unknown organisation kind \"" + e.type +
                            "\" (international, un body, alliance, regional body, court, ngo, monitor, "
                            "ministry, command, government, financial, media)");
    }
    e.parent = get_string(j, "parent", where, false);
    if (e.parent == e.id) fail(where, "entity is its own parent");
    e.aliases = get_strings(j, "aliases", where);
    e.case_sensitive = get_strings(j, "case_sensitive", where);
    e.generic_terms = get_strings(j, "generic_terms", where);
    e.countries = get_strings(j, "countries", where);
    e.note = get_string(j, "note", where, false);
    read_coordinates(j, where, e);
    auto amb = j.find("ambiguous");
    if (amb != j.end() && !amb->is_null()) {
        if (!amb->is_boolean()) fail(where, "\"ambiguous\" must be true or false");
        e.ambiguous = amb->get<bool>();
    }
    read_dates(j, where, e);
    read_predecessors(j, where, e);
    if (normalise_name(e.name).empty()) fail(where, "\"name\" has no letters or digits");
    return e;
}
}  // namespace

void Catalog::load_file(const std::string& path, EntityClass cls) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw CatalogError(path + ": cannot read");
    std::string line;
    std::uint64_t lineno = 0;
    std::unordered_map<std::string, std::uint64_t> ids_here;
    while (std::getline(in, line)) {
        ++lineno;
        hash_ = hash64(std::to_string(hash_) + line);
        std::string where = path + ":" + std::to_string(lineno);
        if (lineno == 1 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);  // BOM
        if (squeeze_space(line).empty() || line[0] == '#') continue;
        if (!is_valid_utf8(line)) fail(where, "not valid UTF-8");
        json j = json::parse(line, nullptr, false);
        if (j.is_discarded()) fail(where, "not a JSON object (malformed JSON)");
        if (!j.is_object()) fail(where, "not a JSON object");
        Entity e = parse_entity(j, cls, where);
        auto [it, fresh] = ids_here.emplace(e.id, lineno);
        if (!fresh) fail(where, "duplicate id \"" + e.id + "\" (first at line " + std::to_string(it->second) + ")");
        if (const Entity* taken = find(e.id); taken && taken->cls != cls)
            fail(where, "id \"" + e.id + "\" is also used in the other catalog (" + taken->origin + ")");
        add(std::move(e));  // an id taken by an earlier file keeps the earlier entity
    }
}

bool Catalog::add(Entity e) {
    if (by_id_.count(e.id)) return false;
    by_id_.emplace(e.id, entities_.size());
    entities_.push_back(std::move(e));
    index_names(entities_.size() - 1);
    return true;
}

void Catalog::index_names(std::size_t index) {
    const Entity& e = entities_[index];
    auto add_name = [&](const std::string& name) {
        std::string norm = normalise_name(name);
        if (norm.empty()) return;
        auto& v = by_name_[norm];
        if (std::find(v.begin(), v.end(), index) == v.end()) v.push_back(index);
    };
    add_name(e.name);
    for (const auto& a : e.aliases) add_name(a);
    for (const auto& a : e.case_sensitive) add_name(a);
}

void Catalog::add_iso_base_layer(const std::string& dir) {
    namespace fs = std::filesystem;
    std::string p1 = dir + "/iso_3166-1.json", p2 = dir + "/iso_3166-2.json";
    std::error_code ec;
    if (!fs::exists(p1, ec)) return;
    auto read_json = [](const std::string& path) {
        std::ifstream in(path, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        json j = json::parse(ss.str(), nullptr, false);
        if (j.is_discarded()) throw CatalogError(path + ": not valid JSON");
        return j;
    };
    hash_ = hash64(std::to_string(hash_) + "iso-codes");
    json countries = read_json(p1);
    for (const auto& c : countries.value("3166-1", json::array())) {
        if (!c.is_object() || !c.contains("alpha_2") || !c.contains("name")) continue;
        std::string code = c["alpha_2"].get<std::string>();
        Entity e;
        e.cls = EntityClass::place;
        e.type = "country";
        e.origin = "iso-codes";
        e.note = "iso-codes ISO 3166-1 " + code;
        for (auto& ch : code) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        e.id = code;
        e.name = c.value("common_name", c["name"].get<std::string>());
        for (const char* key : {"name", "official_name"})
            if (c.contains(key) && c[key].is_string() && c[key].get<std::string>() != e.name)
                e.aliases.push_back(c[key].get<std::string>());
        add(std::move(e));
    }
    if (!fs::exists(p2, ec)) return;
    // Subdivisions only for countries the curated layer has no administrative units
    // for: their transliterations ("Dar'ā", "Dayr az Zawr") would otherwise duplicate
    // curated governorates under other ids.  A curated city (London) does not count.
    std::unordered_map<std::string, bool> curated_admin;
    for (const auto& e : entities_)
        if (e.cls == EntityClass::place && e.origin != "iso-codes" &&
            (e.type == "admin1" || e.type == "admin2" || e.type == "admin3")) {
            std::string c = e.id.substr(0, e.id.find('/'));
            curated_admin[c] = true;
        }
    json subs = read_json(p2);
    for (const auto& s : subs.value("3166-2", json::array())) {
        if (!s.is_object() || !s.contains("code") || !s.contains("name")) continue;
        std::string code = s["code"].get<std::string>();  // "SY-DI"
        std::string country = code.substr(0, code.find('-'));
        for (auto& ch : country) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        const Entity* parent_country = find(country);
        if (curated_admin.count(country) || !parent_country || parent_country->cls != EntityClass::place) continue;
        Entity e;
        e.cls = EntityClass::place;
        e.origin = "iso-codes";
        e.note = "iso-codes ISO 3166-2 " + code + " (" + s.value("type", "") + ")";
        e.id = country + "/iso-" + code.substr(code.find('-') + 1);
        e.name = s["name"].get<std::string>();
        e.type = "admin1";
        e.parent = country;
        // Uncurated names ("Washington", "Georgia") need a cue in the text.
        e.ambiguous = true;
        if (s.contains("parent") && s["parent"].is_string()) {
            e.parent = country + "/iso-" + s["parent"].get<std::string>();
            e.type = "admin2";
        }
        add(std::move(e));
    }
    // Parents named by iso-codes but absent fall back to the country.
    for (auto& e : entities_)
        if (e.origin == "iso-codes" && !e.parent.empty() && !find(e.parent)) e.parent = e.id.substr(0, e.id.find('/'));
}

void Catalog::validate() const {
    for (const auto& e : entities_) {
        if (e.parent.empty()) continue;
        const Entity* p = find(e.parent);
        if (!p) fail(e.origin, "parent \"" + e.parent + "\" of \"" + e.id + "\" is not in the catalog");
        if (p->cls != e.cls) fail(e.origin, "parent \"" + e.parent + "\" of \"" + e.id + "\" is in the other catalog");
        std::size_t steps = 0;
        for (const Entity* a = p; a && !a->parent.empty(); a = find(a->parent))
            if (++steps > entities_.size()) fail(e.origin, "parent chain of \"" + e.id + "\" has a cycle");
    }
}

const Entity* Catalog::find(std::string_view id) const {
    auto it = by_id_.find(std::string(id));
    return it == by_id_.end() ? nullptr : &entities_[it->second];
}

std::vector<const Entity*> Catalog::ancestors(std::string_view id) const {
    std::vector<const Entity*> out;
    const Entity* e = find(id);
    while (e && !e->parent.empty() && out.size() <= entities_.size()) {
        e = find(e->parent);
        if (e) out.push_back(e);
    }
    return out;
}

const Entity* Catalog::country_of(const Entity& place) const {
    if (place.type == "country") return &place;
    for (const Entity* a : ancestors(place.id))
        if (a->type == "country") return a;
    return nullptr;
}

const std::vector<std::size_t>& Catalog::by_name(std::string_view normalised) const {
    static const std::vector<std::size_t> kNone;
    auto it = by_name_.find(std::string(normalised));
    return it == by_name_.end() ? kNone : it->second;
}

std::size_t Catalog::count(EntityClass cls) const {
    return static_cast<std::size_t>(
        std::count_if(entities_.begin(), entities_.end(), [&](const Entity& e) { return e.cls == cls; }));
}

std::string Catalog::content_hash() const { return hex64(hash_); }

Catalog load_catalog(const std::string& dir, const CatalogOptions& options) {
    namespace fs = std::filesystem;
    Catalog catalog;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw CatalogError(dir + ": catalog directory not found");
    for (const char* base : {"places", "factions", "organisations"}) {
        std::string curated = dir + "/" + base + ".jsonl";
        std::string_view b(base);
        EntityClass cls = b == "places"     ? EntityClass::place
                          : b == "factions" ? EntityClass::faction
                                            : EntityClass::organisation;
        if (fs::exists(curated, ec))
            catalog.load_file(curated, cls);
        else if (cls != EntityClass::organisation)  // organisations are optional
            throw CatalogError(curated + ": missing");
        std::vector<std::string> extra;
        for (const auto& entry : fs::directory_iterator(dir, ec)) {
            std::string name = entry.path().filename().string();
            if (name.rfind(std::string(base) + "-", 0) == 0 && name.size() > 6 &&
                name.compare(name.size() - 6, 6, ".jsonl") == 0)
                extra.push_back(entry.path().string());
        }
        std::sort(extra.begin(), extra.end());
        for (const auto& p : extra) catalog.load_file(p, cls);
    }
    if (options.iso_base_layer) catalog.add_iso_base_layer(options.iso_codes_dir);
    catalog.validate();
    return catalog;
}

std::string default_catalog_dir() {
    namespace fs = std::filesystem;
    if (const char* env = std::getenv("WARSEARCH_CATALOGS"); env && *env) return env;
    std::vector<std::string> candidates;
    // Relative to the program itself (PREFIX/bin/x -> PREFIX/share/warsearch/catalogs), so
    // an installed tree still works after it is moved or installed under another prefix.
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) candidates.push_back((exe.parent_path().parent_path() / "share/warsearch/catalogs").string());
#ifdef WARSEARCH_INSTALLED_CATALOGS
    candidates.push_back(WARSEARCH_INSTALLED_CATALOGS);
#endif
#ifdef WARSEARCH_SOURCE_CATALOGS
    candidates.push_back(WARSEARCH_SOURCE_CATALOGS);
#else
    candidates.push_back("corpus/catalogs");
#endif
    for (const std::string& c : candidates)
        if (fs::is_directory(c, ec)) return c;
    std::string looked;
    for (const std::string& c : candidates) looked += (looked.empty() ? "" : ", ") + c;
    throw CatalogError("no catalog directory found (looked in $WARSEARCH_CATALOGS, unset, then " + looked +
                       "); give --catalogs DIR or set WARSEARCH_CATALOGS");
}

}  // namespace warsearch
