// Regression: a quote left open in a CSV field ("He said "no, and left) swallowed the
// next rows into that record's body: exit 0, no failure line, two reports lost.  The
// reader now reports a quoted field that runs over a line break into a record-like line
// (naming the file and the lines), and skips that record.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "readers_test_support.h"

using namespace warsearch;

namespace {

warsearch::testing::Collected read_csv_text(const std::string& text) {
    warsearch::testing::Collected c;
    std::istringstream in(text);
    read_csv(in, "reports.csv", ReadOptions{}, c.sink());
    return c;
}

}  // namespace

TEST(RegressionCsvQuoteSwallowsRows, StrayQuoteThatSwallowsRecordsIsReported) {
    auto c = read_csv_text(
        "id,title,body,date\n"
        "r1,Shelling in the north,\"He said \"no, and left,2020-01-01\n"
        "r2,Convoy reaches the city,Aid arrived at noon,2020-01-02\n"
        "r3,Talks resume,\"Both sides met\",2020-01-03\n"
        "r4,Quiet night,Nothing was reported,2020-01-04\n");
    ASSERT_EQ(c.failures.size(), 1u) << c.failure_text();
    EXPECT_EQ(c.failures[0].where, "reports.csv:2");
    EXPECT_NE(c.failures[0].reason.find("line 3"), std::string::npos) << c.failures[0].reason;
    EXPECT_NE(c.failures[0].reason.find("lines 2-4"), std::string::npos) << c.failures[0].reason;
    ASSERT_EQ(c.articles.size(), 1u);
    EXPECT_EQ(c.articles[0].id, "r4");
}

TEST(RegressionCsvQuoteSwallowsRows, UnclosedQuoteBeforeIdLikeLineIsReported) {
    // No stray quote: the field is opened and closed only two rows later.
    auto c = read_csv_text(
        "id,title,body\n"
        "101,First,\"Opened and never closed\n"
        "102,Second,Another report\n"
        "103,Third,closed here\"\n"
        "104,Fourth,Fine\n");
    ASSERT_EQ(c.failures.size(), 1u) << c.failure_text();
    EXPECT_EQ(c.failures[0].where, "reports.csv:2");
    ASSERT_EQ(c.articles.size(), 1u);
    EXPECT_EQ(c.articles[0].id, "104");
}

TEST(RegressionCsvQuoteSwallowsRows, MultiLineBodiesAreStillOneRecord) {
    // RFC 4180: quoted fields may hold line breaks, commas and doubled quotes.
    auto c = read_csv_text(
        "id,title,body,date\n"
        "r1,Two paragraphs,\"First paragraph, with a comma.\n"
        "Second paragraph, with two, commas and a \"\"quote\"\".\",2020-01-01\n"
        "r2,Short,\"One line\",2020-01-02\n");
    EXPECT_TRUE(c.failures.empty()) << c.failure_text();
    ASSERT_EQ(c.articles.size(), 2u);
    EXPECT_NE(c.articles[0].body.find("Second paragraph"), std::string::npos);
}
