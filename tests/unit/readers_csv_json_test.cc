// CSV, JSON and JSONL through the shared record mapping.
#include <sstream>

#include "common/readers/field_map.h"
#include "readers_test_support.h"

using namespace warsearch;
using namespace warsearch::testing;

TEST(ReadersCsv, MappedColumnsQuotedMultilineAnyDelimiterAndDates) {
    ReadOptions o;
    o.field_map = {
        {"id", "story_id"}, {"title", "headline"}, {"body", "story"}, {"date", "published"}, {"source", "outlet"}};
    Collected c = read(fixture("csv/mapped_semicolon.csv"), o);
    ASSERT_EQ(c.articles.size(), 6u) << c.failure_text();
    EXPECT_TRUE(c.failures.empty()) << c.failure_text();
    struct Row {
        const char* id;
        const char* title;
        const char* date;
    };
    const Row rows[] = {{"a1", "Shelling in Darayya", "2017-04-05"},  {"a2", "Aleppo convoy hit", "2017-04-05"},
                        {"a3", "Idlib clinic", "2017-04-05"},         {"a4", "Raqqa front", "2017-04-05T10:00:00Z"},
                        {"a5", "Homs talks", "1987-02-26T15:01:01Z"}, {"a6", "Bad date row", ""}};
    for (const auto& r : rows) {
        const Article* a = c.by_id(r.id);
        ASSERT_NE(a, nullptr) << r.id;
        EXPECT_EQ(a->title, r.title);
        EXPECT_EQ(a->date.iso(), r.date) << r.id;
        EXPECT_EQ(a->source, "Example Wire");
    }
    EXPECT_EQ(c.by_id("a1")->body, "First paragraph; with a semicolon.\n\nSecond paragraph with \"quotes\".");
    EXPECT_EQ(c.by_id("a2")->from.line, 5u);  // a1 spans lines 2-4
    ASSERT_EQ(c.warnings.size(), 1u);
    EXPECT_NE(c.warnings[0].message.find("unreadable date 'not a date'"), std::string::npos);
    EXPECT_NE(c.warnings[0].where.find("mapped_semicolon.csv:9"), std::string::npos);
}

TEST(ReadersCsv, DayFirstOrder) {
    std::istringstream in("id,title,date\n1,T,4/5/17\n");
    Collected c;
    ReadOptions o;
    o.date_order = DateOrder::dmy;
    read_csv(in, "x.csv", o, c.sink());
    ASSERT_EQ(c.articles.size(), 1u);
    EXPECT_EQ(c.articles[0].date.iso(), "2017-05-04");
}

TEST(ReadersCsv, DefaultHeaderNamesBadRowsAndShortRows) {
    Collected c = read(fixture("csv/auto_headers.csv"));
    ASSERT_EQ(c.articles.size(), 3u) << c.failure_text();
    EXPECT_EQ(c.by_id("101")->title, "Fictional convoy report");
    EXPECT_EQ(c.by_id("101")->body, "Line one of the body.\nLine two of the body, with a comma.");
    EXPECT_EQ(c.by_id("101")->date.iso(), "2017-04-05");
    EXPECT_EQ(c.by_id("102")->title, "Untitled piece: the first line becomes the title.");
    ASSERT_EQ(c.failures.size(), 1u);
    EXPECT_NE(c.failures[0].where.find("auto_headers.csv:7"), std::string::npos);
    EXPECT_NE(c.failures[0].reason.find("7 fields"), std::string::npos);
}

TEST(ReadersCsv, MapNamingAMissingColumnFailsTheFile) {
    ReadOptions o;
    o.field_map = {{"title", "no_such_column"}};
    Collected c = read(fixture("csv/auto_headers.csv"), o);
    EXPECT_TRUE(c.articles.empty());
    ASSERT_EQ(c.failures.size(), 1u);
    EXPECT_TRUE(c.failures[0].whole_file);
    EXPECT_NE(c.failures[0].reason.find("no_such_column"), std::string::npos);
}

TEST(ReadersCsv, UnclosedQuoteAndOversizedRecord) {
    {
        std::istringstream in("title,body\nA,\"never closed\nmore\n");
        Collected c;
        read_csv(in, "q.csv", {}, c.sink());
        EXPECT_TRUE(c.articles.empty());
        ASSERT_EQ(c.failures.size(), 1u);
        EXPECT_NE(c.failures[0].reason.find("never closed"), std::string::npos);
    }
    {
        std::string big = "title,body\nA,\"" + std::string(5000, 'x') + "\nB,ok\n";
        std::istringstream in(big);
        ReadOptions o;
        o.max_record_bytes = 1000;
        Collected c;
        read_csv(in, "big.csv", o, c.sink());
        ASSERT_GE(c.failures.size(), 1u);
        EXPECT_NE(c.failures[0].reason.find("over 1000 bytes"), std::string::npos);
    }
}

