// A new database written as rotating parallel parts (IndexOptions::part_documents) must
// come out of the merge as if it had been written as one database: replace-by-id and
// file removals reach documents already in closed parts, the metadata (spelling counts
// above all) is neither doubled nor lost, and the parts directory is gone.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "common/index/stored_fields.h"
#include "indexer/indexer.h"
#include "test_support.h"

using namespace warsearch;

namespace {

Article article(const std::string& id, const std::string& title, const std::string& file = "a.jsonl") {
    Article a;
    a.id = id;
    a.title = title;
    a.body = "Shelling near Darayya reported by " + id + "; shelters were full.";
    a.from.file = file;
    return a;
}

// Ids that all go to writer 0 of 2, so that they fill that writer's parts in order.
std::vector<std::string> ids_of_first_writer(int n) {
    std::vector<std::string> ids;
    for (int i = 0; static_cast<int>(ids.size()) < n; ++i) {
        std::string id = "doc-" + std::to_string(i);
        if (shard_of(id, 2) == 0) ids.push_back(id);
    }
    return ids;
}

IndexOptions rotating(const std::string& db, std::size_t part_documents = 2) {
    IndexOptions options;
    options.db_path = db;
    options.batch_size = 1;
    options.extract_entities = false;
    options.parallel_parts = 2;
    options.part_documents = part_documents;
    return options;
}

std::string title_of(const Xapian::Database& db, const std::string& id) {
    std::string term = id_term(id);
    auto p = db.postlist_begin(term);
    if (p == db.postlist_end(term)) return "(missing)";
    return parse_stored_fields(db.get_document(*p).get_data()).title;
}

std::map<std::string, std::string> metadata(const Xapian::Database& db) {
    std::map<std::string, std::string> all;
    for (auto k = db.metadata_keys_begin(); k != db.metadata_keys_end(); ++k) all[*k] = db.get_metadata(*k);
    return all;
}

TEST(PartRotation, AnIdWrittenAgainInALaterPartEndsUpOnceAsTheLaterVersion) {
    warsearch::testing::TempDir dir;
    std::vector<std::string> ids = ids_of_first_writer(7);
    Indexer indexer(rotating(dir / "db"));
    for (const auto& id : ids) indexer.add(article(id, "First " + id));
    // Parts of two: ids[6] is alone in the writer's current part, ids[0] in its first.
    indexer.add(article(ids[6], "Second version"));
    indexer.add(article(ids[0], "Second version too"));
    indexer.finish();
    Xapian::Database db(dir / "db");
    EXPECT_EQ(db.get_doccount(), ids.size());
    EXPECT_EQ(title_of(db, ids[6]), "Second version");
    EXPECT_EQ(title_of(db, ids[0]), "Second version too");
    EXPECT_EQ(title_of(db, ids[3]), "First " + ids[3]);
    EXPECT_EQ(indexer.stats().deleted, 0u) << "a replaced document is not a deleted one";
    EXPECT_FALSE(std::filesystem::exists(dir / "db.parts"));
}

TEST(PartRotation, ARemovedFileLosesItsDocumentsInClosedPartsAndCanComeBack) {
    warsearch::testing::TempDir dir;
    std::vector<std::string> ids = ids_of_first_writer(9);
    Indexer indexer(rotating(dir / "db"));
    for (int i = 0; i < 3; ++i) indexer.add(article(ids[i], "Gone", "gone.jsonl"));
    for (int i = 3; i < 6; ++i) indexer.add(article(ids[i], "Back", "back.jsonl"));
    for (int i = 6; i < 9; ++i) indexer.add(article(ids[i], "Kept", "kept.jsonl"));
    indexer.remove_documents_of_file("gone.jsonl");
    indexer.remove_documents_of_file("back.jsonl");
    for (int i = 3; i < 6; ++i) indexer.add(article(ids[i], "Back again", "back.jsonl"));
    indexer.finish();
    Xapian::Database db(dir / "db");
    EXPECT_EQ(db.get_doccount(), 6u);
    for (int i = 0; i < 3; ++i) EXPECT_EQ(title_of(db, ids[i]), "(missing)") << ids[i];
    for (int i = 3; i < 6; ++i) EXPECT_EQ(title_of(db, ids[i]), "Back again") << ids[i];
    for (int i = 6; i < 9; ++i) EXPECT_EQ(title_of(db, ids[i]), "Kept") << ids[i];
    EXPECT_EQ(indexer.stats().deleted, 6u);
}

TEST(PartRotation, MetadataIsTheSameAsWithOneDatabase) {
    warsearch::testing::TempDir dir;
    std::vector<Article> articles;
    for (int i = 0; i < 25; ++i) {
        Article a = article("doc-" + std::to_string(i), "Report " + std::to_string(i % 4));
        a.body += i % 3 ? " Sheltering families." : " Besieged Moadamiyeh, Zelensky's speech.";
        articles.push_back(a);
    }
    articles.push_back(article("doc-7", "Report again"));  // counted again, as a re-read is
    auto build = [&](const std::string& name, unsigned parallel, std::size_t part_documents) {
        IndexOptions options = rotating(dir / name, part_documents);
        options.parallel_parts = parallel;
        Indexer indexer(options);
        for (const auto& a : articles) indexer.add(a);
        indexer.finish();
        return Xapian::Database(dir / name);
    };
    Xapian::Database one = build("one", 1, 0);
    std::map<std::string, std::string> expected = metadata(one);
    ASSERT_EQ(expected.at("wsspell:shelling"), "26");
    ASSERT_EQ(expected.at("warsearch.revision"), "1");
    for (std::size_t part_documents : std::vector<std::size_t>{0, 1, 3, 100}) {
        Xapian::Database parts = build("parts-" + std::to_string(part_documents), 2, part_documents);
        EXPECT_EQ(metadata(parts), expected) << "part_documents " << part_documents;
        EXPECT_EQ(parts.get_doccount(), one.get_doccount());
    }
}

TEST(PartRotation, DeleteUnseenStillKeepsEveryDocumentOfANewDatabase) {
    warsearch::testing::TempDir dir;
    IndexOptions options = rotating(dir / "db");
    options.delete_unseen = true;
    Indexer indexer(options);
    for (int i = 0; i < 11; ++i) indexer.add(article("doc-" + std::to_string(i), "Report"));
    indexer.file_failed("other.jsonl");
    indexer.finish();
    EXPECT_EQ(Xapian::Database(dir / "db").get_doccount(), 11u);
    EXPECT_EQ(indexer.stats().deleted, 0u);
    EXPECT_TRUE(indexer.stats().merged);
}

// The batch-size defaults (IndexOptions): the unsynced parts of a parallel build commit
// every kPartBatchSize documents, a database written in place every kInPlaceBatchSize,
// and a batch size asked for applies to both.
TEST(PartRotation, PartsCommitInSmallerBatchesThanADatabaseWrittenInPlace) {
    warsearch::testing::TempDir dir;
    const std::size_t n = IndexOptions::kInPlaceBatchSize;  // split between two writers by id
    ASSERT_GE(n, 4 * IndexOptions::kPartBatchSize);
    auto commits = [&](const std::string& name, unsigned parallel, std::size_t batch_size) {
        IndexOptions options;
        options.db_path = dir / name;
        options.extract_entities = false;
        options.parallel_parts = parallel;
        options.batch_size = batch_size;
        Indexer indexer(options);
        for (std::size_t i = 0; i < n; ++i) indexer.add(article("doc-" + std::to_string(i), "Report"));
        indexer.finish();
        EXPECT_EQ(Xapian::Database(dir / name).get_doccount(), n) << name;
        return indexer.stats().commits;
    };
    // In place: n documents are one batch, committed when it fills (and once at the end).
    std::uint64_t in_place = commits("in-place", 1, 0);
    EXPECT_EQ(in_place, commits("in-place-asked", 1, IndexOptions::kInPlaceBatchSize));
    EXPECT_LE(in_place, 2u);
    // Two writers of n_1 + n_2 = n documents in batches of kPartBatchSize commit
    // floor(n_1 / b) + floor(n_2 / b) >= n / b - 1 times, then once each at the end.
    std::uint64_t parts = commits("parts", 2, 0);
    EXPECT_GE(parts, n / IndexOptions::kPartBatchSize + 1);
    EXPECT_LT(commits("parts-asked", 2, IndexOptions::kInPlaceBatchSize), parts)
        << "a batch size asked for applies to parts";
}

}  // namespace
