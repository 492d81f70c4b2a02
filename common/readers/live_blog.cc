#include "common/readers/live_blog.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "common/readers/reader_support.h"
#include "common/text/dates.h"
#include "common/text/text.h"

namespace warsearch {
namespace {

bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }
bool is_alpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// Case-insensitive word prefix: "Posted at 09:15" starts with the word "posted".
bool starts_word(std::string_view s, std::string_view word) {
    if (s.size() < word.size() || lower(s.substr(0, word.size())) != word) return false;
    return s.size() == word.size() || !is_alpha(s[word.size()]);
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

std::size_t skip_spaces(std::string_view s, std::size_t i) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    return i;
}

// A separator after a marker: ':', '-', '|', an en or em dash.
std::size_t separator_at(std::string_view s, std::size_t i) {
    if (i >= s.size()) return 0;
    if (s[i] == ':' || s[i] == '-' || s[i] == '|') return 1;
    if (s.substr(i, 3) == "\xE2\x80\x93" || s.substr(i, 3) == "\xE2\x80\x94") return 3;
    return 0;
}

// "1. Posted at 09:15", "12. Headline": the list numbering some pages print before entries.
std::string_view strip_numbering(std::string_view line) {
    std::size_t i = 0;
    while (i < line.size() && i < 3 && is_digit(line[i])) ++i;
    if (i == 0 || i + 1 >= line.size() || line[i] != '.' || line[i + 1] != ' ') return line;
    std::string_view rest = detail::trim(line.substr(i + 2));
    if (rest.empty() || is_digit(rest[0])) return line;  // "3. 5 million" is not numbering
    return rest;
}

bool is_bullet(std::string_view line) {
    return starts_with(line, "\xE2\x80\xA2") || starts_with(line, "* ") || starts_with(line, "- ") ||
           starts_with(line, "\xC2\xB7") || starts_with(line, "\xE2\x80\x93 ") || starts_with(line, "\xE2\x96\xAA");
}

// "16:4216:42" (a clock printed twice by the page) -> "16:42".
std::string collapse_repeated_clock(std::string s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        for (std::size_t len : {4u, 5u}) {
            if (i + 2 * len > s.size()) continue;
            std::string_view a = std::string_view(s).substr(i, len);
            if (a.find(':') == std::string_view::npos && a.find('.') == std::string_view::npos) continue;
            if (!is_digit(a.front()) || !is_digit(a.back())) continue;
            if (std::string_view(s).substr(i + len, len) == a) {
                s.erase(i + len, len);
                return s;
            }
        }
    }
    return s;
}

// ---- markers ----

struct Marker {
    EntryTime when;
    std::string time_text;         // the time as written, "" for untimed markers
    std::string_view rest;         // the text after the marker on its line
    bool headline_before = false;  // "Headline published at 15:39 GMT ...": rest is the headline
    bool live_word = false;        // led by a word of live pages: UPDATE, Posted at, ORIGINAL ENTRY, "ago"
    bool timed() const { return !time_text.empty(); }
};

// "2 hours ago", "35 mins ago", "1 month ago".
bool is_relative_time(std::string_view line) {
    std::string low = lower(detail::trim(line));
    std::size_t i = 0;
    while (i < low.size() && is_digit(low[i])) ++i;
    if (i == 0 || i > 3) return false;
    i = skip_spaces(low, i);
    std::size_t w = i;
    while (w < low.size() && is_alpha(low[w])) ++w;
    std::string unit = low.substr(i, w - i);
    static const char* kUnits[] = {"s",      "sec",     "secs", "second", "seconds", "m",      "min",   "mins",
                                   "minute", "minutes", "h",    "hr",     "hrs",     "hour",   "hours", "d",
                                   "day",    "days",    "week", "weeks",  "month",   "months", "year",  "years"};
    bool unit_ok = false;
    for (const char* u : kUnits) unit_ok = unit_ok || unit == u;
    return unit_ok && detail::trim(std::string_view(low).substr(w)) == "ago";
}

