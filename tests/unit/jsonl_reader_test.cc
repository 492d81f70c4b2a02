#include <gtest/gtest.h>

#include <sstream>

#include "common/readers/readers.h"
#include "common/text/text.h"
#include "readers_test_support.h"

using namespace warsearch;
using warsearch::testing::Collected;

namespace {

Collected read(const std::string& text, const ReadOptions& options = {}) {
    Collected c;
    std::istringstream in(text);
    read_jsonl(in, "in.jsonl", options, c.sink());
    return c;
}

TEST(JsonlReader, ReadsOurSchema) {
    auto c = read(R"({"id":"a1","title":"T","body":"B","date":"2016-07","source":"S","url":"u","lang":"en"})"
                  "\n");
    ASSERT_EQ(c.articles.size(), 1u);
    const Article& a = c.articles[0];
    EXPECT_EQ(a.id, "a1");
    EXPECT_EQ(a.title, "T");
    EXPECT_EQ(a.body, "B");
    EXPECT_EQ(a.date.iso(), "2016-07");
    EXPECT_EQ(a.date.precision, DatePrecision::month);
    EXPECT_EQ(a.source, "S");
    EXPECT_EQ(a.url, "u");
    EXPECT_EQ(a.lang, "en");
    EXPECT_EQ(a.from.where(), "in.jsonl:1");
}

TEST(JsonlReader, BadLinesAreReportedWithLineAndSkipped) {
    auto c = read(
        "{\"id\":\"a\",\"title\":\"ok\"}\n"
        "not json\n"
        "\n"
        "[1,2]\n"
        "{\"id\":\"b\"}\n"
        "{\"id\":\"c\",\"title\":\"ok\"} trailing\n"
        "{\"id\":\"d\",\"title\":\"ok too\"}\n");
    ASSERT_EQ(c.articles.size(), 2u);
    EXPECT_EQ(c.articles[1].id, "d");
    ASSERT_EQ(c.failures.size(), 4u);
    EXPECT_EQ(c.failures[0].where, "in.jsonl:2");
    EXPECT_EQ(c.failures[1].where, "in.jsonl:4");
    EXPECT_EQ(c.failures[1].reason, "not a JSON object");
    EXPECT_EQ(c.failures[2].reason, "no title and no body");
    EXPECT_EQ(c.failures[3].where, "in.jsonl:6");
}

TEST(JsonlReader, BomCrlfAndInvalidUtf8AreRepaired) {
    auto c = read("\xEF\xBB\xBF{\"id\":\"a\",\"title\":\"caf\xe9\"}\r\n{\"id\":\"b\",\"title\":\"x\"}\r\n");
    ASSERT_EQ(c.articles.size(), 2u);
    // A stray Latin-1 byte is decoded as Latin-1 (or replaced), never passed on raw.
    EXPECT_TRUE(c.articles[0].title == "café" || c.articles[0].title == "caf\xEF\xBF\xBD") << c.articles[0].title;
    ASSERT_EQ(c.warnings.size(), 1u);
    EXPECT_EQ(c.warnings[0].where, "in.jsonl:1");
}

TEST(JsonlReader, BadDateKeepsArticleWithWarning) {
    auto c = read(R"({"id":"a","title":"T","date":"someday"})"
                  "\n");
    ASSERT_EQ(c.articles.size(), 1u);
    EXPECT_TRUE(c.articles[0].date.empty());
    ASSERT_EQ(c.warnings.size(), 1u);
    EXPECT_EQ(c.warnings[0].where, "in.jsonl:1");
}

TEST(JsonlReader, FieldMapAndNumericIds) {
    ReadOptions options;
    options.field_map = {{"title", "headline"}, {"body", "article_content"}};
    auto c = read(R"({"unit_id":1914947530,"headline":"H","article_content":"C"})"
                  "\n",
                  options);
    ASSERT_EQ(c.articles.size(), 1u);
    EXPECT_EQ(c.articles[0].id, "1914947530");
    EXPECT_EQ(c.articles[0].title, "H");
    EXPECT_EQ(c.articles[0].body, "C");
}

TEST(JsonlReader, MissingIdsAreDerivedStably) {
    auto a = read(R"({"title":"T"})"
                  "\n"
                  R"({"title":"U"})"
                  "\n");
    auto b = read(R"({"title":"T"})"
                  "\n"
                  R"({"title":"U"})"
                  "\n");
    ASSERT_EQ(a.articles.size(), 2u);
    EXPECT_EQ(a.articles[0].id, b.articles[0].id);
    EXPECT_NE(a.articles[0].id, a.articles[1].id);
    EXPECT_EQ(a.articles[0].id.rfind("doc-", 0), 0u);
}

}  // namespace
