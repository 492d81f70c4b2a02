#include "common/readers/reader_support.h"

#include <unicode/utf8.h>

#include <algorithm>
#include <cctype>

#include "common/readers/dateline.h"
#include "common/text/dates.h"
#include "common/text/text.h"

namespace warsearch::detail {

bool looks_latin1(std::string_view s) {
    int32_t i = 0, n = static_cast<int32_t>(s.size());
    const auto* p = reinterpret_cast<const uint8_t*>(s.data());
    std::size_t valid_multibyte = 0, invalid = 0;
    while (i < n) {
        if (p[i] < 0x80) {
            ++i;
            continue;
        }
        int32_t start = i;
        UChar32 c;
        U8_NEXT(p, i, n, c);
        if (c < 0) {
            ++invalid;
            i = start + 1;
        } else {
            ++valid_multibyte;
        }
    }
    return invalid > 0 && valid_multibyte == 0;
}

std::string to_utf8(std::string_view raw, std::string& warning) {
    warning.clear();
    if (is_valid_utf8(raw)) return repair_utf8(raw);
    if (looks_latin1(raw)) {
        warning = "not UTF-8; read as Latin-1";
        return repair_utf8(latin1_to_utf8(raw));
    }
    std::string out = repair_utf8(raw);
    bool had_nul = raw.find('\0') != std::string_view::npos;
    // is_valid_utf8 also refuses NUL bytes; say which problem it was.
    std::string without_nul;
    if (had_nul) {
        without_nul.reserve(raw.size());
        for (char c : raw)
            if (c != '\0') without_nul += c;
    }
    if (had_nul && is_valid_utf8(without_nul))
        warning = "NUL bytes removed";
    else
        warning = "invalid UTF-8 repaired (bad bytes became U+FFFD)";
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    // Non-breaking spaces (U+00A0) pad many scraped lines.
    while (s.size() >= 2 && s.substr(0, 2) == "\xC2\xA0") s.remove_prefix(2);
    while (s.size() >= 2 && s.substr(s.size() - 2) == "\xC2\xA0") s.remove_suffix(2);
    return s;
}

std::vector<std::string_view> nonblank_lines(std::string_view text) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t nl = text.find('\n', start);
        std::string_view line =
            trim(text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start));
        if (!line.empty()) out.push_back(line);
        if (nl == std::string_view::npos) break;
        start = nl + 1;
    }
    return out;
}

namespace {

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool starts_with_word(const std::string& lower, std::string_view prefix) {
    if (lower.compare(0, prefix.size(), prefix) != 0) return false;
    return lower.size() == prefix.size() || !std::isalpha(static_cast<unsigned char>(lower[prefix.size()]));
}

}  // namespace

bool is_caption_or_label(std::string_view line) {
    std::string lower = lower_ascii(trim(line));
    // Captions carry a label and a colon: "PHOTO: ...", "Image: ...".
    static const char* kCaptions[] = {"photo:",      "photos:", "video:",   "image:",   "picture:",   "pictured:",
                                      "caption:",    "watch:",  "gallery:", "graphic:", "file photo", "photo by",
                                      "photograph:", "(photo",  "[photo",   "listen:",  "audio:"};
    for (const char* c : kCaptions)
        if (lower.compare(0, std::char_traits<char>::length(c), c) == 0) return true;
    // Promotions that scrapers keep above the story.
    static const char* kPromos[] = {"newsletter",
                                    "the sports moment:",
                                    "new you can now listen",
                                    "you can now listen",
                                    "listen to this article",
                                    "you\xE2\x80\x99re reading an excerpt",
                                    "you're reading an excerpt",
                                    "sign up",
                                    "subscribe",
                                    "view video",
                                    "watch video",
                                    "watch the video",
                                    "read more",
                                    "click here"};
    for (const char* c : kPromos)
        if (lower.compare(0, std::char_traits<char>::length(c), c) == 0 && lower.size() < 200) return true;
    // A wire dateline on its own line: "CNN \xE2\x80\x94", "Hong Kong CNN \xE2\x80\x94".
    if (lower.size() < 40 &&
        (lower.size() >= 3 && (lower.compare(lower.size() - 3, 3, "\xE2\x80\x94") == 0 || lower.back() == '-')))
        return true;
    // Bare labels, with or without a colon or dash.
    std::string bare = lower;
    while (!bare.empty() && (bare.back() == ':' || bare.back() == '-' || bare.back() == ' ' || bare.back() == '|'))
        bare.pop_back();
    static const char* kLabels[] = {"latest",     "breaking",  "breaking news", "updated",          "update",
                                    "live",       "exclusive", "developing",    "developing story", "analysis",
                                    "opinion",    "news",      "just in",       "advertisement",    "share",
                                    "share this", "related",   "more"};
    for (const char* l : kLabels)
        if (bare == l) return true;
    return false;
}