// Reads what follows a time: the end of the line, a separator and a rest, or (when a
// zone, am/pm or a date pins the time down) a rest after a space.
std::optional<Marker> after_time(std::string_view line, std::size_t at, Marker m, bool qualified) {
    std::size_t j = skip_spaces(line, at);
    if (j >= line.size()) return m;
    if (std::size_t sep = separator_at(line, j)) {
        m.rest = detail::trim(line.substr(j + sep));
        return m;
    }
    if (qualified && j > at) {
        m.rest = detail::trim(line.substr(j));
        return m;
    }
    return std::nullopt;
}

// "00:01:23": seconds belong to transcripts and logs, not to live-page entries.
bool has_seconds(std::string_view time) {
    std::size_t first = time.find(':');
    return first != std::string_view::npos && time.find(':', first + 1) == first + 3;
}

std::optional<Marker> timed_at(std::string_view line, std::size_t at) {
    Marker m;
    bool qualified = false;
    std::size_t n = read_entry_time(line.substr(at), m.when, qualified);
    if (!n || has_seconds(line.substr(at, n))) return std::nullopt;
    m.time_text = collapse_repeated_clock(std::string(detail::trim(line.substr(at, n))));
    return after_time(line, at + n, std::move(m), qualified);
}

// "ORIGINAL ENTRY: ...", "FIRST POST:".
std::optional<Marker> original_entry_marker(std::string_view line, std::string_view low) {
    for (const char* lead : {"original entry", "original post", "first entry", "first post"}) {
        if (!starts_word(low, lead)) continue;
        std::size_t at = skip_spaces(line, std::char_traits<char>::length(lead));
        Marker m;
        m.live_word = true;
        if (at == line.size()) return m;
        if (std::size_t sep = separator_at(line, at)) {
            m.rest = detail::trim(line.substr(at + sep));
            return m;
        }
    }
    return std::nullopt;
}

// "UPDATE 1445 GMT: ...", "UPDATE 2:", "UPDATE:"; a bare "Updated" is a label.
std::optional<Marker> update_marker(std::string_view line, std::string_view low) {
    for (const char* lead : {"updated", "update"}) {
        if (!starts_word(low, lead)) continue;
        std::size_t at = skip_spaces(line, std::char_traits<char>::length(lead));
        Marker m;
        m.live_word = true;
        bool qualified = false;
        bool counted = false;
        if (std::size_t n = read_entry_time(line.substr(at), m.when, qualified)) {
            m.time_text = collapse_repeated_clock(std::string(detail::trim(line.substr(at, n))));
            at += n;
        } else {
            // "UPDATE 2:" counts updates; it is not a time.
            std::size_t digits = at;
            while (digits < line.size() && is_digit(line[digits])) ++digits;
            counted = digits > at;
            at = digits;
        }
        at = skip_spaces(line, at);
        if (at == line.size()) return m.timed() || counted ? std::optional<Marker>(m) : std::nullopt;
        if (std::size_t sep = separator_at(line, at)) {
            m.rest = detail::trim(line.substr(at + sep));
            return m;
        }
        return std::nullopt;
    }
    return std::nullopt;
}

// "[09:10] Headline", "(14:45) Headline".
std::optional<Marker> bracketed_marker(std::string_view line) {
    char close = line[0] == '[' ? ']' : ')';
    std::size_t end = line.find(close);
    if (end == std::string_view::npos || end >= 40) return std::nullopt;
    Marker m;
    bool qualified = false;
    std::string_view inside = detail::trim(line.substr(1, end - 1));
    std::size_t n = read_entry_time(inside, m.when, qualified);
    if (!n || n != inside.size() || has_seconds(inside)) return std::nullopt;
    m.time_text = collapse_repeated_clock(std::string(inside));
    return after_time(line, end + 1, std::move(m), true);
}

// "Headline published at 15:39 Greenwich Mean Time 28 February 2022": scraped pages
// run an entry's headline and its dated time together.  The time must end the line and
// carry a date, or be glued to the headline ("crisispublished at"), so a sentence
// such as "The statement was posted at 09:15" is not read as one.
std::optional<Marker> trailing_time_marker(std::string_view line) {
    std::string whole = lower(line);
    for (const char* lead : {"published at ", "posted at "}) {
        std::size_t at = whole.find(lead);
        if (at == std::string::npos || at == 0) continue;
        std::size_t t = at + std::char_traits<char>::length(lead);
        Marker m;
        bool qualified = false;
        std::size_t n = read_entry_time(line.substr(t), m.when, qualified);
        if (!n || skip_spaces(line, t + n) != line.size()) continue;
        if (!m.when.has_day() && line[at - 1] == ' ') continue;
        m.time_text = collapse_repeated_clock(std::string(detail::trim(line.substr(t, n))));
        m.rest = detail::trim(line.substr(0, at));
        m.headline_before = true;
        m.live_word = true;
        if (!m.rest.empty()) return m;
    }
    return std::nullopt;
}

