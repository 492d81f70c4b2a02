// One report as the document page and `warsearch-search --show` present it: its whole
// text with a query's matches marked, its story's copies, its live blog, and reports
// like it.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "searcher/search_types.h"

namespace warsearch {

class Searcher;

/// What to show.
struct DocumentRequest {
    std::string id;        ///< the report's id (as indexed)
    std::string query;     ///< matches of this query are marked in the text ("" for none)
    std::size_t like = 5;  ///< "more like this": how many related reports (0: none)
};

/// Another document the page links to: a copy of the story, or a live blog's page or entry.
struct DocumentLink {
    std::string id, title, source, date, url;
    int entry = 0;          ///< live-blog entry number (0: not an entry)
    std::string time_text;  ///< entry time as the page wrote it
};

/// Everything the document page shows.
struct DocumentView {
    StoredFields fields;                ///< body: the whole text (or what the index kept)
    std::vector<SnippetSegment> text;   ///< the body, the query's matches marked
    std::vector<SnippetSegment> title;  ///< the title, the query's matches marked
    std::size_t matches = 0;            ///< how many marked runs the text has
    bool query_matched = false;         ///< the query (if any) matches this report
    std::string story;                  ///< near-duplicate story key
    std::vector<DocumentLink> copies;   ///< the story's other copies, oldest first (at most 100)
    std::size_t copies_total = 0;       ///< all of them
    DocumentLink live_blog;             ///< the live blog's page (id empty when none)
    std::vector<DocumentLink> entries;  ///< the live blog's entries in order (at most 500)
    std::vector<Hit> like;              ///< reports like this one
    std::vector<std::string> warnings;  ///< e.g. the query was bad: shown, not fatal
};

/// Reads the report @a request.id.
/// @throws QueryError when there is no report with that id;
///         Xapian::Error for database failures.
DocumentView show_document(Searcher& searcher, const DocumentRequest& request);

/// The document as JSON (the fields, "text" with "matches" marked as [[start,end],...]
/// byte ranges of "body", copies, live_blog, entries, like).
std::string render_document_json(const DocumentView& view);

/// The document as plain text, matches in [brackets] (ANSI bold with @a ansi).
std::string render_document_text(const DocumentView& view, bool ansi);

}  // namespace warsearch
