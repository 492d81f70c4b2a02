// The facet slot: one value per document holding its story key and every facet value,
// so that Xapian's own ValueCountMatchSpy (which the remote backend knows, unlike custom
// spies) can count multi-valued facets and the searcher can count each story once.
//
// Format: STORY '\x1f' VALUE ('\x1e' VALUE)*, each VALUE "DIMENSION:KEY" with DIMENSION
// one of kFacetFaction ("f"), kFacetSource ("s"), kFacetMonth ("m") or "l" + place type
// ("l.admin1").  Values never contain the separators (they are removed).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace warsearch {

inline constexpr std::string_view kFacetFaction = "f";
inline constexpr std::string_view kFacetSource = "s";
inline constexpr std::string_view kFacetMonth = "m";
inline constexpr std::string_view kFacetPlacePrefix = "l.";  ///< + place type

/// One facet value of a document.
struct FacetValue {
    std::string dimension;  ///< "f", "s", "m", "l.country", "l.admin1", ...
    std::string key;        ///< entity id, source, "YYYY-MM"
};

/// Builds the slot value.
std::string encode_facet_slot(const std::string& story, const std::vector<FacetValue>& values);

/// Splits a slot value; returns false (and leaves outputs empty) if it is malformed.
bool decode_facet_slot(std::string_view slot, std::string& story, std::vector<FacetValue>& values);

}  // namespace warsearch
