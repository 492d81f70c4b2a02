// The typed parts of a SearchRequest (an id list, a date range) match what the query
// language's id: and date: filters match, without any text being parsed or counted
// against the limits; and the sort orders the front-ends name read back as themselves.
#include <gtest/gtest.h>
#include <xapian.h>

#include <set>
#include <string>
#include <vector>

#include "common/index/stored_fields.h"
#include "searcher/query_builder.h"
#include "searcher/searcher.h"
#include "test_support.h"

using namespace warsearch;
using warsearch::testing::TempDir;

namespace {

// One index of corpus/sample for the whole suite (indexing it takes a second or two).
class SearchRequestTyped : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir;
        db_ = *dir_ / "db";
        auto r = warsearch::testing::run_command({warsearch::testing::index_bin(), "--quiet", "--db", db_,
                                                  warsearch::testing::source_dir() + "/corpus/sample"});
        ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 4) << r.err;
    }
    static void TearDownTestSuite() {
        delete dir_;
        dir_ = nullptr;
    }

    // The ids of the hits, in order.
    static std::vector<std::string> ids_of(Searcher& searcher, SearchRequest req) {
        req.limit = 1000;
        req.collapse = false;
        req.snippets = false;
        std::vector<std::string> ids;
        for (const auto& h : searcher.search(req).hits) ids.push_back(h.fields.id);
        return ids;
    }
    static std::vector<std::string> ids_of(Searcher& searcher, const std::string& query,
                                           const std::vector<std::string>& filters = {}) {
        SearchRequest req;
        req.query = query;
        req.filters = filters;
        return ids_of(searcher, req);
    }

    static TempDir* dir_;
    static std::string db_;
};

TempDir* SearchRequestTyped::dir_ = nullptr;
std::string SearchRequestTyped::db_;

TEST_F(SearchRequestTyped, IdsMatchWhatIdFiltersMatch) {
    Searcher searcher(db_);
    std::vector<std::string> all = ids_of(searcher, "");
    ASSERT_GE(all.size(), 10u);
    std::vector<std::string> some = {all[1], all[4], all[7]};
    std::string as_text = "id:" + some[0] + " id:" + some[1] + " id:" + some[2];

    SearchRequest only;
    only.ids = some;
    std::vector<std::string> typed = ids_of(searcher, only);
    EXPECT_EQ(std::set<std::string>(typed.begin(), typed.end()), std::set<std::string>(some.begin(), some.end()));
    EXPECT_EQ(typed, ids_of(searcher, as_text)) << "the same documents in the same order";

    // With a query and filters: the ids narrow what they match, as a filter.
    for (const char* query : {"aleppo", "siege OR convoy", "\"islamic state\"", ""}) {
        SearchRequest req;
        req.query = query;
        req.filters = {"date:2010..2030"};
        req.ids = all;
        EXPECT_EQ(ids_of(searcher, req), ids_of(searcher, query, {"date:2010..2030"})) << query;
        req.ids = some;
        std::string text = std::string(query).empty() ? as_text : "(" + std::string(query) + ") " + as_text;
        EXPECT_EQ(ids_of(searcher, req), ids_of(searcher, text, {"date:2010..2030"})) << query;
    }
}

TEST_F(SearchRequestTyped, IdsAreNeitherParsedNorLimited) {
    Searcher searcher(db_);
    std::vector<std::string> all = ids_of(searcher, "");
    ASSERT_GE(all.size(), 2u);
    // Far more ids than a query may have words, among them ids the query language would
    // read as operators, phrases, brackets or other fields.
    SearchRequest req;
    for (int i = 0; i < 20000; ++i) req.ids.push_back("absent-" + std::to_string(i));
    for (const char* odd : {"OR", "a \"quoted\" id", "(bracketed)", "date:2016", "-minus", "x*", "two\nlines"})
        req.ids.push_back(odd);
    req.ids.push_back(all[0]);
    req.ids.push_back(all[1]);
    std::vector<std::string> found = ids_of(searcher, req);
    EXPECT_EQ(std::set<std::string>(found.begin(), found.end()), (std::set<std::string>{all[0], all[1]}));
    EXPECT_EQ(req.limits.max_terms, QueryLimits{}.max_terms) << "no limit lifted";

    // Ids of which none is in the index match nothing, with or without a query.
    for (const char* query : {"", "aleppo"}) {
        SearchRequest none;
        none.query = query;
        none.ids = {"absent-1", "absent-2"};
        EXPECT_TRUE(ids_of(searcher, none).empty()) << query;
        none.ids.resize(5000, "absent-3");
        EXPECT_TRUE(ids_of(searcher, none).empty()) << query;
    }
}

// Only the ids the index has become terms of the query: Xapian 1.4 prunes the postlists
// of absent terms under an OR in time quadratic in their number.
TEST_F(SearchRequestTyped, IdsTheIndexLacksAreLeftOutOfTheQuery) {
    Searcher searcher(db_);
    std::vector<std::string> all = ids_of(searcher, "");
    ASSERT_GE(all.size(), 2u);
    Xapian::Database db(db_);
    QueryBuilder builder(db);
    SearchRequest req;
    req.ids = {"absent-1", all[0], "absent-2", all[1], "absent-3"};
    BuiltQuery built = builder.build(req);
    std::set<std::string> terms(built.query.get_unique_terms_begin(), built.query.get_unique_terms_end());
    EXPECT_EQ(terms, (std::set<std::string>{id_term(all[0]), id_term(all[1])})) << built.query.get_description();
}

TEST_F(SearchRequestTyped, ADateRangeMatchesWhatADateFilterMatches) {
    Searcher searcher(db_);
    const std::pair<const char*, const char*> kRanges[] = {
        {"2016-07-01", "2016-12-31"}, {"2016", ""}, {"", "2016-08"}, {"2017", "2017"}, {"1990", "2030"}};
    for (const auto& [from, to] : kRanges) {
        std::string error;
        SearchRequest req;
        req.dates = parse_date_range(from, to, error);
        ASSERT_TRUE(req.dates) << error;
        std::string filter = std::string("date:") + from + ".." + to;
        for (const char* query : {"", "aleppo", "the"}) {
            req.query = query;
            SearchResult typed = searcher.search(req);
            SearchRequest as_text;
            as_text.query = query;
            as_text.filters = {filter};
            SearchResult filtered = searcher.search(as_text);
            EXPECT_EQ(ids_of(searcher, req), ids_of(searcher, as_text)) << filter << " " << query;
            EXPECT_EQ(typed.parsed, filtered.parsed) << "the same query: " << filter << " " << query;
        }
    }
}

TEST(SortOrderNames, ReadBackAsThemselves) {
    for (SortOrder order : {SortOrder::relevance, SortOrder::date_newest, SortOrder::date_oldest})
        EXPECT_EQ(parse_sort_order(sort_order_name(order)), order);
    const std::pair<const char*, std::optional<SortOrder>> kNames[] = {{"relevance", SortOrder::relevance},
                                                                       {"date", SortOrder::date_newest},
                                                                       {"date-asc", SortOrder::date_oldest},
                                                                       {"", std::nullopt},
                                                                       {"Date", std::nullopt},
                                                                       {"date-desc", std::nullopt},
                                                                       {"newest", std::nullopt},
                                                                       {"date ", std::nullopt}};
    for (const auto& [name, order] : kNames) EXPECT_EQ(parse_sort_order(name), order) << name;
}

}  // namespace
