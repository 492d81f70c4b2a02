#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/entities/catalog_import.h"
#include "entity_test_support.h"

namespace warsearch {
namespace {

using json = nlohmann::json;

std::map<std::string, json> by_id(const std::string& jsonl) {
    std::map<std::string, json> out;
    std::istringstream in(jsonl);
    std::string line;
    while (std::getline(in, line)) {
        json j = json::parse(line);
        out[j["id"].get<std::string>()] = j;
    }
    return out;
}

// Imported lines must load as a catalog next to the fixture.
void expect_loadable(const std::string& lines, const std::string& file_name) {
    auto dir = std::filesystem::temp_directory_path() / ("ws-import-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::filesystem::copy_file(testing::catalog_fixtures() + "/places.jsonl", dir / "places.jsonl");
    std::filesystem::copy_file(testing::catalog_fixtures() + "/factions.jsonl", dir / "factions.jsonl");
    std::ofstream(dir / file_name) << lines;
    CatalogOptions o;
    o.iso_base_layer = false;
    EXPECT_NO_THROW(load_catalog(dir.string(), o)) << lines;
    std::filesystem::remove_all(dir);
}

TEST(ImportWof, DirectoryOfRecords) {
    std::ostringstream out;
    ImportStats stats;
    import_wof({testing::catalog_fixtures() + "/wof"}, out, stats);
    auto recs = by_id(out.str());
    EXPECT_EQ(stats.read, 7u);
    EXPECT_EQ(stats.skipped, 4u);  // superseded, not current, deprecated, venue
    ASSERT_EQ(recs.count("sy"), 1u);
    ASSERT_EQ(recs.count("wof/85680001"), 1u);
    EXPECT_EQ(recs["wof/85680001"]["type"], "admin1");
    EXPECT_EQ(recs["wof/85680001"]["parent"], "sy");
    json k = recs["wof/1000001"];
    EXPECT_EQ(k["name"], "Kafr Nabl");
    EXPECT_EQ(k["type"], "town");
    EXPECT_EQ(k["parent"], "wof/85680001");
    EXPECT_EQ(k["aliases"], json({"Kafranbel", "Kafr Nubl", "كفر نبل"}));
    EXPECT_FALSE(k.contains("ambiguous"));  // 15,000 people
    EXPECT_NE(k["note"].get<std::string>().find("Who's On First 1000001"), std::string::npos);
    EXPECT_EQ(recs.count("wof/1000002"), 0u);
}

TEST(ImportWof, MergesIntoExistingCatalog) {
    Catalog existing = testing::fixture_catalog();
    PlaceImportOptions o;
    o.existing = &existing;
    std::ostringstream out;
    ImportStats stats;
    import_wof({testing::catalog_fixtures() + "/wof"}, out, stats, o);
    auto recs = by_id(out.str());
    EXPECT_EQ(recs.count("sy"), 0u);  // the fixture has Syria already
    EXPECT_EQ(stats.merged, 1u);
    expect_loadable(out.str(), "places-wof.jsonl");
}

TEST(ImportWof, TarXzBundle) {
    auto dir = std::filesystem::temp_directory_path() / ("ws-wof-tar-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::string tarball = (dir / "bundle.tar.xz").string();
    std::string cmd = "tar -cJf '" + tarball + "' -C '" + testing::catalog_fixtures() + "/wof' data 2>/dev/null";
    if (std::system(cmd.c_str()) != 0) {
        std::filesystem::remove_all(dir);
        GTEST_SKIP() << "tar with xz not available";
    }
    std::ostringstream out;
    ImportStats stats;
    import_wof({tarball}, out, stats);
    std::filesystem::remove_all(dir);
    EXPECT_EQ(stats.read, 7u);
    EXPECT_EQ(by_id(out.str()).count("wof/1000001"), 1u);
}

TEST(ImportGeonames, CountryDump) {
    std::ifstream in(testing::catalog_fixtures() + "/geonames.txt");
    std::ostringstream out;
    ImportStats stats;
    import_geonames(in, "geonames.txt", out, stats);
    auto recs = by_id(out.str());
    EXPECT_EQ(stats.written, 4u);
    EXPECT_EQ(stats.warnings.size(), 1u);  // the broken line
    EXPECT_EQ(recs["gn/170652"]["type"], "admin1");
    EXPECT_EQ(recs["gn/170652"]["parent"], "sy");
    EXPECT_EQ(recs["gn/170592"]["parent"], "gn/170652");
    EXPECT_EQ(recs["gn/170592"]["type"], "town");
    EXPECT_EQ(recs["gn/171230"]["type"], "town");                         // 2,000 people
    EXPECT_TRUE(recs["gn/171230"].value("ambiguous", false));             // 2,000 people
    EXPECT_EQ(recs["sy"]["aliases"], json({"Siria", "Syrie", "سوريا"}));  // the code "SY" left out
}

TEST(ImportUcdp, ActorList) {
    std::ifstream in(testing::catalog_fixtures() + "/ucdp.csv");
    std::ostringstream out;
    ImportStats stats;
    Catalog countries;
    countries.add_iso_base_layer("/usr/share/iso-codes/json");
    import_ucdp(in, "ucdp.csv", out, stats, &countries);
    auto recs = by_id(out.str());
    EXPECT_EQ(stats.written, 3u);
    EXPECT_EQ(stats.warnings.size(), 1u);
    json is = recs["ucdp/234"];
    EXPECT_EQ(is["name"], "IS");
    EXPECT_EQ(is["kind"], "insurgent");
    EXPECT_EQ(is["case_sensitive"], json({"IS", "ISI"}));
    auto aliases = is["aliases"].get<std::vector<std::string>>();
    EXPECT_NE(std::find(aliases.begin(), aliases.end(), "ISIS"), aliases.end());
    EXPECT_NE(std::find(aliases.begin(), aliases.end(), "The Monotheism and Jihad Group"), aliases.end());
    if (countries.size() > 0) {
        EXPECT_EQ(is["countries"], json({"iq", "sy"}));  // iso-codes says "Russian Federation"
    }
    EXPECT_EQ(recs["ucdp/101"]["kind"], "state forces");
    expect_loadable(out.str(), "factions-ucdp.jsonl");
}

TEST(ImportUcdp, RejectsWrongHeader) {
    std::istringstream in("a,b,c\n1,2,3\n");
    std::ostringstream out;
    ImportStats stats;
    EXPECT_THROW(import_ucdp(in, "x.csv", out, stats), CatalogError);
}

TEST(Lookup, ExplainsItself) {
    Catalog c = testing::fixture_catalog();
    std::string text = explain_lookup(c, "Daraya");
    EXPECT_NE(text.find("normalises to \"daraya\""), std::string::npos) << text;
    EXPECT_NE(text.find("sy/rif-dimashq/darayya"), std::string::npos);
    EXPECT_NE(text.find("matched alias \"Daraya\""), std::string::npos);
    EXPECT_NE(text.find("Rif Dimashq (sy/rif-dimashq) < Syria (sy)"), std::string::npos);
    json j = json::parse(explain_lookup(c, "Homs", true));
    EXPECT_EQ(j["matches"].size(), 2u);
    EXPECT_TRUE(j.contains("ambiguity"));
    json is = json::parse(explain_lookup(c, "IS", true));
    EXPECT_EQ(is["matches"][0]["matched_as"], "case-sensitive alias");
    EXPECT_NE(explain_lookup(c, "Nowhere").find("no place or faction"), std::string::npos);
}

// The importers on the real reference files, when the shared corpus is there.
TEST(ImportReal, SharedReferenceFiles) {
    std::string ref = testing::shared_corpus() + "/reference";
    if (!std::filesystem::exists(ref + "/ucdp-actor-221.csv"))
        GTEST_SKIP() << ref << " not found (set WARSEARCH_SHARED_CORPUS)";
    {
        std::ifstream in(ref + "/ucdp-actor-221.csv");
        std::ostringstream out;
        ImportStats stats;
        import_ucdp(in, "ucdp-actor-221.csv", out, stats);
        EXPECT_GT(stats.written, 1700u);
        auto recs = by_id(out.str());
        EXPECT_EQ(recs["ucdp/6288"]["name"], "SDF");
    }
    std::string wof = ref + "/whosonfirst/whosonfirst-data-admin-sy.tar.xz";
    if (std::filesystem::exists(wof)) {
        std::ostringstream out;
        ImportStats stats;
        import_wof({wof}, out, stats);
        EXPECT_GT(stats.written, 5000u);
        EXPECT_NE(out.str().find("\"Kafranbel\""), std::string::npos);
    }
}

}  // namespace
}  // namespace warsearch
