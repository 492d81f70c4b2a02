// Renders a SearchResult for people (text) and machines (JSON).  The HTML page has its
// own renderer in cgi_page.h.
#pragma once

#include <string>

#include "searcher/search_types.h"

namespace warsearch {

/// A live-blog entry's time as people read it: the page's own words when the indexer
/// stored them (StoredFields::time_text, "16.40 BST"), else the ISO time made readable
/// ("2024-05-14T15:40Z" -> "14 May 2024, 15:40 UTC"; "15:42Z" -> "15:42 UTC"; any other
/// form as stored).  "" when the entry has no time.
std::string entry_time_label(const StoredFields& fields);

/// Options for the terminal renderer.
struct TextRenderOptions {
    bool ansi = false;     ///< bold matches (a TTY); otherwise matches are wrapped in [ ]
    bool explain = false;  ///< list, under each hit, the query terms it matched and why
};

/// Human-readable results, one block per hit.
std::string render_text(const SearchResult& result, const TextRenderOptions& options);

/// The stable JSON document described in the README ("JSON output").  Strings are
/// escaped by nlohmann's writer (invalid UTF-8 replaced), with '<', '>' and '&' written
/// as \u escapes, so the document stays inert if it is ever read as HTML.
std::string render_json(const SearchResult& result);

/// The JSON error object of a front-end, {"error":"MESSAGE"} on one line, its string
/// escaped as render_json escapes strings.
std::string render_json_error(const std::string& message);

/// JSON text @a text with '<', '>' and '&' written as \u escapes (they occur only inside
/// strings, where they read back the same), so it stays inert if treated as HTML.
std::string make_json_inert(const std::string& text);

}  // namespace warsearch