std::optional<Marker> parse_marker(std::string_view raw) {
    std::string_view line = strip_numbering(detail::trim(raw));
    if (line.empty()) return std::nullopt;
    std::string low = lower(line.substr(0, 40));
    if (auto m = original_entry_marker(line, low)) return m;
    // Notes about the page, not entries: "Updated at 4.52pm BST", "Last updated 10:00".
    for (const char* note : {"updated at", "last updated", "first published", "published", "updated on"})
        if (starts_word(low, note)) return std::nullopt;
    if (starts_word(low, "update") || starts_word(low, "updated")) return update_marker(line, low);
    for (const char* lead : {"posted at", "posted"}) {
        if (!starts_word(low, lead)) continue;
        auto m = timed_at(line, skip_spaces(line, std::char_traits<char>::length(lead)));
        if (m) m->live_word = true;
        return m;
    }
    if (is_relative_time(line)) {
        Marker m;
        m.live_word = true;
        return m;
    }
    if (line[0] == '[' || line[0] == '(') return bracketed_marker(line);
    if (auto m = timed_at(line, 0)) return m;
    return trailing_time_marker(line);
}

// ---- lines that are never entries ----

enum class Noise {
    none,
    caption,      // a photo or video caption: kept in the entry text
    cross_link,   // "See ...: ...", "Read more: ...": kept in the entry text
    label,        // "LATEST", "Key events", "Updated": dropped from entry text
    boilerplate,  // share tools, newsletters, page furniture: dropped from entry text
};

// Labels on live pages that say the page is live.
bool is_live_label(std::string_view line) {
    std::string bare = lower(detail::trim(line));
    while (!bare.empty() && (bare.back() == ':' || bare.back() == ' ')) bare.pop_back();
    for (const char* l : {"live", "live reporting", "live updates", "live coverage", "live blog", "liveblog",
                          "key events", "live feed", "latest updates", "as it happened"})
        if (bare == l) return true;
    return false;
}

bool is_label(std::string_view line) {
    if (is_live_label(line)) return true;
    std::string bare = lower(detail::trim(line));
    while (!bare.empty() && (bare.back() == ':' || bare.back() == ' ' || bare.back() == '-')) bare.pop_back();
    for (const char* l :
         {"latest", "breaking",    "breaking news", "updated", "update",     "just in",    "developing",
          "pinned", "pinned post", "watch",         "listen",  "key points", "highlights", "summary so far",
          "new",    "top",         "advertisement", "more",    "related",    "exclusive",  "analysis"})
        if (bare == l) return true;
    return false;
}

bool ends_sentence(std::string_view s);

// A reporter's byline inside an entry: "By Jane Example", "From CNN's Jo Example and
// Sam Example".
bool is_entry_byline(std::string_view line) {
    std::string_view t = detail::trim(line);
    if (!detail::byline_of(t).empty()) return true;
    if (!starts_with(t, "From ") || t.size() > 100 || ends_sentence(t) || word_count(t) > 12) return false;
    std::string_view who = t.substr(5);
    return !who.empty() && std::isupper(static_cast<unsigned char>(who[0])) &&
           (who.find("'s ") != std::string_view::npos || who.find("\xE2\x80\x99s ") != std::string_view::npos);
}

