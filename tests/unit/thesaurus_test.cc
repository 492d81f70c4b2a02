#include "common/entities/thesaurus.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace warsearch {
namespace {

namespace fs = std::filesystem;

std::string write_file(const std::string& name, const std::string& text) {
    fs::path dir = fs::temp_directory_path() / ("ws-thesaurus-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    fs::path path = dir / name;
    std::ofstream(path) << text;
    return path.string();
}

TEST(Thesaurus, KeysAreFoldedWordSequences) {
    EXPECT_EQ(thesaurus_key("Cease-Fire"), "cease fire");
    EXPECT_EQ(thesaurus_key("  Air   Raid "), "air raid");
    EXPECT_EQ(thesaurus_key("Dārayyā"), "darayya");
    EXPECT_EQ(thesaurus_key("--"), "");
}

TEST(Thesaurus, EveryWordStandsForTheOthersAndBringsTheRelated) {
    Thesaurus t = load_thesaurus(write_file(
        "t1.jsonl", R"({"words":["airstrike","air strike","Air Raid"],"related":["bombing raid"],"note":"x"})"
                    "\n"
                    R"({"words":["shelling"],"related":["artillery fire","mortar fire"]})"
                    "\n"));
    ASSERT_EQ(t.entries.count("air raid"), 1u);
    EXPECT_EQ(t.entries["air raid"].same, (std::vector<std::string>{"airstrike", "air strike"}));
    EXPECT_EQ(t.entries["air raid"].related, (std::vector<std::string>{"bombing raid"}));
    EXPECT_TRUE(t.entries["shelling"].same.empty());
    EXPECT_EQ(t.entries["shelling"].related, (std::vector<std::string>{"artillery fire", "mortar fire"}));
    EXPECT_EQ(t.entries.count("artillery fire"), 0u);  // related is one way
    EXPECT_EQ(t.max_words, 2u);
    EXPECT_FALSE(t.content_hash.empty());
}

TEST(Thesaurus, BadLinesNameTheFileAndLine) {
    struct Case {
        const char* text;
        const char* message;
    } cases[] = {
        {"{\"words\":[]}\n", ":1: \"words\" lists no expression"},
        {"\n{\"word\":[\"a\"]}\n", ":2: unknown key \"word\""},
        {"[1]\n", ":1: not a JSON object"},
        {"{\"words\":[\"--\"]}\n", ":1: expression '--' has no word"},
        {"{\"words\":\"a\"}\n", ":1: \"words\" is not a list"},
    };
    for (const auto& c : cases) {
        std::string path = write_file("bad.jsonl", c.text);
        try {
            load_thesaurus(path);
            ADD_FAILURE() << "accepted: " << c.text;
        } catch (const CatalogError& e) {
            EXPECT_NE(std::string(e.what()).find(path + c.message), std::string::npos) << e.what();
        }
    }
}

TEST(Thesaurus, StoredInTheIndexAndReadBackWithoutTheFile) {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    Thesaurus t =
        load_thesaurus(write_file("t2.jsonl", "{\"words\":[\"truce\",\"ceasefire\"],\"related\":[\"peace talks\"]}\n"));
    EXPECT_TRUE(store_thesaurus_metadata(db, t));
    EXPECT_FALSE(store_thesaurus_metadata(db, t));  // same version: nothing to write
    ThesaurusReader reader(db);
    ASSERT_TRUE(reader.available());
    EXPECT_EQ(reader.max_words(), 1u);  // the longest expression looked up ("related" ones are not)
    ThesaurusEntry e;
    ASSERT_TRUE(reader.lookup("truce", e));
    EXPECT_EQ(e.same, std::vector<std::string>{"ceasefire"});
    EXPECT_EQ(e.related, std::vector<std::string>{"peace talks"});
    EXPECT_FALSE(reader.lookup("peace talks", e));
    EXPECT_FALSE(reader.lookup("", e));
}

TEST(Thesaurus, AnIndexWithoutOneHasNoExpansions) {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    ThesaurusReader reader(db);
    EXPECT_FALSE(reader.available());
    ThesaurusEntry e;
    EXPECT_FALSE(reader.lookup("truce", e));
}

TEST(Thesaurus, TheCuratedFileLoads) {
    Thesaurus t = load_catalog_thesaurus(WARSEARCH_SOURCE_DIR_FOR_ENTITIES "/corpus/catalogs");
    EXPECT_GT(t.entries.size(), 100u);
    ASSERT_EQ(t.entries.count("air raid"), 1u);
    EXPECT_NE(std::find(t.entries["air raid"].same.begin(), t.entries["air raid"].same.end(), "airstrike"),
              t.entries["air raid"].same.end());
}

}  // namespace
}  // namespace warsearch
