// The war-reporting thesaurus: expressions that mean the same ("airstrike", "air strike",
// "air raid") and expressions related to them ("shelling" ~ "artillery fire"), so that a
// search finds reports whatever words they use.  Curated in corpus/catalogs/thesaurus.jsonl
// (users extend it), one group a line:
//
//   {"words":["ceasefire","cease-fire","truce"],"related":["peace talks"],"note":"..."}
//
// Every expression in "words" stands for every other one; "related" expressions are
// searched, with a lower weight, when one of "words" is.  Expressions are matched as word
// sequences after folding (case, diacritics, hyphens: "Cease-fire" = "cease fire").
//
// The indexer stores the thesaurus in the database's metadata (like the catalog, see
// entity_terms.h), so searchers read it with a few B-tree lookups per query, the same way
// over remote shards, and without the file:
//
//   wsthesaurus:version     content hash of the thesaurus
//   wsthesaurus:words       the largest number of words of any expression (decimal)
//   wssyn:<expression key>  {"same":[expressions],"related":[expressions]}
#pragma once

#include <xapian.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/entities/catalog.h"

namespace warsearch {

inline constexpr std::string_view kThesaurusFile = "thesaurus.jsonl";
inline constexpr std::string_view kMetaThesaurusPrefix = "wssyn:";
inline constexpr std::string_view kMetaThesaurusVersion = "wsthesaurus:version";
inline constexpr std::string_view kMetaThesaurusWords = "wsthesaurus:words";

/// What one expression expands to.
struct ThesaurusEntry {
    std::vector<std::string> same;     ///< equivalent expressions (keys), without the expression itself
    std::vector<std::string> related;  ///< related expressions (keys)
};

/// The thesaurus, by expression key.
struct Thesaurus {
    std::map<std::string, ThesaurusEntry> entries;
    std::size_t max_words = 0;  ///< words of the longest expression
    std::string content_hash;   ///< changes whenever an entry does

    bool empty() const { return entries.empty(); }
};

/// The key of an expression: its words, folded and lower-cased as the index's terms are,
/// joined by single spaces ("Cease-Fire" -> "cease fire"); "" when it has no word.
std::string thesaurus_key(std::string_view expression);

/// Reads a thesaurus file.
/// @throws CatalogError naming the file and line for a line that is not a group: not a
///         JSON object, "words" missing or with fewer than one expression, an expression
///         with no word, or an unknown key.
Thesaurus load_thesaurus(const std::string& path);

/// The thesaurus of a catalog directory (DIR/thesaurus.jsonl); empty when the directory
/// has none.  @throws CatalogError as load_thesaurus().
Thesaurus load_catalog_thesaurus(const std::string& catalog_dir);

/// Writes @a thesaurus into @a db's metadata (the keys above) unless the stored version
/// already equals its content hash; removes the keys of expressions no longer in it.
/// Does not commit.  Returns true when it wrote.
bool store_thesaurus_metadata(Xapian::WritableDatabase& db, const Thesaurus& thesaurus);

/// Reads the stored thesaurus of one database (or a stub of shards) at search time.
/// Cheap to construct; lookups are metadata reads.
class ThesaurusReader {
  public:
    explicit ThesaurusReader(const Xapian::Database& db);
    /// Whether the index carries a thesaurus at all.
    bool available() const { return max_words_ > 0; }
    /// The longest expression, in words (0 without a thesaurus).
    std::size_t max_words() const { return max_words_; }
    /// The entry of @a key (thesaurus_key form); false when the expression is not in it.
    bool lookup(const std::string& key, ThesaurusEntry& out) const;

  private:
    Xapian::Database db_;
    std::size_t max_words_ = 0;
};

}  // namespace warsearch
