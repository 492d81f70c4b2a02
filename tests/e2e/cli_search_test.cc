// warsearch-search through the real binary on corpus/sample: query syntax, filters,
// sorting, pagination, snippets, JSON schema and exit codes.
#include <algorithm>
#include <set>

#include "e2e_support.h"

using namespace warsearch::testing;
using nlohmann::json;

namespace {

bool snippet_has_match(const json& hit, const std::string& lower_word) {
    for (const auto& seg : hit["snippet_segments"]) {
        if (!seg["match"].get<bool>()) continue;
        std::string t = seg["text"].get<std::string>();
        std::transform(t.begin(), t.end(), t.begin(), ::tolower);
        if (t.find(lower_word) != std::string::npos) return true;
    }
    return false;
}

// The snippet with its matches in brackets, lower-cased.
std::string marked_snippet(const json& hit) {
    std::string out;
    for (const auto& seg : hit["snippet_segments"]) {
        std::string t = seg["text"].get<std::string>();
        std::transform(t.begin(), t.end(), t.begin(), ::tolower);
        out += seg["match"].get<bool>() ? "[" + t + "]" : t;
    }
    return out;
}

TEST(CliSearch, PhraseFindsBarrelBombsWithHighlightedSnippets) {
    json r = search_json({"\"barrel bombs\""});
    ASSERT_GE(r["hits"].size(), 2u) << r.dump();
    for (const auto& h : r["hits"]) {
        EXPECT_TRUE(snippet_has_match(h, "barrel")) << h.dump();
        EXPECT_TRUE(snippet_has_match(h, "bomb")) << h.dump();
        // Only the phrase is marked, never one of its words alone ("the barrel of").
        std::string marked = marked_snippet(h);
        for (const char* whole : {"[barrel] [bombs]", "[barrel] [bomb]"})
            for (auto at = marked.find(whole); at != std::string::npos; at = marked.find(whole))
                marked.erase(at, std::string(whole).size());
        EXPECT_EQ(marked.find('['), std::string::npos) << marked_snippet(h);
    }
    // The words typed alone are marked alone.
    bool lone = false;
    json barrel = search_json({"barrel", "--limit", "50"});
    for (const auto& h : barrel["hits"]) {
        std::string marked = marked_snippet(h);
        lone = lone ||
               (marked.find("[barrel]") != std::string::npos && marked.find("[barrel] [bomb") == std::string::npos);
    }
    EXPECT_TRUE(lone) << "a sample report says 'the barrel of': the test could tell";
    // The phrase is stricter than the two words ANDed.
    json words = search_json({"barrel", "bombs"});
    EXPECT_GE(words["total"]["estimate"].get<int>(), r["total"]["estimate"].get<int>());
}

// A typed phrase is marked where it is whole, not word by word: in "The front held", the
// "front" of "liberation front" is not marked; a word typed alone is.
TEST(CliSearch, APhraseIsMarkedOnlyWhereItIsWhole) {
    TempDir dir;
    write_file(
        dir / "front.jsonl",
        R"({"id": "front-1", "title": "Report from the front", "date": "1989-11-12", "body": )"
        R"("The front held at dawn. Later the Farabundo Marti National Liberation Front said the national guard had fled."})"
        "\n");
    auto idx = run_command({index_bin(), "-q", "--db", dir / "db", dir / "front.jsonl"});
    ASSERT_EQ(idx.exit_code, 0) << idx.err;
    auto marked = [&](const std::string& q) {
        auto r = run_command({search_bin(), "--db", dir / "db", "--json", q});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        json j = json::parse(r.out, nullptr, false);
        return j.is_object() && j["hits"].size() == 1 ? marked_snippet(j["hits"][0]) : std::string("no hit");
    };
    std::string phrase = marked("\"liberation front\"");
    EXPECT_NE(phrase.find("[liberation] [front] said"), std::string::npos) << phrase;
    EXPECT_NE(phrase.find("the front held"), std::string::npos) << phrase;
    std::string mixed = marked("\"liberation front\" OR front");
    EXPECT_NE(mixed.find("the [front] held"), std::string::npos) << mixed;
}

TEST(CliSearch, DateRangeKeepsOnlyThatPeriod) {
    json r = search_json({"shelling", "date:2016-07-01..2016-07-31", "--limit", "50", "--no-collapse"});
    ASSERT_GE(r["hits"].size(), 4u) << r.dump();
    for (const auto& h : r["hits"]) EXPECT_EQ(h["date"].get<std::string>().substr(0, 7), "2016-07") << h.dump();
    // Same period written as a month.
    json month = search_json({"shelling", "date:2016-07", "--limit", "50", "--no-collapse"});
    EXPECT_EQ(hit_ids(month).size(), hit_ids(r).size());
    // Open-ended ranges.
    json before = search_json({"date:..1990-12-31", "--limit", "50"});
    ASSERT_GE(before["hits"].size(), 3u);
    for (const auto& h : before["hits"]) EXPECT_LT(h["date"].get<std::string>(), "1991") << h.dump();
}

TEST(CliSearch, SortByDateIsNewestFirst) {
    json r = search_json({"aleppo", "--sort", "date", "--limit", "50"});
    ASSERT_GE(r["hits"].size(), 3u);
    std::string prev = "9999";
    for (const auto& h : r["hits"]) {
        std::string d = h["date"].get<std::string>();
        if (d.empty()) continue;
        EXPECT_LE(d.substr(0, 10), prev.substr(0, 10)) << r.dump();
        prev = d;
    }
}

TEST(CliSearch, StemmingAndDiacriticFolding) {
    // "shelled" and "shelling" share a stem.
    EXPECT_EQ(hit_ids(search_json({"shelled", "--limit", "100"})).size(),
              hit_ids(search_json({"shelling", "--limit", "100"})).size());
    // Dārayyā in the query finds articles that write Darayya, and the reverse.
    auto folded = hit_ids(search_json({"Dārayyā", "--limit", "100"}));
    auto plain = hit_ids(search_json({"darayya", "--limit", "100"}));
    EXPECT_EQ(folded, plain);
    EXPECT_NE(std::find(plain.begin(), plain.end(), "sample-004"), plain.end()) << "sample-004 writes Dārayyā";
    EXPECT_NE(std::find(plain.begin(), plain.end(), "sample-001"), plain.end());
}

TEST(CliSearch, FieldsAndBooleanOperators) {
    auto title = hit_ids(search_json({"title:ceasefire"}));
    EXPECT_NE(std::find(title.begin(), title.end(), "sample-030"), title.end());
    json src = search_json({"source:levant-wire", "--limit", "100"});
    ASSERT_GE(src["hits"].size(), 5u);
    for (const auto& h : src["hits"]) EXPECT_EQ(h["source"], "levant-wire");
    auto either = hit_ids(search_json({"mosul OR raqqa", "--limit", "100"}));
    auto mosul = hit_ids(search_json({"mosul", "--limit", "100"}));
    auto raqqa = hit_ids(search_json({"raqqa", "--limit", "100"}));
    std::set<std::string> uni(mosul.begin(), mosul.end());
    uni.insert(raqqa.begin(), raqqa.end());
    EXPECT_EQ(std::set<std::string>(either.begin(), either.end()), uni);
    auto without = hit_ids(search_json({"raqqa NOT mosul", "--limit", "100"}));
    for (const auto& id : without) EXPECT_EQ(std::find(mosul.begin(), mosul.end(), id), mosul.end());
    EXPECT_FALSE(hit_ids(search_json({"mari*"})).empty()) << "wildcard finds Mariupol";
}

TEST(CliSearch, PaginationIsConsistent) {
    auto all = hit_ids(search_json({"forces", "--limit", "6"}));
    ASSERT_EQ(all.size(), 6u);
    auto first = hit_ids(search_json({"forces", "--limit", "3"}));
    auto second = hit_ids(search_json({"forces", "--limit", "3", "--offset", "3"}));
    std::vector<std::string> joined = first;
    joined.insert(joined.end(), second.begin(), second.end());
    EXPECT_EQ(joined, all);
    json page2 = search_json({"forces", "--limit", "3", "--offset", "3"});
    EXPECT_EQ(page2["hits"][0]["rank"], 4);
}

TEST(CliSearch, JsonSchemaIsStable) {
    json r = search_json({"aleppo"});
    for (const char* key : {"query", "parsed", "total", "offset", "limit", "hits", "index", "elapsed_ms"})
        EXPECT_TRUE(r.contains(key)) << key;
    for (const char* key : {"estimate", "lower_bound", "upper_bound"}) EXPECT_TRUE(r["total"].contains(key)) << key;
    EXPECT_EQ(r["index"]["uuid"].get<std::string>().size(), 36u);
    EXPECT_GE(r["index"]["revision"].get<int>(), 1);
    ASSERT_FALSE(r["hits"].empty());
    for (const char* key : {"rank", "id", "title", "date", "source", "url", "snippet", "score"})
        EXPECT_TRUE(r["hits"][0].contains(key)) << key;
    EXPECT_EQ(r["hits"][0]["rank"], 1);
}

TEST(CliSearch, TextOutputMarksMatchesWhenPiped) {
    auto r = run_command({search_bin(), "--db", sample_db(), "madaya"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("[Madaya]"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("\x1b["), std::string::npos);
}

TEST(CliSearch, ZeroHitsIsSuccess) {
    json r = search_json({"xyzzyplugh"});
    EXPECT_EQ(r["total"]["estimate"], 0);
    EXPECT_TRUE(r["hits"].empty());
}

TEST(CliSearch, ExitCodes) {
    auto bad = run_command({search_bin(), "--db", sample_db(), "foo:bar aleppo"});
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_NE(bad.err.find("bad query"), std::string::npos) << bad.err;
    EXPECT_NE(bad.err.find("unknown field 'foo:'"), std::string::npos) << bad.err;
    // A slip is read as meant, and said so: never a different query in silence.
    auto mended = run_command({search_bin(), "--db", sample_db(), "aleppo AND"});
    EXPECT_EQ(mended.exit_code, 0) << mended.err;
    EXPECT_NE(mended.err.find("query: ignored 'AND'"), std::string::npos) << mended.err;
    auto bad_date = run_command({search_bin(), "--db", sample_db(), "date:2016-13"});
    EXPECT_EQ(bad_date.exit_code, 2);
    EXPECT_NE(bad_date.err.find("2016-13"), std::string::npos) << bad_date.err;
    TempDir dir;
    auto missing = run_command({search_bin(), "--db", dir / "nope", "aleppo"});
    EXPECT_EQ(missing.exit_code, 3);
    EXPECT_NE(missing.err.find("cannot open database"), std::string::npos) << missing.err;
    EXPECT_EQ(run_command({search_bin(), "aleppo"}).exit_code, 1);
    EXPECT_EQ(run_command({search_bin(), "--db", sample_db()}).exit_code, 1);
    EXPECT_EQ(run_command({search_bin(), "--db", sample_db(), "--sort", "sideways", "x"}).exit_code, 1);
    auto help = run_command({search_bin(), "--help"});
    EXPECT_EQ(help.exit_code, 0);
    EXPECT_NE(help.out.find("Examples:"), std::string::npos);
}

TEST(CliSearch, AbusiveQueriesGetAMessageNotACrash) {
    std::string huge(100 * 1024, 'a');
    EXPECT_EQ(run_command({search_bin(), "--db", sample_db(), huge}).exit_code, 2);
    std::string many = "a";
    for (int i = 0; i < 10000; ++i) many += " OR w" + std::to_string(i);
    EXPECT_EQ(run_command({search_bin(), "--db", sample_db(), many}).exit_code, 2);
    for (std::string q : {"a*", "\"unbalanced", "((((aleppo", "ctrl\x01\x02chars", ")))", "\"\"", "*"}) {
        auto r = run_command({search_bin(), "--db", sample_db(), q});
        EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 2) << q << " -> " << r.exit_code << r.err;
    }
    EXPECT_EQ(run_command({search_bin(), "--db", sample_db(), "aleppo", "--offset", "999999999"}).exit_code, 1);
}

// Regression: --facet-bound 1e9 exited 3 with std::bad_alloc, and --limit 2000 or
// --recency -5 exited 2, the code for a bad query.  Values out of range are usage errors
// (exit 1); with --json the error is also a JSON object on stdout.
TEST(CliSearch, ValuesOutOfRangeAreUsageErrors) {
    for (std::vector<std::string> extra : {std::vector<std::string>{"--facet-bound", "1000000000", "--facets"},
                                           {"--facet-bound", "0"},
                                           {"--limit", "2000"},
                                           {"--limit", "-5"},
                                           {"--recency", "-5"},
                                           {"--time-limit", "1e9"},
                                           {"--wildcard-limit", "4000000000"}}) {
        std::vector<std::string> argv = {search_bin(), "--db", sample_db(), "--json", "aleppo"};
        argv.insert(argv.end(), extra.begin(), extra.end());
        auto r = run_command(argv);
        EXPECT_EQ(r.exit_code, 1) << extra[0] << " " << extra[1] << ": " << r.err;
        json error = json::parse(r.out, nullptr, false);
        ASSERT_FALSE(error.is_discarded()) << r.out;
        EXPECT_EQ(error["error"]["exit_code"], 1) << r.out;
        EXPECT_EQ(error["error"]["kind"], "usage") << r.out;
    }
    auto bad = run_command({search_bin(), "--db", sample_db(), "--json", "foo:bar aleppo"});
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_EQ(json::parse(bad.out)["error"]["kind"], "bad_query") << bad.out;
}

}  // namespace