bool is_photo_caption(std::string_view line) {
    std::string low = lower_ascii(trim(line));
    for (const char* lead : {"image caption", "image source", "copyright:", "caption:", "photograph:", "credit:",
                             "media caption", "video caption", "embedded video", "getty images", "photo credit"})
        if (low.rfind(lead, 0) == 0) return true;
    for (const char* inside : {"photograph: ", " photo: ", "image source, ", "(photo: ", "[photo: ", "/getty",
                               "via getty", "getty images)", "ap photo/", "(file photo)", "(file)"})
        if (low.find(inside) != std::string::npos && low.size() < 400) return true;
    if (!low.empty() && low.back() == ')') {
        std::size_t open = low.rfind('(');
        if (open != std::string::npos && low.size() - open < 48) {
            std::string_view credit = std::string_view(low).substr(open + 1, low.size() - open - 2);
            // The sentence before the credit has no final full stop: captions are not sentences.
            bool sentence = open >= 2 && (low[open - 2] == '.' || low[open - 1] == '.');
            // Whole words: "(Anthony Example/Getty Images)", "(AFP)", "(File photo)";
            // not "(100 texts per file)".
            auto has_word = [&](std::string_view w, bool first_only) {
                for (std::size_t at = credit.find(w); at != std::string_view::npos; at = credit.find(w, at + 1)) {
                    bool starts = at == 0 || !std::isalpha(static_cast<unsigned char>(credit[at - 1]));
                    bool ends = at + w.size() == credit.size() ||
                                !std::isalpha(static_cast<unsigned char>(credit[at + w.size()]));
                    if (starts && ends && (!first_only || at == 0)) return true;
                }
                return false;
            };
            if (!sentence) {
                for (const char* agency : {"reuters", "afp", "ap", "epa", "getty", "anadolu", "photo", "photos",
                                           "handout", "courtesy", "sana", "supplied", "screenshot", "social media"})
                    if (has_word(agency, false)) return true;
                if (has_word("file", true)) return true;
            }
        }
    }
    return false;
}

std::optional<Date> date_line(std::string_view line, DateOrder order) {
    std::string_view s = trim(line);
    if (s.size() > 80) return std::nullopt;
    std::string lower = lower_ascii(s);
    static const char* kLeads[] = {"last updated on",
                                   "last updated",
                                   "first published on",
                                   "first published",
                                   "published on",
                                   "published",
                                   "updated on",
                                   "updated",
                                   "posted on",
                                   "posted",
                                   "date",
                                   "dated",
                                   "on"};
    for (const char* lead : kLeads) {
        if (starts_with_word(lower, lead)) {
            s.remove_prefix(std::char_traits<char>::length(lead));
            s = trim(s);
            while (!s.empty() && (s.front() == ':' || s.front() == '-')) s = trim(s.substr(1));
            break;
        }
    }
    // A bare year ("2000", or a kick-off time "2000 GMT") is not a date line.
    auto dated = [&](std::string_view text) -> std::optional<Date> {
        auto d = parse_date(text, order);
        if (d && d->precision == DatePrecision::year) return std::nullopt;
        return d;
    };
    // "5 March 2022 | 14:00" and "5 March 2022 - 14:00 GMT" write a time after a bar.
    if (auto d = dated(s)) return d;
    std::size_t bar = s.find_first_of("|,");
    if (bar != std::string_view::npos && bar > 5) {
        if (auto d = dated(trim(s.substr(0, bar)))) return d;
    }
    // A trailing time with a zone parse_date does not know ("14:00 BST").
    std::size_t last_space = s.rfind(' ');
    if (last_space != std::string_view::npos) {
        std::string_view zone = s.substr(last_space + 1);
        if (zone.size() >= 2 && zone.size() <= 4 && is_all_caps(zone))
            if (auto d = dated(trim(s.substr(0, last_space)))) return d;
    }
    return std::nullopt;
}

