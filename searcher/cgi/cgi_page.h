// The HTML of the search page: a pure function from the validated form state and the
// search result to markup.  Everything that came from the request or a document is
// escaped here for its context (text, attribute, URL component); links back to the page
// are built from components with url_encode, never by pasting raw input.  The page
// works without JavaScript and contains none; its stylesheet is served by the page
// itself (page_stylesheet) so the Content-Security-Policy can forbid inline styles.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "searcher/search_types.h"

namespace warsearch {

/// What the user asked for, after validation: exactly what self-links carry over.
struct PageForm {
    std::string query;                 ///< `q=`
    std::vector<std::string> filters;  ///< `f=` ("faction:KEY", "location:KEY", ...)
    std::string from, to;              ///< `from=`, `to=` (YYYY[-MM[-DD]] or "")
    std::string sort = "relevance";    ///< `sort=`: relevance, date, date-asc
    std::size_t page = 1;              ///< `page=`, 1..1000
    std::size_t per_page = 10;         ///< `n=`
    bool per_page_given = false;       ///< carry `n=` in links only when it was given
    std::string db;                    ///< `db=` (a configured name) or ""
    std::uint64_t rev = 0;             ///< `rev=` (pinned index revision) or 0
    std::string more;                  ///< `more=`: the facet dimension shown whole ("" for none)
    std::size_t more_page = 1;         ///< `mp=`: its page of kFacetMorePage values
};

/// Values a facet shows before its "more" link, and per page of a facet shown whole.
inline constexpr std::size_t kFacetShown = 10;
inline constexpr std::size_t kFacetMorePage = 50;

/// Everything one page shows.
struct PageModel {
    std::string script_name = "warsearch.cgi";  ///< self-links point here
    PageForm form;
    std::vector<std::string> databases;    ///< configured names (selector shown when > 1)
    const SearchResult* result = nullptr;  ///< null on the start page and on errors
    std::string error;                     ///< shown in an alert box ("" for none); plain text
    std::string notice;                    ///< shown above the results ("" for none); plain text
};

/// The complete HTML document.
std::string render_search_page(const PageModel& model);

/// A link to the page with the form's state, as an attribute-escaped relative URL.
/// @a form is the state to link to (callers copy and change the current one).
std::string page_link(const std::string& script_name, const PageForm& form);

/// The compiled-in icon (SVG), served at `?asset=favicon.svg`.
const std::string& page_favicon();

/// The compiled-in stylesheet, served at `?asset=style.css`.
const std::string& page_stylesheet();

/// "Jul 2016" for "2016-07"; other keys unchanged.
std::string month_label(const std::string& key);

}  // namespace warsearch
