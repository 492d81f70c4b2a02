#include "common/readers/dateline.h"

#include <cctype>
#include <vector>

#include "common/readers/entry_time.h"
#include "common/readers/reader_support.h"
#include "common/text/text.h"

namespace warsearch {
namespace {

bool is_upper(char c) { return std::isupper(static_cast<unsigned char>(c)) != 0; }
bool is_lower(char c) { return std::islower(static_cast<unsigned char>(c)) != 0; }
bool is_alpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

// Words a place name may hold in lower case, never first: "Rio de Janeiro", "Deir ez-Zor".
bool is_particle(std::string_view w) {
    static const char* kParticles[] = {"de",  "del", "de la", "la",  "las", "los", "el",  "al",  "ad",
                                       "as",  "ash", "az",    "ez",  "es",  "an",  "of",  "the", "upon",
                                       "on",  "da",  "do",    "dos", "das", "di",  "du",  "le",  "les",
                                       "van", "von", "bin",   "ibn", "y",   "e",   "sur", "am",  "im"};
    for (const char* p : kParticles)
        if (w == p) return true;
    // "al-Bab", "ez-Zor": a lower-case particle joined to a capitalised name.
    std::size_t dash = w.find('-');
    if (dash != std::string_view::npos && dash + 1 < w.size() && is_upper(w[dash + 1])) {
        std::string_view head = w.substr(0, dash);
        for (const char* p : kParticles)
            if (head == p) return true;
    }
    return false;
}

// Agencies, outlets and labels that open a story without a place: "CNN —", "UPDATE -".
bool is_agency_or_label(std::string_view word_upper) {
    static const char* kWords[] = {
        "CNN",     "AP",       "AFP",       "REUTERS", "BBC",    "TASS",     "SANA",      "XINHUA",     "UPI",
        "DPA",     "EFE",      "ANSA",      "IRNA",    "RIA",    "INTERFAX", "UKRINFORM", "BELTA",      "ANADOLU",
        "NNA",     "KUNA",     "WAM",       "QNA",     "MENA",   "PTI",      "ANI",       "IANS",       "AA",
        "SPUTNIK", "APA",      "IRIB",      "FARS",    "TASNIM", "UPDATE",   "UPDATED",   "BREAKING",   "EXCLUSIVE",
        "WATCH",   "ANALYSIS", "OPINION",   "LIVE",    "VIDEO",  "PHOTOS",   "PHOTO",     "EDITORIAL",  "COMMENT",
        "NEWS",    "REPORT",   "INTERVIEW", "LATEST",  "URGENT", "FLASH",    "BULLETIN",  "CORRECTION", "CORRECTED",
        "REFILE",  "NOTE",     "NATO",      "ISIS",    "ISIL",   "OSCE",     "IAEA",      "WHO",        "ICRC",
        "UNHCR",   "UNICEF",   "UNRWA",     "SDF",     "YPG",    "PKK",      "HTS",       "FSA",        "IDF",
        "RSF",     "OPCW",     "FMLN",      "FARC",    "ELN",    "USSR",     "EU",        "UN",         "US",
        "USA",     "UK",       "ICC",       "IMF",     "OPEC",   "G7",       "G20",       "PRESIDENT"};
    for (const char* w : kWords)
        if (word_upper == w) return true;
    return false;
}

bool is_agency(std::string_view word) {
    std::string u = upper(word);
    static const char* kAgencies[] = {"CNN",  "AP",  "AFP",     "REUTERS", "BBC",     "TASS",    "SANA",
                                      "DPA",  "EFE", "XINHUA",  "UPI",     "ANADOLU", "BELTA",   "IRNA",
                                      "ANSA", "RIA", "SPUTNIK", "NNA",     "KUNA",    "INTERFAX"};
    for (const char* a : kAgencies)
        if (u == a) return true;
    return false;
}

// Length of a dash at @a i ("--", "-", "–", "—", "―"), 0 when none.
std::size_t dash_at(std::string_view s, std::size_t i) {
    if (s.substr(i, 2) == "--") return 2;
    if (i < s.size() && s[i] == '-') return 1;
    for (const char* d : {"\xE2\x80\x93", "\xE2\x80\x94", "\xE2\x80\x95", "\xE2\x80\x92"})
        if (s.substr(i, 3) == d) return 3;
    return 0;
}

std::size_t skip_space(std::string_view s, std::size_t i) {
    while (i < s.size() && is_space(s[i])) ++i;
    return i;
}

// One word of a name: letters (any UTF-8), digits only inside, '-', '\'', '.', '’'.
std::size_t read_name_word(std::string_view s, std::size_t i) {
    std::size_t j = i;
    while (j < s.size()) {
        unsigned char c = static_cast<unsigned char>(s[j]);
        if (is_alpha(s[j]) || c >= 0x80 || s[j] == '\'' || s[j] == '.' ||
            (s[j] == '-' && j + 1 < s.size() && (is_alpha(s[j + 1]) || static_cast<unsigned char>(s[j + 1]) >= 0x80)))
            ++j;
        else
            break;
    }
    // "—" is not part of a word even though its bytes are >= 0x80.
    for (std::size_t k = i; k < j; ++k)
        if (dash_at(s, k) == 3) return k;
    return j;
}

struct Name {
    std::size_t end = 0;
    std::vector<std::string_view> words;
    bool all_caps = true;
};

// A capitalised name of one to five words, stopping before ',', '(' or a dash.
std::optional<Name> read_name(std::string_view s, std::size_t i) {
    Name n;
    std::size_t pos = i;
    while (n.words.size() < 6) {
        std::size_t j = read_name_word(s, pos);
        if (j == pos) break;
        std::string_view w = s.substr(pos, j - pos);
        bool first = n.words.empty();
        bool capital = is_upper(w[0]) || static_cast<unsigned char>(w[0]) >= 0x80;
        if (!capital && (first || !is_particle(w))) return std::nullopt;
        if (!w.empty() && w.back() == '.' && w.size() > 3 && !detail::is_all_caps(w)) return std::nullopt;  // "said."
        for (char c : w)
            if (is_lower(c)) n.all_caps = false;
        n.words.push_back(w);
        n.end = j;
        std::size_t k = j;
        while (k < s.size() && (s[k] == ' ' || s[k] == '\t' || s[k] == '\n')) ++k;
        // The name goes on only over spaces, to another word.
        if (k == j || k >= s.size() || s[k] == ',' || s[k] == '(' || dash_at(s, k)) break;
        pos = k;
    }
    if (n.words.empty() || n.words.size() > 5) return std::nullopt;
    return n;
}

// MUC's "3 JAN 90" and "JUNE 11 89": day and month with a two-digit year.
std::size_t read_muc_date(std::string_view s, std::size_t i) {
    std::size_t j = i;
    while (j < s.size() && (is_alpha(s[j]) || is_digit(s[j]) || s[j] == ' ')) ++j;
    std::string_view part = s.substr(i, j - i);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (part.empty() || part.size() > 20) return 0;
    std::vector<std::string_view> words;
    std::size_t p = 0;
    while (p < part.size()) {
        std::size_t q = part.find(' ', p);
        if (q == std::string_view::npos) q = part.size();
        if (q > p) words.push_back(part.substr(p, q - p));
        p = q + 1;
    }
    if (words.size() != 3) return 0;
    auto digits = [](std::string_view w) {
        for (char c : w)
            if (!std::isdigit(static_cast<unsigned char>(c))) return false;
        return !w.empty() && w.size() <= 2;
    };
    EntryTime m;
    std::string day_and_month = std::string(words[0]) + " " + std::string(words[1]);
    bool dated = (digits(words[0]) || digits(words[1])) && read_day(day_and_month, m) == day_and_month.size();
    if (dated && digits(words[2]) && words[2].size() == 2) return i + part.size();
    return 0;
}

// A date inside a dateline: "3 JAN 90", "Jan. 25, 2013", "March 3", "16 August", "Feb 26".
std::size_t read_dateline_date(std::string_view s, std::size_t i) {
    if (std::size_t muc = read_muc_date(s, i)) return muc;
    EntryTime t;
    std::size_t n = read_day(s.substr(i), t);
    return n ? i + n : 0;
}

// The paragraph the dateline would open: skips up to three caption or label lines.
std::size_t story_start(std::string_view text) {
    std::size_t at = skip_space(text, 0);
    for (int skipped = 0; skipped < 3 && at < text.size(); ++skipped) {
        std::size_t nl = text.find('\n', at);
        std::string_view line =
            detail::trim(text.substr(at, nl == std::string_view::npos ? std::string_view::npos : nl - at));
        if (!detail::is_caption_or_label(line) || nl == std::string_view::npos) break;
        at = skip_space(text, nl + 1);
    }
    return at;
}

// The end of a bracket opening at @a j ("(Reuters)", "(INTERPRESS AGENCY [IPS])", MUC's
// "[INRAVISION TELEVISION CADENA 1)"), npos when it does not close within 60 bytes.
std::size_t bracket_end(std::string_view s, std::size_t j) {
    for (std::size_t k = j, depth = 0; k < s.size() && k - j <= 60; ++k) {
        if (s[k] == '(' || s[k] == '[') ++depth;
        if ((s[k] == ')' || s[k] == ']') && --depth == 0) return k;
    }
    return std::string_view::npos;
}

// What stands between the place and the dash.
struct Qualifiers {
    std::size_t end = 0;          // just past the dash and the spaces after it
    bool qualified = false;       // a region, date, bracket or agency follows the place
    std::string bracket_country;  // "(BRAZIL)" right after the place
};

// Reads ", REGION", ", DATE" and "(AGENCY|DATE|COUNTRY)" parts up to the dash.
std::optional<Qualifiers> read_qualifiers(std::string_view s, const Name& name, bool agency_after_place) {
    Qualifiers q;
    q.qualified = agency_after_place;
    std::size_t i = name.end;
    for (std::size_t parts = 0;; ++parts) {
        std::size_t j = skip_space(s, i);
        if (j >= s.size() || parts > 5) return std::nullopt;
        if (std::size_t d = dash_at(s, j)) {
            std::size_t after = j + d;
            bool closes = after >= s.size() || is_space(s[after]);
            bool after_bracket = j > 0 && s[j - 1] == ')';
            if (!closes && !after_bracket) return std::nullopt;
            // "CHICAGO COMMODITY TRENDS- OPENING": a dash glued to a bare name is a heading's.
            if (!q.qualified && j == name.end) return std::nullopt;
            q.end = skip_space(s, after);
            return q;
        }
        if (s[j] == ',') {
            std::size_t k = skip_space(s, j + 1);
            if (std::size_t e = read_dateline_date(s, k)) {
                i = e;
            } else if (auto region = read_name(s, k)) {
                i = region->end;
            } else {
                return std::nullopt;
            }
            q.qualified = true;
            continue;
        }
        if (s[j] != '(' && s[j] != '[') return std::nullopt;
        std::size_t close = bracket_end(s, j);
        if (close == std::string_view::npos) return std::nullopt;
        std::string_view inside = detail::trim(s.substr(j + 1, close - j - 1));
        // A bracket holds an agency, a date or a country, not sentences ("Jan. 25" is fine).
        if (inside.empty()) return std::nullopt;
        for (std::size_t dot = inside.find(". "); dot != std::string_view::npos; dot = inside.find(". ", dot + 1))
            if (dot + 2 < inside.size() && is_upper(inside[dot + 2])) return std::nullopt;
        if (parts == 0 && detail::is_all_caps(inside) && !read_dateline_date(s, j + 1)) q.bracket_country = inside;
        i = close + 1;
        q.qualified = true;
    }
}

// The story follows the dash: words, not a date ("U.S. DIVIDEND MEETINGS - MARCH 3" and
// "TOKYO RUBBER (YEN PER KILO) - APRIL 07" head tables, not stories).
bool story_follows(std::string_view s, std::size_t i) {
    EntryTime t;
    if (i >= s.size() || read_dateline_date(s, i) || read_day(s.substr(i), t)) return false;
    std::size_t words = 0;
    bool in_word = false;
    for (std::size_t k = i; k < s.size(); ++k) {
        bool space = is_space(s[k]);
        if (!space && !in_word) ++words;
        in_word = !space;
    }
    return words >= 4;
}

// A sentence follows: three of the next eight words are words in lower case.
bool sentence_follows(std::string_view s, std::size_t i) {
    std::size_t lower_words = 0, seen = 0;
    for (std::size_t k = i; k < s.size() && seen < 8;) {
        while (k < s.size() && is_space(s[k])) ++k;
        if (k >= s.size()) break;
        ++seen;
        std::size_t start_word = k;
        bool letters = true;
        while (k < s.size() && !is_space(s[k])) {
            letters = letters && (is_alpha(s[k]) || s[k] == '-' || s[k] == '\'' || s[k] == ',' || s[k] == '.');
            ++k;
        }
        if (is_lower(s[start_word]) && letters) ++lower_words;
    }
    return lower_words >= 3;
}

}  // namespace

std::optional<Dateline> find_dateline(std::string_view text) {
    std::size_t start = story_start(text);
    std::string_view s = text.substr(start, 300);
    auto name = read_name(s, 0);
    if (!name) return std::nullopt;
    std::string place(s.substr(0, name->end));
    std::vector<std::string_view> words = name->words;
    // "Hong Kong CNN —": an agency written after the place without brackets.
    bool agency_after = words.size() >= 2 && is_agency(words.back());
    if (agency_after) {
        place = std::string(detail::trim(s.substr(0, static_cast<std::size_t>(words.back().data() - s.data()))));
        words.pop_back();
    }
    auto q = read_qualifiers(s, *name, agency_after);
    if (!q || is_agency_or_label(upper(words.front())) || !story_follows(s, q->end)) return std::nullopt;
    // Standing alone ("HELSINKI — Proposals to ..."), a place is in capitals, a word or
    // three (not "US"), and a sentence follows: runs of capitals before a dash are
    // otherwise headings of tables ("NYSE INDICATION - EXAMPLE SHIPYARDS").
    if (!q->qualified && (!name->all_caps || words.size() > 3 || place.size() < 3 || !sentence_follows(s, q->end)))
        return std::nullopt;
    std::string place_upper = upper(place);
    if (place_upper == "CLANDESTINE" || place_upper.rfind("NO CITY", 0) == 0) {
        if (q->bracket_country.empty()) return std::nullopt;
        place = q->bracket_country;
    }
    Dateline out;
    out.place = detail::place_case(squeeze_space(place));
    out.offset = start;
    out.length = q->end;
    return out;
}

}  // namespace warsearch
