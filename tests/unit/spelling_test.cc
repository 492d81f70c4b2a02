// The "did you mean" vocabulary: distances, the suggester, and its per-letter cache.
#include <gtest/gtest.h>

#include "test_support.h"
#include "warsearch/spelling.h"

namespace warsearch {
namespace {

TEST(EditDistance, CountsCodePointsAndTranspositions) {
    EXPECT_EQ(edit_distance("shelling", "shelling", 2), 0u);
    EXPECT_EQ(edit_distance("shelin", "shellin", 2), 1u);
    EXPECT_EQ(edit_distance("sheling", "shelilng", 2), 1u);
    EXPECT_EQ(edit_distance("shelling", "shlelnig", 2), 2u);  // two transpositions
    EXPECT_EQ(edit_distance("darayya", "daryaya", 2), 1u);  // one transposition
    EXPECT_EQ(edit_distance("aleppo", "idlib", 2), 3u);     // over the limit: limit + 1
    EXPECT_EQ(edit_distance("ab", "abcdef", 2), 3u);        // lengths alone rule it out
    // Non-ASCII: one code point is one edit, whatever its byte length.
    EXPECT_EQ(edit_distance("d\xC4\x81rayya", "darayya", 2), 1u);
    EXPECT_EQ(edit_distance("\xD8\xAF\xD8\xA7\xD8\xB1\xD9\x8A\xD8\xA7", "\xD8\xAF\xD8\xA7\xD8\xB1\xD8\xA7", 2), 1u);
    EXPECT_EQ(edit_distance("ki\xD1\x97v", "kiiv", 2), 1u);
}

class SpellingIndexTest : public ::testing::Test {
protected:
    void SetUp() override {
        db_ = Xapian::WritableDatabase(dir_.path(), Xapian::DB_CREATE_OR_OVERWRITE);
        SpellingVocabulary v;
        v.add_text("Shelling near Darayya. Shelling again; the shelters were full. Sheltering families.");
        v.add_text("Shelving plans, x2 ids and 1990s are not words. Zelensky's speech.");
        v.write(db_);
        db_.commit();
    }
    void TearDown() override { db_.close(); }
    warsearch::testing::TempDir dir_;  // declared first: removed after the database closes
    Xapian::WritableDatabase db_;
};

TEST_F(SpellingIndexTest, SuggestsTheClosestThenTheMostFrequentWord) {
    Xapian::Database db(dir_.path());
    EXPECT_EQ(suggest_word(db, "shellin"), "shelling");
    EXPECT_EQ(suggest_word(db, "darraya"), "darayya");
    EXPECT_EQ(suggest_word(db, "zelenskys"), "zelensky");
    EXPECT_EQ(suggest_word(db, "shelling"), "") << "known words need no correction";
    EXPECT_EQ(suggest_word(db, "qwerty"), "");
    EXPECT_EQ(suggest_word(db, "1990s"), "") << "words with digits are not in the vocabulary";
}

TEST_F(SpellingIndexTest, AKeptIndexAnswersAsAFreshOneAndSeesNewWordsAfterClear) {
    Xapian::Database db(dir_.path());
    SpellingIndex kept(db);
    for (int round = 0; round < 2; ++round)
        for (const char* w : {"shellin", "darraya", "sheltring", "zelenskys", "qwerty", "shelvng"})
            EXPECT_EQ(kept.suggest(w), suggest_word(db, w)) << w << " round " << round;
    EXPECT_EQ(kept.suggest("moadamiya"), "");
    SpellingVocabulary more;
    more.add_text("Moadamiyeh was besieged.");
    more.write(db_);
    db_.commit();
    db.reopen();
    kept.clear();
    EXPECT_EQ(kept.suggest("moadamiya"), "moadamiyeh");
}

}  // namespace
}  // namespace warsearch
