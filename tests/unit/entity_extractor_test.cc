#include <gtest/gtest.h>

#include <algorithm>

#include "entity_test_support.h"
#include "warsearch/entity_extractor.h"

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

TEST_F(EntityExtractorTest, SurvivesHostileInput) {
    std::string junk = "\xff\xfe Dar\xc3 aya \xe2\x80 \x01\x02 ";
    for (int i = 0; i < 200; ++i) junk += "al- al al-al ' '' -- ";
    Extraction x = extractor_->extract(junk, junk);
    EXPECT_TRUE(x.places.empty());
}

}  // namespace
}  // namespace warsearch
