#include "common/entities/entity_extractor.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "entity_test_support.h"

namespace warsearch {
namespace {

class EntityExtractorTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        catalog_ = new Catalog(testing::fixture_catalog());
        extractor_ = new EntityExtractor(*catalog_);
    }
    static void TearDownTestSuite() {
        delete extractor_;
        delete catalog_;
    }
    static std::string ids(const std::vector<ExtractedEntity>& list) {
        std::vector<std::string> v;
        for (const auto& x : list) v.push_back(x.entity->id);
        std::sort(v.begin(), v.end());
        std::string out;
        for (const auto& s : v) out += (out.empty() ? "" : " ") + s;
        return out;
    }
    static Catalog* catalog_;
    static EntityExtractor* extractor_;
};
Catalog* EntityExtractorTest::catalog_ = nullptr;
EntityExtractor* EntityExtractorTest::extractor_ = nullptr;

TEST_F(EntityExtractorTest, PlacesBySpellingContextAndHierarchy) {
    struct Case {
        const char* text;
        const char* places;  // mentioned place ids, sorted, space-separated
    } cases[] = {
        // Spellings, diacritics, case, hyphens, apostrophes.
        {"Shelling hit Darayya on Monday.", "sy/rif-dimashq/darayya"},
        {"Shelling hit Daraya on Monday.", "sy/rif-dimashq/darayya"},
        {"Shelling hit Dārayyā on Monday.", "sy/rif-dimashq/darayya"},
        {"SHELLING HIT DARAYYA ON MONDAY.", "sy/rif-dimashq/darayya"},
        {"Fighting in Ar-Raqqa and al-Rastan.", "sy/homs/rastan sy/raqqa/raqqa-city"},
        {"Fighting in Aleppo's suburbs.", "sy/aleppo"},
        // Arabic, with the article and the clitics و ب ل.
        {"قصف على داريا", "sy/rif-dimashq/darayya"},
        {"قصف وداريا", "sy/rif-dimashq/darayya"},
        {"معارك في الرقة", "sy/raqqa/raqqa-city"},
        {"معارك والرقة", "sy/raqqa/raqqa-city"},
        {"قصف بحمص", "sy/homs/homs-city"},
        // Homs: the city unless the text says province/governorate.
        {"Clashes in Homs.", "sy/homs/homs-city"},
        {"Clashes in Homs province.", "sy/homs"},
        {"Clashes in the province of Homs.", "sy/homs"},
        {"Clashes in Homs Governorate.", "sy/homs"},
        {"Clashes in Homs city.", "sy/homs/homs-city"},
        // Punctuation blocks a context word: "Homs. Province ..."
        {"Clashes in Homs. Province officials said.", "sy/homs/homs-city"},
        // Two Doumas, told apart by the other places of the text.
        {"Douma and Harasta were bombed.", "sy/rif-dimashq/douma sy/rif-dimashq/harasta"},
        {"Douma, near Rastan, was bombed.", "sy/homs/douma sy/homs/rastan"},
        // Georgia: the country unless the text is about the US state.
        {"Georgia and Turkey signed a deal.", "ge tr"},
        {"Storms hit Atlanta, Georgia.", "us/ga us/ga/atlanta"},
        // An ambiguous name needs a cue.
        {"He knocked on the Bab of the house.", ""},
        {"Turkish troops entered al-Bab.", ""},
        {"Turkish troops fought in al-Bab.", "sy/aleppo/bab"},
        {"The Bab offensive stalled.", "sy/aleppo/bab"},
        {"Troops took Bab and Manbij.", "sy/aleppo/bab sy/aleppo/manbij"},
        // A capitalised word after it makes it part of a longer name (a person's, a
        // company's), so the cue before it does not count; a day, a month or a word of
        // places does not.
        {"The offer came from Bab Energy Corp.", ""},
        {"Turkish troops fought in Bab Monday.", "sy/aleppo/bab"},
        {"Turkish troops fought in Bab Valley.", "sy/aleppo/bab"},
        {"Turkish troops fought in Bab District.", "sy/aleppo/bab"},
        // Capitalised names must be capitalised in mixed-case text.
        {"We ate turkey and raqqa bread.", ""},
        // Longest match: "Rural Damascus" is one place, not Damascus.
        {"Raids on Rural Damascus.", "sy/rif-dimashq"},
        {"", ""},
    };
    for (const auto& c : cases) {
        Extraction x = extractor_->extract("", c.text);
        EXPECT_EQ(ids(x.places), c.places) << c.text;
    }
}

