#include "searcher/highlighter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

#include "common/text/text.h"
#include "searcher/render.h"
#include "test_support.h"

using namespace warsearch;

namespace {

TEST(Highlighter, MarksEveryInflectionOfAStem) {
    Highlighter hl({"shell", "Sbarrel"}, Xapian::Stem("english"));
    auto segs = hl.highlight("Shelled by barrels; shelling went on. Shellfish unaffected.");
    EXPECT_EQ(join_segments(segs, "[", "]"), "[Shelled] by [barrels]; [shelling] went on. Shellfish unaffected.");
}

// Only words whose first two letters start a stem are stemmed (the rest cannot match):
// every word of the sample corpus, with its own stem as the only term, must be marked,
// and so must the English stemmer's exceptions and words that fold or end at an
// apostrophe.  Other languages' stemmers may cut prefixes: their words are all stemmed.
TEST(Highlighter, EveryWordIsMarkedByItsOwnStem) {
    Xapian::Stem english("english");
    std::vector<std::string> words = {"dying",   "Lying",   "tying", "skies", "Idly",      "news",
                                      "cries",   "by",      "A",     "I",     "2016",      "d'Alep",
                                      "O'Brien", "Étaient", "ÉTAT",  "x",     "Zelensky's"};
    for (const char* name : {"articles.jsonl", "liveblog-aleppo-2016-12.txt", "wire-1990-muc-style.txt"}) {
        std::string text = warsearch::testing::read_file(warsearch::testing::source_dir() + "/corpus/sample/" + name);
        Xapian::TermGenerator tg;
        Xapian::Document doc;
        tg.set_document(doc);
        tg.index_text(text);
        for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
            std::string term = *t;  // "1,200" is one term and two words to the highlighter
            if (std::all_of(term.begin(), term.end(), [](char c) { return c < 0 || std::isalnum(c) || c == '\''; }))
                words.push_back(term);
        }
    }
    ASSERT_GT(words.size(), 1000u);
    for (const auto& word : words) {
        std::string folded = Xapian::Unicode::tolower(fold_for_matching(word));
        if (auto apos = folded.find('\''); apos != std::string::npos) folded.resize(apos);
        // The index's stem term (Z + stem) and the word as written both mark it.
        Highlighter by_stem({"Z" + english(folded)}, english);
        EXPECT_EQ(join_segments(by_stem.highlight(word), "[", "]"), "[" + word + "]") << english(folded);
        Highlighter by_word({folded}, english);
        EXPECT_EQ(join_segments(by_word.highlight(word), "[", "]"), "[" + word + "]") << folded;
    }
    Xapian::Stem indonesian("indonesian");
    ASSERT_EQ(indonesian("menyerang"), "serang");
    EXPECT_EQ(join_segments(Highlighter({"Zserang"}, indonesian).highlight("menyerang"), "[", "]"), "[menyerang]");
}

TEST(Highlighter, FoldsDiacriticsAndApostrophes) {
    Highlighter hl({"darayya", "zelenski"}, Xapian::Stem("english"));
    EXPECT_EQ(join_segments(hl.highlight("Dārayyā and Zelensky\xE2\x80\x99s team"), "[", "]"),
              "[Dārayyā] and [Zelensky\xE2\x80\x99s] team");
}

TEST(Highlighter, PhrasesAreMarkedOnlyWordAfterWord) {
    // An entity's other spellings: "government of syria" must not mark every "of".
    Highlighter hl({"shell"}, Xapian::Stem("english"), nullptr,
                   {{"govern", "of", "syria"}, {"damascus"}, {"syrian", "govern"}});
    EXPECT_EQ(join_segments(hl.highlight("Most of the Government of Syria's shelling hit Damascus; a government "
                                         "of sorts in Syria; Syrian governments."),
                            "[", "]"),
              "Most of the [Government] [of] [Syria's] [shelling] hit [Damascus]; a government of sorts in Syria; "
              "[Syrian] [governments].");
    // The snippet window counts a phrase once, like one word.
    auto snippet = hl.snippet("Filler words here. The government of Syria said so.", 200);
    EXPECT_EQ(join_segments(snippet, "[", "]"), "Filler words here. The [government] [of] [Syria] said so.");
}

