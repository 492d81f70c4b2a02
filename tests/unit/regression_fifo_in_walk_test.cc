// Regression: a FIFO (or socket, or device) met while walking a directory was skipped
// without a word, so a user could not tell why "pipe.jsonl" was never indexed; opening
// one would block the walk forever.  It is now reported by name and never opened.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>
#include <vector>

#include "common/readers/readers.h"
#include "test_support.h"

using namespace warsearch;

TEST(RegressionFifoInWalk, IsReportedByNameAndNotOpened) {
    warsearch::testing::TempDir dir;
    warsearch::testing::write_file(dir / "in/good.jsonl", "{\"id\":\"g1\",\"title\":\"Good\",\"body\":\"text\"}\n");
    ASSERT_EQ(mkfifo((dir / "in/pipe.jsonl").c_str(), 0644), 0);

    std::vector<std::string> ids;
    std::vector<ReadFailure> failures;
    ReadSink sink;
    sink.article = [&](Article&& a) { ids.push_back(a.id); };
    sink.failure = [&](const ReadFailure& f) { failures.push_back(f); };
    read_paths({dir / "in"}, ReadOptions{}, sink);  // would hang if the FIFO were opened

    EXPECT_EQ(ids, std::vector<std::string>{"g1"});
    ASSERT_EQ(failures.size(), 1u);
    EXPECT_EQ(failures[0].where, dir / "in/pipe.jsonl");
    EXPECT_NE(failures[0].reason.find("not a regular file"), std::string::npos) << failures[0].reason;
    EXPECT_TRUE(failures[0].whole_file);
}
