// Regression (fuzz_html_reader): Gumbo 0.10.1 decodes a numeric character reference
// larger than 32 bits ("&#xAAAAAAAAA;") with a signed overflow and hands back a lone
// 0xAA byte, so the page's title and text were not UTF-8.  read_html now repairs what
// the parse tree gives it; the reference becomes U+FFFD like any other invalid one.
#include <gtest/gtest.h>

#include "common/text/text.h"
#include "readers_test_support.h"

using namespace warsearch;

TEST(RegressionHtmlHugeCharRef, TitleAndBodyStayUtf8) {
    warsearch::testing::Collected c;
    // The fuzzer's input, minus its NULs: no <title>, so the title comes from the text.
    read_html(
        "<p>Shelling near &#xAAAAAAAAA; Darayya</p><p>Second &#xAAAAAAAAA; paragraph.</p>"
        "<meta property=\"og:site_name\" content=\"x&#xAAAAAAAAA;y\">",
        "huge-ref.html", ReadOptions{}, c.sink());
    ASSERT_EQ(c.articles.size(), 1u);
    EXPECT_TRUE(is_valid_utf8(c.articles[0].title)) << c.articles[0].title;
    EXPECT_TRUE(is_valid_utf8(c.articles[0].body)) << c.articles[0].body;
    EXPECT_TRUE(is_valid_utf8(c.articles[0].source)) << c.articles[0].source;
    EXPECT_EQ(c.articles[0].title, "Shelling near \xEF\xBF\xBD Darayya");
    EXPECT_NE(c.articles[0].body.find("Second \xEF\xBF\xBD paragraph."), std::string::npos) << c.articles[0].body;
}