TEST_F(EntityExtractorTest, TitlesInTitleCaseKeepTheirCues) {
    // Headlines capitalise every word: there a capitalised word says nothing.
    EXPECT_EQ(ids(extractor_->extract("Turkish Troops Fight In Bab Overnight", "").places), "sy/aleppo/bab");
    EXPECT_EQ(ids(extractor_->extract("", "Turkish troops fight in Bab Overnight.").places), "");
}

TEST_F(EntityExtractorTest, FactionsCaseSensitiveAliasesAndGenericTerms) {
    struct Case {
        const char* text;
        const char* factions;
    } cases[] = {
        {"IS fighters attacked Raqqa.", "is"},
        {"The attack is over in Raqqa.", ""},  // "is" the verb
        {"ISIS and Daesh and ISIL.", "is"},
        {"THE ATTACK IS OVER IN RAQQA.", ""},  // all capitals: case-sensitive names are off
        {"Jabhat al-Nusra fighters.", "nusra"},
        {"Jabhat al Nusra fighters.", "nusra"},
        {"Nusra Front fighters.", "nusra"},
        {"al-Nusra Front fighters.", "nusra"},
        {"مقاتلو جبهة النصرة", "nusra"},
        {"مقاتلو داعش", "is"},
        {"HTS took Darayya.", "hts"},  // (Idlib is not in the fixture catalog)
        // A two- or three-letter acronym counts only in a text about one of the faction's
        // countries, as generic terms do: not a company's ticker, a unit, an airline.
        {"HTS shares rose three cents in New York.", ""},
        {"The FSA and HTS fought on.", ""},
        {"The FSA and HTS fought on in Syria.", "fsa hts"},
        {"Hayat Tahrir al-Sham fought on.", "hts"},  // a full name stands alone
        // Generic terms count only when the text is about a country the faction is in.
        {"Rebels shelled Darayya.", "armed-opposition"},
        {"Rebels shelled the capital.", ""},
        // ...mostly about: a country named in passing does not do.
        {"Rebels fought across Turkey: in Turkey's east, Turkey's west and Turkey's south; Syria was quiet.", ""},
        {"Rebels fought across Turkey and Syria.", "armed-opposition"},
        {"The Free Syrian Army and the Syrian army clashed near Douma.", "fsa sy-gov"},
    };
    for (const auto& c : cases) {
        Extraction x = extractor_->extract("", c.text);
        EXPECT_EQ(ids(x.factions), c.factions) << c.text;
    }
}

TEST_F(EntityExtractorTest, AncestorsMentionsAndIds) {
    Extraction x = extractor_->extract("Darayya under fire", "Shelling of Daraya and Dārayyā; FSA says.");
    ASSERT_EQ(x.places.size(), 1u);
    const auto& d = x.places[0];
    EXPECT_EQ(d.count, 3u);
    EXPECT_EQ(d.mentions, (std::vector<std::string>{"Darayya", "Daraya", "Dārayyā"}));
    ASSERT_EQ(d.ancestors.size(), 2u);
    EXPECT_EQ(d.ancestors[0]->name, "Rif Dimashq");
    EXPECT_EQ(d.ancestors[1]->name, "Syria");
    EXPECT_EQ(x.place_ids_with_ancestors(),
              (std::vector<std::string>{"sy", "sy/rif-dimashq", "sy/rif-dimashq/darayya"}));
    EXPECT_EQ(x.faction_ids_with_ancestors(), (std::vector<std::string>{"armed-opposition", "fsa"}));
    // Title and body are matched separately: no name spans the two.
    Extraction y = extractor_->extract("Rural", "Damascus");
    EXPECT_TRUE(y.places.empty());
    // "al-" belongs to the mention.
    Extraction z = extractor_->extract("", "Fighters of al-Nusra Front.");
    ASSERT_EQ(z.factions.size(), 1u);
    EXPECT_EQ(z.factions[0].mentions[0], "al-Nusra Front");
}

