// The Indexer's API for callers that read files and commit themselves (the nightly job):
// index_file() reports what a file produced, commit() is not finish() (the writers go on,
// run metadata only comes with documents), and queued stale deletions and metadata reach
// every output database through the indexer's own writers.
#include <gtest/gtest.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/exit_codes.h"
#include "common/index/schema.h"
#include "common/index/stored_fields.h"
#include "indexer/indexer.h"
#include "indexer/lock_failure.h"
#include "test_support.h"

using namespace warsearch;
using warsearch::testing::TempDir;
using warsearch::testing::write_file;

namespace {

std::string line(const std::string& id) {
    return R"({"id":")" + id + R"(","title":"Report )" + id + R"(","body":"Shelling near Darayya, )" + id + "\"}\n";
}

IndexOptions in_place(const std::string& db, unsigned shards = 0) {
    IndexOptions options;
    options.db_path = db;
    options.extract_entities = false;
    options.parallel_parts = 1;
    options.shards = shards;
    options.write_facet_files = false;
    return options;
}

std::string metadata(const std::string& db, std::string_view key) {
    return Xapian::Database(db).get_metadata(std::string(key));
}

TEST(IndexerApi, IndexFileSaysWhichIdsAFileProducedAndWhatFailed) {
    TempDir dir;
    write_file(dir / "a.jsonl", line("a-1") + line("a-2") + "{not json\n" + line("a-1"));
    Indexer indexer(in_place(dir / "db"));
    int documents = 0, failures = 0;
    IndexCallbacks callbacks;
    callbacks.document = [&](const Article&) { ++documents; };
    callbacks.failure = [&](const ReadFailure& f) {
        ++failures;
        EXPECT_EQ(f.where, dir / "a.jsonl:3");
    };
    FileResult a = indexer.index_file(dir / "a.jsonl", ReadOptions{}, callbacks);
    EXPECT_EQ(a.ids, (std::vector<std::string>{"a-1", "a-2"}));
    EXPECT_EQ(a.documents, 3u);
    EXPECT_EQ(documents, 3);
    EXPECT_EQ(a.failed_records, 1u);
    EXPECT_EQ(failures, 1);
    EXPECT_FALSE(a.whole_file_failed);

    FileResult missing = indexer.index_file(dir / "missing.jsonl", ReadOptions{});
    EXPECT_TRUE(missing.whole_file_failed);
    EXPECT_TRUE(missing.ids.empty());
    // Ids are per file: a second file with a-2 lists it again.
    write_file(dir / "b.jsonl", line("a-2"));
    EXPECT_EQ(indexer.index_file(dir / "b.jsonl", ReadOptions{}).ids, std::vector<std::string>{"a-2"});
    indexer.finish();
    EXPECT_EQ(Xapian::Database(dir / "db").get_doccount(), 2u);
}

TEST(IndexerApi, CommitIsNotFinishAndWritesRunMetadataOnlyWithDocuments) {
    TempDir dir;
    std::string db = dir / "db";
    write_file(dir / "a.jsonl", line("a-1") + line("a-2"));
    write_file(dir / "b.jsonl", line("b-1"));
    Indexer indexer(in_place(db));
    indexer.index_file(dir / "a.jsonl", ReadOptions{});
    indexer.commit();
    EXPECT_EQ(Xapian::Database(db).get_doccount(), 2u) << "committed while the indexer stays open";
    EXPECT_EQ(metadata(db, schema::kMetaRevision), "1");
    EXPECT_EQ(metadata(db, "wsspell:shelling"), "2");
    Xapian::rev revision = Xapian::Database(db).get_revision();

    indexer.commit();
    EXPECT_EQ(Xapian::Database(db).get_revision(), revision) << "nothing queued, nothing committed";

    indexer.set_metadata("wsfile:a", "state");
    indexer.commit();
    EXPECT_EQ(Xapian::Database(db).get_revision(), revision + 1);
    EXPECT_EQ(metadata(db, "wsfile:a"), "state");
    EXPECT_EQ(metadata(db, schema::kMetaRevision), "1") << "no documents came: no run metadata";

    indexer.index_file(dir / "b.jsonl", ReadOptions{});
    indexer.commit();
    EXPECT_EQ(Xapian::Database(db).get_doccount(), 3u);
    EXPECT_EQ(metadata(db, schema::kMetaRevision), "2");
    EXPECT_EQ(metadata(db, "wsspell:shelling"), "3") << "each word counted once, not again per commit";
    indexer.set_metadata("wsfile:a", "");
    indexer.commit();
    EXPECT_EQ(metadata(db, "wsfile:a"), "") << "an empty value removes the key";
}

