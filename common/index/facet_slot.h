// The facet slot: one value per document holding its story key and every facet value,
// so that Xapian's own ValueCountMatchSpy (which the remote backend knows, unlike custom
// spies) can count multi-valued facets and the searcher can count each story once.
//
// The spy reads this value for every match it counts (up to the facet bound), and
// reading is what facets cost: Xapian copies each value out of its value chunks, so the
// cost grows with the bytes.  The value is therefore compact binary:
//
//   0x02 STORY(8 bytes)  GROUP*      a document with a story (the usual case)
//   0x03                 GROUP*      a document without one
//   GROUP = CODE(1) COUNT(1) COUNT × KEY(6)
//
// CODE names the dimension (kFacetCodes below).  KEY is the first 6 bytes of the key's
// 64-bit hash, except for months, whose KEY is the month itself ("YYYYMM").  A hashed
// key is named by the database's metadata, kMetaFacetNamePrefix + CODE + 12 hex digits
// -> the key (entity id or source slug), which the indexer writes for every value it
// stores and the searcher reads only for the values it shows.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace Xapian {
class WritableDatabase;
}

namespace warsearch {

inline constexpr std::string_view kFacetFaction = "f";
inline constexpr std::string_view kFacetOrganisation = "o";
inline constexpr std::string_view kFacetSource = "s";
inline constexpr std::string_view kFacetMonth = "m";
inline constexpr std::string_view kFacetDateline = "w";      ///< the dateline place as the reader wrote it
inline constexpr std::string_view kFacetPlacePrefix = "l.";  ///< + place level

/// Metadata: kMetaFacetNamePrefix + CODE + hex of the 6-byte key hash -> the key.
inline constexpr std::string_view kMetaFacetNamePrefix = "wsfacet:";

/// One facet value of a document.
struct FacetValue {
    std::string dimension;  ///< "f", "s", "m", "w", "l.country", "l.admin1", "l.admin2", "l.locality"
    std::string key;        ///< entity id, source slug, "YYYY-MM", dateline place ("San Salvador")
};

/// The dimension of a code ("" for an unknown code).
std::string_view facet_dimension(char code);
/// Whether values of the dimension @a code are catalog entities (factions, places,
/// organisations),
/// shown by their catalog name; other values (sources, months) show their key.
bool facet_code_is_entity(char code);

/// One value of a decoded slot: its dimension code and its 6-byte key (hash or month).
struct FacetItem {
    char code = 0;
    std::string_view key6;
    /// code and key in one number, for tallies: code << 48 | key (big-endian bytes).
    std::uint64_t packed() const {
        std::uint64_t v = static_cast<unsigned char>(code);
        for (std::size_t i = 0; i < 6 && i < key6.size(); ++i) v = (v << 8) | static_cast<unsigned char>(key6[i]);
        return v;
    }
};

/// The names of hashed keys, gathered while encoding and written as metadata.
class FacetNames {
  public:
    /// Notes that @a packed (FacetItem::packed) names @a key.
    void note(std::uint64_t packed, const std::string& key);
    /// Writes every noted name into @a db's metadata.
    void write(Xapian::WritableDatabase& db) const;
    std::size_t size() const { return names_.size(); }

  private:
    std::unordered_map<std::uint64_t, std::string> names_;
};

/// The metadata key naming a hashed facet key.
std::string facet_name_metadata_key(std::uint64_t packed);
/// The key of a packed month value ("YYYY-MM"); "" if @a packed is not a month.
std::string facet_month_key(std::uint64_t packed);

/// Builds the slot value from the story key (16 hex digits as stories are written, or
/// "" for none) and the document's facet values.  With @a names, the names of the
/// hashed keys are noted there.
std::string encode_facet_slot(const std::string& story, const std::vector<FacetValue>& values,
                              FacetNames* names = nullptr);

/// Walks a slot value.  @a story gets the 8 story bytes ("" when the document has
/// none); @a items its values, in the order they were written.  Returns false (and
/// leaves both empty) when the value is not in this format, e.g. one written by a
/// schema-1 indexer.
bool decode_facet_slot(std::string_view slot, std::string_view& story, std::vector<FacetItem>& items);

}  // namespace warsearch