bool is_boilerplate_line(std::string_view line) {
    std::string low = lower(detail::trim(line));
    for (const char* exact : {"share",
                              "share this",
                              "share this post",
                              "share this entry",
                              "article share tools",
                              "view more share options",
                              "copy this link",
                              "copy link",
                              "link copied",
                              "link copied!",
                              "read more about these links.",
                              "get involved",
                              "show key events only",
                              "please turn on javascript to use this feature",
                              "skip to main content",
                              "load more",
                              "load more updates",
                              "show more",
                              "see more",
                              "back to top",
                              "follow us",
                              "listen to this article",
                              "click to read more ...",
                              "click to read more",
                              "facebook",
                              "twitter",
                              "whatsapp",
                              "email",
                              "copied"})
        if (low == exact) return true;
    for (const char* lead : {"sign up", "subscribe", "newsletter", "edited by ", "follow us on", "follow our",
                             "updated at ", "last updated", "all times stated", "all times are", "all times in",
                             "all times gmt", "all times uk", "live reporting by", "share on ", "share via"})
        if (low.rfind(lead, 0) == 0 && low.size() < 160) return true;
    return zone_statement(line).has_value() || is_entry_byline(line);
}

// A caption: a photo caption or a caption label ("PHOTO: ...").
bool is_caption(std::string_view line) {
    return detail::is_photo_caption(line) || (detail::is_caption_or_label(line) && !is_label(line));
}

bool is_cross_link(std::string_view line) {
    std::string_view t = detail::trim(line);
    std::string low = lower(t);
    if (low.rfind("see also", 0) == 0 || low.rfind("read more", 0) == 0 || low.rfind("read also", 0) == 0 ||
        low.rfind("also read", 0) == 0 || low.rfind("related:", 0) == 0 || low.rfind("more:", 0) == 0 ||
        low.rfind("recommended:", 0) == 0 || low.rfind("read:", 0) == 0 || low.rfind("explore more", 0) == 0)
        return true;
    // "See Syria Analysis: Why the Offensive Matters"
    if (starts_with(t, "See ") && t.find(':') != std::string_view::npos) return true;
    // Promotions in capitals: "RUSSIA-UKRAINE: US SENDS MORE TROOPS: LIVE UPDATES".
    return word_count(t) >= 3 && detail::is_all_caps(t);
}

Noise noise_of(std::string_view line) {
    if (is_boilerplate_line(line)) return Noise::boilerplate;
    if (is_label(line)) return Noise::label;
    if (is_cross_link(line)) return Noise::cross_link;
    if (is_caption(line)) return Noise::caption;
    return Noise::none;
}

// ---- headlines and paragraphs ----

bool ends_sentence(std::string_view s) {
    if (s.empty()) return false;
    char last = s.back();
    if (last == '.' || last == '!' || last == ';' || last == ',' || last == ':') return true;
    // A quotation that closes a sentence ends ." or .’
    for (const char* end : {".\"", ".'", ".\xE2\x80\x9D", ".\xE2\x80\x99", "?\"", "!\"", ".)"})
        if (s.size() >= std::char_traits<char>::length(end) &&
            s.substr(s.size() - std::char_traits<char>::length(end)) == end)
            return true;
    return s.size() >= 3 && s.substr(s.size() - 3) == "\xE2\x80\xA6";  // "…"
}

// Shaped like a headline: short, no final full stop.  An untimed headline (one with no
// marker to vouch for it) must also have two words and start like a headline.
bool headline_shaped(std::string_view line, bool untimed) {
    if (line.empty() || line.size() > 160 || word_count(line) > 16) return false;
    if (ends_sentence(line)) return false;
    if (!untimed) return true;
    if (word_count(line) < 2 || is_bullet(line) || detail::is_all_caps(line)) return false;
    unsigned char first = static_cast<unsigned char>(line[0]);
    bool opens = std::isupper(first) || std::isdigit(first) || line[0] == '"' || line[0] == '\'' ||
                 starts_with(line, "\xE2\x80\x98") || starts_with(line, "\xE2\x80\x9C") ||
                 (first >= 0xC3 && first <= 0xDF);  // Latin letters with diacritics
    if (!opens) return false;
    if (line.find("://") != std::string_view::npos || line.find("www.") != std::string_view::npos) return false;
    if (!detail::byline_of(line).empty() || detail::date_line(line, DateOrder::dmy)) return false;
    return true;
}

// A paragraph of running text (or a list item), which a headline must lead into.
bool is_prose(std::string_view line) {
    if (word_count(line) < 3) return false;
    if (is_bullet(line)) return true;
    char last = line.back();
    bool closes = last == '?' || last == ')' || ends_sentence(line);
    return closes || word_count(line) >= 12;
}

