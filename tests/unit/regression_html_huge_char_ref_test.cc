// Regression (fuzz_html_reader): Gumbo 0.10.1 decodes a numeric character reference
// larger than 32 bits ("&#xAAAAAAAAA;") with a signed overflow and hands back a lone
// 0xAA byte, so the page's title and text were not UTF-8.  read_html now repairs what
// the parse tree gives it; the reference becomes U+FFFD like any other invalid one.
#include <gtest/gtest.h>

#include "warsearch/readers.h"
#include "warsearch/text.h"

using namespace warsearch;

TEST(RegressionHtmlHugeCharRef, TitleAndBodyStayUtf8) {
    std::vector<Article> got;
    ReadSink sink;
    sink.article = [&](Article&& a) { got.push_back(std::move(a)); };
    sink.failure = [](const ReadFailure&) {};
    sink.warning = [](const ReadWarning&) {};
    // The fuzzer's input, minus its NULs: no <title>, so the title comes from the text.
    read_html("<p>Shelling near &#xAAAAAAAAA; Darayya</p><p>Second &#xAAAAAAAAA; paragraph.</p>"
              "<meta property=\"og:site_name\" content=\"x&#xAAAAAAAAA;y\">",
              "huge-ref.html", ReadOptions{}, sink);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_TRUE(is_valid_utf8(got[0].title)) << got[0].title;
    EXPECT_TRUE(is_valid_utf8(got[0].body)) << got[0].body;
    EXPECT_TRUE(is_valid_utf8(got[0].source)) << got[0].source;
    EXPECT_EQ(got[0].title, "Shelling near \xEF\xBF\xBD Darayya");
    EXPECT_NE(got[0].body.find("Second \xEF\xBF\xBD paragraph."), std::string::npos) << got[0].body;
}
