// Datelines: the place (and often date and agency) a story opens with, before a dash:
// "KABUL, Afghanistan (Jan. 25, 2013) –", "BEIRUT (Reuters) -", "MOSCOW, March 3 (AP) —",
// "SAN SALVADOR, 3 JAN 90 --".  The place is where the story was filed from, which is
// not necessarily where its events happened.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace warsearch {

/// A dateline found at the start of a story.
struct Dateline {
    std::string place;       ///< the place as written, all-capitals made title case ("Kabul", "San Salvador")
    std::size_t offset = 0;  ///< byte offset of the dateline in the text searched
    std::size_t length = 0;  ///< bytes from offset up to and including the dash and the spaces after it
};

/// Finds the dateline that opens @a text: in the first paragraph, after at most three
/// caption, label or promotion lines ("Subscribe to us Twitter", "CNN —").  The forms:
///
///   PLACE[, REGION|DATE]... [(AGENCY|DATE|COUNTRY)]... DASH
///
/// where DASH is -, --, –, — or ― followed by a space (or, after a closing bracket,
/// directly: "(CNN)- The").  PLACE is one to five capitalised words (particles such as
/// "de" and "al-" allowed inside: "Rio de Janeiro", "Deir ez-Zor").  A place in mixed
/// case needs a region, a date or a bracket after it ("Kyiv, Ukraine —", "Beirut
/// (Reuters) -"); one in capitals may stand alone ("WASHINGTON —").  Not datelines:
/// sentences ("WASHINGTON said ..."), agencies and labels alone ("CNN —", "UPDATE -",
/// "NATO - ..."), MUC's "CLANDESTINE" and "NO CITY" without a country in brackets (with
/// one, the country is the place).  Returns nullopt when the text opens without one.
std::optional<Dateline> find_dateline(std::string_view text);

}  // namespace warsearch