// The headline of an entry that has none of its own: its first sentence.  A first
// "sentence" of one or two words is a topic ("Syria. The US says ..."): the headline is
// then "Syria: " and the next sentence.
std::string headline_from_paragraph(std::string_view paragraph) {
    std::string_view first = detail::first_sentence(paragraph);
    if (word_count(first) < 3 && first.size() < paragraph.size() && first.back() == '.') {
        std::string_view rest = detail::trim(paragraph.substr(first.size()));
        if (!rest.empty())
            return std::string(first.substr(0, first.size() - 1)) + ": " +
                   detail::title_from_line(detail::first_sentence(rest));
    }
    // "Footage shows the queues:" introduces what follows; the colon is not the headline's.
    while (!first.empty() && (first.back() == ':' || first.back() == ' ')) first.remove_suffix(1);
    return detail::title_from_line(first);
}

// Most words capitalised: "Displaced Camps Overflow Near Turkish Border".
bool is_title_case(std::string_view line) {
    static const char* kSmall[] = {"a",  "an",  "the", "of",   "in",   "on", "at", "to", "for",   "and",
                                   "or", "but", "by",  "with", "from", "as", "is", "vs", "after", "over"};
    std::size_t capital = 0, counted = 0;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && line[i] == ' ') ++i;
        std::size_t j = line.find(' ', i);
        if (j == std::string_view::npos) j = line.size();
        std::string_view w = line.substr(i, j - i);
        i = j;
        if (w.empty() || !is_alpha(w[0])) continue;
        bool small = false;
        for (const char* sw : kSmall) small = small || lower(w) == sw;
        if (small) continue;
        ++counted;
        capital += std::isupper(static_cast<unsigned char>(w[0])) != 0;
    }
    return counted >= 2 && capital * 3 >= counted * 2;
}

// ---- the page ----

enum class LineRole { text, marker, noise };

struct Line {
    std::string_view text;  // numbering stripped
    LineRole role = LineRole::text;
    Noise noise = Noise::none;
    std::optional<Marker> marker;
};

struct Start {
    std::size_t line;       // the entry's first line
    std::size_t marker;     // its marker line: line, or after it when the headline stands above the time
    bool untimed_headline;  // a headline line with no marker
};

// The instant a <time datetime> attribute gives a marker line showing its text.
void apply_time_attributes(std::vector<Line>& lines, const LivePageHints& hints) {
    // Shown text -> positions in page order; a marker line takes the next unused
    // <time> that shows the whole line or the marker's time ("Posted at 16:40", "16.40 BST").
    std::map<std::string, std::vector<std::size_t>, std::less<>> shown;
    for (std::size_t k = 0; k < hints.time_attributes.size(); ++k)
        shown[squeeze_space(hints.time_attributes[k].first)].push_back(k);
    std::size_t next = 0;
    for (Line& l : lines) {
        if (!l.marker || !l.marker->timed()) continue;
        std::size_t best = hints.time_attributes.size();
        for (const std::string& key : {std::string(l.text), l.marker->time_text}) {
            auto it = shown.find(key);
            if (it == shown.end()) continue;
            auto at = std::lower_bound(it->second.begin(), it->second.end(), next);
            if (at != it->second.end()) best = std::min(best, *at);
        }
        if (best == hints.time_attributes.size()) continue;
        next = best + 1;
        if (auto d = parse_iso_date(hints.time_attributes[best].second); d && d->precision >= DatePrecision::minute) {
            d->second = 0;
            d->precision = DatePrecision::minute;
            l.marker->when.exact = *d;
        }
    }
}

// Times that only go forward, on lines with no word of live pages before them, order a
// timeline, a reconstruction or a schedule ("06:10" / "The first cars leave ..."); live
// pages are written newest first.  A clock going back by more than twelve hours is
// the next day (23:40, 00:15).
bool forward_in_time(const std::vector<Line>& lines, const std::vector<Start>& starts) {
    bool all_dated = true;
    for (const Start& st : starts) {
        const Marker& m = *lines[st.marker].marker;
        if (!m.timed() || m.live_word || !m.when.has_clock) return false;
        all_dated = all_dated && m.when.year && m.when.has_day();
    }
    long previous = -1;
    for (const Start& st : starts) {
        const EntryTime& w = lines[st.marker].marker->when;
        long minutes = w.hour * 60 + w.minute;
        if (all_dated) {
            minutes += (static_cast<long>(w.year) * 400 + w.month * 32 + w.day) * 1440;
            if (minutes < previous) return false;
        } else if (previous >= 0 && minutes < previous && minutes + 12 * 60 >= previous) {
            return false;
        }
        previous = minutes;
    }
    return true;
}

