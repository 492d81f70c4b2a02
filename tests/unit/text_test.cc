#include "common/text/text.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <string>
#include <vector>

using namespace warsearch;

namespace {

TEST(Text, FoldRemovesLatinDiacriticsAndUnifiesArabic) {
    EXPECT_EQ(fold_for_matching("Dārayyā"), "Darayya");
    EXPECT_EQ(fold_for_matching("Bogotá Medellín"), "Bogota Medellin");
    EXPECT_EQ(fold_for_matching("Zelensky\xE2\x80\x99s"), "Zelensky's");
    // أ/إ/آ -> ا ; ة -> ه ; ى -> ي ; tashkeel dropped
    EXPECT_EQ(fold_for_matching("أحمد"), "احمد");
    EXPECT_EQ(fold_for_matching("مدرسة"), "مدرسه");
    EXPECT_EQ(fold_for_matching("دَارَيَّا"), "داريا");
    // Cyrillic letters keep their marks: й is not и.
    EXPECT_EQ(fold_for_matching("Харків й"), "Харків й");
    EXPECT_EQ(fold_for_matching("plain ascii"), "plain ascii");
}

TEST(Text, RepairUtf8) {
    EXPECT_EQ(repair_utf8("a\xff"
                          "b"),
              "a\xEF\xBF\xBD"
              "b");
    EXPECT_EQ(repair_utf8(std::string("a\0b", 3)), "ab");
    EXPECT_EQ(repair_utf8("\xEF\xBB\xBFline\r\nnext\rlast"), "line\nnext\nlast");
    EXPECT_TRUE(is_valid_utf8("Харків"));
    EXPECT_FALSE(is_valid_utf8("\xc3("));
    EXPECT_FALSE(is_valid_utf8(std::string("a\0", 2)));
}

TEST(Text, Latin1) { EXPECT_EQ(latin1_to_utf8("caf\xe9"), "café"); }

TEST(Text, HtmlEscapeCoversTextAndAttributes) {
    EXPECT_EQ(html_escape("<script>alert(\"x\")</script> & 'y'"),
              "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;");
    EXPECT_EQ(html_escape(""), "");
    EXPECT_EQ(html_escape("plain"), "plain");
    EXPECT_EQ(html_escape("&"), "&amp;");
    EXPECT_EQ(html_escape("<<a>>"), "&lt;&lt;a&gt;&gt;");
    EXPECT_EQ(html_escape(std::string("a\0<", 3)), std::string("a\0&lt;", 6));
}

TEST(Text, SqueezeSpaceKeepsOneSpaceBetweenWordsAndNoneAtTheEnds) {
    EXPECT_EQ(squeeze_space(""), "");
    EXPECT_EQ(squeeze_space(" \t\n "), "");
    EXPECT_EQ(squeeze_space("  a  \r\n\tb \f\vc  "), "a b c");
    EXPECT_EQ(squeeze_space("one"), "one");
    EXPECT_EQ(squeeze_space("é  ü"), "é ü");
}

TEST(Text, UrlRoundTrip) {
    EXPECT_EQ(url_encode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
    EXPECT_EQ(url_decode("a+b%26c%3dd%2"), "a b&c=d%2");
    EXPECT_EQ(url_decode(url_encode("\"<x>\"")), "\"<x>\"");
}

TEST(Text, Slugify) {
    EXPECT_EQ(slugify("Al Jazeera English"), "al-jazeera-english");
    EXPECT_EQ(slugify("  Reuters  "), "reuters");
}

// The reference: Xapian's Unicode tables for every character, as the fast path replaced.
std::vector<std::string> reference_words(const std::string& text) {
    std::vector<std::string> out;
    std::string word;
    for (Xapian::Utf8Iterator it(text), end; it != end; ++it) {
        if (Xapian::Unicode::is_wordchar(*it)) {
            Xapian::Unicode::append_utf8(word, Xapian::Unicode::tolower(*it));
        } else if (!word.empty()) {
            out.push_back(word);
            word.clear();
        }
    }
    if (!word.empty()) out.push_back(word);
    return out;
}

TEST(Text, ForEachWordSplitsAsXapianDoes) {
    for (std::string text :
         {std::string("Shelling in DARAYYA, 14:45 GMT; snake_case x2 -- Zelensky's"),
          std::string("D\xC4\x81rayy\xC4\x81 \xD8\xAF\xD8\xA7\xD8\xB1\xD9\x8A\xD8\xA7 \xD0\x9A\xD0\xB8\xD1\x97\xD0\xB2 "
                      "caf\xC3\xA9\xCC\x81"),
          std::string(
              "\xD9\xA1\xD9\xA2\xD9\xA3 \xE2\x80\x94 \xE2\x80\x99 \xEF\xBC\xA1\xEF\xBC\xA2 \xF0\x9F\x98\x80 end"),
          std::string(""), std::string("   "), std::string("a")}) {
        std::vector<std::string> got;
        for_each_word(text, [&](const WordView& w) { got.emplace_back(w.text); });
        EXPECT_EQ(got, reference_words(text)) << text;
    }
    std::vector<std::pair<std::string, bool>> digits;
    for_each_word("abc x2 \xD9\xA1\xD9\xA2 word", [&](const WordView& w) { digits.emplace_back(w.text, w.has_digit); });
    ASSERT_EQ(digits.size(), 4u);
    EXPECT_FALSE(digits[0].second);
    EXPECT_TRUE(digits[1].second);
    EXPECT_TRUE(digits[2].second);  // Arabic-Indic digits are decimal digits too
    EXPECT_FALSE(digits[3].second);
    unsigned chars = 0;
    for_each_word("D\xC4\x81rayy\xC4\x81", [&](const WordView& w) { chars = w.characters; });
    EXPECT_EQ(chars, 7u);
}

}  // namespace
