// MUC-3/4 and Reuters-21578 layouts, on fixtures written in those layouts.
#include <algorithm>

#include "common/entities/catalog.h"
#include "common/entities/entity_extractor.h"
#include "readers_test_support.h"

using namespace warsearch;
using namespace warsearch::testing;

TEST(ReadersMuc, DocumentsDatelinesAndReadableTitles) {
    Collected c = read(fixture("newswire/sample-muc3-0001-0003"));
    ASSERT_EQ(c.articles.size(), 3u) << c.failure_text();
    EXPECT_TRUE(c.failures.empty());
    const Article& a = c.articles[0];
    EXPECT_EQ(a.id, "TST9-MUC3-0001");
    EXPECT_EQ(a.title, "The example battalion reported that a fictional bridge was damaged in U.S.-made mortar fire.");
    EXPECT_EQ(a.date.iso(), "1990-01-03");
    EXPECT_EQ(a.dateline, "San Salvador");
    EXPECT_EQ(a.body.rfind("SAN SALVADOR, 3 JAN 90 -- [REPORT]", 0), 0u);  // body kept as is
    EXPECT_EQ(a.from.line, 1u);
    const Article& b = c.articles[1];
    EXPECT_EQ(b.dateline, "Rio de Janeiro");
    EXPECT_EQ(b.date.iso(), "1988-12-22");
    EXPECT_EQ(b.source, "EXAMPLE TELEVISION NETWORK");
    EXPECT_EQ(b.title, "A fictional story with a two-line dateline.");
    const Article& d = c.articles[2];
    EXPECT_EQ(d.id, "TST9-MUC3-0003");
    EXPECT_TRUE(d.date.empty());
    EXPECT_EQ(d.dateline, "");
    EXPECT_EQ(d.title, "Mixed case text is kept as it is.");
}

// The sample corpus's MUC-style wire file is three documents, and its capitals name no
// false entities with the shipped catalogs: case cannot tell a name from a word there,
// so "IS" (the verb) is not the Islamic State, "JAN" (the month) not Jabhat al-Nusra's
// "JaN", "NORTHERN" not Fiji's Northern division (an iso-codes name).  A case_sensitive
// alias matches only in exactly its case in mixed text too ("Is ..." starts a question).
TEST(ReadersMuc, TheSampleWireIsThreeDocumentsWithoutFalseEntities) {
    Collected c = read(std::string(WARSEARCH_SOURCE_DIR) + "/corpus/sample/wire-1990-muc-style.txt");
    ASSERT_EQ(c.articles.size(), 3u) << c.failure_text();
    EXPECT_EQ(c.articles[1].id, "WS-MUC3-0002");
    EXPECT_EQ(c.articles[2].date.iso(), "1990-04-27");
    Catalog catalog = load_catalog(default_catalog_dir());
    EntityExtractor extractor(catalog);
    auto ids = [](const std::vector<ExtractedEntity>& list) {
        std::vector<std::string> v;
        for (const auto& x : list) v.push_back(x.entity->id);
        std::sort(v.begin(), v.end());
        v.erase(std::unique(v.begin(), v.end()), v.end());
        std::string out;
        for (const auto& s : v) out += (out.empty() ? "" : " ") + s;
        return out;
    };
    const char* const factions[] = {"fmln latin-american-guerrillas salvadoran-armed-forces",
                                    "latin-american-guerrillas peruvian-security-forces shining-path",
                                    "colombian-security-forces drug-cartels medellin-cartel"};
    const char* const places[] = {"sv/la-libertad-sv/santa-tecla sv/san-salvador/san-salvador-city",
                                  "pe/apurimac pe/ayacucho pe/ayacucho/ayacucho-city pe/lima-region/lima",
                                  "co/bogota us"};
    for (std::size_t i = 0; i < 3; ++i) {
        Extraction x = extractor.extract(c.articles[i].title, c.articles[i].body);
        EXPECT_EQ(ids(x.factions), factions[i]) << c.articles[i].id;
        EXPECT_EQ(ids(x.places), places[i]) << c.articles[i].id;
    }
    EXPECT_EQ(ids(extractor.extract("", "Is the siege of Raqqa over? IS fighters still hold it.").factions), "is");
    EXPECT_EQ(ids(extractor.extract("", "Is the siege of Raqqa over?").factions), "");
    // A name both layers have is the curated place: El Salvador's capital, not the
    // island the iso-codes layer names San Salvador too (it alone was chosen before).
    for (const char* text : {"Guerrillas attacked a police post in San Salvador today, the army said.",
                             "GUERRILLAS ATTACKED A POLICE POST IN SAN SALVADOR TODAY, THE ARMY SAID."})
        EXPECT_EQ(ids(extractor.extract("Attack", text).places), "sv/san-salvador/san-salvador-city") << text;
}

TEST(ReadersReuters, StoriesPlacesAndLenientBytes) {
    Collected c = read(fixture("newswire/sample.sgm"));
    ASSERT_EQ(c.articles.size(), 3u) << c.failure_text();
    const Article* a = c.by_id("reuters-9001");
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->title, "FICTIONAL COCOA REVIEW & OUTLOOK");
    EXPECT_EQ(a->date.iso(), "1987-02-26T15:01:01Z");
    EXPECT_EQ(a->dateline, "Salvador");
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