std::string join_text(const std::vector<Line>& lines, std::size_t from, std::size_t to, std::string_view first,
                      std::size_t skip) {
    std::string out(first);
    for (std::size_t i = from; i < to; ++i) {
        if (i == skip) continue;
        if (lines[i].noise == Noise::label || lines[i].noise == Noise::boilerplate) continue;
        if (!out.empty()) out += "\n\n";
        out += lines[i].text;
    }
    return out;
}

std::optional<LiveBlogEntry> build_entry(const std::vector<Line>& lines, const Start& start, std::size_t end) {
    const Line& l = lines[start.marker];
    LiveBlogEntry e;
    std::size_t after = start.marker + 1;
    if (start.untimed_headline) {
        e.headline = std::string(l.text);
        e.text = join_text(lines, after, end, {}, end);
        return e;
    }
    const Marker& m = *l.marker;
    e.time = m.time_text;
    e.when = m.when;
    if (start.line != start.marker) {  // "Headline" above "16:40 GMT"
        e.headline = std::string(lines[start.line].text);
        e.text = join_text(lines, after, end, {}, end);
        return e;
    }
    if (m.headline_before || (!m.rest.empty() && headline_shaped(m.rest, false))) {
        e.headline = std::string(m.rest);
        e.text = join_text(lines, after, end, {}, end);
        return e;
    }
    if (!m.rest.empty()) {
        e.headline = headline_from_paragraph(m.rest);
        e.text = join_text(lines, after, end, m.rest, end);
        return e;
    }
    // A marker alone on its line: the headline is the next line that is not a caption
    // or label, or the first sentence of the paragraph there.
    std::size_t j = after;
    while (j < end && lines[j].role == LineRole::noise) ++j;
    if (j >= end) return std::nullopt;
    if (headline_shaped(lines[j].text, false)) {
        e.headline = std::string(lines[j].text);
        e.text = join_text(lines, after, end, {}, j);
    } else {
        e.headline = headline_from_paragraph(lines[j].text);
        e.text = join_text(lines, after, end, {}, end);
    }
    return e;
}

// An entry always has a headline: when its marker's rest made none (a rest of only
// punctuation), the first words of its text, else its time.
std::optional<LiveBlogEntry> make_entry(const std::vector<Line>& lines, const Start& start, std::size_t end) {
    auto e = build_entry(lines, start, end);
    if (!e || !e->headline.empty()) return e;
    e->headline = headline_from_paragraph(detail::first_sentence(e->text));
    if (e->headline.empty()) e->headline = e->time;
    if (e->headline.empty()) return std::nullopt;
    return e;
}

}  // namespace

bool title_says_live(std::string_view title) {
    std::string t = lower(detail::trim(title));
    for (const char* p :
         {"live updates", "live blog", "liveblog", "as it happened", "live coverage", "latest updates",
          "live reporting", "live:", "(live)", "- live", "\xE2\x80\x93 live", "\xE2\x80\x94 live", "| live", " live: "})
        if (t.find(p) != std::string::npos) return true;
    return t.rfind("live ", 0) == 0 || (t.size() >= 5 && t.compare(t.size() - 5, 5, " live") == 0);
}

std::optional<std::string> read_entry_marker(std::string_view line, EntryTime& when, std::string& time_text) {
    auto m = parse_marker(line);
    if (!m) return std::nullopt;
    when = m->when;
    time_text = m->time_text;
    return std::string(m->rest);
}

bool is_timed_marker(std::string_view line) {
    auto m = parse_marker(line);
    return m && m->timed() && m->when.has_clock;
}

