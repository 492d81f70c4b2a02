// An Atom 1.0 feed of a search's newest matches, for feed readers: subscribe to a search.
#pragma once

#include <string>

#include "searcher/search_types.h"

namespace warsearch {

/// The feed's own links, built by the front-end (already URL-encoded, not XML-escaped).
struct AtomLinks {
    std::string title;      ///< the feed's title ("warsearch: barrel bombs")
    std::string self;       ///< this feed's URL
    std::string alternate;  ///< the search page's URL
    /// The document page of a report: this prefix + the URL-encoded id.
    std::string document_prefix;
};

/// How many matches a feed carries (the newest).
inline constexpr Xapian::doccount kAtomEntries = 50;

/// The feed of @a result (a search sorted newest first).  Entry ids are
/// "urn:warsearch:report:" + the URL-encoded report id: stable across runs and reindexes;
/// an entry's `updated` is its report's date (midnight UTC when only the day is known),
/// the feed's the newest entry's.  Every text is XML-escaped, control characters dropped.
std::string render_atom(const SearchResult& result, const AtomLinks& links);

/// RFC 3339 for a stored date ("2016-07-21" -> "2016-07-21T00:00:00Z"); "" for none.
std::string atom_date(const std::string& iso);

}  // namespace warsearch
