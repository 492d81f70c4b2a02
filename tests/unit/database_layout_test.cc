// The index layout written once (common/index/database_layout.h): the stub file's one
// reading (typed entries, paths relative to the stub's folder, comments and blank lines
// skipped, a malformed line an error naming FILE:LINE) and writing, the per-file term,
// and the deletion of a file's stale documents.
#include "common/index/database_layout.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <unordered_set>
#include <vector>

#include "common/index/schema.h"
#include "common/index/stored_fields.h"
#include "common/text/text.h"
#include "test_support.h"

using namespace warsearch;
using warsearch::testing::TempDir;
using warsearch::testing::write_file;

namespace {

/// An entry as one comparable line: "local PATH" or "remote HOST PORT".
std::string describe(const StubEntry& e) {
    if (e.kind == StubEntry::Kind::remote) return "remote " + e.host + " " + std::to_string(e.port);
    return "local " + e.path;
}

TEST(DatabaseLayout, StubLinesAreReadOneWay) {
    TempDir dir;
    const std::string base = dir.path();
    struct Case {
        const char* text;
        std::vector<std::string> entries;  ///< describe() of each; base stands for "@"
    };
    const Case cases[] = {
        {"auto shard-00\nauto shard-01\n", {"local @/shard-00", "local @/shard-01"}},
        {"# our shards\n\n   \nauto shard-00\n  # indented comment\n", {"local @/shard-00"}},
        {"auto   shard-00  \r\n", {"local @/shard-00"}},
        {"auto /srv/index/part\n", {"local /srv/index/part"}},
        {"auto sub/dir with spaces\n", {"local @/sub/dir with spaces"}},
        {"glass g\nchert c\n", {"local @/g", "local @/c"}},
        {"remote search-1:33333\nauto local\n", {"remote search-1 33333", "local @/local"}},
        {"remote 10.0.0.7:1\n", {"remote 10.0.0.7 1"}},
        {"", {}},
        {"# nothing listed\n", {}},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.text);
        write_file(dir / "XAPIANDB", c.text);
        std::vector<std::string> got;
        for (const auto& e : read_stub_file(dir / "XAPIANDB")) got.push_back(describe(e));
        std::vector<std::string> want;
        for (std::string w : c.entries) {
            auto at = w.find('@');
            if (at != std::string::npos) w.replace(at, 1, base);
            want.push_back(w);
        }
        EXPECT_EQ(got, want);
    }
}

TEST(DatabaseLayout, AMalformedStubLineIsAnErrorNamingFileAndLine) {
    TempDir dir;
    const struct {
        const char* text;
        const char* where;
    } cases[] = {
        {"auto\n", ":1:"},
        {"auto shard-00\nbogus shard-01\n", ":2:"},
        {"# ok\nremote host\n", ":2:"},
        {"remote :xapian-progsrv db\n", ":1:"},
        {"remote host:0\n", ":1:"},
        {"remote host:65536\n", ":1:"},
        {"remote host:33x\n", ":1:"},
        {"remote host:33333 extra\n", ":1:"},
        {"inmemory\n", ":1:"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.text);
        write_file(dir / "XAPIANDB", c.text);
        try {
            read_stub_file(dir / "XAPIANDB");
            ADD_FAILURE() << "accepted";
        } catch (const Xapian::DatabaseOpeningError& e) {
            EXPECT_NE(e.get_msg().find(dir / std::string("XAPIANDB") + c.where), std::string::npos) << e.get_msg();
        }
    }
    EXPECT_THROW(read_stub_file(dir / "no-such-stub"), Xapian::DatabaseOpeningError);
}

TEST(DatabaseLayout, AWrittenStubReadsBackAndReplacesTheOldOne) {
    TempDir dir;
    std::string stub = dir / "XAPIANDB";
    write_file(stub, "auto old\n");
    write_stub_file(
        stub, {StubEntry::local("shard-00"), StubEntry::remote("search-2", 33334), StubEntry::local("/abs/shard")});
    auto entries = read_stub_file(stub);
    ASSERT_EQ(entries.size(), 3u);
    EXPECT_EQ(describe(entries[0]), "local " + dir / "shard-00");
    EXPECT_EQ(entries[0].location, "shard-00");
    EXPECT_EQ(entries[0].line, 1u);
    EXPECT_EQ(describe(entries[1]), "remote search-2 33334");
    EXPECT_EQ(entries[1].stub_line(), "remote search-2:33334");
    EXPECT_EQ(describe(entries[2]), "local /abs/shard");
    EXPECT_FALSE(std::filesystem::exists(stub + ".tmp"));
}

TEST(DatabaseLayout, WhatADirectoryHolds) {
    TempDir dir;
    std::string db = dir / "db";
    EXPECT_FALSE(holds_index(db));
    EXPECT_EQ(find_stub_file(db), "");
    EXPECT_EQ(local_databases(db), std::vector<std::string>{db});
    { Xapian::WritableDatabase created(db, Xapian::DB_CREATE_OR_OPEN); }
    EXPECT_TRUE(is_single_database(db));
    EXPECT_TRUE(holds_index(db));

    std::string sharded = dir / "sharded";
    std::filesystem::create_directories(sharded);
    write_stub_file(sharded + "/XAPIANDB", {StubEntry::local(shard_directory_name(0)), StubEntry::local("x/y")});
    EXPECT_FALSE(is_single_database(sharded));
    EXPECT_TRUE(holds_index(sharded));
    EXPECT_EQ(find_stub_file(sharded), sharded + "/XAPIANDB");
    EXPECT_EQ(find_stub_file(sharded + "/XAPIANDB"), sharded + "/XAPIANDB");
    EXPECT_EQ(local_databases(sharded), (std::vector<std::string>{sharded + "/shard-00", sharded + "/x/y"}));

    write_stub_file(sharded + "/XAPIANDB", {StubEntry::local("a"), StubEntry::remote("h", 1)});
    EXPECT_THROW(local_databases(sharded), Xapian::DatabaseOpeningError) << "a writer cannot write a remote shard";
    write_stub_file(sharded + "/XAPIANDB", {});
    EXPECT_THROW(local_databases(sharded), Xapian::DatabaseOpeningError);
}

