// Regression: a page nesting 100,000 inline elements ("<b><b><b>...") exhausted the
// stack in the HTML reader's recursive walks and killed the indexer with SIGSEGV;
// 50,000 nested <div> did the same (and, once the walks were bounded, took Gumbo a
// minute to parse), and 5,000 nested tables cost Gumbo 800 MB.  Such pages are now
// refused before parsing, a failure for that file only; the walks stay bounded too.
#include <gtest/gtest.h>

#include <string>

#include "common/readers/html_nesting.h"
#include "readers_test_support.h"

using namespace warsearch;

namespace {

std::string nested_page(const std::string& open, const std::string& close, int levels) {
    std::string page = "<html><head><title>Nested page</title></head><body><p>Shallow text of the page.</p>";
    for (int i = 0; i < levels; ++i) page += open;
    page += "deep text";
    for (int i = 0; i < levels; ++i) page += close;
    return page + "</body></html>";
}

}  // namespace

TEST(RegressionHtmlDeepNesting, DeepNestingIsAFailureForThatFileOnly) {
    struct Case {
        const char* open;
        const char* close;
        int levels;
    } cases[] = {{"<b>", "</b>", 100000},
                 {"<div>", "</div>", 50000},
                 {"<div>", "", 50000},
                 {"<span>", "", 20000},
                 {"<table><tr><td>", "", 5000}};
    for (const Case& k : cases) {
        warsearch::testing::Collected c;
        read_html(nested_page(k.open, k.close, k.levels), "deep.html", ReadOptions{}, c.sink());
        EXPECT_TRUE(c.articles.empty()) << k.open;
        ASSERT_EQ(c.failures.size(), 1u) << k.open;
        EXPECT_EQ(c.failures[0].where, "deep.html");
        EXPECT_NE(c.failures[0].reason.find("nested more than"), std::string::npos) << c.failures[0].reason;
    }
}

TEST(RegressionHtmlDeepNesting, OrdinaryNestingAndSloppyMarkupAreRead) {
    // 500 levels of real nesting, and thousands of implicitly closed <p>/<li>/<td>.
    std::string page = nested_page("<div>", "</div>", 500);
    std::string sloppy = "<html><head><title>Sloppy</title></head><body><ul>";
    for (int i = 0; i < 5000; ++i) sloppy += "<li><p>Item text<br><img src=x>";
    sloppy += "</ul><script>var s = '<div><div><div>';</script></body></html>";
    for (const std::string& p : {page, sloppy}) {
        warsearch::testing::Collected c;
        read_html(p, "ok.html", ReadOptions{}, c.sink());
        EXPECT_EQ(c.articles.size(), 1u) << c.failure_text();
    }
    EXPECT_EQ(detail::html_nesting_depth("<div><DIV></div></DIV><!-- <div><div> --><br/><b/>"), 2u);
    EXPECT_EQ(detail::html_nesting_depth("<table><tr><td>x</td></tr></table>"), 2u);
}
