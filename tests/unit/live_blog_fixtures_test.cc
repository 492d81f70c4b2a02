// The live pages of corpus/liveblogs, each read through the real reader and compared
// with its golden file in tests/fixtures/liveblogs/<page>.expected: the page's title
// and date, then one line per entry (number, time, date, headline, first words of the
// text).  Pages named not-live-* must stay one article.  After a deliberate change
// to the splitter, WARSEARCH_UPDATE_GOLDEN=1 rewrites the golden files; read the diff.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "readers_test_support.h"

using namespace warsearch;
namespace fs = std::filesystem;

namespace {

const fs::path kPages = fs::path(WARSEARCH_SOURCE_DIR) / "corpus" / "liveblogs";
const fs::path kGolden = fs::path(WARSEARCH_SOURCE_DIR) / "tests" / "fixtures" / "liveblogs";

std::vector<std::string> page_names() {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(kPages)) {
        std::string name = e.path().filename().string();
        if (e.is_regular_file() && name != "README.md") names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::string first_words(const std::string& text, std::size_t n) {
    std::istringstream in(text);
    std::string word, out;
    for (std::size_t i = 0; i < n && in >> word; ++i) out += (out.empty() ? "" : " ") + word;
    return out;
}

// What the golden file records for one page.
std::string describe(const warsearch::testing::Collected& c, const std::string& name) {
    std::ostringstream out;
    out << "# " << name << ": expected split (tests/unit/live_blog_fixtures_test.cc)\n";
    for (const auto& f : c.failures) out << "failure: " << f.reason << "\n";
    if (c.articles.empty()) return out.str();
    const Article& page = c.articles[0];
    out << "page: " << page.title << " | " << page.date.iso() << " | " << (page.live_blog ? "live" : "not live")
        << "\n";
    out << "entries: " << c.articles.size() - 1 << "\n";
    for (std::size_t i = 1; i < c.articles.size(); ++i) {
        const Article& e = c.articles[i];
        out << e.entry << " | " << (e.time.empty() ? "-" : e.time) << " | " << e.date.iso() << " | " << e.title << " | "
            << first_words(e.body, 8) << "\n";
        EXPECT_EQ(e.parent, page.id) << name;
        EXPECT_EQ(e.id, page.id + "-e" + std::to_string(e.entry)) << name;
    }
    return out.str();
}

class LiveBlogFixtures : public ::testing::TestWithParam<std::string> {};

TEST_P(LiveBlogFixtures, SplitMatchesGolden) {
    const std::string name = GetParam();
    warsearch::testing::Collected c = warsearch::testing::read((kPages / name).string());
    std::string got = describe(c, name);
    fs::path golden = kGolden / (name + ".expected");
    if (std::getenv("WARSEARCH_UPDATE_GOLDEN")) {
        std::ofstream(golden) << got;
        GTEST_SKIP() << "wrote " << golden;
    }
    std::ifstream in(golden);
    ASSERT_TRUE(in) << "no golden file " << golden << " (WARSEARCH_UPDATE_GOLDEN=1 writes it)";
    std::stringstream want;
    want << in.rdbuf();
    EXPECT_EQ(got, want.str()) << name;
    bool negative = name.rfind("not-live-", 0) == 0;
    ASSERT_FALSE(c.articles.empty()) << name;
    EXPECT_EQ(c.articles[0].live_blog, !negative) << name;
    if (negative) {
        EXPECT_EQ(c.articles.size(), 1u) << name << " must not be split";
    }
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
    std::string out;
    for (char ch : info.param) out += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
    return out;
}

INSTANTIATE_TEST_SUITE_P(Pages, LiveBlogFixtures, ::testing::ValuesIn(page_names()), test_name);

TEST(LiveBlogFixtureSet, EveryGoldenHasItsPage) {
    std::vector<std::string> pages = page_names();
    for (const auto& e : fs::directory_iterator(kGolden)) {
        std::string name = e.path().filename().string();
        ASSERT_EQ(e.path().extension(), ".expected") << name;
        EXPECT_NE(std::find(pages.begin(), pages.end(), e.path().stem().string()), pages.end())
            << name << " has no page in corpus/liveblogs";
    }
    EXPECT_GE(pages.size(), 12u);
}

}  // namespace