TEST(DatabaseLayout, OneFileHasOneTermHoweverItsPathIsSpelled) {
    // Orphans (issue 26): warsearch-index given a relative path and the nightly job given
    // the absolute one must tag a file's documents alike, or the nightly job cannot find
    // them when the file goes.
    TempDir dir;
    std::filesystem::create_directories(dir / "inbox");
    write_file(dir / "inbox/a.jsonl", "{}\n");
    std::filesystem::create_directory_symlink(dir / "inbox", dir / "link");
    std::string canonical = std::filesystem::canonical(dir / "inbox/a.jsonl").string();
    auto cwd = std::filesystem::current_path();
    std::filesystem::current_path(dir.path());
    EXPECT_EQ(canonical_input_path("inbox/a.jsonl"), canonical);
    EXPECT_EQ(canonical_input_path("./inbox/../inbox/a.jsonl"), canonical);
    EXPECT_EQ(file_term("inbox/a.jsonl"), file_term(canonical));
    EXPECT_EQ(file_term("link/a.jsonl"), file_term(canonical));
    EXPECT_EQ(file_term(canonical), file_term_as_given(canonical));
    std::filesystem::current_path(cwd);
    // A file that is gone still has its term (the existing part of the path resolves).
    std::filesystem::remove(dir / "inbox/a.jsonl");
    EXPECT_EQ(file_term(dir / "link/a.jsonl"), file_term_as_given(canonical));
}

TEST(DatabaseLayout, DocumentsTaggedWithThePathAsGivenStillGoWithTheirFile) {
    // Indexes written before paths were canonicalised carry the term of the path as given.
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    Xapian::Document old_doc;
    old_doc.add_boolean_term(id_term("old"));
    old_doc.add_boolean_term(file_term_as_given("/no/such/dir/../dir/a.jsonl"));
    StoredFields f;
    f.id = "old";
    old_doc.set_data(serialise_stored_fields(f));
    db.add_document(old_doc);
    EXPECT_EQ(id_terms_of_file(db, "/no/such/dir/../dir/a.jsonl"), std::vector<std::string>{id_term("old")});
    EXPECT_EQ(delete_documents_of_file(db, "/no/such/dir/../dir/a.jsonl", nullptr, 10).count, 1u);
    EXPECT_EQ(db.get_doccount(), 0u);
}

/// A document with an id (or none) read from @a file.
Xapian::Document document(const std::string& id, const std::string& file) {
    Xapian::Document doc;
    if (!id.empty()) doc.add_boolean_term(id_term(id));
    doc.add_boolean_term(file_term(file));
    StoredFields f;
    f.id = id;
    doc.set_data(serialise_stored_fields(f));
    return doc;
}

std::vector<std::string> ids_in(const Xapian::Database& db) {
    std::vector<std::string> ids;
    for (auto d = db.postlist_begin(""); d != db.postlist_end(""); ++d)
        ids.push_back(parse_stored_fields(db.get_document(*d).get_data()).id);
    return ids;
}

TEST(DatabaseLayout, StaleDocumentsOfAFileAreDeletedAndOthersKept) {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    db.add_document(document("a1", "a.jsonl"));
    db.add_document(document("a2", "a.jsonl"));
    db.add_document(document("", "a.jsonl"));
    db.add_document(document("a3", "a.jsonl"));
    db.add_document(document("b1", "b.jsonl"));

    std::unordered_set<std::string> keep = {id_term("a1"), id_term("b1")};
    DeletedDocuments deleted = delete_documents_of_file(db, "a.jsonl", &keep, 1);
    EXPECT_EQ(deleted.count, 3u);
    EXPECT_EQ(deleted.ids, std::vector<std::string>{"a2"}) << "at most max_ids ids, in docid order";
    EXPECT_EQ(ids_in(db), (std::vector<std::string>{"a1", "b1"}));

    deleted = delete_documents_of_file(db, "a.jsonl", nullptr, 10);
    EXPECT_EQ(deleted.count, 1u);
    EXPECT_EQ(deleted.ids, std::vector<std::string>{"a1"});
    EXPECT_EQ(ids_in(db), std::vector<std::string>{"b1"});
    EXPECT_EQ(delete_documents_of_file(db, "gone.jsonl", nullptr, 10).count, 0u);
}

TEST(DatabaseLayout, UnseenDocumentsAreDeletedExceptThoseOfKeptFiles) {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    for (const char* id : {"a1", "a2"}) db.add_document(document(id, "a.jsonl"));
    for (const char* id : {"b1", "b2"}) db.add_document(document(id, "b.jsonl"));
    db.add_document(document("c1", "c.jsonl"));
    EXPECT_EQ(id_terms_of_file(db, "b.jsonl"), (std::vector<std::string>{id_term("b1"), id_term("b2")}));

    std::unordered_set<std::string> seen = {id_term("a1")};
    EXPECT_EQ(delete_unseen_documents(db, seen, {"b.jsonl"}), 2u);  // a2, c1
    EXPECT_EQ(ids_in(db), (std::vector<std::string>{"a1", "b1", "b2"}));
}

}  // namespace
