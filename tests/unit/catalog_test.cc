#include "common/entities/catalog.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "common/entities/entity_tokenizer.h"
#include "entity_test_support.h"

namespace warsearch {
namespace {

using testing::catalog_fixtures;
using testing::fixture_catalog;

TEST(EntityTokenizer, NormalisesNames) {
    struct Case {
        const char* in;
        const char* want;
    } cases[] = {
        {"Jabhat al-Nusra", "jabhat nusra"},
        {"Jabhat al Nusra", "jabhat nusra"},
        {"Nusra", "nusra"},
        {"Dārayyā", "darayya"},
        {"DARAYYA", "darayya"},
        {"Dar'a", "dara"},
        {"Dar’a", "dara"},
        {"Ar-Raqqa", "raqqa"},
        {"Deir ez-Zor", "deir zor"},
        {"Aleppo's", "aleppo"},
        {"Ras al-Ain", "ras ain"},
        {"as far", "as far"},  // "as" is an article only when hyphenated
        {"الرقة", "رقه"},      // article dropped, taa marbuta folded
        {"إدلب", "ادلب"},      // alef with hamza folded
        {"Київ", "київ"},
        {"", ""},
        {"--", ""},
    };
    for (const auto& c : cases) EXPECT_EQ(normalise_name(c.in), c.want) << c.in;
}

TEST(EntityTokenizer, ArabicCliticVariants) {
    struct Case {
        const char* in;
        const char* want;  // one expected variant
    } cases[] = {
        {"والرقة", "رقه"}, {"وداريا", "داريا"}, {"بحمص", "حمص"}, {"للرقة", "رقه"}, {"فالرقة", "رقه"},
    };
    for (const auto& c : cases) {
        auto v = arabic_clitic_variants(normalise_name(c.in));
        EXPECT_NE(std::find(v.begin(), v.end(), normalise_name(c.want)), v.end()) << c.in;
    }
    EXPECT_TRUE(arabic_clitic_variants("darayya").empty());
}

TEST(EntityTokenizer, OffsetsAndBreaks) {
    std::vector<EntityToken> t;
    tokenize_for_entities("In al-Bab, rebels.", t);
    ASSERT_EQ(t.size(), 3u);
    EXPECT_EQ(t[1].norm, "bab");
    EXPECT_EQ(t[1].mention_begin, 3u);  // includes "al-"
    EXPECT_EQ(t[1].begin, 6u);
    EXPECT_TRUE(t[1].capitalised);
    EXPECT_TRUE(t[2].break_before);
    EXPECT_FALSE(t[1].break_before);
}

TEST(Catalog, LoadsFixture) {
    Catalog c = fixture_catalog();
    EXPECT_EQ(c.count(EntityClass::place), 20u);
    EXPECT_EQ(c.count(EntityClass::faction), 7u);
    const Entity* d = c.find("sy/rif-dimashq/darayya");
    ASSERT_NE(d, nullptr);
    EXPECT_EQ(d->name, "Darayya");
    EXPECT_TRUE(d->has_coordinates);
    auto anc = c.ancestors(d->id);
    ASSERT_EQ(anc.size(), 2u);
    EXPECT_EQ(anc[0]->id, "sy/rif-dimashq");
    EXPECT_EQ(anc[1]->id, "sy");
    EXPECT_EQ(c.country_of(*d)->id, "sy");
    // Every spelling leads to the entity.
    for (const char* name : {"Daraya", "Dārayyā", "DARAYYA", "داريا"}) {
        const auto& ids = c.by_name(normalise_name(name));
        ASSERT_EQ(ids.size(), 1u) << name;
        EXPECT_EQ(c.entities()[ids[0]].id, "sy/rif-dimashq/darayya");
    }
    EXPECT_EQ(c.by_name("homs").size(), 2u);
    const Entity* hts = c.find("hts");
    ASSERT_NE(hts, nullptr);
    ASSERT_EQ(hts->predecessors.size(), 1u);
    EXPECT_EQ(hts->predecessors[0].year, 2017);
    EXPECT_FALSE(c.content_hash().empty());
}

// Writes @a lines as a catalog directory and returns the load error (or "").
std::string load_error(const std::string& places, const std::string& factions = "") {
    auto dir = std::filesystem::temp_directory_path() / ("ws-catalog-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "places.jsonl") << places;
    std::ofstream(dir / "factions.jsonl") << factions;
    CatalogOptions o;
    o.iso_base_layer = false;
    std::string err;
    try {
        load_catalog(dir.string(), o);
    } catch (const CatalogError& e) {
        err = e.what();
    }
    std::filesystem::remove_all(dir);
    return err;
}

TEST(Catalog, ReportsFileLineAndReason) {
    struct Case {
        const char* places;
        const char* want;  // substring of the error, "" for none
    } cases[] = {
        {R"({"id":"sy","name":"Syria","type":"country"})"
         "\n",
         ""},
        {R"({"id":"sy","name":"Syria","type":"country"})"
         "\n{oops\n",
         "places.jsonl:2: not a JSON object"},
        {R"({"id":"sy","type":"country"})"
         "\n",
         "places.jsonl:1: missing \"name\""},
        {R"({"id":"sy","name":"Syria","type":"metropolis"})"
         "\n",
         "places.jsonl:1: unknown place type \"metropolis\""},
        {R"({"id":"sy","name":"Syria","type":"country"})"
         "\n"
         R"({"id":"sy","name":"Syria","type":"country"})"
         "\n",
         "places.jsonl:2: duplicate id \"sy\" (first at line 1)"},
        {R"({"id":"x","name":"X","type":"town","parent":"nowhere"})"
         "\n",
         "places.jsonl:1: parent \"nowhere\""},
        {R"({"id":"x","name":"X","type":"town","lat":33})"
         "\n",
         "\"lat\" and \"lon\" go together"},
        {R"({"id":"x","name":"X","type":"town","lat":333,"lon":1})"
         "\n",
         "coordinates out of range"},
        {R"({"id":"x","name":"X","type":"town","aliases":"Y"})"
         "\n",
         "\"aliases\" must be an array of strings"},
        {R"({"id":"a","name":"A","type":"town","parent":"b"})"
         "\n"
         R"({"id":"b","name":"B","type":"town","parent":"a"})"
         "\n",
         "cycle"},
        {R"({"id":"x y","name":"X","type":"town"})"
         "\n",
         "white space"},
    };
    for (const auto& c : cases) {
        std::string err = load_error(c.places);
        if (*c.want == 0) {
            EXPECT_EQ(err, "") << c.places;
        } else {
            EXPECT_NE(err.find(c.want), std::string::npos) << "got: " << err;
        }
    }
    EXPECT_NE(load_error("", R"({"id":"f","name":"F","kind":"gang"})"
                             "\n")
                  .find("factions.jsonl:1: unknown faction kind"),
              std::string::npos);
    // A faction's founding and end are dates, the end not before the founding.
    EXPECT_EQ(load_error("", R"({"id":"f","name":"F","kind":"insurgent","founded":"2014-08","dissolved":"2019"})"
                             "\n"),
              "");
    EXPECT_NE(load_error("", R"({"id":"f","name":"F","kind":"insurgent","founded":"2014-13"})"
                             "\n")
                  .find("factions.jsonl:1: \"founded\" must be a date"),
              std::string::npos);
    EXPECT_NE(load_error("", R"({"id":"f","name":"F","kind":"insurgent","founded":"2014","dissolved":"2013-12"})"
                             "\n")
                  .find("\"dissolved\" is before \"founded\""),
              std::string::npos);
    EXPECT_NE(load_error(R"({"id":"is","name":"Iceland","type":"country"})"
                         "\n",
                         R"({"id":"is","name":"Islamic State","kind":"jihadist"})"
                         "\n")
                  .find("also used in the other catalog"),
              std::string::npos);
}

TEST(Catalog, BadFixtureNamesFileAndLine) {
    CatalogOptions o;
    o.iso_base_layer = false;
    try {
        load_catalog(catalog_fixtures() + "/bad", o);
        FAIL() << "expected CatalogError";
    } catch (const CatalogError& e) {
        EXPECT_NE(std::string(e.what()).find("bad/places.jsonl:2: unknown place type"), std::string::npos) << e.what();
    }
    EXPECT_THROW(load_catalog(catalog_fixtures() + "/nonexistent", o), CatalogError);
}

TEST(Catalog, IsoBaseLayerAddsCountriesCuratedWins) {
    if (!std::filesystem::exists("/usr/share/iso-codes/json/iso_3166-1.json"))
        GTEST_SKIP() << "iso-codes not installed (apt-get install iso-codes)";
    Catalog c = load_catalog(catalog_fixtures());
    const Entity* fr = c.find("fr");
    ASSERT_NE(fr, nullptr);
    EXPECT_EQ(fr->type, "country");
    EXPECT_EQ(c.find("sy")->origin.find("iso-codes"), std::string::npos);  // curated kept
    EXPECT_EQ(c.find("sy/iso-DI"), nullptr);                               // Syria has curated governorates
    const Entity* iceland = c.find("is");
    ASSERT_NE(iceland, nullptr);
    EXPECT_EQ(iceland->cls, EntityClass::faction);  // the curated faction keeps its id
}

}  // namespace
}  // namespace warsearch
