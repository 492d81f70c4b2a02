#include <gtest/gtest.h>

#include "warsearch/text.h"

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
    EXPECT_EQ(repair_utf8("a\xff" "b"), "a\xEF\xBF\xBD" "b");
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

}  // namespace
