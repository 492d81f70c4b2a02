#include "common/entities/entity_tokenizer.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>
#include <xapian.h>

#include <array>
#include <unordered_map>

#include "common/text/text.h"

namespace warsearch {

namespace {

enum class CharClass : std::uint8_t { word, apostrophe, hyphen, space, punct };

// What a non-ASCII code point contributes: its folded, lower-cased form and its class.
struct FoldedChar {
    std::string text;
    CharClass cls = CharClass::punct;
    bool upper = false;
    bool arabic = false;
};

FoldedChar fold_char(UChar32 c) {
    FoldedChar f;
    std::string utf8;
    Xapian::Unicode::append_utf8(utf8, c);
    std::string folded = fold_for_matching(utf8);
    if (folded == "'") {
        f.cls = CharClass::apostrophe;
        return f;
    }
    if (folded == "-") {
        f.cls = CharClass::hyphen;
        return f;
    }
    int8_t type = u_charType(c);
    if (u_isalnum(c) || type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK || type == U_MODIFIER_LETTER ||
        c == 0x0640) {
        f.cls = CharClass::word;
        f.upper = u_isupper(c);
        f.arabic = (c >= 0x0600 && c <= 0x06FF) || (c >= 0x0750 && c <= 0x077F) || (c >= 0xFB50 && c <= 0xFDFF) ||
                   (c >= 0xFE70 && c <= 0xFEFF);
        // Lower-case each folded code point (Cyrillic, Greek, Latin with diacritics).
        int32_t i = 0, n = static_cast<int32_t>(folded.size());
        const auto* p = reinterpret_cast<const uint8_t*>(folded.data());
        while (i < n) {
            UChar32 d;
            U8_NEXT(p, i, n, d);
            if (d < 0) continue;
            Xapian::Unicode::append_utf8(f.text, u_tolower(d));
        }
        return f;
    }
    f.cls = (u_isspace(c) || c == 0x200B || c == 0x200C || c == 0x200D || c == 0xFEFF) ? CharClass::space
                                                                                       : CharClass::punct;
    return f;
}

// ICU lookups are slow next to the ASCII path; each thread remembers the code points it
// has seen (a few hundred distinct ones even in multilingual text).
const FoldedChar& folded(UChar32 c) {
    thread_local std::unordered_map<UChar32, FoldedChar> cache;
    auto it = cache.find(c);
    if (it != cache.end()) return it->second;
    if (cache.size() > 65536) cache.clear();
    return cache.emplace(c, fold_char(c)).first->second;
}

constexpr std::array<CharClass, 128> make_ascii_classes() {
    std::array<CharClass, 128> t{};
    for (int c = 0; c < 128; ++c) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
            t[static_cast<size_t>(c)] = CharClass::word;
        else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
            t[static_cast<size_t>(c)] = CharClass::space;
        else if (c == '\'' || c == '`')
            t[static_cast<size_t>(c)] = CharClass::apostrophe;
        else if (c == '-')
            t[static_cast<size_t>(c)] = CharClass::hyphen;
        else
            t[static_cast<size_t>(c)] = CharClass::punct;
    }
    return t;
}
constexpr std::array<CharClass, 128> kAscii = make_ascii_classes();

// Transliterated Arabic articles: dropped when written as a separate word...
bool is_free_article(std::string_view w) { return w == "al" || w == "el"; }
// ...and these (the sun-letter assimilations) only when hyphenated to the next word,
// because "as", "an", "at" are English words.
bool is_hyphen_article(std::string_view w) {
    static constexpr std::string_view kArticles[] = {"ar", "as", "ad", "an", "ash", "at", "az",  "ath", "adh",
                                                     "ez", "es", "ed", "en", "er",  "et", "esh", "ul",  "l"};
    for (auto a : kArticles)
        if (w == a) return true;
    return false;
}

constexpr std::string_view kArabicArticle = "\xD8\xA7\xD9\x84";  // ال

// Strips a leading ال when at least two letters remain (Arabic letters are 2 bytes).
void strip_arabic_article(std::string& w) {
    if (w.size() >= kArabicArticle.size() + 4 && w.compare(0, kArabicArticle.size(), kArabicArticle) == 0)
        w.erase(0, kArabicArticle.size());
}

struct Scanner {
    std::string_view text;
    std::vector<EntityToken>& out;
    bool pending_break = true;
    bool dropped_article = false;
    std::uint32_t article_begin = 0;

    EntityToken cur;
    bool in_word = false;

    void start_word(std::uint32_t at, bool upper) {
        cur = EntityToken{};
        cur.begin = at;
        cur.capitalised = upper;
        in_word = true;
    }

    // Ends the current word; @a hyphen_follows tells whether a hyphen comes next.
    void end_word(std::uint32_t at, bool hyphen_follows) {
        if (!in_word) return;
        in_word = false;
        cur.end = at;
        if (cur.norm.empty()) return;  // only marks: nothing to match
        if (!cur.arabic && (is_free_article(cur.norm) || (hyphen_follows && is_hyphen_article(cur.norm)))) {
            if (!dropped_article) article_begin = cur.begin;
            dropped_article = true;
            // A break before the article stays with the word after it.
            return;
        }
        if (cur.arabic) strip_arabic_article(cur.norm);
        cur.break_before = pending_break;
        cur.mention_begin = dropped_article ? article_begin : cur.begin;
        pending_break = false;
        dropped_article = false;
        out.push_back(std::move(cur));
    }

