// The nesting scan that guards Gumbo (html_nesting.h).
#include "common/readers/html_nesting.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace warsearch::detail {
namespace {

bool one_of(std::string_view name, std::initializer_list<std::string_view> names) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

// Elements that never hold children, or that the parser closes when a sibling opens.
bool opens_no_level(std::string_view name) {
    return one_of(name, {"area",     "base",    "br",       "col",     "embed", "hr",     "img",      "input",
                         "link",     "meta",    "param",    "source",  "track", "wbr",    "keygen",   "frame",
                         "basefont", "bgsound", "image",    "p",       "li",    "dt",     "dd",       "td",
                         "th",       "tr",      "tbody",    "thead",   "tfoot", "option", "optgroup", "rb",
                         "rt",       "rp",      "colgroup", "caption", "html",  "head",   "body",     "!doctype"});
}

// The first "</name" at or after `from`, in any letter case; npos when none.
std::size_t find_end_tag(std::string_view html, const std::string& name, std::size_t from) {
    for (std::size_t at = html.find("</", from); at != std::string_view::npos; at = html.find("</", at + 2)) {
        if (at + 2 + name.size() > html.size()) return std::string_view::npos;
        bool same = true;
        for (std::size_t k = 0; k < name.size() && same; ++k)
            same = std::tolower(static_cast<unsigned char>(html[at + 2 + k])) == name[k];
        if (same) return at;
    }
    return std::string_view::npos;
}

bool is_raw_text(std::string_view name) {
    return one_of(name, {"script", "style", "textarea", "title", "xmp", "plaintext", "noscript"});
}

}  // namespace

std::size_t html_nesting_depth(std::string_view html, std::size_t limit) {
    std::size_t depth = 0, deepest = 0, i = 0;
    std::string name;
    while ((i = html.find('<', i)) != std::string_view::npos) {
        if (html.compare(i, 4, "<!--") == 0) {
            std::size_t end = html.find("-->", i + 4);
            if (end == std::string_view::npos) break;
            i = end + 3;
            continue;
        }
        std::size_t p = i + 1;
        bool closing = p < html.size() && html[p] == '/';
        if (closing) ++p;
        name.clear();
        while (p < html.size() && (std::isalnum(static_cast<unsigned char>(html[p])) || html[p] == '!' ||
                                   html[p] == '-' || html[p] == ':'))
            name += static_cast<char>(std::tolower(static_cast<unsigned char>(html[p++])));
        std::size_t gt = html.find('>', p);
        if (gt == std::string_view::npos) break;
        i = gt + 1;
        if (name.empty() || opens_no_level(name)) continue;
        if (closing) {
            if (depth > 0) --depth;
            continue;
        }
        if (html[gt - 1] == '/') continue;  // <x/> in XHTML-style markup
        if (is_raw_text(name)) {
            // Skip to the matching end tag: "<b>" inside a script is not markup.
            std::size_t end = find_end_tag(html, name, i);
            if (end == std::string_view::npos) break;
            i = end;
            continue;
        }
        depth += name == "table" ? 2 : 1;
        deepest = std::max(deepest, depth);
        if (deepest > limit) return deepest;
    }
    return deepest;
}

}  // namespace warsearch::detail