std::string byline_of(std::string_view line) {
    std::string_view s = trim(line);
    if (s.size() < 4 || s.size() > 80) return {};
    if (!(s.substr(0, 3) == "By " || s.substr(0, 3) == "BY ")) return {};
    std::string_view name = trim(s.substr(3));
    int words = 1;
    for (char c : name) words += c == ' ';
    if (words > 8 || name.empty() || name.back() == '.') return {};
    return std::string(name);
}

std::string_view first_sentence(std::string_view text) {
    for (std::size_t i = 0; i + 1 < text.size(); ++i) {
        char c = text[i];
        if ((c == '.' || c == '!' || c == '?') && (text[i + 1] == ' ' || text[i + 1] == '\n')) {
            // "No. 4", "Mr. Smith", "U.S. forces": a short token before the dot is an
            // abbreviation unless two spaces follow (newswire's sentence break).
            bool two_spaces = i + 2 < text.size() && text[i + 2] == ' ';
            std::size_t word_start = text.rfind(' ', i);
            word_start = word_start == std::string_view::npos ? 0 : word_start + 1;
            std::string_view word = text.substr(word_start, i - word_start);
            std::string w = lower_ascii(word);
            static const char* kAbbrevs[] = {"mr",   "mrs", "ms",   "dr",   "gen", "col", "lt",  "sgt",   "st",  "no",
                                             "jr",   "sr",  "co",   "corp", "inc", "ltd", "gov", "sen",   "rep", "maj",
                                             "capt", "adm", "brig", "prof", "vs",  "mt",  "ft",  "approx"};
            bool known = false;
            for (const char* ab : kAbbrevs) known = known || w == ab;
            bool abbrev =
                c == '.' && !two_spaces && (word.size() == 1 || word.find('.') != std::string_view::npos || known);
            if (!abbrev) return text.substr(0, i + 1);
        }
    }
    return text;
}

std::string title_from_line(std::string_view line) {
    constexpr std::size_t kShort = 200, kCut = 160;
    std::string s = squeeze_space(line);
    if (s.size() <= kShort) return s;
    std::string sentence = squeeze_space(first_sentence(s));
    if (sentence.size() <= kShort) return sentence;
    std::size_t cut = sentence.rfind(' ', kCut);
    if (cut == std::string::npos || cut < 40) cut = kCut;
    // Do not cut inside a UTF-8 sequence.
    while (cut > 0 && (static_cast<unsigned char>(sentence[cut]) & 0xC0) == 0x80) --cut;
    return sentence.substr(0, cut) + "…";
}

std::string title_from_text(std::string_view body, DateOrder order) {
    for (std::string_view line : nonblank_lines(body)) {
        if (is_caption_or_label(line) || is_photo_caption(line) || date_line(line, order) || !byline_of(line).empty())
            continue;
        return title_from_line(line);
    }
    return {};
}

bool is_all_caps(std::string_view s) {
    bool letters = false;
    for (char c : s) {
        if (std::islower(static_cast<unsigned char>(c))) return false;
        if (std::isupper(static_cast<unsigned char>(c))) letters = true;
    }
    return letters;
}

