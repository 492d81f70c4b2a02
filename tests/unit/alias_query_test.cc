// A free-text name ("Daesh", "nusra front") searches the entity terms the indexer wrote
// (weighted by mentions, schema 3) next to the typed words, instead of an OR of every
// alias phrase; indexes whose entity terms are boolean (schema 2) or that were built
// without extraction keep the phrase expansion.  Built in memory from the fixture
// catalog with the real DocumentBuilder and EntityExtractor.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "common/entities/entity_extractor.h"
#include "common/entities/entity_terms.h"
#include "common/index/schema.h"
#include "entity_test_support.h"
#include "indexer/document_builder.h"
#include "searcher/query_builder.h"

namespace warsearch {
namespace {

struct Doc {
    const char* id;
    const char* body;
};

// Fixture catalog: is = Islamic State (ISIS, ISIL, Daesh), nusra = Nusra Front
// (Jabhat al-Nusra, al-Nusra Front).
const Doc kDocs[] = {
    {"isil-once", "ISIL fighters were seen near the river."},
    {"isis-often", "ISIS shelled the town. ISIS fighters advanced. Later ISIS withdrew."},
    {"daesh", "Daesh claimed the attack in a statement."},
    {"jabhat-nusra", "Jabhat Nusra fighters held the hill."},  // no alias written as such
    {"unrelated", "Farmers brought the harvest in early."},
    // armed-opposition has the generic term "rebels": taken only next to a Syrian place.
    {"rebels-darayya", "Rebels shelled Darayya overnight."},
    {"rebels-elsewhere", "Rebels shelled the capital overnight."},
    // hts (Hayat Tahrir al-Sham) was renamed from nusra (fixture: predecessors).
    {"hts-darayya", "HTS fighters took Darayya."},
};

enum class Build { weighted, boolean_entity_terms, no_extraction };

class AliasQuery : public ::testing::Test {
  protected:
    void index(Build how) {
        db_ = Xapian::WritableDatabase(std::string(), Xapian::DB_BACKEND_INMEMORY);
        Catalog catalog = testing::fixture_catalog();
        EntityExtractor extractor(catalog);
        DocumentBuilder builder;
        for (const Doc& d : kDocs) {
            Article a;
            a.id = d.id;
            a.body = d.body;
            Extraction x = how == Build::no_extraction ? Extraction{} : extractor.extract("", a.body);
            Xapian::Document doc = builder.build(a, x);
            if (how == Build::boolean_entity_terms) {
                // As schema 2 wrote them: no wdf.
                std::vector<std::string> entity_terms;
                for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
                    std::string term = *t;
                    if ((term.rfind("XF", 0) == 0 && term.rfind("XFP", 0) != 0) ||
                        (term.rfind("XL", 0) == 0 && term.rfind("XLP", 0) != 0))
                        entity_terms.push_back(term);
                }
                for (const auto& t : entity_terms) {
                    doc.remove_term(t);
                    doc.add_boolean_term(t);
                }
            }
            db_.add_document(doc);
        }
        store_catalog_metadata(db_, catalog);
        db_.commit();
    }

    BuiltQuery build(const std::string& text) {
        QueryBuilder qb(db_);
        return qb.build(text, {}, DefaultOperator::op_and, QueryLimits{});
    }

    // Ids of the matches, best first.
    std::vector<std::string> search(const std::string& text) {
        Xapian::Enquire enquire(db_);
        enquire.set_query(build(text).query);
        std::vector<std::string> ids;
        Xapian::MSet mset = enquire.get_mset(0, 100);
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            Xapian::Document doc = it.get_document();
            for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
                std::string term = *t;
                if (term.rfind(schema::kIdPrefix, 0) == 0) ids.push_back(term.substr(schema::kIdPrefix.size()));
            }
        }
        return ids;
    }

    Xapian::WritableDatabase db_;
};

