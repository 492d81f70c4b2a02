#include "common/readers/live_blog.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "common/readers/reader_support.h"

namespace warsearch {
namespace {

struct Marker {
    std::string time;       // as written, "" when none
    std::string_view rest;  // what follows the marker on its line
};

bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Reads a time zone word at @a i ("GMT", "UTC", "BST", "CET", "EEST", "ET", "Kyiv"...).
std::size_t zone_length(std::string_view s, std::size_t i) {
    static const char* kZones[] = {"GMT", "UTC", "BST", "CEST", "CET", "EEST", "EET",        "EDT",  "EST",
                                   "ET",  "PDT", "PST", "MSK",  "AST", "IST",  "local time", "local"};
    for (const char* z : kZones) {
        std::string_view zone = z;
        if (s.substr(i, zone.size()) == zone &&
            (i + zone.size() == s.size() || !std::isalpha(static_cast<unsigned char>(s[i + zone.size()]))))
            return zone.size();
    }
    return 0;
}

bool is_separator_at(std::string_view s, std::size_t i, std::size_t& len) {
    if (i >= s.size()) return false;
    if (s[i] == ':' || s[i] == '-' || s[i] == '|') {
        len = 1;
        return true;
    }
    // En and em dashes.
    if (s.substr(i, 3) == "\xE2\x80\x93" || s.substr(i, 3) == "\xE2\x80\x94") {
        len = 3;
        return true;
    }
    return false;
}

// A clock time at the start of @a s: "14:45", "1445 GMT", "12.45pm BST", "[09:10]".
// Returns the length read and whether a zone or am/pm made it unambiguous.
std::size_t read_clock(std::string_view s, bool& qualified) {
    qualified = false;
    std::size_t i = 0;
    bool bracket = !s.empty() && s[0] == '[';
    if (bracket) ++i;
    std::size_t d = i;
    while (d < s.size() && is_digit(s[d])) ++d;
    std::size_t ndigits = d - i;
    if (ndigits == 4) {
        i = d;  // "1445" needs a zone to be a time, checked below
    } else if ((ndigits == 1 || ndigits == 2) && d + 2 < s.size() && (s[d] == ':' || s[d] == '.') &&
               is_digit(s[d + 1]) && is_digit(s[d + 2])) {
        i = d + 3;
        if (i < s.size() && is_digit(s[i])) return 0;  // "10.505"
    } else {
        return 0;
    }
    std::string low = lower(s.substr(i, 3));
    if (low.rfind("am", 0) == 0 || low.rfind("pm", 0) == 0) {
        i += 2;
        qualified = true;
    }
    std::size_t j = i;
    while (j < s.size() && s[j] == ' ') ++j;
    if (std::size_t z = zone_length(s, j)) {
        i = j + z;
        qualified = true;
    }
    if (ndigits == 4 && !qualified) return 0;
    if (bracket) {
        if (i >= s.size() || s[i] != ']') return 0;
        ++i;
        qualified = true;
    }
    return i;
}

std::optional<Marker> parse_marker(std::string_view line) {
    std::string low = lower(line.substr(0, 20));
    auto after = [&](std::size_t at, std::string time) -> std::optional<Marker> {
        std::string_view rest = detail::trim(line.substr(at));
        std::size_t sep = 0;
        if (is_separator_at(rest, 0, sep)) rest = detail::trim(rest.substr(sep));
        return Marker{std::move(time), rest};
    };
    for (const char* lead : {"original entry", "original post", "first entry"}) {
        std::string_view l = lead;
        if (low.rfind(l, 0) == 0) {
            std::size_t sep = 0;
            std::size_t at = l.size();
            while (at < line.size() && line[at] == ' ') ++at;
            if (at == line.size() || is_separator_at(line, at, sep)) return after(at, "");
        }
    }
    for (const char* lead : {"updated", "update"}) {
        std::string_view l = lead;
        if (low.rfind(l, 0) != 0) continue;
        std::size_t at = l.size();
        if (at < line.size() && std::isalpha(static_cast<unsigned char>(line[at]))) break;
        while (at < line.size() && line[at] == ' ') ++at;
        bool qualified = false;
        std::size_t clock = read_clock(line.substr(at), qualified);
        // A bare number is a count ("UPDATE 2:"), not a time; 4 digits need a zone.
        std::string time;
        if (clock) {
            time = std::string(detail::trim(line.substr(at, clock)));
            at += clock;
        } else {
            while (at < line.size() && is_digit(line[at])) ++at;
        }
        while (at < line.size() && line[at] == ' ') ++at;
        std::size_t sep = 0;
        if (at == line.size() || is_separator_at(line, at, sep)) return after(at, time);
        return std::nullopt;
    }
    bool qualified = false;
    std::size_t clock = read_clock(line, qualified);
    if (!clock) return std::nullopt;
    std::string time(detail::trim(line.substr(0, clock)));
    if (!time.empty() && time.front() == '[') time = time.substr(1, time.size() - 2);
    std::size_t at = clock;
    while (at < line.size() && line[at] == ' ') ++at;
    std::size_t sep = 0;
    if (at == line.size() || is_separator_at(line, at, sep)) return after(at, time);
    // "14:45 GMT Russian troops ..." reads as a time only when a zone pins it down.
    if (qualified && at > clock) return after(at, time);
    return std::nullopt;
}

std::size_t word_count(std::string_view s) {
    std::size_t words = 0;
    bool in_word = false;
    for (char c : s) {
        bool space = c == ' ' || c == '\t';
        if (!space && !in_word) ++words;
        in_word = !space;
    }
    return words;
}

bool headline_like(std::string_view line) {
    if (line.empty() || line.size() > 160 || word_count(line) > 16) return false;
    char last = line.back();
    if (last == '.' || last == ',' || last == ';' || last == ':') return false;
    // A quotation that closes a sentence ends ."
    if (line.size() >= 2 && (line.substr(line.size() - 2) == ".\"" || line.substr(line.size() - 2) == ".'"))
        return false;
    if (line.size() >= 4 && line.substr(line.size() - 4) == ".\xE2\x80\x9D") return false;
    return !detail::is_caption_or_label(line);
}

std::string join_paragraphs(const std::vector<std::string_view>& lines, std::size_t from, std::size_t to,
                            std::string_view first = {}) {
    std::string out(first);
    for (std::size_t i = from; i < to; ++i) {
        if (!out.empty()) out += "\n\n";
        out += lines[i];
    }
    return out;
}

// Hour and minute from a time as written ("14:45", "1445 GMT", "2.45pm"); nullopt when
// it names a zone other than GMT/UTC (we do not know the page's offset).
std::optional<std::pair<int, int>> clock_of(std::string_view time) {
    int h = 0, m = 0;
    std::size_t i = 0, digits = 0;
    while (i < time.size() && is_digit(time[i])) {
        ++i;
        ++digits;
    }
    if (digits == 4) {
        h = (time[0] - '0') * 10 + (time[1] - '0');
        m = (time[2] - '0') * 10 + (time[3] - '0');
    } else if ((digits == 1 || digits == 2) && i + 2 < time.size() && (time[i] == ':' || time[i] == '.') &&
               is_digit(time[i + 1]) && is_digit(time[i + 2])) {
        h = std::stoi(std::string(time.substr(0, i)));
        m = (time[i + 1] - '0') * 10 + (time[i + 2] - '0');
        i += 3;
    } else {
        return std::nullopt;
    }
    std::string rest = lower(detail::trim(time.substr(i)));
    if (rest.rfind("pm", 0) == 0 && h < 12) h += 12;
    if (rest.rfind("am", 0) == 0 && h == 12) h = 0;
    if (rest.rfind("am", 0) == 0 || rest.rfind("pm", 0) == 0) rest = std::string(detail::trim(rest.substr(2)));
    if (!rest.empty() && rest != "gmt" && rest != "utc" && rest != "z") return std::nullopt;
    if (h > 23 || m > 59) return std::nullopt;
    return std::make_pair(h, m);
}

}  // namespace

bool title_says_live(std::string_view title) {
    std::string t = lower(detail::trim(title));
    for (const char* p : {"live updates", "live blog", "liveblog", "as it happened", "live coverage", "latest updates",
                          "live:", "(live)", "- live", "\xE2\x80\x93 live", "| live"})
        if (t.find(p) != std::string::npos) return true;
    return t.rfind("live ", 0) == 0 || (t.size() >= 5 && t.compare(t.size() - 5, 5, " live") == 0);
}

std::vector<LiveBlogEntry> find_live_blog_entries(std::string_view text, std::string_view title) {
    std::vector<std::string_view> lines = detail::nonblank_lines(text);
    struct Start {
        std::size_t line;
        Marker marker;
    };
    std::vector<Start> starts;
    for (std::size_t i = 0; i < lines.size(); ++i)
        if (auto m = parse_marker(lines[i])) starts.push_back({i, std::move(*m)});
    if (starts.size() < kMinLiveBlogEntries && title_says_live(title)) {
        // Untimed entries: a short headline line (no final full stop) followed by a
        // paragraph, on a page that says it is live.
        std::vector<Start> untimed;
        for (std::size_t i = 1; i + 1 < lines.size(); ++i) {
            if (!headline_like(lines[i]) || headline_like(lines[i + 1])) continue;
            bool after_time = false;
            for (const auto& s : starts) after_time = after_time || (s.line + 1 == i && s.marker.rest.empty());
            if (after_time) continue;
            untimed.push_back({i, Marker{"", lines[i]}});
        }
        for (auto& s : untimed) starts.push_back(std::move(s));
        std::sort(starts.begin(), starts.end(), [](const Start& a, const Start& b) { return a.line < b.line; });
    }
    if (starts.size() < kMinLiveBlogEntries) return {};

    std::vector<LiveBlogEntry> entries;
    for (std::size_t k = 0; k < starts.size(); ++k) {
        std::size_t begin = starts[k].line;
        std::size_t end = k + 1 < starts.size() ? starts[k + 1].line : lines.size();
        const Marker& m = starts[k].marker;
        LiveBlogEntry e;
        e.time = m.time;
        if (!m.rest.empty()) {
            if (headline_like(m.rest)) {
                e.headline = std::string(m.rest);
                e.text = join_paragraphs(lines, begin + 1, end);
            } else {
                e.headline = detail::title_from_line(detail::first_sentence(m.rest));
                e.text = join_paragraphs(lines, begin + 1, end, m.rest);
            }
        } else if (begin + 1 < end) {
            std::string_view next = lines[begin + 1];
            if (headline_like(next)) {
                e.headline = std::string(next);
                e.text = join_paragraphs(lines, begin + 2, end);
            } else {
                e.headline = detail::title_from_line(detail::first_sentence(next));
                e.text = join_paragraphs(lines, begin + 1, end);
            }
        } else {
            continue;  // a marker with nothing after it
        }
        entries.push_back(std::move(e));
    }
    if (entries.size() < kMinLiveBlogEntries) return {};
    return entries;
}

std::vector<Article> make_entry_articles(const Article& page, const std::vector<LiveBlogEntry>& entries) {
    std::vector<Article> out;
    int n = 0;
    for (const auto& e : entries) {
        Article a;
        ++n;
        a.id = page.id + "-e" + std::to_string(n);
        a.title = e.headline;
        a.body = e.text;
        a.date = page.date;
        if (!e.time.empty() && page.date.precision >= DatePrecision::day) {
            if (auto hm = clock_of(e.time)) {
                a.date.hour = hm->first;
                a.date.minute = hm->second;
                a.date.second = 0;
                a.date.precision = DatePrecision::minute;
            }
        }
        a.source = page.source;
        a.url = page.url;
        a.lang = page.lang;
        a.byline = page.byline;
        a.parent = page.id;
        a.parent_title = page.title;
        a.entry = n;
        a.time = e.time;
        a.from = page.from;
        out.push_back(std::move(a));
    }
    return out;
}

}  // namespace warsearch