TEST(IndexerApi, StaleDeletionsAndStateReachEveryShardAndAreReported) {
    TempDir dir;
    std::string db = dir / "db";
    std::string f;
    for (int i = 0; i < 8; ++i) f += line("f-" + std::to_string(i));
    write_file(dir / "f.jsonl", f);
    write_file(dir / "g.jsonl", line("g-0") + line("g-1"));
    Indexer indexer(in_place(db, 2));
    indexer.index_file(dir / "f.jsonl", ReadOptions{});
    indexer.index_file(dir / "g.jsonl", ReadOptions{});
    EXPECT_TRUE(indexer.commit().deletions.empty());

    indexer.delete_stale_documents(dir / "f.jsonl", std::vector<std::string>{"f-0", "f-1", "f-2"}, 100);
    indexer.delete_stale_documents(dir / "g.jsonl", std::nullopt, 1);
    indexer.set_metadata("wsfile:f", "state");
    CommitResult result = indexer.commit();

    std::uint64_t f_deleted = 0, g_deleted = 0;
    std::vector<std::pair<unsigned, std::size_t>> order;
    for (const auto& d : result.deletions) {
        order.push_back({d.output, d.request});
        (d.request == 0 ? f_deleted : g_deleted) += d.deleted.count;
        EXPECT_LE(d.deleted.ids.size(), d.request == 0 ? 100u : 1u);
        for (const auto& id : d.deleted.ids) EXPECT_EQ(id.substr(0, 2), d.request == 0 ? "f-" : "g-") << id;
    }
    EXPECT_EQ(order, (std::vector<std::pair<unsigned, std::size_t>>{{0, 0}, {0, 1}, {1, 0}, {1, 1}}));
    EXPECT_EQ(f_deleted, 5u);
    EXPECT_EQ(g_deleted, 2u);
    for (const char* shard : {"/shard-00", "/shard-01"}) EXPECT_EQ(metadata(db + shard, "wsfile:f"), "state") << shard;
    Xapian::Database all(db);
    EXPECT_EQ(all.get_doccount(), 3u);
    for (const char* id : {"f-0", "f-1", "f-2"}) EXPECT_EQ(all.get_termfreq(id_term(id)), 1u) << id;
}

TEST(IndexerApi, StateOperationsAreRefusedWhileBuildingParts) {
    TempDir dir;
    IndexOptions options = in_place(dir / "db");
    options.parallel_parts = 2;
    Indexer indexer(options);
    EXPECT_THROW(indexer.delete_stale_documents("a.jsonl", std::nullopt, 0), std::logic_error);
    EXPECT_THROW(indexer.set_metadata("k", "v"), std::logic_error);
}

// Both binaries map a write-lock error the same way: another writer is worth a retry
// (5), a lock file that cannot be made is an environmental failure (3).
TEST(LockFailure, AnotherWriterIsFiveALockFileThatCannotBeMadeIsThree) {
    TempDir dir;
    std::string db = dir / "db";
    Xapian::WritableDatabase holder(db, Xapian::DB_CREATE_OR_OPEN);
    try {
        Xapian::WritableDatabase second(db, Xapian::DB_OPEN);
        FAIL() << "the second writer got the lock";
    } catch (const Xapian::DatabaseLockError& e) {
        LockFailure f = lock_failure(e, db);
        EXPECT_EQ(f.exit_code, exit_code::kLocked) << e.get_msg();
        EXPECT_EQ(f.message.rfind(db + " is locked by another writer", 0), 0u) << f.message;
    }
    LockFailure f = lock_failure(Xapian::DatabaseLockError("Unable to get write lock on x: Permission denied"), db);
    EXPECT_EQ(f.exit_code, exit_code::kRuntime);
    EXPECT_NE(f.message.find("cannot take the write lock"), std::string::npos) << f.message;
}

}  // namespace