std::vector<LiveBlogEntry> find_live_blog_entries(std::string_view text, std::string_view title) {
    LivePageHints hints;
    hints.title = title;
    return find_live_blog_entries(text, hints);
}

std::vector<LiveBlogEntry> find_live_blog_entries(std::string_view text, const LivePageHints& hints) {
    std::vector<Line> lines;
    bool live_label = false;
    for (std::string_view raw : detail::nonblank_lines(text)) {
        Line l;
        l.text = strip_numbering(raw);
        l.marker = parse_marker(raw);
        if (l.marker) {
            l.role = LineRole::marker;
        } else if ((l.noise = noise_of(l.text)) != Noise::none) {
            l.role = LineRole::noise;
            live_label = live_label || is_live_label(l.text);
        }
        lines.push_back(l);
    }
    apply_time_attributes(lines, hints);

    // A marker leads an entry when it has text: a rest on its line, or a paragraph before
    // the next marker.  A time under each headline of a list of links ("More on this
    // story") has none.
    std::vector<Start> starts;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].role != LineRole::marker) continue;
        bool has_text = !lines[i].marker->rest.empty();
        for (std::size_t j = i + 1; !has_text && j < lines.size() && lines[j].role != LineRole::marker; ++j)
            has_text = lines[j].role == LineRole::text && is_prose(lines[j].text);
        if (has_text) starts.push_back({i, i, false});
    }
    bool page_live = hints.says_live || title_says_live(hints.title) || live_label;
    bool live = page_live || (starts.size() >= 2 && !forward_in_time(lines, starts));

    // Headline lines without a marker, on a live page: each follows a paragraph (not a
    // short line: lists of key events, bylines) and leads into one.
    auto neighbour = [&](std::size_t i, int step) -> const Line* {
        for (std::ptrdiff_t k = static_cast<std::ptrdiff_t>(i) + step;
             k >= 0 && k < static_cast<std::ptrdiff_t>(lines.size()); k += step)
            if (lines[static_cast<std::size_t>(k)].role != LineRole::noise) return &lines[static_cast<std::size_t>(k)];
        return nullptr;
    };
    std::size_t untimed = 0;
    if (live) {
        for (std::size_t i = 1; i < lines.size(); ++i) {
            const Line& l = lines[i];
            if (l.role != LineRole::text || !headline_shaped(l.text, true)) continue;
            const Line* before = neighbour(i, -1);
            const Line* after = neighbour(i, +1);
            if (!after || after->role != LineRole::text || !is_prose(after->text)) continue;
            if (before && (before->role != LineRole::text || !is_prose(before->text))) continue;
            // A line a colon introduces ("Footage shows the queues:") is what was shown,
            // a video's title or a quote, unless it is written as a headline in title case.
            if (before && before->text.back() == ':' && !is_title_case(l.text)) continue;
            starts.push_back({i, i, true});
            ++untimed;
        }
        std::sort(starts.begin(), starts.end(), [](const Start& a, const Start& b) { return a.line < b.line; });
    }
    if (!live || starts.size() < kMinLiveBlogEntries) return {};
    // A headline line just above a time alone on its line, with a paragraph below the
    // time, belongs to that entry ("Mariupol evacuation halted" / "16:40 GMT" / text).
    for (std::size_t k = 0; k < starts.size(); ++k) {
        Start& st = starts[k];
        if (st.untimed_headline || !lines[st.marker].marker->rest.empty()) continue;
        const Line* above = neighbour(st.marker, -1);
        const Line* below = neighbour(st.marker, +1);
        if (!above || !below || above->role != LineRole::text || !headline_shaped(above->text, true)) continue;
        if (below->role != LineRole::text || headline_shaped(below->text, false)) continue;
        std::size_t line = static_cast<std::size_t>(above - lines.data());
        if (k > 0 && line <= starts[k - 1].marker) continue;
        st.line = line;
    }

    std::vector<LiveBlogEntry> entries;
    for (std::size_t k = 0; k < starts.size(); ++k) {
        std::size_t end = k + 1 < starts.size() ? starts[k + 1].line : lines.size();
        if (auto e = make_entry(lines, starts[k], end)) entries.push_back(std::move(*e));
    }
    if (entries.size() < kMinLiveBlogEntries) return {};
    return entries;
}

}  // namespace warsearch