bool has(const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

TEST_F(AliasQuery, EntityTermsCarryTheMentionCount) {
    index(Build::weighted);
    Xapian::PostingIterator p = db_.postlist_begin(faction_term("is"));
    std::vector<Xapian::termcount> wdfs;
    for (; p != db_.postlist_end(faction_term("is")); ++p) wdfs.push_back(p.get_wdf());
    EXPECT_EQ(wdfs, (std::vector<Xapian::termcount>{1, 3, 1}));  // isil-once, isis-often, daesh
    EXPECT_EQ(db_.get_collection_freq(faction_ancestor_term("is")), 0u) << "ancestor terms stay boolean";
}

TEST_F(AliasQuery, NameSearchesTheTypedWordsOrTheEntityTerm) {
    index(Build::weighted);
    EXPECT_EQ(build("Daesh").query.get_description(), "Query((daesh@1 OR XFis))");
    EXPECT_EQ(build("nusra front shelling").query.get_description(),
              "Query((((nusra@1 PHRASE 2 front@2) OR XFnusra) AND Zshell@4))");
    // Phrases, fields and prefixed words are left alone.
    EXPECT_EQ(build("\"Daesh\"").query.get_description(), "Query(daesh@1)");
}

TEST_F(AliasQuery, FindsEverySpellingTheExtractorRecognisedAndRanksByMentions) {
    index(Build::weighted);
    auto ids = search("Daesh");
    ASSERT_EQ(ids.size(), 3u);
    EXPECT_TRUE(has(ids, "isil-once"));
    EXPECT_TRUE(has(ids, "daesh"));
    // Three mentions outrank one, all else equal (isil-once and isis-often are alike in length).
    EXPECT_LT(std::find(ids.begin(), ids.end(), "isis-often") - ids.begin(),
              std::find(ids.begin(), ids.end(), "isil-once") - ids.begin());
    // "Jabhat Nusra" is no alias phrase, but the extractor (which drops "al-") knows it.
    EXPECT_EQ(search("nusra front"), (std::vector<std::string>{"jabhat-nusra"}));
}

TEST_F(AliasQuery, ExplainsAndHighlightsThroughTheEntityTerm) {
    index(Build::weighted);
    BuiltQuery q = build("Daesh");
    auto reason = q.reasons.find(faction_term("is"));
    ASSERT_NE(reason, q.reasons.end());
    EXPECT_EQ(reason->second.origin, "alias");
    EXPECT_EQ(reason->second.field, "faction");
    EXPECT_EQ(reason->second.from, "Daesh = Islamic State");
    auto marked = q.highlight_with.find(faction_term("is"));
    ASSERT_NE(marked, q.highlight_with.end());
    for (const std::vector<std::string>& phrase :
         std::vector<std::vector<std::string>>{{"daesh"}, {"isi"}, {"isil"}, {"islam", "state"}})
        EXPECT_NE(std::find(marked->second.begin(), marked->second.end(), phrase), marked->second.end()) << phrase[0];
}

TEST_F(AliasQuery, GenericTermsCountOnlyWhereTheExtractorTookThem) {
    index(Build::weighted);
    EXPECT_EQ(search("syrian rebels"), (std::vector<std::string>{"rebels-darayya"}));
    BuiltQuery q = build("syrian rebels");
    auto marked = q.highlight_with.find(faction_term("armed-opposition"));
    ASSERT_NE(marked, q.highlight_with.end());
    EXPECT_NE(std::find(marked->second.begin(), marked->second.end(), std::vector<std::string>{"rebel"}),
              marked->second.end());
}

TEST_F(AliasQuery, BooleanEntityTermsKeepThePhraseExpansion) {
    index(Build::boolean_entity_terms);
    std::string description = build("Daesh").query.get_description();
    EXPECT_EQ(description.find("XFis"), std::string::npos) << description;
    EXPECT_NE(description.find("isil"), std::string::npos) << description;
    auto ids = search("Daesh");
    EXPECT_EQ(ids.size(), 3u);
    EXPECT_TRUE(search("nusra front").empty()) << "phrases know no spelling the catalog lacks";
}

TEST_F(AliasQuery, IndexWithoutExtractionKeepsThePhraseExpansion) {
    index(Build::no_extraction);
    auto ids = search("Daesh");
    EXPECT_EQ(ids.size(), 3u);
    EXPECT_TRUE(has(ids, "isil-once"));
    EXPECT_TRUE(build("Daesh").highlight_with.empty());
}

// Issue 25: faction: follows a group's renamings, faction:= is the one name only.
TEST_F(AliasQuery, FactionFieldFollowsTheLineage) {
    index(Build::weighted);
    auto found = search("faction:HTS");
    EXPECT_TRUE(has(found, "hts-darayya"));
    EXPECT_TRUE(has(found, "jabhat-nusra")) << "renamed from Nusra";
    EXPECT_TRUE(has(search("faction:nusra"), "hts-darayya")) << "renamed to HTS";
    auto only = search("faction:=HTS");
    EXPECT_TRUE(has(only, "hts-darayya"));
    EXPECT_FALSE(has(only, "jabhat-nusra"));
    bool said = false;
    for (const auto& [term, reason] : build("faction:HTS").reasons) said = said || reason.origin == "lineage";
    EXPECT_TRUE(said) << "the reasons say the lineage was followed";
}

}  // namespace
}  // namespace warsearch
