#include "searcher/query_lint.h"

#include <gtest/gtest.h>

#include "searcher/search_types.h"

namespace warsearch {
namespace {

struct Case {
    const char* typed;
    const char* read;
    std::size_t notices;
    bool operators;
};

TEST(QueryLint, ReadsSlipsAsMeantAndSaysSo) {
    const Case cases[] = {
        {"hospital aleppo", "hospital aleppo", 0, false},
        {"hospital aleppo)", "hospital aleppo", 1, false},
        {"Daesh)", "Daesh", 1, false},
        {"(aleppo OR idlib", "aleppo OR idlib", 1, true},
        {"(aleppo OR idlib) hospital", "( aleppo OR idlib ) hospital", 0, true},
        {"aleppo or idlib", "aleppo OR idlib", 1, true},
        {"aleppo and idlib", "aleppo idlib", 1, false},
        {"war and", "war and", 0, false},  // not between two words: a word
        {"aleppo OR", "aleppo", 1, false},
        {"AND aleppo", "aleppo", 1, false},
        {"aleppo AND OR idlib", "aleppo OR idlib", 1, true},
        {"aleppo NOT", "aleppo", 1, false},
        {"NOT idlib", "NOT idlib", 0, true},
        {"aleppo not idlib", "aleppo not idlib", 1, false},
        {"\"barrel bombs", "\"barrel bombs\"", 1, false},
        {"\"or\" aleppo", "\"or\" aleppo", 0, false},
        {"Faction:Daesh", "faction:Daesh", 0, false},
        {"place:Daraya country:Syria", "location:Daraya location:Syria", 0, false},
        {"GROUP:\"Nusra Front\"", "faction:\"Nusra Front\"", 0, false},
        {"-source:reuters aleppo", "-source:reuters aleppo", 0, true},
        {"Filed:Kabul Dateline:Beirut", "dateline:Kabul dateline:Beirut", 0, false},
        {"talks 10:30 http://x.org/a", "talks 10:30 http://x.org/a", 0, false},
        {"( )", "", 0, false},
        {"shell*", "shell*", 0, false},
        {"+raqqa -mosul", "+raqqa -mosul", 0, true},
    };
    for (const auto& c : cases) {
        LintedQuery q = lint_query(c.typed);
        EXPECT_EQ(q.text, c.read) << c.typed;
        EXPECT_EQ(q.notices.size(), c.notices) << c.typed;
        EXPECT_EQ(q.has_operators, c.operators) << c.typed;
    }
}

TEST(QueryLint, AnUnknownFieldIsAnErrorNamingTheKnownOnes) {
    try {
        lint_query("foo:bar aleppo");
        FAIL() << "accepted foo:";
    } catch (const QueryError& e) {
        std::string m = e.what();
        EXPECT_NE(m.find("unknown field 'foo:'"), std::string::npos) << m;
        EXPECT_NE(m.find("location:"), std::string::npos) << m;
    }
}

TEST(QueryLint, FieldNamesAreCaseInsensitiveWithAliases) {
    EXPECT_EQ(canonical_field("Faction"), "faction");
    EXPECT_EQ(canonical_field("ACTOR"), "faction");
    EXPECT_EQ(canonical_field("place"), "location");
    EXPECT_EQ(canonical_field("Country"), "location");
    EXPECT_EQ(canonical_field("title"), "title");
    EXPECT_EQ(canonical_field("foo"), "");
}

}  // namespace
}  // namespace warsearch
