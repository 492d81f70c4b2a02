#include "searcher/cgi/page_text.h"

#include <algorithm>
#include <cctype>

#include "common/text/text.h"

namespace warsearch {
namespace {

constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

int month_number(const std::string& s, std::size_t at) {
    if (s.size() < at + 2 || !std::isdigit(static_cast<unsigned char>(s[at])) ||
        !std::isdigit(static_cast<unsigned char>(s[at + 1])))
        return 0;
    int m = (s[at] - '0') * 10 + (s[at + 1] - '0');
    return m >= 1 && m <= 12 ? m : 0;
}

}  // namespace

std::string strip_direction_controls(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) continue;
        if (c == 0xE2 && i + 2 < s.size()) {
            unsigned char b1 = static_cast<unsigned char>(s[i + 1]), b2 = static_cast<unsigned char>(s[i + 2]);
            bool embedding = b1 == 0x80 && b2 >= 0xAA && b2 <= 0xAE;  // U+202A..U+202E
            bool isolate = b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9;    // U+2066..U+2069
            if (embedding || isolate) {
                i += 2;
                continue;
            }
        }
        out += static_cast<char>(c);
    }
    return out;
}

std::string page_escape(std::string_view s) { return html_escape(strip_direction_controls(s)); }

bool is_web_url(const std::string& url) {
    auto starts = [&](std::string_view p) {
        if (url.size() < p.size()) return false;
        for (std::size_t i = 0; i < p.size(); ++i)
            if (std::tolower(static_cast<unsigned char>(url[i])) != p[i]) return false;
        return true;
    };
    return (starts("http://") || starts("https://")) &&
           std::none_of(url.begin(), url.end(), [](unsigned char c) { return c <= 0x20 || c == 0x7f; });
}

std::string display_date(const std::string& iso) {
    if (iso.size() < 7 || iso[4] != '-') return iso;
    int m = month_number(iso, 5);
    if (!m) return iso;
    std::string out;
    if (iso.size() >= 10 && iso[7] == '-') {
        out += iso[8] == '0' ? iso.substr(9, 1) : iso.substr(8, 2);
        out += ' ';
    }
    out += std::string(kMonths[m - 1]) + " " + iso.substr(0, 4);
    if (iso.size() >= 16 && iso[10] == 'T') out += ", " + iso.substr(11, 5) + (iso.back() == 'Z' ? " UTC" : "");
    return out;
}

std::string page_head_start(const std::string& script_name, const std::string& title) {
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
           "<meta name=\"referrer\" content=\"same-origin\">\n<title>" +
           page_escape(title) + "</title>\n<link rel=\"stylesheet\" href=\"" + page_escape(script_name) +
           "?asset=style.css\">\n<link rel=\"icon\" href=\"" + page_escape(script_name) +
           "?asset=favicon.svg\" type=\"image/svg+xml\">\n";
}

}  // namespace warsearch