    // A dot of an initialism, after one of its single letters: "U.S." (both dots), so
    // "U.S. Army" is one name as the catalog writes it.
    bool in_initialism(std::uint32_t at, std::int32_t next) const {
        auto letter = [&](std::size_t k) {
            char ch = k < text.size() ? text[k] : ' ';
            return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
        };
        if (!in_word || at < 1 || at - cur.begin != 1 || !letter(at - 1)) return false;
        if (at >= 2 && text[at - 2] == '.') return true;  // the last dot: "S." of "U.S."
        auto k = static_cast<std::size_t>(next);
        return letter(k) && k + 1 < text.size() && text[k + 1] == '.';
    }

    void punct() {
        pending_break = true;
        dropped_article = false;
    }

    void run() {
        const auto* p = reinterpret_cast<const uint8_t*>(text.data());
        int32_t n = static_cast<int32_t>(text.size());
        int32_t i = 0;
        while (i < n) {
            auto at = static_cast<std::uint32_t>(i);
            CharClass cls;
            const FoldedChar* fc = nullptr;
            char ascii = 0;
            int32_t next = i;
            if (p[i] < 0x80) {
                ascii = static_cast<char>(p[i]);
                cls = kAscii[p[i]];
                next = i + 1;
            } else {
                UChar32 c;
                U8_NEXT(p, next, n, c);
                if (c < 0) {
                    cls = CharClass::punct;
                } else {
                    fc = &folded(c);
                    cls = fc->cls;
                }
            }
            switch (cls) {
                case CharClass::word:
                    if (!in_word) start_word(at, fc ? fc->upper : (ascii >= 'A' && ascii <= 'Z'));
                    if (fc) {
                        cur.norm += fc->text;
                        cur.arabic = cur.arabic || fc->arabic;
                    } else {
                        cur.norm += (ascii >= 'A' && ascii <= 'Z') ? static_cast<char>(ascii + 32) : ascii;
                    }
                    break;
                case CharClass::apostrophe:
                    if (in_word) {
                        // "Aleppo's": drop the possessive; "Dar'a": join the halves.
                        bool s_next = next < n && (p[next] == 's' || p[next] == 'S');
                        bool s_ends = next + 1 >= n || (p[next + 1] < 0x80 && kAscii[p[next + 1]] != CharClass::word);
                        if (s_next && s_ends) {
                            end_word(at, false);
                            next += 1;
                            break;
                        }
                        bool word_next = next < n && (p[next] >= 0x80 || kAscii[p[next]] == CharClass::word);
                        if (word_next) break;  // joined
                        end_word(at, false);
                    }
                    break;
                case CharClass::hyphen:
                    end_word(at, true);
                    break;
                case CharClass::space:
                    end_word(at, false);
                    break;
                case CharClass::punct:
                    if (ascii == '.' && in_initialism(at, next)) {
                        end_word(at, false);  // "U.S.", "U.N.": one name, no break after
                        break;
                    }
                    end_word(at, false);
                    punct();
                    break;
            }
            i = next;
        }
        end_word(static_cast<std::uint32_t>(n), false);
    }
};

}  // namespace

void tokenize_for_entities(std::string_view text, std::vector<EntityToken>& out) {
    Scanner s{text, out};
    s.run();
}

std::string normalise_name(std::string_view name) {
    std::vector<EntityToken> tokens;
    tokenize_for_entities(name, tokens);
    std::string out;
    for (const auto& t : tokens) {
        if (!out.empty()) out += ' ';
        out += t.norm;
    }
    return out;
}

std::vector<std::string> arabic_clitic_variants(std::string_view norm) {
    std::vector<std::string> out;
    constexpr std::string_view kWaw = "\xD9\x88", kFa = "\xD9\x81", kBa = "\xD8\xA8", kLam = "\xD9\x84",
                               kKaf = "\xD9\x83";
    auto starts = [](std::string_view w, std::string_view p) { return w.substr(0, p.size()) == p; };
    auto add = [&](std::string w) {
        if (w.size() < 4) return;  // fewer than two letters left
        if (w == norm) return;
        for (const auto& o : out)
            if (o == w) return;
        out.push_back(std::move(w));
    };
    std::string_view w = norm;
    if (w.empty() || static_cast<unsigned char>(w[0]) < 0xD8 || static_cast<unsigned char>(w[0]) > 0xDB) return out;
    std::string_view after_conj = w;
    if (starts(w, kWaw) || starts(w, kFa)) after_conj = w.substr(2);
    for (std::string_view base : {w, after_conj}) {
        std::string b(base);
        if (base != w) {
            std::string s = b;
            strip_arabic_article(s);
            add(s);
        }
        // لل = ل + the article whose alef is written away.
        if (starts(base, std::string(kLam) + std::string(kLam))) add(std::string(base.substr(4)));
        if (starts(base, kBa) || starts(base, kLam) || starts(base, kKaf)) {
            std::string s(base.substr(2));
            add(s);
            strip_arabic_article(s);
            add(s);
        }
    }
    return out;
}

}  // namespace warsearch
