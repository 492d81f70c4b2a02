#include "common/entities/entity_resolver.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "common/entities/entity_terms.h"
#include "common/index/schema.h"
#include "entity_test_support.h"

namespace warsearch {
namespace {

TEST(EntityTerms, IdListRoundTrip) {
    std::vector<std::string> ids{"sy", "sy/rif-dimashq", "sy/rif-dimashq/darayya"};
    EXPECT_EQ(encode_id_list(ids), "sy\nsy/rif-dimashq\nsy/rif-dimashq/darayya");
    EXPECT_EQ(decode_id_list(encode_id_list(ids)), ids);
    EXPECT_TRUE(decode_id_list("").empty());
    EXPECT_EQ(decode_id_list("\na\n\nb\n"), (std::vector<std::string>{"a", "b"}));
}

TEST(EntityTerms, DocumentTermsAndSlots) {
    Catalog c = testing::fixture_catalog();
    EntityExtractor ex(c);
    Xapian::Document doc;
    add_entity_terms(doc, ex.extract("", "FSA fighters in Daraya."));
    std::vector<std::string> terms;
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) terms.push_back(*t);
    for (const char* want : {"XFfsa", "XFPfsa", "XFParmed-opposition", "XLsy/rif-dimashq/darayya",
                             "XLPsy/rif-dimashq/darayya", "XLPsy/rif-dimashq", "XLPsy"})
        EXPECT_NE(std::find(terms.begin(), terms.end(), want), terms.end()) << want;
    EXPECT_EQ(std::find(terms.begin(), terms.end(), "XLsy"), terms.end());  // ancestors only under XLP
    EXPECT_EQ(decode_id_list(doc.get_value(schema::kPlacesSlot)),
              (std::vector<std::string>{"sy", "sy/rif-dimashq", "sy/rif-dimashq/darayya"}));
    EXPECT_EQ(decode_id_list(doc.get_value(schema::kFactionsSlot)),
              (std::vector<std::string>{"armed-opposition", "fsa"}));
}

class EntityResolverTest : public ::testing::Test {
  protected:
    // A real (glass) database: the in-memory backend cannot list metadata keys.
    void SetUp() override {
        dir_ =
            std::filesystem::temp_directory_path() / ("ws-resolver-" + std::to_string(::getpid()) + "-" +
                                                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(dir_);
        db_ = Xapian::WritableDatabase(dir_.string(), Xapian::DB_CREATE_OR_OVERWRITE);
        catalog_ = testing::fixture_catalog();
        ASSERT_TRUE(store_catalog_metadata(db_, catalog_));
        db_.commit();
    }
    void TearDown() override {
        db_.close();
        std::filesystem::remove_all(dir_);
    }
    std::filesystem::path dir_;
    Xapian::WritableDatabase db_;
    Catalog catalog_;
};

TEST_F(EntityResolverTest, ResolvesNamesAndIds) {
    EntityResolver r(db_);
    EXPECT_TRUE(r.available());
    struct Case {
        EntityField field;
        const char* text;
        std::vector<std::string> ids;
    } cases[] = {
        {EntityField::location, "Daraya", {"sy/rif-dimashq/darayya"}},
        {EntityField::location, "DĀRAYYĀ", {"sy/rif-dimashq/darayya"}},
        {EntityField::location, "داريا", {"sy/rif-dimashq/darayya"}},
        {EntityField::location, "sy/rif-dimashq", {"sy/rif-dimashq"}},
        {EntityField::location, "Homs", {"sy/homs", "sy/homs/homs-city"}},
        {EntityField::faction, "al-Nusra Front", {"nusra"}},
        {EntityField::faction, "Jabhat al Nusra", {"nusra"}},
        {EntityField::faction, "Daraya", {}},  // a place, not a faction
        {EntityField::location, "", {}},
    };
    for (const auto& c : cases) EXPECT_EQ(r.resolve(c.field, c.text).ids, c.ids) << c.text;
}

TEST_F(EntityResolverTest, NameReadsOnlyTheDisplayName) {
    EntityResolver r(db_);
    for (const auto& id : {"sy/rif-dimashq/darayya", "fsa", "sy"}) {
        auto full = r.entity(id);
        ASSERT_TRUE(full.has_value()) << id;
        EXPECT_EQ(r.name(id), full->name) << id;
    }
    EXPECT_EQ(r.name("no-such-entity"), "");
    EXPECT_EQ(r.name(""), "");
    db_.set_metadata(std::string(kMetaEntityPrefix) + "broken", "{not json");
    db_.set_metadata(std::string(kMetaEntityPrefix) + "nameless", R"({"id":"nameless","aliases":["x"]})");
    db_.commit();
    EntityResolver again(db_);
    EXPECT_EQ(again.name("broken"), "broken");  // a damaged entry shows its id
    EXPECT_EQ(again.name("nameless"), "nameless");
}

// Issue 25: namesakes of two levels are told apart where users see them, and renamed
// factions are reachable from any of their names.
TEST_F(EntityResolverTest, LabelsTellNamesakesApartAndLineageFollowsRenamings) {
    EntityResolver r(db_);
    EXPECT_EQ(r.name("sy/homs"), "Homs (governorate)");
    EXPECT_EQ(r.name("sy/homs/homs-city"), "Homs (city)");
    EXPECT_EQ(r.name("sy/rif-dimashq/darayya"), "Darayya");  // no namesake: the plain name
    EXPECT_EQ(r.lineage("hts"), (std::vector<std::string>{"nusra"}));
    EXPECT_EQ(r.lineage("nusra"), (std::vector<std::string>{"hts"}));
    EXPECT_TRUE(r.lineage("fsa").empty());
    auto nusra = r.entity("nusra");
    ASSERT_TRUE(nusra.has_value());
    EXPECT_EQ(nusra->successors, (std::vector<std::string>{"hts"}));
}

TEST_F(EntityResolverTest, SuggestsNearNames) {
    EntityResolver r(db_);
    auto res = r.resolve(EntityField::location, "Darayyah");
    EXPECT_TRUE(res.ids.empty());
    ASSERT_FALSE(res.suggestions.empty());
    EXPECT_EQ(res.suggestions[0], "Darayya");
    EXPECT_TRUE(r.resolve(EntityField::location, "Zzzzqqqq").suggestions.empty());
}

TEST_F(EntityResolverTest, AliasesForQueryExpansion) {
    EntityResolver r(db_);
    auto a = r.aliases_for_word("daraya");
    EXPECT_NE(std::find(a.begin(), a.end(), "Darayya"), a.end());
    EXPECT_NE(std::find(a.begin(), a.end(), "داريا"), a.end());
    EXPECT_EQ(std::find(a.begin(), a.end(), "Daraya"), a.end());  // the word itself
    EXPECT_TRUE(r.aliases_for_word("nowhere").empty());
    auto named = r.named_entities("daraya");
    EXPECT_EQ(named.place_ids, (std::vector<std::string>{"sy/rif-dimashq/darayya"}));
    EXPECT_TRUE(named.faction_ids.empty());
    EXPECT_EQ(named.aliases, a);
    EXPECT_TRUE(r.named_entities("nowhere").empty());
    auto e = r.entity("sy/rif-dimashq/darayya");
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->ancestors, (std::vector<std::string>{"sy/rif-dimashq", "sy"}));
    ASSERT_TRUE(e->lat.has_value());
    EXPECT_NEAR(*e->lat, 33.458, 1e-9);
}

TEST_F(EntityResolverTest, StoresOnlyWhenChangedAndDropsStaleKeys) {
    EXPECT_FALSE(store_catalog_metadata(db_, catalog_));  // same version
    db_.set_metadata("wsname:stale name", "{}");
    db_.set_metadata(std::string(kMetaCatalogVersion), "old");
    EXPECT_TRUE(store_catalog_metadata(db_, catalog_));
    EXPECT_EQ(db_.get_metadata("wsname:stale name"), "");
    EntityResolver empty(Xapian::WritableDatabase(std::string(), Xapian::DB_BACKEND_INMEMORY));
    EXPECT_FALSE(empty.available());
    EXPECT_TRUE(empty.resolve(EntityField::location, "Daraya").ids.empty());
}

}  // namespace
}  // namespace warsearch
