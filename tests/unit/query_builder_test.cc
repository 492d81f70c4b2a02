#include "searcher/query_builder.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

using namespace warsearch;

namespace {

struct QueryCase {
    const char* query;
    const char* description;
};

// Golden descriptions of the strict reading (--default-op and, or a query with operators):
// a change here is a change users see in what their queries match.  Plain words search
// stems (Z...), phrases and capitalised words the forms written.
const QueryCase kQueryCases[] = {
    {R"(shelling)", "Query(Zshell@1)"},
    {R"(barrel bombs)", "Query((Zbarrel@1 AND Zbomb@2))"},
    {R"("barrel bombs")", "Query((barrel@1 PHRASE 2 bombs@2))"},
    {R"(aleppo OR idlib)", "Query((Zaleppo@1 OR Zidlib@2))"},
    {R"(aleppo NOT idlib)", "Query((Zaleppo@1 AND_NOT Zidlib@2))"},
    {R"((aleppo OR idlib) AND hospital)", "Query(((Zaleppo@1 OR Zidlib@2) AND Zhospit@3))"},
    {R"(+raqqa -mosul)", "Query((Zraqqa@1 AND_NOT Zmosul@2))"},
    {R"(kurdish NEAR ypg)", "Query((kurdish@1 NEAR 11 ypg@2))"},
    {R"(title:ceasefire)", "Query(ZSceasefir@1)"},
    {R"(source:Reuters)", "Query(0 * XSRCreuters)"},
    {R"(source:"Al Jazeera")", "Query(0 * XSRCal-jazeera)"},
    {R"(date:2016-07-01..2016-07-31)", "Query(VALUE_RANGE 0 201607010000 201607312359)"},
    {R"(date:2016)", "Query(VALUE_RANGE 0 201601010000 201612312359)"},
    {R"(date:2016-07)", "Query(VALUE_RANGE 0 201607010000 201607312359)"},
    {R"(date:..2016-07-31)", "Query(VALUE_LE 0 201607312359)"},
    {R"(date:2016-07..)", "Query(VALUE_GE 0 201607010000)"},
    {R"(siege date:2016)", "Query((Zsieg@1 FILTER VALUE_RANGE 0 201601010000 201612312359))"},
    {R"(Dārayyā)", "Query(darayya@1)"},
    {R"(Zelensky’s)", "Query(zelensky's@1)"},
    {R"(shell*)", "Query(WILDCARD SYNONYM shell)"},
    {R"(id:sample-001)", "Query(0 * Qsample-001)"},
    {R"(lang:EN)", "Query(0 * Len)"},
    {R"(kind:entry)", "Query(0 * XKentry)"},
    {R"(dateline:Kabul)", "Query(0 * XWkabul)"},
    {R"(dateline:"San Salvador")", "Query(0 * XWsan-salvador)"},
    {R"(filed:BEIRUT shelling)", "Query((Zshell@1 FILTER XWbeirut))"},
    {R"("coalition forces" khost)", "Query(((coalition@1 PHRASE 2 forces@2) AND Zkhost@3))"},
    {R"(aleppo "unbalanced)", "Query((Zaleppo@1 AND unbalanced@2))"},
    {R"(aleppo (idlib)", "Query((Zaleppo@1 AND Zidlib@2))"},
};

class QueryBuilderGolden : public ::testing::TestWithParam<QueryCase> {};

TEST_P(QueryBuilderGolden, ParsesToExpectedQuery) {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    QueryBuilder builder(db);
    const QueryCase& c = GetParam();
    EXPECT_EQ(builder.build(c.query, {}, DefaultOperator::op_and, QueryLimits{}).query.get_description(), c.description)
        << c.query;
}

// Named by position: the default name prints the case's bytes (pointers), which change
// from build to build.
INSTANTIATE_TEST_SUITE_P(Table, QueryBuilderGolden, ::testing::ValuesIn(kQueryCases),
                         [](const auto& param) { return "case" + std::to_string(param.index); });

// A snippet marks a phrase's words only where the whole phrase is: the builder says which
// phrases were typed (stems, a title phrase without its prefix) and which terms occur
// only inside them.
TEST(QueryBuilder, NamesThePhrasesAndTheTermsOnlyInThem) {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    QueryBuilder builder(db);
    auto built = [&](const std::string& q) { return builder.build(q, {}, DefaultOperator::op_and, QueryLimits{}); };
    BuiltQuery phrase = built("\"barrel bombs\" aleppo");
    ASSERT_EQ(phrase.phrases.size(), 1u);
    EXPECT_EQ(phrase.phrases[0], (std::vector<std::string>{"barrel", "bomb"}));
    EXPECT_EQ(phrase.phrase_only, (std::set<std::string>{"barrel", "bombs"}));
    BuiltQuery also_alone = built("\"barrel bombs\" OR bombs");
    EXPECT_EQ(also_alone.phrase_only, (std::set<std::string>{"barrel", "bombs"}))
        << "bombs typed alone is its stem, not the phrase's word";
    BuiltQuery title = built("title:\"barrel bombs\"");
    ASSERT_EQ(title.phrases.size(), 1u);
    EXPECT_EQ(title.phrases[0], (std::vector<std::string>{"barrel", "bomb"}));
    EXPECT_EQ(title.phrase_only, (std::set<std::string>{"Sbarrel", "Sbombs"}));
    BuiltQuery words = built("barrel bombs");
    EXPECT_TRUE(words.phrases.empty());
    EXPECT_TRUE(words.phrase_only.empty());
    BuiltQuery near = built("kurdish NEAR ypg");
    EXPECT_TRUE(near.phrases.empty()) << "NEAR marks its words wherever they are";
}

TEST(QueryBuilder, OrDefaultAndFilters) {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    QueryBuilder builder(db);
    EXPECT_EQ(builder.build("shelling aleppo", {"source:Reuters"}, DefaultOperator::op_or, QueryLimits{})
                  .query.get_description(),
              "Query(((Zshell@1 OR Zaleppo@2) FILTER XSRCreuters))");
    EXPECT_EQ(builder.build("", {"date:2016"}, DefaultOperator::op_and, QueryLimits{}).query.get_description(),
              "Query(VALUE_RANGE 0 201601010000 201612312359)");
}

// The default reading of a query without operators (ranked_query.h): any concept
// matches, all of them rank first, the typed forms above their stems; slips mended.
const QueryCase kRankedCases[] = {
    {R"(shelling)", "Query((Zshell AND_MAYBE 0.25 * shelling))"},
    {R"(barrel bombs)",
     "Query((((Zbarrel OR Zbomb) AND_MAYBE 2 * (Zbarrel AND Zbomb)) AND_MAYBE 0.25 * (barrel OR bombs)))"},
    {R"("barrel bombs" aleppo)",
     "Query(((((barrel@1 PHRASE 2 bombs@2) OR Zaleppo) AND_MAYBE 2 * ((barrel@1 PHRASE 2 bombs@2) AND Zaleppo)) "
     "AND_MAYBE 0.25 * aleppo))"},
    {R"(hospital aleppo))",
     "Query((((Zhospit OR Zaleppo) AND_MAYBE 2 * (Zhospit AND Zaleppo)) AND_MAYBE 0.25 * (hospital OR aleppo)))"},
    {R"(aleppo or idlib)", "Query((Zaleppo@1 OR Zidlib@2))"},
    {R"(siege date:2016)", "Query(((Zsieg AND_MAYBE 0.25 * siege) FILTER VALUE_RANGE 0 201601010000 201612312359))"},
    {R"(aleppo AND)", "Query((Zaleppo AND_MAYBE 0.25 * aleppo))"},
};

class QueryBuilderRanked : public ::testing::TestWithParam<QueryCase> {};

TEST_P(QueryBuilderRanked, ReadsPlainQueriesAsConcepts) {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    QueryBuilder builder(db);
    const QueryCase& c = GetParam();
    EXPECT_EQ(builder.build(c.query, {}, DefaultOperator::ranked, QueryLimits{}).query.get_description(), c.description)
        << c.query;
}

INSTANTIATE_TEST_SUITE_P(Table, QueryBuilderRanked, ::testing::ValuesIn(kRankedCases),
                         [](const auto& param) { return "case" + std::to_string(param.index); });

TEST(QueryBuilder, SlipsAreMendedWithANotice) {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    QueryBuilder builder(db);
    EXPECT_EQ(builder.build("hospital aleppo)", {}, DefaultOperator::ranked, QueryLimits{}).notices.size(), 1u);
    EXPECT_EQ(builder.build("aleppo or idlib", {}, DefaultOperator::op_and, QueryLimits{}).notices.size(), 1u);
    EXPECT_TRUE(builder.build("aleppo idlib", {}, DefaultOperator::ranked, QueryLimits{}).notices.empty());
}

struct BadQuery {
    const char* query;
    const char* message_part;
};

const BadQuery kBadQueries[] = {
    {"foo:bar aleppo", "unknown field 'foo:'"},
    {"date:july", "not a date"},
    {"date:2017..2016", "ends before it starts"},
    {"!!! ???", "no searchable words"},
    {"\xff\xfe", "UTF-8"},
};

class QueryBuilderErrors : public ::testing::TestWithParam<BadQuery> {};

TEST_P(QueryBuilderErrors, SayWhatIsWrong) {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    QueryBuilder builder(db);
    const BadQuery& c = GetParam();
    try {
        builder.build(c.query, {}, DefaultOperator::op_and, QueryLimits{});
        FAIL() << "no error for " << c.query;
    } catch (const QueryError& e) {
        EXPECT_NE(std::string(e.what()).find(c.message_part), std::string::npos) << e.what();
    }
}

INSTANTIATE_TEST_SUITE_P(Table, QueryBuilderErrors, ::testing::ValuesIn(kBadQueries),
                         [](const auto& param) { return "case" + std::to_string(param.index); });

TEST(QueryBuilder, LimitsRefuseAbsurdQueries) {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    QueryBuilder builder(db);
    QueryLimits limits;
    std::string huge(limits.max_query_bytes + 1, 'a');
    EXPECT_THROW(builder.build(huge, {}, DefaultOperator::op_and, limits), QueryError);
    std::string many;
    for (unsigned i = 0; i <= limits.max_terms; ++i) many += "w" + std::to_string(i) + " OR ";
    many += "end";
    EXPECT_THROW(builder.build(many, {}, DefaultOperator::op_and, limits), QueryError);
    EXPECT_THROW(builder.build("x", {"nosuchfield:1"}, DefaultOperator::op_and, limits), QueryError);
}

}  // namespace
