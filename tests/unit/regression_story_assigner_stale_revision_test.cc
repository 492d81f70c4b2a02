// Regression: re-indexing into a database that already held documents failed after a
// couple of batches with "DatabaseModifiedError: The revision being read has been
// discarded": the story assigner kept reading the revision opened at the start, whose
// blocks the run's own commits recycle (glass keeps two revisions).  Found by the
// hostile-input suite (a 5,000-record JSON array into the sample index).
#include <gtest/gtest.h>

#include <string>

#include "indexer/indexer.h"
#include "test_support.h"

using namespace warsearch;

namespace {

Article article(int i) {
    Article a;
    a.id = "stale-" + std::to_string(i);
    a.title = "Report " + std::to_string(i);
    for (int w = 0; w < 60; ++w) a.body += "word" + std::to_string((i * 31 + w * 7) % 997) + " ";
    a.from.file = "regression.jsonl";
    a.from.line = static_cast<std::uint64_t>(i + 1);
    return a;
}

void index_range(const std::string& db, int from, int to) {
    IndexOptions options;
    options.db_path = db;
    options.batch_size = 10;
    options.extract_entities = false;
    Indexer indexer(options);
    for (int i = from; i < to; ++i) indexer.add(article(i));
    indexer.finish();
}

}  // namespace

TEST(RegressionStoryAssignerStaleRevision, ManyBatchesIntoAnExistingDatabase) {
    warsearch::testing::TempDir dir;
    std::string db = dir / "db";
    index_range(db, 0, 200);
    EXPECT_NO_THROW(index_range(db, 200, 1200));
    EXPECT_EQ(Xapian::Database(db).get_doccount(), 1200u);
}