std::string readable_case(std::string_view s) {
    if (!is_all_caps(s)) return std::string(s);
    std::string out;
    out.reserve(s.size());
    bool sentence_start = true;
    std::size_t i = 0;
    while (i < s.size()) {
        std::size_t j = i;
        while (j < s.size() && s[j] != ' ' && s[j] != '\n' && s[j] != '\t') ++j;
        std::string_view word = s.substr(i, j - i);
        // Each hyphen-separated part on its own: "U.S.-MADE" -> "U.S.-made".
        std::size_t p = 0;
        bool ends_sentence = false;
        while (p <= word.size()) {
            std::size_t q = word.find('-', p);
            if (q == std::string_view::npos) q = word.size();
            std::string_view part = word.substr(p, q - p);
            // Abbreviations with inner dots (U.S., U.N.) and "I" keep their capitals.
            std::size_t dot = part.find('.');
            bool abbrev = dot != std::string_view::npos && dot + 1 < part.size() &&
                          std::isalpha(static_cast<unsigned char>(part[dot + 1]));
            bool keep = abbrev || part == "I" || part == "I'M" || part == "I'LL";
            bool capitalised = keep;
            for (char c : part) {
                unsigned char u = static_cast<unsigned char>(c);
                if (keep || !std::isalpha(u)) {
                    out += c;
                } else {
                    out += static_cast<char>(sentence_start && !capitalised ? std::toupper(u) : std::tolower(u));
                    capitalised = true;
                }
            }
            if (capitalised) sentence_start = false;
            ends_sentence =
                !part.empty() && !abbrev && (part.back() == '.' || part.back() == '!' || part.back() == '?');
            if (q < word.size()) out += '-';
            p = q + 1;
        }
        if (ends_sentence) sentence_start = true;
        while (j < s.size() && (s[j] == ' ' || s[j] == '\n' || s[j] == '\t')) out += s[j++];
        i = j;
    }
    return out;
}

std::string place_case(std::string_view s) {
    if (!is_all_caps(s)) return std::string(s);
    static const char* kSmall[] = {"de",  "del", "la", "las", "los", "el",  "da", "do",
                                   "dos", "das", "y",  "e",   "of",  "the", "and"};
    std::string out;
    std::size_t i = 0;
    bool first = true;
    while (i < s.size()) {
        std::size_t j = s.find(' ', i);
        if (j == std::string_view::npos) j = s.size();
        std::string word = lower_ascii(s.substr(i, j - i));
        bool small = false;
        for (const char* w : kSmall) small = small || word == w;
        if (!word.empty() && (first || !small)) {
            // Capitalise after '-' and '(' too: "(EL SALVADOR)", "PORT-AU-PRINCE".
            bool up = true;
            for (char& c : word) {
                if (up && std::isalpha(static_cast<unsigned char>(c))) {
                    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
                    up = false;
                } else if (c == '-' || c == '(' || c == '\'') {
                    up = c != '\'';
                }
            }
        }
        if (!out.empty()) out += ' ';
        out += word;
        first = false;
        i = j + 1;
    }
    return out;
}

void warn_all(const ReadSink& sink, const std::string& where, const std::vector<std::string>& warnings) {
    if (!sink.warning) return;
    for (const auto& w : warnings) sink.warning({where, w});
}

namespace {

// A dateline opening the body, unless the reader already found one (newswire headers).
void find_dateline_of(Article& a) {
    if (!a.dateline.empty()) return;
    if (auto d = find_dateline(a.body)) {
        a.dateline = std::move(d->place);
        a.dateline_offset = d->offset;
        a.dateline_length = d->length;
    }
}

}  // namespace

void emit(Article&& a, std::vector<LiveBlogEntry> entries, const ReadOptions& options, const ReadSink& sink) {
    ensure_id(a);
    find_dateline_of(a);
    if (!options.split_live_blogs || entries.size() < kMinLiveBlogEntries) {
        sink.article(std::move(a));
        return;
    }
    a.live_blog = true;
    std::vector<Article> split = make_entry_articles(a, entries);
    sink.article(std::move(a));
    for (auto& e : split) {
        find_dateline_of(e);
        sink.article(std::move(e));
    }
}

bool read_bounded_line(std::istream& in, std::string& line, std::uint64_t max_bytes, std::uint64_t& length) {
    line.clear();
    length = 0;
    bool any = false;
    char block[1 << 16];
    for (;;) {
        in.getline(block, sizeof block);
        std::size_t got = static_cast<std::size_t>(in.gcount());
        // failbit without eofbit: the block filled before the line ended.
        bool more = in.fail() && !in.eof() && got + 1 == sizeof block;
        std::size_t text = more || in.eof() ? got : got - 1;  // gcount counts the '\n'
        any = any || got > 0;
        length += text;
        if (line.size() < max_bytes) line.append(block, std::min<std::uint64_t>(text, max_bytes - line.size()));
        if (!more) return any;
        in.clear(in.rdstate() & ~std::ios::failbit);
    }
}

}  // namespace warsearch::detail
