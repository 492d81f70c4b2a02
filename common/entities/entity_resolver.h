// Search-time name resolution from the catalog copy an index keeps in its metadata
// (written by store_catalog_metadata, see entity_terms.h).  No catalog files are read:
// each call is a few B-tree lookups, and it works the same over remote shards.
//
//   EntityResolver r(db);
//   auto res = r.resolve(EntityField::location, "Daraya");
//   // res.ids == {"sy/rif-dimashq/darayya"}: filter on place_ancestor_term(id)
//   // res.ids empty: tell the user "unknown location", offer res.suggestions
//   auto spellings = r.aliases_for_word(normalise_name("Daraya"));
//   // {"Darayya", "Dārayyā", "داريا", ...}: OR them into a free-text query
#pragma once

#include <xapian.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace warsearch {

/// The query fields that name entities.
enum class EntityField { faction, location, organisation };

/// What the index knows about one entity (the wsent: record).
struct EntityInfo {
    std::string id;
    std::string name;
    bool place = true;
    std::string cls = "place";               ///< "place", "faction" or "organisation"
    std::string type;                        ///< place type or faction kind
    std::string parent;                      ///< id, "" for a root
    std::vector<std::string> ancestors;      ///< ids, nearest first
    std::vector<std::string> aliases;        ///< display spellings (excluding name)
    std::vector<std::string> generic_terms;  ///< weak cues the extractor takes in context ("regime")
    std::vector<std::string> predecessors;   ///< factions: ids it was renamed from / succeeded
    std::vector<std::string> successors;     ///< factions: ids renamed from it / succeeding it
    std::optional<double> lat, lon;
};

/// The entities a word sequence names, with their other spellings (for query expansion).
struct NamedEntities {
    std::vector<std::string> place_ids;
    std::vector<std::string> faction_ids;
    std::vector<std::string> organisation_ids;
    /// Every other spelling (canonical names included, the words themselves excluded).
    std::vector<std::string> aliases;
    /// The entities' generic terms ("the regime"): what else the indexer may have
    /// recognised them by, for marking in snippets, never for matching.
    std::vector<std::string> generic_terms;
    bool empty() const { return place_ids.empty() && faction_ids.empty() && organisation_ids.empty(); }
};

/// The outcome of resolving user text.
struct EntityResolution {
    std::string normalised;                ///< the text after normalise_name
    std::vector<std::string> ids;          ///< matching entity ids; several when ambiguous
    std::vector<std::string> suggestions;  ///< when ids is empty: nearest known names
};

/// Resolves names against an index's catalog metadata.  Cheap to construct; holds a
/// copy of the Database handle.  Not thread-safe (like Xapian::Database).
class EntityResolver {
  public:
    explicit EntityResolver(const Xapian::Database& db);

    /// False when the index holds no catalog (indexed without one): resolve() then
    /// finds nothing and callers should say so.
    bool available() const;

    /// Entities of the field's class named @a text (any alias or spelling, or an id).
    /// Up to @a max_suggestions nearest names (edit distance on the normalised form,
    /// display spelling returned) when nothing matches; none on backends that cannot
    /// list metadata keys (in-memory).
    /// @throws Xapian::Error from the database (e.g. DatabaseModifiedError: reopen).
    EntityResolution resolve(EntityField field, std::string_view text, std::size_t max_suggestions = 3) const;

    /// The entity record, or nullopt when @a id is unknown.
    std::optional<EntityInfo> entity(std::string_view id) const;

    /// Only the display name of entity @a id ("" when unknown, the id when its entry has
    /// no readable name): what a facet shows.  Its label when it has one ("Aleppo
    /// (city)", "Aleppo (governorate)": entity_labels.h).  Reads one field of the stored entry
    /// instead of all of it (its aliases make it long), so a CGI process that starts
    /// cold can label a page of facets cheaply.
    std::string name(std::string_view id) const;

    /// Every other spelling of the entities a normalised word sequence names
    /// ("daraya" -> "Darayya", "Dārayyā", "داريا"...), canonical names included, for
    /// query expansion; empty when the words name no entity.
    std::vector<std::string> aliases_for_word(std::string_view normalised) const;

    /// Every faction linked to faction @a id by renamings (predecessors and successors,
    /// followed both ways, transitively), @a id itself excluded: Jabhat al-Nusra ->
    /// Jabhat Fateh al-Sham, Hay'at Tahrir al-Sham.  Empty for an unknown id.
    std::vector<std::string> lineage(std::string_view id) const;

    /// The entities (of every class) a normalised word sequence names, and their
    /// spellings as aliases_for_word() lists them; empty when it names none.
    NamedEntities named_entities(std::string_view normalised) const;

  private:
    Xapian::Database db_;
};

}  // namespace warsearch
