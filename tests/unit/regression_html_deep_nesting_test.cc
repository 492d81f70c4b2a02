// Regression: a page nesting 100,000 inline elements ("<b><b><b>...") exhausted the
// stack in the HTML reader's recursive walks (survey, text, entry blocks) and killed
// the indexer with SIGSEGV.  The walks now stop at a fixed depth: what lies deeper is
// not read, the rest of the page is, and the run goes on.  (Block elements nested as
// deep take Gumbo itself minutes to parse, quadratic in the depth: not tested here.)
#include <gtest/gtest.h>

#include <string>

#include "readers_test_support.h"

using namespace warsearch;

TEST(RegressionHtmlDeepNesting, DeepInlineNestingDoesNotCrash) {
    std::string page = "<html><head><title>Nested page</title></head><body><p>Shallow text of the page.</p>";
    for (int i = 0; i < 100000; ++i) page += "<b>";
    page += "deep text";
    for (int i = 0; i < 100000; ++i) page += "</b>";
    page += "</body></html>";
    warsearch::testing::Collected c;
    read_html(page, "deep.html", ReadOptions{}, c.sink());
    ASSERT_EQ(c.articles.size(), 1u) << c.failure_text();
    EXPECT_EQ(c.articles[0].title, "Nested page");
    EXPECT_NE(c.articles[0].body.find("Shallow text of the page."), std::string::npos) << c.articles[0].body;
}
