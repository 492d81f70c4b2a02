// Finds catalog places and factions in text at index time.
//
// Every catalog name is tokenized (entity_tokenizer.h) into a token trie (name_trie.h).
// Extraction tokenizes the text once and walks the trie from each token, keeping the
// longest name that fits: O(tokens) hash lookups, no regular expressions.  The rules
// below then run as separate passes (extraction_passes.h).  Matching ignores case,
// diacritics, hyphens, apostrophes and transliterated articles ("al-", "ad-"); Arabic
// tokens are also tried without their proclitics (و ف ب ل ك ال).
//
// Names the catalog lists as case_sensitive ("IS") match only in that exact case, and
// only in mixed-case text (in all-capitals text every word would qualify).  A name the
// catalog writes with a capital letter must be capitalised in mixed-case text too, so
// "turkey" (the bird) is not Turkey; names written in lower case ("regime forces") are
// common-noun phrases and match in any case.
//
// Disambiguation, in order:
//  1. Context: "X province/governorate/countryside" or "province of X" prefer an admin
//     unit; "X city", "town of X" prefer a settlement.
//  2. A place whose name is also an ancestor's (Homs city, Homs governorate) is taken
//     as the more specific one; its ancestors are counted anyway.
//  3. Places flagged "ambiguous" (also common words or person names) need a cue: a
//     preposition before ("in X", "near X"), a place word after ("X offensive",
//     "X countryside"), or another place of the same admin1 (or country) in the text.
//  4. Remaining choices between same-name places (two Doumas, Georgia the country or
//     the US state) go to the one sharing most ancestors with the unambiguous places of
//     the text; on a tie, the broader type, then catalog order.
//  5. A faction's generic_terms ("rebels") count only when a place in one of the
//     faction's countries is mentioned.
//  6. Organisations (the UN, the ICRC, ministries) are taken as named; their
//     generic_terms ("the Foreign Ministry") need a text mostly about one of their
//     countries, and namesakes are told apart by the countries named.
//  7. On the same words a faction or an organisation beats a place ("Southern Front"
//     is never also a place "Southern").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/entities/catalog.h"
#include "common/entities/name_trie.h"

namespace warsearch {

/// One entity found in a document.
struct ExtractedEntity {
    const Entity* entity = nullptr;
    std::vector<const Entity*> ancestors;  ///< nearest first
    std::vector<std::string> mentions;     ///< distinct surface strings, first seen first
    std::size_t count = 0;                 ///< number of mentions
};

/// Everything extraction found in one document, in order of first mention.
struct Extraction {
    std::vector<ExtractedEntity> factions;
    std::vector<ExtractedEntity> places;
    std::vector<ExtractedEntity> organisations;

    bool empty() const { return factions.empty() && places.empty() && organisations.empty(); }
    /// Ids of the mentioned factions and all their ancestors, sorted, unique.
    std::vector<std::string> faction_ids_with_ancestors() const;
    /// Ids of the mentioned places and all their ancestors, sorted, unique.
    std::vector<std::string> place_ids_with_ancestors() const;
    /// Ids of the mentioned organisations and all their ancestors, sorted, unique.
    std::vector<std::string> organisation_ids_with_ancestors() const;
};

/// How the extractor matches.
struct ExtractorOptions {
    /// In mixed-case text, names the catalog capitalises must be capitalised.
    bool require_capitals = true;
    /// Text whose letters are less than this fraction lower case counts as all-capitals
    /// (MUC-style wire copy): case rules are then off, so case_sensitive aliases and
    /// one-word names the curated catalogs do not vouch for (iso-codes subdivisions such
    /// as "Northern") are not matched in it.  Title and body are judged each on its own
    /// (a MUC title is given sentence case, its body stays in capitals).
    double caseless_threshold = 0.10;
};

/// Matches a catalog against text.  Immutable after construction: one extractor may be
/// shared by many threads.  Keeps a reference to the catalog, which must outlive it.
class EntityExtractor {
  public:
    explicit EntityExtractor(const Catalog& catalog, ExtractorOptions options = {});

    /// Entities in a document's title and body (matched separately, never across).
    /// @a date, the report's ISO date ("2004-11-02", "2004-11", "2004" or ""), rules out
    /// factions founded after it and prefers, among namesakes, one not yet dissolved
    /// ("US-led coalition" in 1991, 2004 and 2016: three coalitions; Entity::founded).
    Extraction extract(std::string_view title, std::string_view body, std::string_view date = {}) const;

    const Catalog& catalog() const { return catalog_; }
    /// Number of names (trie entries) the extractor matches.
    std::size_t name_count() const { return trie_.name_count(); }

  private:
    const Catalog& catalog_;
    ExtractorOptions options_;
    NameTrie trie_;
    std::vector<std::vector<std::uint32_t>> ancestor_ids_;  ///< per entity index, nearest first
};

}  // namespace warsearch
