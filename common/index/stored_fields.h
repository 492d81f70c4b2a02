// What each document keeps in its Xapian document data: the fields a result shows and
// the text snippets are cut from.  Written by the indexer, read by the searcher.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "common/readers/article.h"

namespace warsearch {

/// How much of the text a document keeps in its data: snippets are cut from the first
/// 16 KiB (Highlighter), so the rest would only be decompressed and parsed for nothing
/// on every hit.  Cut at a character boundary.
inline constexpr std::size_t kStoredBodyBytes = 20 * 1024;

/// The displayable fields of an indexed document.
struct StoredFields {
    std::string id;
    std::string title;
    std::string date;  ///< ISO 8601 at its precision, "" when unknown
    std::string source;
    std::string url;
    std::string lang;
    std::string byline;
    std::string parent;        ///< live-blog id for entries
    std::string parent_title;  ///< live-blog title for entries
    int entry = 0;
    std::string time;                        ///< entry time, ISO 8601 UTC (Article::time)
    std::string time_text;                   ///< entry time as the page wrote it ("16.40 BST")
    std::string dateline;                    ///< place the story was filed from ("Kabul"), "" when none
    std::string file;                        ///< provenance: the file it was read from
    std::string body;                        ///< the text's first kStoredBodyBytes, for snippets
    std::vector<std::string> factions;       ///< canonical names of mentioned factions
    std::vector<std::string> places;         ///< canonical names of mentioned places
    std::vector<std::string> organisations;  ///< canonical names of mentioned organisations
};

/// Serialises to the compact JSON kept as document data.
std::string serialise_stored_fields(const StoredFields& f);

/// Parses document data written by serialise_stored_fields; unknown keys are ignored and
/// a damaged record yields what could be read (never throws).
StoredFields parse_stored_fields(const std::string& data);

/// The term that identifies the document with this id (Q + id, hashed when too long for
/// a Xapian term).
std::string id_term(const std::string& id);

/// The boolean term for a source name ("Reuters" -> "XSRCreuters").
std::string source_term(const std::string& source);

/// The boolean term for a dateline place ("San Salvador" -> "XWsan-salvador"); the
/// same slug form as source_term, so a filter can build it from what a user types.
std::string dateline_term(const std::string& place);

}  // namespace warsearch
