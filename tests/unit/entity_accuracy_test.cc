// Runs scripts/measure-accuracy on the shared FA-KES corpus and asserts the recall
// targets of ACCURACY.md.  Skipped when the corpus or python3 is absent.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "entity_test_support.h"

namespace warsearch {
namespace {

TEST(EntityAccuracy, FakesDevHalfMeetsTargets) {
    std::string corpus = testing::shared_corpus();
    if (!std::filesystem::exists(corpus + "/fakes/fakes.csv"))
        GTEST_SKIP() << corpus << "/fakes/fakes.csv not found (set WARSEARCH_SHARED_CORPUS)";
    if (std::system("python3 -c '' 2>/dev/null") != 0) GTEST_SKIP() << "python3 not available";
    std::string cmd = std::string("python3 '") + WARSEARCH_SOURCE_DIR_FOR_ENTITIES +
                      "/scripts/measure-accuracy' --json --bin '" + WARSEARCH_INDEX_BIN_FOR_ENTITIES + "' --corpus '" +
                      corpus + "' 2>&1";
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
    ASSERT_TRUE(pipe);
    std::string out;
    char buf[4096];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe.get())) out.append(buf, n);
    auto j = nlohmann::json::parse(out, nullptr, false);
    ASSERT_TRUE(j.is_object()) << out;
    EXPECT_GE(j["governorate_recall"].get<double>(), 0.95) << out;
    EXPECT_LE(j["governorates_per_article"].get<double>(), 2.0) << out;
    EXPECT_GE(j["actor_recall"].get<double>(), 0.90) << out;
}

}  // namespace
}  // namespace warsearch
