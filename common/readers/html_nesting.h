// A cheap scan of raw HTML for nesting depth, run before Gumbo parses a page.
#pragma once

#include <cstddef>
#include <string_view>

namespace warsearch::detail {

/// Pages whose markup nests deeper than this are refused before parsing.  Gumbo's tree
/// construction is quadratic in the depth of open elements (50,000 nested <div> take
/// about a minute) and nested tables cost it quadratic memory (5,000 levels: 800 MB);
/// real pages stay below a hundred levels.
constexpr std::size_t kMaxHtmlNesting = 2000;

/// An estimate of how deep the elements of `html` nest: start tags of elements that
/// hold content open a level, their end tags close one.  Void elements (<br>, <img>),
/// elements the parser closes implicitly (<p>, <li>, <td>, <tr>, <option>), comments
/// and the raw text of <script>, <style>, <textarea>, <title> do not count; <table>
/// counts twice (Gumbo adds tbody, tr and td under it).  Stops scanning once `limit`
/// is exceeded and returns a value above it.
std::size_t html_nesting_depth(std::string_view html, std::size_t limit = kMaxHtmlNesting);

}  // namespace warsearch::detail
