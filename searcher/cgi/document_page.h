// The HTML of the document page (`warsearch.cgi?doc=ID[&q=...]`): one report's whole
// text with the query's matches marked and linked to each other, its metadata, its
// story's copies, its live blog and reports like it.  Escaped as the search page is
// (page_text.h); no JavaScript.
#pragma once

#include <string>

#include "searcher/document.h"

namespace warsearch {

/// What the document page shows.
struct DocumentPageModel {
    std::string script_name = "warsearch.cgi";
    std::string db;                      ///< `db=` to carry in links ("" for the default)
    std::string query;                   ///< `q=`: the search the reader came from
    const DocumentView* view = nullptr;  ///< null: only @a error is shown
    std::string error;                   ///< plain text
};

/// The complete HTML document.
std::string render_document_page(const DocumentPageModel& model);

/// A link to the document page of @a id (attribute-escaped relative URL).
std::string document_link(const std::string& script_name, const std::string& id, const std::string& query,
                          const std::string& db);

}  // namespace warsearch
