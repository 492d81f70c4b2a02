// Text as the pages print it: escaped for HTML, with the characters that could change
// how the rest of a line reads taken out.  Shared by the search page and the document
// page (cgi_page.h, document_page.h).
#pragma once

#include <string>
#include <string_view>

namespace warsearch {

/// @a s without C0 control characters (tab and newline kept), DEL, and the Unicode
/// direction embeddings, overrides and isolates (U+202A..U+202E, U+2066..U+2069): a
/// stored right-to-left override must not reverse the rest of a line.  Direction is
/// isolated by the markup instead (<bdi>, dir="auto").
std::string strip_direction_controls(std::string_view s);

/// strip_direction_controls, then HTML-escaped (for text and double-quoted attributes).
std::string page_escape(std::string_view s);

/// Whether @a url is an http(s) URL without spaces or controls (safe to link to).
bool is_web_url(const std::string& url);

/// The start of every page, up to and including the favicon link in <head>: doctype,
/// charset, viewport, referrer policy, the escaped @a title, the stylesheet and the
/// favicon served by @a script_name.  The caller adds what else its head needs and
/// closes it.
std::string page_head_start(const std::string& script_name, const std::string& title);

/// "2016-07-21T11:05:00Z" -> "21 Jul 2016, 11:05 UTC"; shorter precisions kept short.
std::string display_date(const std::string& iso);

}  // namespace warsearch
