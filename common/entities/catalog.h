// The place, faction and organisation catalogs: curated facts (corpus/catalogs/*.jsonl) that entity
// extraction matches text against and facets roll up by.
//
// Two JSON Lines files, one entity per line (see corpus/catalogs/README.md):
//
//   places.jsonl    {"id":"sy/rif-dimashq/darayya","name":"Darayya","type":"town",
//                    "parent":"sy/rif-dimashq","lat":33.458,"lon":36.236,
//                    "aliases":["Daraya","Dārayyā","داريا"],"ambiguous":false,"note":"..."}
//   factions.jsonl  {"id":"is","name":"Islamic State","kind":"jihadist",
//                    "parent":"jihadist-groups","aliases":[...],"case_sensitive":["IS"],
//                    "predecessors":[{"id":"isi","year":2013}],"countries":["sy","iq"],
//                    "generic_terms":["..."],"note":"..."}
//
// Further files named places-*.jsonl / factions-*.jsonl (e.g. written by
// warsearch-catalog import-wof) are loaded after the curated ones; on an id clash the
// entity loaded first wins.  Optionally, Debian's iso-codes add the countries (and, for
// countries the curated layer has no admin1 for, the subdivisions) it lacks.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace warsearch {

/// A catalog file that cannot be used.  what() is "FILE:LINE: reason" (or "FILE: reason").
class CatalogError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// Which catalog an entity belongs to.
enum class EntityClass : std::uint8_t { place, faction, organisation };

/// A faction's earlier name/organisation (informational; not an ancestor).
struct Predecessor {
    std::string id;
    int year = 0;  ///< year of the change, 0 when unknown
};

/// One place or faction.
struct Entity {
    std::string id;    ///< stable id, e.g. "sy/rif-dimashq/darayya" or "hts"
    std::string name;  ///< canonical display name
    EntityClass cls = EntityClass::place;
    /// Place type (country, admin1, admin2, admin3, city, town, village, neighbourhood,
    /// landmark, region), faction kind (umbrella, state forces, jihadist, ...) or
    /// organisation kind (international, un body, alliance, ngo, monitor, ministry, ...).
    std::string type;
    std::string parent;                       ///< parent id, "" for a root
    std::vector<std::string> aliases;         ///< other spellings, matched case-insensitively
    std::vector<std::string> case_sensitive;  ///< spellings matched only in this exact case
    std::vector<std::string> generic_terms;   ///< weak cues ("rebels"), need a country context
    std::vector<std::string> countries;       ///< country ids the faction is active in
    std::vector<Predecessor> predecessors;
    double lat = 0, lon = 0;
    bool has_coordinates = false;
    bool ambiguous = false;  ///< the name is also a common word/person: needs a cue
    /// Factions: when the actor came into being and ended, "YYYY", "YYYY-MM" or
    /// "YYYY-MM-DD" ("" when not given).  A report dated before `founded` cannot be about
    /// it; one dated after `dissolved` prefers a namesake still active (EntityExtractor).
    std::string founded, dissolved;
    std::string note;
    std::string origin;  ///< "FILE:LINE" it was read from, or "iso-codes"
};

/// How load_catalog reads.
struct CatalogOptions {
    /// Add countries and subdivisions from Debian iso-codes that the curated layer lacks.
    bool iso_base_layer = true;
    /// Where iso-codes keeps its JSON files.
    std::string iso_codes_dir = "/usr/share/iso-codes/json";
};

/// Both catalogs, indexed by id and by normalised name.  Immutable once loaded, so
/// one catalog can be shared by many threads.
class Catalog {
  public:
    Catalog() = default;

    /// Parses one JSON Lines file of @a cls entities and adds them.
    /// @throws CatalogError "FILE:LINE: reason" for a malformed line, a missing or
    ///         unknown field value, or an id repeated within the file; "FILE: reason"
    ///         when the file cannot be read.
    void load_file(const std::string& path, EntityClass cls);

    /// Adds one entity; returns false (and changes nothing) when the id is taken.
    bool add(Entity e);

    /// Adds the iso-codes layer from @a dir (see CatalogOptions::iso_base_layer).
    /// A missing directory is not an error (the layer is optional).
    void add_iso_base_layer(const std::string& dir);

    /// Checks the hierarchy: every parent exists, no cycles.  Called by load_catalog.
    /// @throws CatalogError naming the entity's origin.
    void validate() const;

    /// The entity with @a id, or nullptr.
    const Entity* find(std::string_view id) const;

    /// Ancestors of @a id, nearest first, not including the entity itself.
    std::vector<const Entity*> ancestors(std::string_view id) const;

    /// The country (type "country") the place is in or is, or nullptr.
    const Entity* country_of(const Entity& place) const;

    /// Entities one of whose names (canonical, alias, case-sensitive) normalises to
    /// @a normalised (see normalise_name).
    const std::vector<std::size_t>& by_name(std::string_view normalised) const;

    const std::vector<Entity>& entities() const { return entities_; }
    std::size_t size() const { return entities_.size(); }
    std::size_t count(EntityClass cls) const;

    /// A hash of every loaded file's bytes and the options, to tell whether the catalog
    /// stored in an index is current.
    std::string content_hash() const;

  private:
    void index_names(std::size_t index);

    std::vector<Entity> entities_;
    std::unordered_map<std::string, std::size_t> by_id_;
    std::unordered_map<std::string, std::vector<std::size_t>> by_name_;
    unsigned long long hash_ = 0;
};

/// Loads places*.jsonl, factions*.jsonl and (when present) organisations*.jsonl from
/// @a dir (curated files first), plus the iso-codes layer when asked, and validates the
/// result.
/// @throws CatalogError when the directory has no places.jsonl or factions.jsonl, or
///         when a file is malformed (see Catalog::load_file).
Catalog load_catalog(const std::string& dir, const CatalogOptions& options = {});

/// The catalog directory to use when none is given: $WARSEARCH_CATALOGS, else the first
/// that exists of: share/warsearch/catalogs beside the program's own bin/ (found through
/// /proc/self/exe, so a moved install works), the configured install prefix's, the
/// source tree's corpus/catalogs.
/// @throws CatalogError naming every place looked when none exists.
std::string default_catalog_dir();

/// True for a place type or faction kind the catalog format allows.
bool is_known_place_type(std::string_view type);
bool is_known_faction_kind(std::string_view kind);
bool is_known_organisation_kind(std::string_view kind);

/// Rank of a place type from broad to narrow (country 0 ... landmark 9); region 1.
int place_type_rank(std::string_view type);

}  // namespace warsearch
