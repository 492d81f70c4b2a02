#include "common/index/schema.h"

#include <gtest/gtest.h>

#include <set>

#include "common/index/stored_fields.h"
#include "indexer/document_builder.h"

using namespace warsearch;

namespace {

// Values never start with a capital (make_term adds ':' when they would), so a prefix
// that extends another must extend it with capitals only: XF and XFP can both exist,
// but XF and XFood could not.
TEST(Schema, NoTermOfOnePrefixReadsAsAnother) {
    for (auto a : schema::kAllPrefixes) {
        for (auto b : schema::kAllPrefixes) {
            if (a == b || b.substr(0, a.size()) != a) continue;
            for (char c : b.substr(a.size())) EXPECT_TRUE(c >= 'A' && c <= 'Z') << a << " vs " << b;
        }
    }
    std::set<std::string_view> unique(std::begin(schema::kAllPrefixes), std::end(schema::kAllPrefixes));
    EXPECT_EQ(unique.size(), std::size(schema::kAllPrefixes));
}

TEST(Schema, MakeTermSeparatesCapitalisedValues) {
    EXPECT_EQ(schema::make_term("XART", "DEV-MUC3-0001"), "XART:DEV-MUC3-0001");
    EXPECT_EQ(schema::make_term("XART", "sample-1"), "XARTsample-1");
    EXPECT_EQ(id_term("sample-001"), "Qsample-001");
    EXPECT_EQ(id_term(std::string(300, 'x')).size(), 1 + 1 + 16u);
    EXPECT_EQ(source_term("Al Jazeera"), "XSRCal-jazeera");
    EXPECT_EQ(dateline_term("San Salvador"), "XWsan-salvador");
}

// The dateline place is a boolean term of its own prefix (for a dateline: filter) and
// is stored; an entry keeps its UTC time and its time as written.
TEST(DocumentBuilder, DatelineTermAndEntryTimes) {
    Article a;
    a.id = "wire-1";
    a.title = "Strikes reported";
    a.body = "KABUL, Afghanistan (Jan. 25, 2013) - Forces detained two suspects in Kandahar province.";
    a.dateline = "Kabul";
    a.dateline_length = 37;
    a.parent = "page";
    a.entry = 2;
    a.time = "2013-01-25T09:30Z";
    a.time_text = "1.30pm local time";
    DocumentBuilder builder;
    Xapian::Document doc = builder.build(a);
    std::set<std::string> terms(doc.termlist_begin(), doc.termlist_end());
    EXPECT_TRUE(terms.count("XWkabul"));
    StoredFields f = parse_stored_fields(doc.get_data());
    EXPECT_EQ(f.dateline, "Kabul");
    EXPECT_EQ(f.time, "2013-01-25T09:30Z");
    EXPECT_EQ(f.time_text, "1.30pm local time");
    // Prefixes that are enumerated (the searcher's recency boost walks the XD day terms)
    // hold only their own terms: a dateline term under XD broke it.
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    a.date.year = 2013;
    a.date.month = 1;
    a.date.day = 25;
    a.date.precision = DatePrecision::day;
    db.add_document(builder.build(a));
    for (auto t = db.allterms_begin(std::string(schema::kDayPrefix));
         t != db.allterms_end(std::string(schema::kDayPrefix)); ++t)
        EXPECT_EQ((*t).size(), schema::kDayPrefix.size() + 8) << *t;
    // The dateline stays part of the indexed text.
    EXPECT_TRUE(terms.count("kabul"));
    a.dateline.clear();
    Xapian::Document plain = builder.build(a);
    std::set<std::string> none(plain.termlist_begin(), plain.termlist_end());
    for (const auto& t : none) EXPECT_NE(t.rfind("XW", 0), 0u) << t;
}

TEST(Schema, QueryFieldsAreUnique) {
    std::set<std::string_view> names;
    for (const auto& f : schema::kQueryFields) EXPECT_TRUE(names.insert(f.name).second) << f.name;
    EXPECT_FALSE(names.count(schema::kDateField));
}

TEST(StoredFields, RoundTripAndDamagedData) {
    StoredFields f;
    f.id = "a";
    f.title = "T <b>";
    f.body = "body\nline";
    f.parent = "p";
    f.entry = 3;
    f.factions = {"Islamic State"};
    StoredFields g = parse_stored_fields(serialise_stored_fields(f));
    EXPECT_EQ(g.title, f.title);
    EXPECT_EQ(g.body, f.body);
    EXPECT_EQ(g.entry, 3);
    EXPECT_EQ(g.factions, f.factions);
    EXPECT_EQ(parse_stored_fields("{not json").id, "");
}

TEST(StoredFields, ParsesEveryFieldAndIgnoresOddOnes) {
    StoredFields f;
    f.id = "id\"1";
    f.title = "Ti\u00e9tle \xE2\x80\x94 \\ \t";
    f.date = "2016-07-14";
    f.source = "S";
    f.url = "https://x/y?a=1&b=2";
    f.lang = "en";
    f.byline = "B";
    f.parent = "p";
    f.parent_title = "PT";
    f.entry = 12;
    f.time = "2022-03-05T14:45Z";
    f.time_text = "14:45 GMT";
    f.dateline = "San Salvador";
    f.file = "f.jsonl:3";
    f.body = std::string("nul \0 inside", 13);
    f.factions = {"A", "B"};
    f.places = {"Darayya", "\xD8\xAF\xD8\xA7\xD8\xB1\xD9\x8A\xD8\xA7"};
    StoredFields g = parse_stored_fields(serialise_stored_fields(f));
    EXPECT_EQ(g.id, f.id);
    EXPECT_EQ(g.title, f.title);
    EXPECT_EQ(g.date, f.date);
    EXPECT_EQ(g.source, f.source);
    EXPECT_EQ(g.url, f.url);
    EXPECT_EQ(g.lang, f.lang);
    EXPECT_EQ(g.byline, f.byline);
    EXPECT_EQ(g.parent, f.parent);
    EXPECT_EQ(g.parent_title, f.parent_title);
    EXPECT_EQ(g.entry, 12);
    EXPECT_EQ(g.time, f.time);
    EXPECT_EQ(g.time_text, f.time_text);
    EXPECT_EQ(g.dateline, f.dateline);
    EXPECT_EQ(g.file, f.file);
    EXPECT_EQ(g.body, f.body);
    EXPECT_EQ(g.factions, f.factions);
    EXPECT_EQ(g.places, f.places);
    // Wrong types and unknown keys are skipped; what is readable is kept.
    StoredFields h = parse_stored_fields(R"({"id":"x","title":7,"entry":"3","places":["a",1,"b"],"new":{"k":[1]}})");
    EXPECT_EQ(h.id, "x");
    EXPECT_EQ(h.title, "");
    EXPECT_EQ(h.entry, 0);
    EXPECT_EQ(h.places, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(parse_stored_fields(R"({"entry":99999999999})").entry, 0);
    EXPECT_EQ(parse_stored_fields("[1,2]").id, "");
    EXPECT_EQ(parse_stored_fields("").id, "");
}

TEST(StoredFields, KeepOnlyTheTextSnippetsAreCutFrom) {
    Article a;
    a.id = "long";
    a.title = "Long report";
    // Two-byte characters so the cut has to step back to a character boundary.
    while (a.body.size() < 3 * kStoredBodyBytes) a.body += "\xC3\xA9t\xC3\xA9 Darayya ";
    a.body += "lastword";
    DocumentBuilder builder;
    Xapian::Document doc = builder.build(a);
    StoredFields f = parse_stored_fields(doc.get_data());
    EXPECT_LE(f.body.size(), kStoredBodyBytes);
    EXPECT_GT(f.body.size(), kStoredBodyBytes - 4);
    EXPECT_EQ(a.body.compare(0, f.body.size(), f.body), 0);
    EXPECT_NE(static_cast<unsigned char>(a.body[f.body.size()]) & 0xC0, 0x80) << "cut inside a character";
    // The whole text is still indexed.
    bool found = false;
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) found = found || *t == "lastword";
    EXPECT_TRUE(found);
}

}  // namespace
