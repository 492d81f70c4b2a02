// The catalog's names as a token trie, and the extractor's longest-match pass over it.
//
// Every catalog name is tokenized (entity_tokenizer.h) into a path of the trie.  Matching
// walks the trie from each token of a text and keeps the longest name that fits:
// O(tokens) hash lookups, no regular expressions.  The case rules (EntityExtractor's
// header) are applied here; which of the matched entities a name stands for is decided
// by the later passes (extraction_passes.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/entities/catalog.h"
#include "common/entities/entity_tokenizer.h"

namespace warsearch {

/// One way a trie node's name is listed in the catalog.
struct NameEntry {
    std::uint32_t entity;             ///< index into Catalog::entities()
    std::int32_t exact_surface = -1;  ///< case_sensitive names: index of the exact spelling
    bool needs_capital = false;       ///< in mixed-case text, must be capitalised
    bool generic = false;             ///< one of the entity's generic_terms ("rebels")
    bool uncurated = false;           ///< a name from the iso-codes base layer, not the curated catalogs
    /// A two- or three-letter acronym ("CTS", "PA", "SAS", "PCS": cents, Pennsylvania, an
    /// airline and personal computers in general news): a faction's counts only in a
    /// text about one of its countries, as a generic term does.
    bool short_acronym = false;
};

/// One name found in a text: a span of tokens and the catalog entries that fit it there.
struct NameMatch {
    int segment;                ///< which text it is in (TokenizedText::kTitle or kBody)
    std::uint32_t first, last;  ///< token indices, inclusive
    std::vector<NameEntry> entries;
};

/// The catalog's names (canonical, aliases, case_sensitive, generic_terms) in a token
/// trie.  Immutable after construction; keeps no reference to the catalog.
class NameTrie {
  public:
    /// Registers every name of @a catalog.  With @a require_capitals, a name the catalog
    /// writes with a capital letter needs one in mixed-case text.
    NameTrie(const Catalog& catalog, bool require_capitals);

    /// Appends to @a out the longest names found in @a tokens (tokenized from @a text),
    /// left to right, never overlapping, never across a break_before, tagged with
    /// @a segment.  With @a caseless (all-capitals text) case rules are off, so
    /// case_sensitive names and one-word uncurated names do not match.
    void match(int segment, std::string_view text, const std::vector<EntityToken>& tokens, bool caseless,
               std::vector<NameMatch>& out) const;

    /// Number of names (trie entries).
    std::size_t name_count() const { return name_count_; }

  private:
    struct Node {
        std::string token;
        std::vector<NameEntry> entries;
    };
    /// Trie edges in an open-addressing table (linear probing, power-of-two size):
    /// key = hash of (parent node, token); node 0 marks an empty slot.
    struct Edge {
        std::uint64_t key = 0;
        std::uint32_t node = 0;
    };

    void add_name(const Entity& entity, std::uint32_t index, const std::string& name, bool case_sensitive,
                  bool generic);
    void insert_edge(std::uint64_t key, std::uint32_t node);
    std::uint32_t child(std::uint32_t node, std::string_view token) const;
    std::uint32_t child(std::uint32_t node, std::string_view token, std::uint64_t token_hash) const;
    std::uint32_t step(std::uint32_t node, const EntityToken& token, std::uint64_t token_hash) const;
    /// The entries of @a node that fit tokens [i, j] under the case rules, into @a ok.
    void fitting_entries(std::uint32_t node, std::string_view text, const std::vector<EntityToken>& tokens,
                         std::size_t i, std::size_t j, bool caseless, std::vector<NameEntry>& ok) const;

    bool require_capitals_;
    std::vector<Node> nodes_;
    std::vector<Edge> edges_;
    std::size_t edge_count_ = 0;
    std::vector<std::vector<std::string>> exact_surfaces_;
    std::size_t name_count_ = 0;
};

}  // namespace warsearch
