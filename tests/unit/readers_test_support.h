// Shared by the reader tests: a sink that keeps everything, and where fixtures live.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "common/readers/readers.h"

namespace warsearch::testing {

/// Collects what a reader produced.
struct Collected {
    std::vector<Article> articles;
    std::vector<ReadFailure> failures;
    std::vector<ReadWarning> warnings;
    std::vector<ReadFailure> skipped;

    ReadSink sink() {
        ReadSink s;
        s.article = [this](Article&& a) { articles.push_back(std::move(a)); };
        s.failure = [this](const ReadFailure& f) { failures.push_back(f); };
        s.warning = [this](const ReadWarning& w) { warnings.push_back(w); };
        s.skipped = [this](const ReadFailure& f) { skipped.push_back(f); };
        return s;
    }
    const Article* by_id(const std::string& id) const {
        for (const auto& a : articles)
            if (a.id == id) return &a;
        return nullptr;
    }
    std::string failure_text() const {
        std::string out;
        for (const auto& f : failures) out += f.where + ": " + f.reason + "\n";
        return out;
    }
};

/// tests/fixtures/readers/@a rel in the source tree.
inline std::string fixture(const std::string& rel) {
    return std::string(WARSEARCH_SOURCE_DIR) + "/tests/fixtures/readers/" + rel;
}

/// Reads @a path through the public entry point (detection included).
inline Collected read(const std::string& path, ReadOptions options = {}) {
    Collected c;
    read_paths({path}, options, c.sink());
    return c;
}

/// A fresh temporary directory, removed at destruction.
struct TempDir {
    std::filesystem::path path;
    TempDir() {
        path = std::filesystem::temp_directory_path() /
               ("warsearch-readers-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(path);
        std::filesystem::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    std::string write(const std::string& name, const std::string& bytes) const {
        std::string p = (path / name).string();
        std::ofstream(p, std::ios::binary) << bytes;
        return p;
    }
};

}  // namespace warsearch::testing