// Three US-led coalitions share a name; the report's date tells them apart.
TEST(EntityExtractorDates, NamesakesByFoundingAndEnd) {
    auto dir = std::filesystem::temp_directory_path() / ("ws-dated-catalog-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "places.jsonl") << R"({"id":"iq","name":"Iraq","type":"country"})"
                                           "\n"
                                        << R"({"id":"kw","name":"Kuwait","type":"country"})"
                                           "\n"
                                        << R"({"id":"sy","name":"Syria","type":"country"})"
                                           "\n"
                                        << R"({"id":"af","name":"Afghanistan","type":"country"})"
                                           "\n";
    std::ofstream(dir / "factions.jsonl")
        << R"({"id":"gulf","name":"Gulf War coalition","kind":"international coalition","aliases":["US-led coalition"],"countries":["iq","kw"],"founded":"1990-08","dissolved":"1991-04"})"
           "\n"
        << R"({"id":"mnf","name":"Multi-National Force","kind":"international coalition","aliases":["US-led coalition"],"countries":["iq"],"founded":"2003-03","dissolved":"2011-12","generic_terms":["coalition forces"]})"
           "\n"
        << R"({"id":"oef","name":"Operation Enduring Freedom","kind":"international coalition","aliases":["US-led coalition"],"countries":["af"],"founded":"2001-10","dissolved":"2014-12"})"
           "\n"
        << R"({"id":"oir","name":"Coalition against ISIS","kind":"international coalition","aliases":["US-led coalition"],"countries":["sy","iq"],"founded":"2014-08","generic_terms":["coalition forces"]})"
           "\n";
    CatalogOptions options;
    options.iso_base_layer = false;
    Catalog catalog = load_catalog(dir.string(), options);
    std::filesystem::remove_all(dir);
    EntityExtractor extractor(catalog);
    auto faction = [&](const char* text, const char* date) {
        Extraction x = extractor.extract("", text, date);
        return x.factions.empty() ? std::string() : x.factions[0].entity->id;
    };
    const char* text = "The US-led coalition struck Iraq.";
    EXPECT_EQ(faction(text, "1991-02-10"), "gulf");
    EXPECT_EQ(faction(text, "2004-11"), "mnf");  // the Gulf coalition had ended
    EXPECT_EQ(faction(text, "2016"), "oir");     // so had the Iraq one
    EXPECT_EQ(faction(text, "2014"), "oir");     // a year is compared as a year
    // None existed yet: the name is trusted over the date (sources misdate reports), a
    // weak cue is not.
    EXPECT_EQ(faction("The US-led coalition struck Afghanistan.", "1985-01-01"), "oef");
    EXPECT_EQ(faction("Coalition forces bombed Syria.", "2012-06"), "");
    EXPECT_EQ(faction(text, ""), "");                                           // undated: no telling which
    EXPECT_EQ(faction("The US-led coalition struck Afghanistan.", ""), "oef");  // the countries tell
    // In 2005 two were active: the text's countries tell them apart, or nothing does.
    EXPECT_EQ(faction(text, "2005-03"), "mnf");
    EXPECT_EQ(faction("The US-led coalition struck Afghanistan.", "2005-03"), "oef");
    EXPECT_EQ(faction("The US-led coalition was praised in Paris.", "2005-03"), "");
    // Both active in October 2014 and both countries named: the one the text is mostly about.
    EXPECT_EQ(
        faction(
            "The US-led coalition struck Syria: Syria's north, Syria's east and Syria's south; Afghanistan was calm.",
            "2014-10"),
        "oir");
    EXPECT_EQ(faction("The US-led coalition was praised in Paris.", "2016-01"), "oir");  // one left
    EXPECT_EQ(faction("The US-led coalition was praised in Paris.", "1991-01"), "gulf");
    // An ended actor only by its full name in a text about its countries.
    EXPECT_EQ(faction("A US-led coalition, said Paris.", "2024-05"), "oir");
    EXPECT_EQ(faction("Coalition forces entered Iraq.", "2016-06"), "oir");
    EXPECT_EQ(faction("Coalition forces entered Iraq.", "2003-04-09"), "mnf");
    EXPECT_EQ(faction("Coalition forces bombed Syria.", "2017-06"), "oir");
    EXPECT_EQ(faction("Coalition forces bombed Syria.", "2009-06"), "");  // the Iraq one was not in Syria
}

TEST_F(EntityExtractorTest, SurvivesHostileInput) {
    std::string junk = "\xff\xfe Dar\xc3 aya \xe2\x80 \x01\x02 ";
    for (int i = 0; i < 200; ++i) junk += "al- al al-al ' '' -- ";
    Extraction x = extractor_->extract(junk, junk);
    EXPECT_TRUE(x.places.empty());
}

}  // namespace
}  // namespace warsearch
