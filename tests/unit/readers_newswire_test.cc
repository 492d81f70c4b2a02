// MUC-3/4 and Reuters-21578 layouts, on fixtures written in those layouts.
#include "readers_test_support.h"

using namespace warsearch;
using namespace warsearch::testing;

TEST(ReadersMuc, DocumentsDatelinesAndReadableTitles) {
    Collected c = read(fixture("newswire/sample-muc3-0001-0003"));
    ASSERT_EQ(c.articles.size(), 3u) << c.failure_text();
    EXPECT_TRUE(c.failures.empty());
    const Article& a = c.articles[0];
    EXPECT_EQ(a.id, "TST9-MUC3-0001");
    EXPECT_EQ(a.title,
              "The example battalion reported that a fictional bridge was damaged in U.S.-made mortar fire.");
    EXPECT_EQ(a.date.iso(), "1990-01-03");
    EXPECT_EQ(a.dateline_place, "San Salvador");
    EXPECT_EQ(a.body.rfind("SAN SALVADOR, 3 JAN 90 -- [REPORT]", 0), 0u);  // body kept as is
    EXPECT_EQ(a.from.line, 1u);
    const Article& b = c.articles[1];
    EXPECT_EQ(b.dateline_place, "Rio de Janeiro");
    EXPECT_EQ(b.date.iso(), "1988-12-22");
    EXPECT_EQ(b.source, "EXAMPLE TELEVISION NETWORK");
    EXPECT_EQ(b.title, "A fictional story with a two-line dateline.");
    const Article& d = c.articles[2];
    EXPECT_EQ(d.id, "TST9-MUC3-0003");
    EXPECT_TRUE(d.date.empty());
    EXPECT_EQ(d.dateline_place, "");
    EXPECT_EQ(d.title, "Mixed case text is kept as it is.");
}

TEST(ReadersReuters, StoriesPlacesAndLenientBytes) {
    Collected c = read(fixture("newswire/sample.sgm"));
    ASSERT_EQ(c.articles.size(), 3u) << c.failure_text();
    const Article* a = c.by_id("reuters-9001");
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->title, "FICTIONAL COCOA REVIEW & OUTLOOK");
    EXPECT_EQ(a->date.iso(), "1987-02-26T15:01:01Z");
    EXPECT_EQ(a->dateline_place, "Salvador");
    EXPECT_EQ(a->places, (std::vector<std::string>{"el-salvador", "usa"}));
    EXPECT_EQ(a->byline, "Jo Example");
    EXPECT_EQ(a->body, "Showers continued <in the fictional zone>.\n    A stray byte \xC3\xBC follows here.");
    const Article* b = c.by_id("reuters-9002");
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(b->title, "FICTIONAL WEEKLY REPORT - FEB 26");
    EXPECT_EQ(b->date.iso(), "1987-03-27T03:48:23Z");
    const Article* brief = c.by_id("reuters-9003");
    ASSERT_NE(brief, nullptr);
    EXPECT_EQ(brief->title, "FICTIONAL BRIEF HEADLINE");
    EXPECT_EQ(brief->body, "");
    ASSERT_EQ(c.failures.size(), 1u);  // the empty story
    EXPECT_NE(c.failures[0].where.find("sample.sgm:"), std::string::npos);
    ASSERT_EQ(c.warnings.size(), 1u);
    EXPECT_NE(c.warnings[0].message.find("Latin-1"), std::string::npos);
}
