#include "common/text/text.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>
#include <xapian.h>
#include <xxhash.h>

#include <cctype>
#include <cstdio>
#include <cstring>

namespace warsearch {

bool is_valid_utf8(std::string_view s) {
    int32_t i = 0, n = static_cast<int32_t>(s.size());
    const auto* p = reinterpret_cast<const uint8_t*>(s.data());
    while (i < n) {
        if (p[i] < 0x80) {
            if (p[i] == 0) return false;
            ++i;
            continue;
        }
        UChar32 c;
        U8_NEXT(p, i, n, c);
        if (c < 0) return false;
    }
    return true;
}

std::string repair_utf8(std::string_view s) {
    if (s.size() >= 3 && static_cast<unsigned char>(s[0]) == 0xEF && static_cast<unsigned char>(s[1]) == 0xBB &&
        static_cast<unsigned char>(s[2]) == 0xBF)
        s.remove_prefix(3);
    std::string out;
    out.reserve(s.size());
    int32_t i = 0, n = static_cast<int32_t>(s.size());
    const auto* p = reinterpret_cast<const uint8_t*>(s.data());
    while (i < n) {
        uint8_t b = p[i];
        if (b < 0x80) {
            ++i;
            if (b == '\r') {
                out += '\n';
                if (i < n && p[i] == '\n') ++i;
            } else if (b >= 0x20 || b == '\n' || b == '\t') {
                out += static_cast<char>(b);
            }
            continue;
        }
        UChar32 c;
        U8_NEXT(p, i, n, c);
        if (c < 0) c = 0xFFFD;
        // C1 controls (U+0080..U+009F) carry nothing readable.
        if (c >= 0x80 && c <= 0x9F) continue;
        Xapian::Unicode::append_utf8(out, c);
    }
    return out;
}

std::string latin1_to_utf8(std::string_view s) {
    std::string out;
    out.reserve(s.size() + s.size() / 8);
    for (unsigned char b : s) {
        if (b < 0x80) {
            out += static_cast<char>(b);
        } else {
            out += static_cast<char>(0xC0 | (b >> 6));
            out += static_cast<char>(0x80 | (b & 0x3F));
        }
    }
    return out;
}

namespace {

// Arabic letters folded to one form each: alef variants to bare alef, alef maqsura to
// yeh, taa marbuta to heh, and the Persian/Urdu kaf and yeh to the Arabic ones.
UChar32 fold_arabic_letter(UChar32 c) {
    switch (c) {
        case 0x0622:
        case 0x0623:
        case 0x0625:
        case 0x0671:
            return 0x0627;  // آ أ إ ٱ -> ا
        case 0x0649:
        case 0x06CC:
            return 0x064A;  // ى ی -> ي
        case 0x0629:
            return 0x0647;  // ة -> ه
        case 0x06A9:
            return 0x0643;  // ک -> ك
        case 0x0624:
            return 0x0648;  // ؤ -> و
        case 0x0626:
            return 0x064A;  // ئ -> ي
        default:
            return c;
    }
}

bool is_arabic_mark(UChar32 c) {
    return (c >= 0x064B && c <= 0x065F) || c == 0x0670 || c == 0x0640;  // tashkeel, tatweel
}

UChar32 fold_punctuation(UChar32 c) {
    switch (c) {
        case 0x2018:
        case 0x2019:
        case 0x201B:
        case 0x02BC:
        case 0x02BB:
        case 0x2032:
        case 0x00B4:
        case 0x0060:
            return '\'';
        case 0x201C:
        case 0x201D:
        case 0x201F:
        case 0x00AB:
        case 0x00BB:
            return '"';
        case 0x2010:
        case 0x2011:
        case 0x2012:
        case 0x2013:
        case 0x2014:
        case 0x2212:
            return '-';
        case 0x00A0:
        case 0x2007:
        case 0x202F:
        case 0x2009:
        case 0x200A:
            return ' ';
        default:
            return c;
    }
}

}  // namespace

std::string fold_for_matching(std::string_view s) {
    bool ascii = true;
    for (unsigned char b : s)
        if (b >= 0x80) {
            ascii = false;
            break;
        }
    if (ascii) return std::string(s);

    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
    std::string out;
    out.reserve(s.size());
    int32_t i = 0, n = static_cast<int32_t>(s.size());
    const auto* p = reinterpret_cast<const uint8_t*>(s.data());
    icu::UnicodeString decomposition;
    while (i < n) {
        if (p[i] < 0x80) {
            out += static_cast<char>(p[i++]);
            continue;
        }
        UChar32 c;
        U8_NEXT(p, i, n, c);
        if (c < 0) {
            Xapian::Unicode::append_utf8(out, 0xFFFD);
            continue;
        }
        c = fold_punctuation(c);
        if (c == 0x200C || c == 0x200D || c == 0x200B || c == 0xFEFF) continue;  // zero-width
        // Arabic tashkeel are script "Inherited", so test for them before the script.
        if (is_arabic_mark(c)) continue;
        UErrorCode code = U_ZERO_ERROR;
        UScriptCode script = uscript_getScript(c, &code);
        if (script == USCRIPT_ARABIC) {
            Xapian::Unicode::append_utf8(out, fold_arabic_letter(c));
            continue;
        }
        if (script == USCRIPT_LATIN && U_SUCCESS(status) && nfd->getDecomposition(c, decomposition)) {
            // Keep the base letters, drop the combining marks: ā -> a, ç -> c.
            for (int32_t k = 0; k < decomposition.length();) {
                UChar32 d = decomposition.char32At(k);
                k += U16_LENGTH(d);
                if (u_charType(d) != U_NON_SPACING_MARK) Xapian::Unicode::append_utf8(out, d);
            }
            continue;
        }
        if (script == USCRIPT_INHERITED && u_charType(c) == U_NON_SPACING_MARK) {
            // A combining mark written separately after a Latin letter.
            if (!out.empty() && static_cast<unsigned char>(out.back()) < 0x80) continue;
        }
        Xapian::Unicode::append_utf8(out, c);
    }
    return out;
}

void for_each_word(std::string_view text, void (*each)(const WordView&, void*), void* context) {
    std::string word;
    WordView view;
    auto flush = [&] {
        if (word.empty()) return;
        view.text = word;
        each(view, context);
        word.clear();
        view.characters = 0;
        view.has_digit = false;
    };
    std::size_t i = 0, n = text.size();
    while (i < n) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            ++i;
            if ((c >= 'a' && c <= 'z') || c == '_') {
                word += static_cast<char>(c);
            } else if (c >= 'A' && c <= 'Z') {
                word += static_cast<char>(c + ('a' - 'A'));
            } else if (c >= '0' && c <= '9') {
                word += static_cast<char>(c);
                view.has_digit = true;
            } else {
                flush();
                continue;
            }
            ++view.characters;
            continue;
        }
        Xapian::Utf8Iterator it(text.data() + i, n - i);
        unsigned ch = *it;
        ++it;
        i = it == Xapian::Utf8Iterator() ? n : static_cast<std::size_t>(it.raw() - text.data());
        if (Xapian::Unicode::is_wordchar(ch)) {
            if (Xapian::Unicode::get_category(ch) == Xapian::Unicode::DECIMAL_DIGIT_NUMBER) view.has_digit = true;
            Xapian::Unicode::append_utf8(word, Xapian::Unicode::tolower(ch));
            ++view.characters;
        } else {
            flush();
        }
    }
    flush();
}

