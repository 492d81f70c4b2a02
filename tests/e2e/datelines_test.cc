// Datelines and live-blog entries through the real binaries: the dateline extraction
// rule (warsearch-index --extract), the `dateline:` filter, the dateline facet, and the
// dateline and entry time in the CLI's text and JSON and on the page.  Fixtures:
// corpus/datelines/wire.jsonl and two pages of corpus/liveblogs/ (all fictional).
#include <algorithm>
#include <map>
#include <set>

#include "e2e_support.h"

using namespace warsearch::testing;

namespace {

const std::string& fixtures_db() {
    static TempDir dir;
    static std::string db = [] {
        std::string path = dir / "datelines-db";
        auto r = run_command({index_bin(), "--quiet", "--db", path, source_dir() + "/corpus/datelines/wire.jsonl",
                              source_dir() + "/corpus/liveblogs/kyiv-blocks-datetime.html",
                              source_dir() + "/corpus/liveblogs/mariupol-bare-articles.html"});
        if (r.exit_code != 0) ADD_FAILURE() << "indexing the dateline fixtures failed: " << r.err;
        return path;
    }();
    return db;
}

CommandResult fixture_search(std::vector<std::string> args) {
    std::vector<std::string> argv = {search_bin(), "--db", fixtures_db()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_command(argv);
}

nlohmann::json fixture_json(std::vector<std::string> args) {
    args.push_back("--json");
    auto r = fixture_search(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out, nullptr, false);
}

std::set<std::string> id_set(const nlohmann::json& result) {
    auto ids = hit_ids(result);
    return {ids.begin(), ids.end()};
}

// The catalog names of the locations --extract gives each story of wire.jsonl.
std::map<std::string, std::set<std::string>> extracted_locations() {
    auto r = run_command({index_bin(), "--extract", source_dir() + "/corpus/datelines/wire.jsonl"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::map<std::string, std::set<std::string>> out;
    std::size_t at = 0;
    while (at < r.out.size()) {
        std::size_t end = r.out.find('\n', at);
        if (end == std::string::npos) end = r.out.size();
        auto j = nlohmann::json::parse(r.out.substr(at, end - at), nullptr, false);
        at = end + 1;
        if (!j.is_object()) continue;
        auto& names = out[j["id"].get<std::string>()];
        for (const auto& loc : j["locations"]) names.insert(loc["name"].get<std::string>());
    }
    return out;
}

}  // namespace

TEST(Datelines, DatelinePlaceCountsOnlyWhenTheTextNamesItOrAPlaceInside) {
    auto locations = extracted_locations();
    using Names = std::set<std::string>;
    EXPECT_EQ(locations["dl-001"], (Names{"Aleppo"})) << "filed from Damascus, about Aleppo";
    EXPECT_EQ(locations["dl-002"], (Names{"Beirut"})) << "Beirut named again in the text";
    EXPECT_EQ(locations["dl-003"], (Names{"Helmand", "Afghanistan"})) << "not the Kabul office";
    EXPECT_EQ(locations["dl-004"], (Names{"Damascus", "Jobar"})) << "Jobar lies inside Damascus";
    EXPECT_EQ(locations["dl-005"], (Names{"Idlib"}));
}

TEST(Datelines, FilterFindsStoriesFiledFromAPlace) {
    EXPECT_EQ(id_set(fixture_json({"dateline:Damascus"})), (std::set<std::string>{"dl-001", "dl-004"}));
    EXPECT_EQ(id_set(fixture_json({"Filed:DAMASCUS"})), (std::set<std::string>{"dl-001", "dl-004"}))
        << "alias and case";
    EXPECT_EQ(id_set(fixture_json({"--filter", "dateline:Kabul", "insurgents"})), (std::set<std::string>{"dl-003"}));
    EXPECT_TRUE(id_set(fixture_json({"dateline:Paris"})).empty());
    // The location filter no longer counts the Damascus office's report about Aleppo.
    EXPECT_EQ(id_set(fixture_json({"location:Damascus"})), (std::set<std::string>{"dl-004"}));
}

TEST(Datelines, FacetAndFieldInJsonAndText) {
    auto j = fixture_json({"--facets", "source:\"Example Wire\""});
    ASSERT_TRUE(j.contains("facets") && j["facets"].contains("dateline")) << j.dump();
    std::map<std::string, int> counts;
    for (const auto& v : j["facets"]["dateline"]) counts[v["key"].get<std::string>()] = v["count"].get<int>();
    EXPECT_EQ(counts, (std::map<std::string, int>{{"Damascus", 2}, {"Beirut", 1}, {"Kabul", 1}}));
    for (const auto& h : j["hits"]) {
        std::string id = h["id"];
        EXPECT_EQ(h["dateline"], id == "dl-005"   ? ""
                                 : id == "dl-002" ? "Beirut"
                                 : id == "dl-003" ? "Kabul"
                                                  : "Damascus")
            << id;
    }
    auto text = fixture_search({"dateline:Beirut", "--facets"});
    EXPECT_EQ(text.exit_code, 0) << text.err;
    EXPECT_NE(text.out.find("filed from Beirut"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("dateline:  Beirut (1)"), std::string::npos) << text.out;
}

TEST(Datelines, EntryHitsShowPageTitleAndEntryTime) {
    auto j = fixture_json({"title:debris", "kind:entry"});
    ASSERT_EQ(j["hits"].size(), 1u) << j.dump();
    const auto& h = j["hits"][0];
    EXPECT_EQ(h["parent_title"], "Russia-Ukraine war: Kyiv hit by largest drone attack in weeks");
    EXPECT_EQ(h["time"], "2024-05-14T15:40Z");
    EXPECT_EQ(h["time_text"], "16.40 BST");
    EXPECT_EQ(h["time_label"], "16.40 BST");
    auto text = fixture_search({"title:debris", "kind:entry"});
    EXPECT_NE(text.out.find("entry 1 of \"Russia-Ukraine war: Kyiv hit by largest drone attack in weeks\" (doc-"),
              std::string::npos)
        << text.out;
    EXPECT_NE(text.out.find(" at 16.40 BST"), std::string::npos) << text.out;
}

TEST(Datelines, EntriesSortedByTheirOwnTimes) {
    auto j = fixture_json({"kind:entry", "--sort", "date", "--limit", "20", "--no-collapse"});
    std::vector<std::string> times;
    for (const auto& h : j["hits"]) times.push_back(h["time"]);
    ASSERT_EQ(times.size(), 7u) << j.dump();
    EXPECT_TRUE(std::is_sorted(times.rbegin(), times.rend())) << j.dump();
}

TEST(Datelines, PageShowsDatelineFacetAndEntryTimesEscaped) {
    auto cgi = [](const std::vector<std::string>& params) {
        std::vector<std::string> argv = {cgi_bin()};
        argv.insert(argv.end(), params.begin(), params.end());
        auto r = run_command(argv, {"WARSEARCH_DB=" + fixtures_db(), "REQUEST_METHOD", "QUERY_STRING", "SCRIPT_NAME"});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return r.out;
    };
    std::string page = cgi({"q=source:\"Example Wire\""});
    EXPECT_NE(page.find("<span class=\"dateline\">filed from Damascus</span>"), std::string::npos) << page;
    EXPECT_NE(page.find("<h3>Filed from</h3>"), std::string::npos) << page;
    EXPECT_NE(page.find("f=dateline%3ADamascus"), std::string::npos) << "a facet value is a filter link";
    std::string filtered = cgi({"q=", "f=dateline:Kabul"});
    EXPECT_NE(filtered.find("Filed from: Kabul"), std::string::npos) << filtered;
    EXPECT_EQ(filtered.find("filed from Damascus"), std::string::npos) << filtered;
    std::string entries = cgi({"q=title:debris"});
    EXPECT_NE(entries.find("at <time datetime=\"2024-05-14T15:40Z\">16.40 BST</time> in <a"), std::string::npos)
        << entries;
    // A title that holds markup is shown as text: the parent title comes from the page.
    std::string bad = cgi({"q=dateline:\"<b>x</b>\""});
    EXPECT_EQ(bad.find("<b>x</b>"), std::string::npos);
}
