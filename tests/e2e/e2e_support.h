// Shared set-up for end-to-end tests: one index of corpus/sample per test process.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "test_support.h"

namespace warsearch::testing {

/// The sample corpus indexed once per process (built on first use).
inline const std::string& sample_db() {
    static TempDir dir;
    static std::string db = [] {
        std::string path = dir / "sample-db";
        auto r = run_command({index_bin(), "--quiet", "--db", path, source_dir() + "/corpus/sample"});
        if (r.exit_code != 0) ADD_FAILURE() << "indexing corpus/sample failed: " << r.err;
        return path;
    }();
    return db;
}

/// Runs warsearch-search --json on the sample index and parses the output.
inline nlohmann::json search_json(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {search_bin(), "--db", sample_db(), "--json"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = run_command(argv);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out, nullptr, false);
}

/// The ids of a JSON result's hits, in rank order.
inline std::vector<std::string> hit_ids(const nlohmann::json& result) {
    std::vector<std::string> ids;
    if (!result.is_object() || !result.contains("hits")) return ids;
    for (const auto& h : result["hits"]) ids.push_back(h["id"].get<std::string>());
    return ids;
}

}  // namespace warsearch::testing