std::string squeeze_space(std::string_view s) {
    // Written through a pointer, not appended a byte at a time: every snippet squeezes
    // its hit's text, so this is on the query path.
    std::string out(s.size(), '\0');
    char* begin = out.data();
    char* w = begin;
    bool space = false;
    for (char ch : s) {
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v') {
            space = w != begin;
        } else {
            if (space) *w++ = ' ';
            space = false;
            *w++ = ch;
        }
    }
    out.resize(static_cast<std::size_t>(w - begin));
    return out;
}

std::string html_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 16);
    // Runs without a character to escape are appended whole.
    std::size_t run = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char* entity;
        switch (s[i]) {
            case '&':
                entity = "&amp;";
                break;
            case '<':
                entity = "&lt;";
                break;
            case '>':
                entity = "&gt;";
                break;
            case '"':
                entity = "&quot;";
                break;
            case '\'':
                entity = "&#39;";
                break;
            default:
                continue;
        }
        out.append(s.data() + run, i - run);
        out += entity;
        run = i + 1;
    }
    out.append(s.data() + run, s.size() - run);
    return out;
}

std::string url_encode(std::string_view s) {
    static const char* kHex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char ch : s) {
        if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
            out += static_cast<char>(ch);
        } else {
            out += '%';
            out += kHex[ch >> 4];
            out += kHex[ch & 15];
        }
    }
    return out;
}

int hex_digit_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string url_decode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        char ch = s[i];
        if (ch == '+') {
            out += ' ';
        } else if (ch == '%' && i + 2 < s.size() && hex_digit_value(s[i + 1]) >= 0 && hex_digit_value(s[i + 2]) >= 0) {
            out += static_cast<char>(hex_digit_value(s[i + 1]) * 16 + hex_digit_value(s[i + 2]));
            i += 2;
        } else {
            out += ch;
        }
    }
    return out;
}

unsigned long long hash64(std::string_view s) { return XXH3_64bits(s.data(), s.size()); }

std::string hex64(unsigned long long value) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", value);
    return buf;
}

std::string slugify(std::string_view s) {
    std::string out;
    bool dash = false;
    for (unsigned char ch : s) {
        if (std::isalnum(ch) || ch >= 0x80) {
            if (dash && !out.empty()) out += '-';
            dash = false;
            out += static_cast<char>(std::tolower(ch));
        } else {
            dash = true;
        }
    }
    return out;
}

}  // namespace warsearch
