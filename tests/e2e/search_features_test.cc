// Search that understands war reporting, through the real binary on corpus/sample:
// entity fields, aliases, facets, near-duplicate stories, suggestions, explanations,
// recency, more-like-this, pinned revisions.  See corpus/sample/README.md for the
// deliberate features these rely on.
#include <algorithm>
#include <set>

#include "e2e_support.h"

using namespace warsearch::testing;
using nlohmann::json;

namespace {

std::set<std::string> id_set(const json& r) {
    auto ids = hit_ids(r);
    return {ids.begin(), ids.end()};
}

bool contains(const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

TEST(EntityFields, AnyAliasFindsTheSameFaction) {
    auto isis = id_set(search_json({"faction:ISIS", "--limit", "100", "--no-collapse"}));
    EXPECT_EQ(isis, id_set(search_json({"faction:Daesh", "--limit", "100", "--no-collapse"})));
    EXPECT_EQ(isis, id_set(search_json({"faction:\"Islamic State\"", "--limit", "100", "--no-collapse"})));
    EXPECT_EQ(isis, id_set(search_json({"f:ISIL", "--limit", "100", "--no-collapse"})));
    // Articles that only write Daesh, ISIL or Islamic State are all there.
    for (const char* id : {"sample-013", "sample-020", "sample-022", "sample-023", "sample-033"})
        EXPECT_TRUE(isis.count(id)) << id;
}

TEST(EntityFields, AncestorFindsDescendants) {
    // No sample article writes "Rif Dimashq"; its towns are found through the hierarchy.
    auto rif = id_set(search_json({"location:\"Rif Dimashq\"", "--limit", "100", "--no-collapse"}));
    for (const char* id : {"sample-001", "sample-003", "sample-004", "sample-005", "sample-006"})
        EXPECT_TRUE(rif.count(id)) << id;
    auto syria = id_set(search_json({"l:Syria", "--limit", "200", "--no-collapse"}));
    for (const auto& id : rif) EXPECT_TRUE(syria.count(id)) << id;
    // Ahrar al-Sham and the Southern Front are armed opposition without saying so.
    auto opposition = id_set(search_json({"faction:\"armed opposition\"", "--limit", "100", "--no-collapse"}));
    EXPECT_TRUE(opposition.count("sample-018"));
    EXPECT_TRUE(opposition.count("sample-019"));
}

TEST(EntityFields, UnknownNameSuggestsClosestNames) {
    auto r = run_command({search_bin(), "--db", sample_db(), "location:Darayyah"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("unknown location 'Darayyah'"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("Darayya"), std::string::npos) << r.err;
    auto f = run_command({search_bin(), "--db", sample_db(), "faction:Hezbolah"});
    EXPECT_EQ(f.exit_code, 2);
    EXPECT_NE(f.err.find("Hezbollah"), std::string::npos) << f.err;
}

TEST(Aliases, FreeTextAliasFindsOtherSpellingsAndHighlightsThem) {
    json r = search_json({"Daraya", "--limit", "50"});
    auto ids = hit_ids(r);
    EXPECT_TRUE(contains(ids, "sample-003")) << "writes Daraya";
    EXPECT_TRUE(contains(ids, "sample-001")) << "writes Darayya";
    EXPECT_TRUE(contains(ids, "sample-004")) << "writes Dārayyā";
    for (const auto& h : r["hits"]) {
        if (h["id"] != "sample-001") continue;
        bool marked = false;
        for (const auto& s : h["snippet_segments"])
            marked = marked || (s["match"].get<bool>() && s["text"] == "Darayya");
        EXPECT_TRUE(marked) << h.dump();
        bool alias_reason = false;
        for (const auto& w : h["why"]) alias_reason = alias_reason || w["origin"] == "alias";
        EXPECT_TRUE(alias_reason) << h.dump();
    }
}

TEST(Stories, CopiesCollapseToOneHitWithTheirSources) {
    json r = search_json({"shelling", "aleppo", "bread", "--limit", "50"});
    int story_hits = 0;
    for (const auto& h : r["hits"]) {
        std::string id = h["id"];
        if (id == "sample-009" || id == "sample-010" || id == "sample-011" || id == "sample-012") {
            ++story_hits;
            EXPECT_EQ(h["copies"], 3) << h.dump();
            EXPECT_EQ(h["copy_sources"].size(), 3u) << h.dump();
        }
    }
    EXPECT_EQ(story_hits, 1) << r.dump();
    json all = search_json({"shelling", "aleppo", "bread", "--limit", "50", "--no-collapse"});
    int copies = 0;
    for (const auto& id : hit_ids(all))
        copies += id == "sample-009" || id == "sample-010" || id == "sample-011" || id == "sample-012";
    EXPECT_EQ(copies, 4);
    // The grain-deal pair is one story too; unrelated articles are not merged.
    json grain = search_json({"grain", "deal", "--no-collapse"});
    std::set<std::string> stories;
    for (const auto& h : grain["hits"])
        if (h["id"] == "sample-041" || h["id"] == "sample-042") stories.insert(h["story"].get<std::string>());
    EXPECT_EQ(stories.size(), 1u);
}

TEST(Facets, CountEachStoryOnceAndEveryLevel) {
    json r = search_json({"aleppo", "shelling", "--facets", "--limit", "1"});
    ASSERT_TRUE(r["facets"].is_object());
    for (const char* dim : {"faction", "source", "month", "year", "location.country", "location.admin1"})
        EXPECT_TRUE(r["facets"].contains(dim)) << dim << " in " << r["facets"].dump();
    auto count_of = [](const json& values, const std::string& key) {
        for (const auto& v : values)
            if (v["key"] == key) return v["count"].get<int>();
        return 0;
    };
    // The four copies of the July 2016 story count once in the month facet...
    int collapsed = count_of(r["facets"]["month"], "2016-07");
    json all = search_json({"aleppo", "shelling", "--facets", "--no-collapse", "--limit", "1"});
    int documents = count_of(all["facets"]["month"], "2016-07");
    EXPECT_EQ(documents - collapsed, 3) << r["facets"]["month"].dump() << all["facets"]["month"].dump();
    // ...and once in its year: years are counted, not summed from months, so a story
    // whose copies fall in two months of a year still counts once.
    int year = count_of(r["facets"]["year"], "2016");
    int months_of_year = 0;
    for (const auto& v : r["facets"]["month"])
        if (v["key"].get<std::string>().rfind("2016-", 0) == 0) months_of_year += v["count"].get<int>();
    EXPECT_GE(year, collapsed);
    EXPECT_LE(year, months_of_year);
    EXPECT_EQ(count_of(all["facets"]["year"], "2016") - year, 3) << r["facets"]["year"].dump();
    // ...and labels are names, not ids.
    bool named = false;
    // The governorate shares its name with the city: its label says which (issue 25).
    for (const auto& v : r["facets"]["location.admin1"]) named = named || v["label"] == "Aleppo (governorate)";
    EXPECT_TRUE(named) << r["facets"].dump();
    EXPECT_TRUE(r["facets_exact"].get<bool>());
}

TEST(Suggestions, MisspelledWordsAndNames) {
    json r = search_json({"shellin", "darayy"});
    EXPECT_EQ(r["suggestion"], "shelling darayya");
    EXPECT_EQ(search_json({"shelling"})["suggestion"], "");
    auto text = run_command({search_bin(), "--db", sample_db(), "madya"});
    EXPECT_NE(text.out.find("Did you mean: madaya"), std::string::npos) << text.out;
}

TEST(Suggestions, CloseAndFrequentNeverRarerThanTyped) {
    // A fictional collection: "barely" is commoner than "barrel" overall, but reports
    // write "barrel bombs"; "alepppo" is one report's typo for a name many reports write.
    TempDir dir;
    std::string jsonl;
    auto add = [&](const std::string& id, const std::string& body) {
        jsonl +=
            R"({"id":")" + id + R"(","title":"Report )" + id + R"(","date":"2016-02-01","body":")" + body + "\"}\n";
    };
    for (int i = 0; i < 12; ++i) add("b" + std::to_string(i), "Helicopters dropped barrel bombs on the town.");
    for (int i = 0; i < 30; ++i) add("y" + std::to_string(i), "Residents barely slept; the bombs fell at night.");
    for (int i = 0; i < 20; ++i) add("a" + std::to_string(i), "Shelling hit eastern Aleppo again.");
    add("typo", "Shelling hit alepppo overnight.");
    write_file(dir / "in.jsonl", jsonl);
    auto r = run_command({index_bin(), "-q", "--db", dir / "db", dir / "in.jsonl"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto suggestion = [&](const std::string& q) {
        auto s = run_command({search_bin(), "--db", dir / "db", "--json", "--", q});
        EXPECT_EQ(s.exit_code, 0) << s.err;
        return json::parse(s.out, nullptr, false).value("suggestion", std::string("?"));
    };
    EXPECT_EQ(suggestion("barell bombs"), "barrel bombs");
    EXPECT_EQ(suggestion("shellin aleppp"), "shelling aleppo");
    EXPECT_EQ(suggestion("alepppo"), "aleppo") << "a known word, far rarer than its neighbour";
    EXPECT_EQ(suggestion("aleppo"), "") << "never a rarer word than the one typed";
    EXPECT_EQ(suggestion("barely"), "");
}

TEST(ShortNames, AreNamesOnlyInCapitalsAndExplainSaysSo) {
    // Fictional reports: "IS" is the group, "is" the verb; "US" the country as "U.S.".
    TempDir dir;
    write_file(
        dir / "in.jsonl",
        R"({"id":"group","title":"Raid","date":"2016-02-01","body":"IS fighters attacked the town of Raqqa."})"
        "\n"
        R"({"id":"verb","title":"Calm","date":"2016-02-01","body":"The town is quiet and the market is open."})"
        "\n"
        R"({"id":"country","title":"Talks","date":"2016-02-01","body":"U.S. envoys met in Geneva; the United States asked for talks."})"
        "\n"
        R"({"id":"pronoun","title":"Letters","date":"2016-02-01","body":"They wrote to us in Geneva."})"
        "\n");
    auto r = run_command({index_bin(), "-q", "--db", dir / "db", dir / "in.jsonl"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto search = [&](const std::string& q) {
        auto s = run_command({search_bin(), "--db", dir / "db", "--json", "--explain", "--", q});
        EXPECT_EQ(s.exit_code, 0) << s.err;
        return json::parse(s.out, nullptr, false);
    };
    EXPECT_EQ(hit_ids(search("IS")), std::vector<std::string>{"group"});
    EXPECT_EQ(hit_ids(search("US")), std::vector<std::string>{"country"});
    // In lower case they are the words, wherever written ("IS fighters" holds "is").
    auto has = [](const std::vector<std::string>& ids, const char* id) {
        return std::find(ids.begin(), ids.end(), id) != ids.end();
    };
    EXPECT_TRUE(has(hit_ids(search("is")), "verb"));
    EXPECT_TRUE(has(hit_ids(search("us")), "pronoun"));
    EXPECT_NE(search("IS").dump().find("typed in capitals"), std::string::npos) << search("IS").dump();
}

TEST(SourceFilter, MatchesTheSourceWrittenAnyWay) {
    // Fictional reports from one source written two ways, and another source.
    TempDir dir;
    write_file(dir / "in.jsonl",
               R"({"id":"a","source":"dailysabah","title":"A","date":"2016-02-01","body":"Shelling in Idlib."})"
               "\n"
               R"({"id":"b","source":"Daily Sabah","title":"B","date":"2016-02-02","body":"Shelling in Idlib."})"
               "\n"
               R"({"id":"c","source":"Daily Star","title":"C","date":"2016-02-03","body":"Shelling in Idlib."})"
               "\n");
    auto r = run_command({index_bin(), "-q", "--db", dir / "db", dir / "in.jsonl"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const char* q : {"source:\"Daily Sabah\"", "source:dailysabah", "Source:DAILYSABAH", "source:daily-sabah"}) {
        auto s = run_command({search_bin(), "--db", dir / "db", "--json", "--sort", "date", "--", q});
        ASSERT_EQ(s.exit_code, 0) << s.err;
        auto ids = hit_ids(json::parse(s.out, nullptr, false));
        std::sort(ids.begin(), ids.end());
        EXPECT_EQ(ids, (std::vector<std::string>{"a", "b"})) << q;
    }
}

TEST(SourceNames, ResultsAndTheFacetShowTheCatalogsName) {
    // A fictional report from a source the catalog (corpus/catalogs/sources.jsonl) names,
    // and one from a source it does not.
    TempDir dir;
    write_file(dir / "in.jsonl",
               R"({"id":"a","source":"dailysabah","title":"A","date":"2016-02-01","body":"Shelling in Idlib."})"
               "\n"
               R"({"id":"b","source":"Orontes Post","title":"B","date":"2016-02-02","body":"Shelling in Idlib."})"
               "\n");
    auto r = run_command({index_bin(), "-q", "--db", dir / "db", dir / "in.jsonl"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto s = run_command({search_bin(), "--db", dir / "db", "--json", "--facets", "--sort", "date", "shelling"});
    ASSERT_EQ(s.exit_code, 0) << s.err;
    json j = json::parse(s.out, nullptr, false);
    ASSERT_EQ(j["hits"].size(), 2u) << s.out;
    EXPECT_EQ(j["hits"][0]["source"], "Orontes Post");
    EXPECT_EQ(j["hits"][0]["source_name"], "Orontes Post");
    EXPECT_EQ(j["hits"][1]["source"], "dailysabah");
    EXPECT_EQ(j["hits"][1]["source_name"], "Daily Sabah");
    bool labelled = false;
    for (const auto& v : j["facets"]["source"])
        labelled = labelled || (v["key"] == "dailysabah" && v["label"] == "Daily Sabah");
    EXPECT_TRUE(labelled) << j["facets"]["source"].dump();
    auto text = run_command({search_bin(), "--db", dir / "db", "shelling"});
    EXPECT_NE(text.out.find("Daily Sabah |"), std::string::npos) << text.out;
}

TEST(Suggestions, CatalogNamesAreNotMisspellings) {
    // No sample article writes "taleban" or "hizbollah", but the catalogs know them: the
    // query finds the faction's reports through its term, and nothing is "corrected".
    for (const char* name : {"taleban", "hizbollah", "tadmur"}) {
        json r = search_json({name});
        EXPECT_FALSE(r["hits"].empty()) << name;
        EXPECT_EQ(r["suggestion"], "") << name << ": " << r["suggestion"];
    }
    // A misspelling next to such a name is still corrected, and the name kept.
    EXPECT_EQ(search_json({"shellin", "taleban"})["suggestion"], "shelling taleban");
}

TEST(EntityFields, TheReportsDateTellsNamesakesApart) {
    // "US-led coalition" in 1991, 2004 and 2016 is three coalitions (the catalog's
    // founded/dissolved dates), through the real indexer and searcher.
    TempDir dir;
    std::string body =
        R"(,"body":"The US-led coalition struck targets in Iraq overnight, officials in Baghdad said."})";
    write_file(dir / "in.jsonl", R"({"id":"gulf","title":"Raids","date":"1991-02-10")" + body + "\n" +
                                     R"({"id":"iraq","title":"Raids","date":"2004-11-08")" + body + "\n" +
                                     R"({"id":"isis","title":"Raids","date":"2016-06-01")" + body + "\n");
    auto r = run_command({index_bin(), "-q", "--db", dir / "db", dir / "in.jsonl"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto ids = [&](const std::string& faction) {
        auto s = run_command({search_bin(), "--db", dir / "db", "--json", "faction:\"" + faction + "\""});
        EXPECT_EQ(s.exit_code, 0) << s.err;
        return hit_ids(nlohmann::json::parse(s.out, nullptr, false));
    };
    EXPECT_EQ(ids("Gulf War coalition"), std::vector<std::string>{"gulf"});
    EXPECT_EQ(ids("MNF-I"), std::vector<std::string>{"iraq"});
    EXPECT_EQ(ids("International coalition against ISIS"), std::vector<std::string>{"isis"});
}

TEST(Explain, SaysWhichTermsStemsAndExpansionsMatched) {
    json r = search_json({"shelled", "location:Aleppo", "--limit", "3"});
    ASSERT_FALSE(r["hits"].empty());
    std::set<std::string> origins;
    for (const auto& w : r["hits"][0]["why"]) origins.insert(w["origin"].get<std::string>());
    EXPECT_TRUE(origins.count("stem")) << r["hits"][0]["why"].dump();
    EXPECT_TRUE(origins.count("entity")) << r["hits"][0]["why"].dump();
    auto text = run_command({search_bin(), "--db", sample_db(), "--explain", "shelled"});
    EXPECT_NE(text.out.find("why: a form of \u201cshelled\u201d"), std::string::npos) << text.out;
}

TEST(Recency, BoostMovesNewerReportsUp) {
    auto plain = hit_ids(search_json({"offensive", "--limit", "50"}));
    auto recent = hit_ids(search_json({"offensive", "--recency", "3650", "--limit", "50"}));
    ASSERT_EQ(std::set<std::string>(plain.begin(), plain.end()), std::set<std::string>(recent.begin(), recent.end()));
    EXPECT_NE(plain, recent) << "a ten-year half-life reorders reports spread over decades";
    // The newest matching report moves up.
    auto pos = [](const std::vector<std::string>& v, const std::string& id) {
        return std::find(v.begin(), v.end(), id) - v.begin();
    };
    EXPECT_LT(pos(recent, "sample-046"), pos(plain, "sample-046"));  // 2019, the newest
    EXPECT_EQ(run_command({search_bin(), "--db", sample_db(), "offensive", "--recency", "-1"}).exit_code, 1)
        << "a value out of range is a usage error";
}

TEST(MoreLikeThis, FindsRelatedReportsNotItself) {
    auto ids = hit_ids(search_json({"--like", "sample-009", "--no-collapse", "--limit", "10"}));
    EXPECT_FALSE(contains(ids, "sample-009"));
    EXPECT_TRUE(contains(ids, "sample-010") || contains(ids, "sample-011") || contains(ids, "sample-012"));
    auto missing = run_command({search_bin(), "--db", sample_db(), "--like", "no-such-id"});
    EXPECT_EQ(missing.exit_code, 2);
}

TEST(Revision, OutputCarriesItAndPinningWarns) {
    json r = search_json({"aleppo"});
    auto rev = r["index"]["revision"].get<std::uint64_t>();
    EXPECT_GE(rev, 1u);
    EXPECT_TRUE(search_json({"aleppo", "--at-revision", std::to_string(rev)})["warnings"].empty());
    auto stale = run_command({search_bin(), "--db", sample_db(), "aleppo", "--at-revision", std::to_string(rev + 7)});
    EXPECT_EQ(stale.exit_code, 0);
    EXPECT_NE(stale.err.find("has changed since revision"), std::string::npos) << stale.err;
}

TEST(SharedCorpus, FactionAliasesAndHierarchyOnFakes) {
    std::string shared = shared_corpus_dir();
    if (shared.empty()) GTEST_SKIP() << "../shared/corpus is absent (set WARSEARCH_SHARED_CORPUS)";
    TempDir dir;
    auto idx = run_command({index_bin(), "-q", "--db", dir / "db", shared + "/fakes/articles.jsonl"});
    ASSERT_EQ(idx.exit_code, 0) << idx.err;
    auto ids = [&](const std::string& q) {
        auto r = run_command(
            {search_bin(), "--db", dir / "db", "--json", "--no-collapse", "--no-snippets", "--limit", "1000", q});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return id_set(json::parse(r.out));
    };
    auto isis = ids("faction:ISIS");
    EXPECT_GT(isis.size(), 20u);
    EXPECT_EQ(isis, ids("faction:Daesh"));
    EXPECT_EQ(isis, ids("faction:\"Islamic State\""));
    // Every article whose extracted places include a Rif Dimashq town is found by the
    // governorate.
    auto extract = run_command({index_bin(), "--extract", shared + "/fakes/articles.jsonl"});
    ASSERT_EQ(extract.exit_code, 0);
    std::set<std::string> expected;
    size_t start = 0;
    while (start < extract.out.size()) {
        size_t nl = extract.out.find('\n', start);
        json doc = json::parse(extract.out.substr(start, nl - start));
        start = nl + 1;
        for (const auto& loc : doc["locations"]) {
            bool in_rif = false;
            for (const auto& a : loc["ancestors"]) in_rif = in_rif || a == "Rif Dimashq";
            if (in_rif) expected.insert(doc["id"].get<std::string>());
        }
    }
    EXPECT_GT(expected.size(), 10u);
    auto rif = ids("location:\"Rif Dimashq\"");
    for (const auto& id : expected) EXPECT_TRUE(rif.count(id)) << id;
}

}  // namespace
