// Text utilities shared by every reader and renderer: UTF-8 repair, folding for
// matching, and escaping for each output context.
#pragma once

#include <string>
#include <string_view>
#include <type_traits>

namespace warsearch {

/// True when @a s is well-formed UTF-8 with no NUL bytes.
bool is_valid_utf8(std::string_view s);

/// Returns @a s as well-formed UTF-8: invalid sequences become U+FFFD, NUL bytes and
/// other C0 controls except tab and newline are dropped, CRLF and lone CR become LF and
/// a leading BOM is removed.
std::string repair_utf8(std::string_view s);

/// Decodes ISO-8859-1 (Latin-1), as found in old newswire and BBC files, to UTF-8.
std::string latin1_to_utf8(std::string_view s);

/// Folds text for matching, the same way at index and query time: Latin letters lose
/// their diacritics (Dārayyā -> Darayya), typographic apostrophes and quotes become ASCII,
/// Arabic loses tashkeel and tatweel and has its alef, yeh and taa marbuta forms unified.
/// Case is left to Xapian's term generator.  Pure-ASCII input is returned unchanged.
std::string fold_for_matching(std::string_view s);

/// One word of for_each_word: lower-cased, valid until the next call.
struct WordView {
    std::string_view text;
    unsigned characters = 0;
    bool has_digit = false;  ///< a decimal digit (Unicode Nd) is part of it
};

/// Calls @a each for every word of @a text, split and lower-cased as Xapian's term
/// generator splits (Xapian::Unicode::is_wordchar: letters, digits, marks, '_').  ASCII
/// is classified directly, which is several times faster than going through the
/// Unicode tables for every character; the words are the same.
void for_each_word(std::string_view text, void (*each)(const WordView&, void*), void* context);

template <class F>
void for_each_word(std::string_view text, F&& each) {
    for_each_word(
        text, [](const WordView& w, void* c) { (*static_cast<std::remove_reference_t<F>*>(c))(w); },
        static_cast<void*>(&each));
}

/// Collapses runs of white space to one space and trims the ends.
std::string squeeze_space(std::string_view s);

/// Escapes for HTML text and double-quoted attribute values (& < > " ').
std::string html_escape(std::string_view s);

/// Percent-encodes for a URL query component (RFC 3986 unreserved left as is).
std::string url_encode(std::string_view s);

/// Decodes a URL query component ('+' is a space); invalid escapes are kept literally.
std::string url_decode(std::string_view s);

/// The value of hexadecimal digit @a c (0-9, a-f, A-F), or -1 when it is not one.
int hex_digit_value(char c);

/// Stable 64-bit hash (xxh3) of @a s, for ids and fingerprints.
unsigned long long hash64(std::string_view s);

/// Lower-case ASCII hex of @a value, 16 digits.
std::string hex64(unsigned long long value);

/// Makes a term-safe slug: ASCII lower case, runs of other bytes become '-'; for values
/// used as boolean terms (sources).  UTF-8 letters are kept as they are.
std::string slugify(std::string_view s);

}  // namespace warsearch