TEST(ReadersCsv, TabDelimiterKeepsEmptyFields) {
    std::istringstream in("id\ttitle\tbody\tdate\n7\t\tOnly a body here.\t2016-07-14\n");
    Collected c;
    read_csv(in, "t.tsv", {}, c.sink());
    ASSERT_EQ(c.articles.size(), 1u) << c.failure_text();
    EXPECT_EQ(c.articles[0].id, "7");
    EXPECT_EQ(c.articles[0].title, "Only a body here.");
    EXPECT_EQ(c.articles[0].date.iso(), "2016-07-14");
}

TEST(ReadersJson, ArrayOfObjectsWithFailuresPerRecord) {
    Collected c = read(fixture("json/array.json"));
    ASSERT_EQ(c.articles.size(), 3u) << c.failure_text();
    EXPECT_EQ(c.articles[0].title, "Fictional ceasefire holds in the south");
    EXPECT_EQ(c.articles[0].byline, "A. Writer, B. Writer");
    EXPECT_EQ(c.articles[0].source, "Example Daily");
    EXPECT_EQ(c.articles[1].id, "custom-2");
    EXPECT_TRUE(c.articles[1].date.empty());
    // The Ukraine dump's layout: metadata in the file name, title from the content.
    const Article* u = c.by_id("20220125T090000Z_GB_en_0123456789");
    ASSERT_NE(u, nullptr);
    EXPECT_EQ(u->date.iso(), "2022-01-25T09:00Z");
    EXPECT_EQ(u->lang, "en");
    EXPECT_EQ(u->source, "GB");
    EXPECT_EQ(u->title, "A fictional first line makes the title.");
    ASSERT_EQ(c.failures.size(), 2u);
    EXPECT_NE(c.failures[0].where.find("array.json#3"), std::string::npos);
    EXPECT_NE(c.failures[1].where.find("array.json#5"), std::string::npos);
}

TEST(ReadersJson, WrappedArrayAndMap) {
    Collected c = read(fixture("json/wrapped.json"));
    ASSERT_EQ(c.articles.size(), 2u);
    EXPECT_EQ(c.articles[1].title, "Wrapped two");
    ReadOptions o;
    o.field_map = {{"title", "body"}};
    Collected m = read(fixture("json/wrapped.json"), o);
    ASSERT_EQ(m.articles.size(), 2u);
    EXPECT_EQ(m.articles[0].title, "b1");
}

TEST(ReadersJson, JsonLinesSkipBlankLinesAndReportBrokenOnes) {
    Collected c = read(fixture("json/lines.jsonl"));
    ASSERT_EQ(c.articles.size(), 2u);
    ASSERT_EQ(c.failures.size(), 1u);
    EXPECT_NE(c.failures[0].where.find("lines.jsonl:4"), std::string::npos);
}

TEST(ReadersJson, InvalidJsonFailsTheFile) {
    TempDir t;
    Collected c = read(t.write("bad.json", "[{\"title\": \"x\"},"));
    EXPECT_TRUE(c.articles.empty());
    ASSERT_EQ(c.failures.size(), 1u);
    EXPECT_TRUE(c.failures[0].whole_file);
}

TEST(RecordFields, DatedFilenames) {
    struct Case {
        const char* name;
        bool ok;
        const char* iso;
    };
    const Case cases[] = {{"20220125T090000Z_GB_en_7d015e6984.txt", true, "2022-01-25T09:00Z"},
                          {"20230321T140530Z_US_en_abc.txt", true, "2023-03-21T14:05:30Z"},
                          {"dir/20220125T090000Z_PL_en_x", true, "2022-01-25T09:00Z"},
                          {"2022-01-25_GB_en.txt", false, ""},
                          {"20221325T090000Z_GB_en_x.txt", false, ""},
                          {"notes.txt", false, ""}};
    for (const auto& k : cases) {
        auto f = parse_dated_filename(k.name);
        EXPECT_EQ(f.has_value(), k.ok) << k.name;
        if (f) {
            EXPECT_EQ(f->date.iso(), k.iso) << k.name;
        }
    }
}

TEST(FieldMap, ParsesPairsAndNamesWhatIsWrong) {
    std::map<std::string, std::string> m;
    warsearch::parse_field_map("title=headline,body=text,,id=unit_id", m);
    EXPECT_EQ(m, (std::map<std::string, std::string>{{"title", "headline"}, {"body", "text"}, {"id", "unit_id"}}));
    warsearch::parse_field_map("date=published=at", m);  // the column may contain '='
    EXPECT_EQ(m["date"], "published=at");
    for (const char* bad : {"title", "=x", "title=", "titl=x", "title=a,bogus=b"}) {
        try {
            warsearch::parse_field_map(bad, m);
            ADD_FAILURE() << bad << " was accepted";
        } catch (const std::invalid_argument& e) {
            EXPECT_NE(std::string(e.what()).find('\''), std::string::npos) << bad << ": " << e.what();
        }
    }
}