TEST(Highlighter, ASharedWordCacheGivesTheSameSegments) {
    // One cache serves every hit of a page; results must not depend on what it holds.
    const std::string texts[] = {
        "Shelled by barrels; shelling went on. Shellfish unaffected.",
        "D\xC4\x81rayy\xC4\x81 and Zelensky\xE2\x80\x99s team: shells, SHELLING, o'clock_x 1990s",
        "\xD8\xAF\xD8\xA7\xD8\xB1\xD9\x8A\xD8\xA7 shell\xE2\x80\x99 'shell' _shell_ shell2",
    };
    Highlighter::WordCache cache;
    for (int round = 0; round < 2; ++round) {
        for (const auto& text : texts) {
            Highlighter plain({"shell", "darayya", "zelenski"}, Xapian::Stem("english"));
            Highlighter cached({"shell", "darayya", "zelenski"}, Xapian::Stem("english"), &cache);
            EXPECT_EQ(join_segments(cached.highlight(text), "[", "]"), join_segments(plain.highlight(text), "[", "]"));
            EXPECT_EQ(join_segments(cached.snippet(text, 40), "[", "]"),
                      join_segments(plain.snippet(text, 40), "[", "]"));
        }
        // A highlighter with other terms reuses the cached forms but its own terms.
        Highlighter other({"barrel"}, Xapian::Stem("english"), &cache);
        EXPECT_EQ(join_segments(other.highlight(texts[0]), "[", "]"),
                  "Shelled by [barrels]; shelling went on. Shellfish unaffected.");
    }
    EXPECT_FALSE(cache.forms.empty());
}

TEST(Highlighter, SnippetOfAHugeTextLooksOnlyAtItsStartAndSaysItIsCut) {
    std::string text = "Opening words about nothing. ";
    while (text.size() < 100000) text += "Filler words again and again. ";
    text += "The siege of Madaya.";
    Highlighter hl({"madaya"}, Xapian::Stem("english"));
    std::string joined = join_segments(hl.snippet(text, 120), "[", "]");
    EXPECT_EQ(joined.find("[Madaya]"), std::string::npos) << "a match past the scanned 16 KiB";
    EXPECT_EQ(joined.rfind("Opening words", 0), 0u) << joined;
    EXPECT_EQ(joined.substr(joined.size() - 3), "\xE2\x80\xA6") << joined;
}

TEST(Highlighter, IgnoresBooleanFilterTerms) {
    Highlighter hl({"XSRCreuters", "Qa1"}, Xapian::Stem("english"));
    EXPECT_TRUE(hl.empty());
}

TEST(Highlighter, SnippetPicksTheDensestPassageAndMarksCuts) {
    std::string text;
    for (int i = 0; i < 40; ++i) text += "Filler sentence number " + std::to_string(i) + ". ";
    text += "The siege of Madaya caused starvation. ";
    for (int i = 0; i < 40; ++i) text += "More filler " + std::to_string(i) + ". ";
    Highlighter hl({"madaya", "starvat"}, Xapian::Stem("english"));
    auto segs = hl.snippet(text, 120);
    std::string joined = join_segments(segs, "[", "]");
    EXPECT_NE(joined.find("[Madaya] caused [starvation]"), std::string::npos) << joined;
    EXPECT_EQ(joined.rfind("\xE2\x80\xA6", 0), 0u) << joined;  // cut at the front
    EXPECT_LE(joined.size(), 120u + 20);
}

TEST(Highlighter, SegmentsKeepMarkupRawForRenderersToEscape) {
    Highlighter hl({"alert"}, Xapian::Stem("english"));
    auto segs = hl.highlight("<script>alert(1)</script>");
    EXPECT_EQ(join_segments(segs, "{", "}"), "<script>{alert}(1)</script>");
}

TEST(RenderText, DropsTerminalControlSequencesFromDocuments) {
    SearchResult r;
    Hit h;
    h.rank = 1;
    h.fields.title = "Evil \x1b[2Jtitle";
    h.snippet = {{"text \x1b]0;x\x07 here", false}};
    r.hits.push_back(h);
    r.estimate = r.lower_bound = r.upper_bound = 1;
    std::string out = render_text(r, TextRenderOptions{});
    EXPECT_EQ(out.find('\x1b'), std::string::npos);
    EXPECT_EQ(out.find('\x07'), std::string::npos);
}

TEST(RenderJson, HasTheDocumentedShape) {
    SearchResult r;
    r.query = "q";
    r.index_uuid = "u";
    r.index_revision = 7;
    Hit h;
    h.rank = 1;
    h.fields.id = "a";
    h.snippet = {{"x ", false}, {"<y>", true}};
    r.hits.push_back(h);
    std::string json = render_json(r);
    for (const char* key :
         {"\"query\"", "\"parsed\"", "\"total\"", "\"estimate\"", "\"hits\"", "\"rank\"",
          "\"snippet\": \"x \\u003cy\\u003e\"", "\"snippet_segments\"", "\"index\"", "\"uuid\"", "\"revision\": 7"})
        EXPECT_NE(json.find(key), std::string::npos) << key << " in " << json;
}

}  // namespace
