// The "did you mean" vocabulary: distances, the suggester, and its per-letter cache.
#include "common/index/spelling.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "common/index/schema.h"
#include "test_support.h"

namespace warsearch {
namespace {

TEST(EditDistance, CountsCodePointsAndTranspositions) {
    EXPECT_EQ(edit_distance("shelling", "shelling", 2), 0u);
    EXPECT_EQ(edit_distance("shelin", "shellin", 2), 1u);
    EXPECT_EQ(edit_distance("sheling", "shelilng", 2), 1u);
    EXPECT_EQ(edit_distance("shelling", "shlelnig", 2), 2u);  // two transpositions
    EXPECT_EQ(edit_distance("darayya", "daryaya", 2), 1u);    // one transposition
    EXPECT_EQ(edit_distance("aleppo", "idlib", 2), 3u);       // over the limit: limit + 1
    EXPECT_EQ(edit_distance("ab", "abcdef", 2), 3u);          // lengths alone rule it out
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

// The suggester skips words whose letters alone put them out of reach (a bound below the
// edit distance); it must suggest exactly what comparing the typed word with every word
// of its first letter suggests: the closest, then the one keeping most typed letters,
// then the most frequent, then the first in order.  Typos of every kind, ASCII or not.
TEST_F(SpellingIndexTest, SkippingWordsOutOfReachChangesNoSuggestion) {
    const std::vector<std::string> vocabulary = {"shelling",
                                                 "shellings",
                                                 "shelled",
                                                 "shelter",
                                                 "shelters",
                                                 "sheltering",
                                                 "shelving",
                                                 "shield",
                                                 "shields",
                                                 "shilling",
                                                 "spelling",
                                                 "selling",
                                                 "swelling",
                                                 "darayya",
                                                 "daraya",
                                                 "darayyah",
                                                 "dara",
                                                 "daria",
                                                 "damascus",
                                                 "damasks",
                                                 "mariupol",
                                                 "mariupols",
                                                 "marinol",
                                                 "kherson",
                                                 "khersons",
                                                 "herson",
                                                 "kharkiv",
                                                 "kharkov",
                                                 "d\xC4\x81rayya",
                                                 "\xD0\xBA\xD0\xB8\xD1\x97\xD0\xB2",
                                                 "\xD0\xBA\xD0\xB8\xD0\xB5\xD0\xB2",
                                                 "aleppo",
                                                 "alepo",
                                                 "allepo",
                                                 "aleppos",
                                                 "apple",
                                                 "idlib",
                                                 "idlibs",
                                                 "ideal"};
    {
        SpellingVocabulary v;
        int repeat = 1;
        for (const auto& w : vocabulary)
            for (int i = 0; i < repeat++ % 4 + 1; ++i) v.add_folded_text(w);
        v.write(db_);
        db_.commit();
    }
    Xapian::Database db(dir_.path());
    std::map<std::string, unsigned long> freq;
    std::string prefix(schema::kMetaSpellingPrefix);
    for (auto k = db.metadata_keys_begin(prefix); k != db.metadata_keys_end(prefix); ++k)
        freq[std::string(*k).substr(prefix.size())] = std::stoul(db.get_metadata(*k));
    auto code_points = [](const std::string& w) {
        std::u32string out;
        for (Xapian::Utf8Iterator it(w), end; it != end; ++it) out += static_cast<char32_t>(*it);
        return out;
    };
    auto reference = [&](const std::string& typed) -> std::string {
        if (typed.size() < 3 || freq.count(typed)) return "";
        std::u32string t = code_points(typed);
        unsigned limit = t.size() >= 5 ? 2 : 1;
        std::string best;
        unsigned best_d = limit + 1, best_drop = ~0u;
        unsigned long best_f = 0;
        for (const auto& [w, f] : freq) {  // in key order, as the index lists them
            std::u32string c = code_points(w);
            if (c.empty() || c[0] != t[0]) continue;
            unsigned d = edit_distance(typed, w, limit);
            if (d > limit || d > best_d) continue;
            unsigned drop = 0;
            for (char32_t ch : t) {
                auto pos = c.find(ch);
                if (pos == std::u32string::npos)
                    ++drop;
                else
                    c.erase(pos, 1);
            }
            if (d < best_d || (d == best_d && (drop < best_drop || (drop == best_drop && f > best_f)))) {
                best = w;
                best_d = d;
                best_drop = drop;
                best_f = f;
            }
        }
        return best;
    };
    // Every word with a letter dropped, doubled, replaced by the next letter, or swapped
    // with the next one.
    auto utf8 = [](const std::u32string& w) {
        std::string out;
        for (char32_t ch : w) Xapian::Unicode::append_utf8(out, static_cast<unsigned>(ch));
        return out;
    };
    std::vector<std::string> typos;
    for (const auto& word : vocabulary) {
        std::u32string w = code_points(word);
        for (std::size_t i = 1; i < w.size(); ++i) {
            std::u32string dropped = w, doubled = w, replaced = w, swapped = w;
            dropped.erase(i, 1);
            doubled.insert(i, 1, w[i]);
            replaced[i] = w[i] == U'z' ? U'a' : w[i] + 1;
            if (i + 1 < w.size()) std::swap(swapped[i], swapped[i + 1]);
            for (const auto& t : {dropped, doubled, replaced, swapped}) typos.push_back(utf8(t));
        }
    }
    SpellingIndex index(db);
    std::size_t suggested = 0;
    for (const auto& t : typos) {
        std::string expected = reference(t);
        EXPECT_EQ(index.suggest(t), expected) << t;
        suggested += !expected.empty();
    }
    EXPECT_GT(suggested, typos.size() / 2);
}

}  // namespace
}  // namespace warsearch
