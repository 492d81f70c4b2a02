// warsearch-index through the real binary: exit codes, replace-by-id, --full, --extract,
// bad records and the failure report.
#include <xapian.h>

#include <algorithm>
#include <filesystem>

#include "e2e_support.h"

using namespace warsearch::testing;
using nlohmann::json;

namespace {

std::string doc_line(const std::string& id, const std::string& title, const std::string& body = "text") {
    return json{{"id", id}, {"title", title}, {"body", body}, {"date", "2016-07-14"}, {"source", "Test Wire"}}.dump() +
           "\n";
}

json search(const std::string& db, const std::vector<std::string>& words) {
    std::vector<std::string> argv = {search_bin(), "--db", db, "--json"};
    argv.insert(argv.end(), words.begin(), words.end());
    auto r = run_command(argv);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out, nullptr, false);
}

TEST(CliIndex, IndexesTheSampleCorpusCleanly) {
    TempDir dir;
    auto r = run_command({index_bin(), "--db", dir / "db", source_dir() + "/corpus/sample"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("indexed "), std::string::npos) << r.err;  // one summary line when not a TTY
    EXPECT_EQ(r.err.find('\r'), std::string::npos) << "no progress bar off a TTY";
}

TEST(CliIndex, ReRunReplacesInsteadOfDuplicating) {
    TempDir dir;
    write_file(dir / "in/a.jsonl", doc_line("a1", "First version") + doc_line("a2", "Other"));
    ASSERT_EQ(run_command({index_bin(), "-q", "--db", dir / "db", dir / "in"}).exit_code, 0);
    write_file(dir / "in/a.jsonl", doc_line("a1", "Second version") + doc_line("a2", "Other"));
    ASSERT_EQ(run_command({index_bin(), "-q", "--db", dir / "db", dir / "in"}).exit_code, 0);
    json r = search(dir / "db", {"version"});
    EXPECT_EQ(r["index"]["documents"], 2);
    ASSERT_EQ(r["hits"].size(), 1u);
    EXPECT_EQ(r["hits"][0]["title"], "Second version");
}

TEST(CliIndex, RotatingPartsGiveTheSameIndexAsOneDatabase) {
    TempDir dir;
    auto one =
        run_command({index_bin(), "-q", "--parallel", "1", "--db", dir / "one", source_dir() + "/corpus/sample"});
    ASSERT_EQ(one.exit_code, 0) << one.err;
    auto parts = run_command({index_bin(), "-q", "--parallel", "2", "--part-documents", "3", "--db", dir / "parts",
                              source_dir() + "/corpus/sample"});
    ASSERT_EQ(parts.exit_code, 0) << parts.err;
    EXPECT_FALSE(std::filesystem::exists(dir / "parts.parts"));
    const std::vector<std::vector<std::string>> queries = {
        {"aleppo"}, {"shellin", "daryaa"}, {"forces", "--limit", "50"}};
    for (const auto& q : queries) {
        json a = search(dir / "one", q), b = search(dir / "parts", q);
        EXPECT_EQ(a["index"]["documents"], b["index"]["documents"]) << q[0];
        EXPECT_EQ(a["suggestion"], b["suggestion"]) << q[0];
        auto ids_a = hit_ids(a), ids_b = hit_ids(b);
        std::sort(ids_a.begin(), ids_a.end());  // equal scores may rank in docid order
        std::sort(ids_b.begin(), ids_b.end());
        EXPECT_EQ(ids_a, ids_b) << q[0];
    }
}

TEST(CliIndex, BadLineIsReportedSkippedAndListedInFailureReport) {
    TempDir dir;
    write_file(dir / "a.jsonl", doc_line("a1", "Good one") + "{broken\n" + doc_line("a3", "Good two"));
    auto r =
        run_command({index_bin(), "-q", "--db", dir / "db", "--failures", dir / "failures.jsonl", dir / "a.jsonl"});
    EXPECT_EQ(r.exit_code, 0) << "a bad record is skipped and counted, not a failed run";
    EXPECT_NE(r.err.find(dir / "a.jsonl:2: invalid JSON"), std::string::npos) << r.err;
    json failure = json::parse(read_file(dir / "failures.jsonl"));
    EXPECT_EQ(failure["where"], dir / "a.jsonl:2");
    EXPECT_EQ(search(dir / "db", {"good"})["hits"].size(), 2u);
    auto strict = run_command({index_bin(), "-q", "--strict", "--db", dir / "db", dir / "a.jsonl"});
    EXPECT_EQ(strict.exit_code, 4) << "--strict: any failed record";
    auto summary = run_command({index_bin(), "--db", dir / "db", dir / "a.jsonl"});
    EXPECT_NE(summary.err.find("1 failed"), std::string::npos) << summary.err;
}

// Regression: one empty record made every run exit 4, so a cron job reported failure
// every night, and the summary's document count included ids replaced within the run.
TEST(CliIndex, SummaryCountsDocumentsReplacedWithinTheRun) {
    TempDir dir;
    write_file(dir / "a.jsonl", doc_line("a1", "First") + doc_line("a2", "Second") + doc_line("a1", "First again"));
    auto r = run_command({index_bin(), "--db", dir / "db", dir / "a.jsonl"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("indexed 3 documents (1 replaced one read earlier in this run)"), std::string::npos) << r.err;
    EXPECT_EQ(search(dir / "db", {"first"})["hits"].size(), 1u);
}

TEST(CliIndex, JsonPrintsTheRunsCountsOrTheError) {
    TempDir dir;
    write_file(dir / "a.jsonl", doc_line("a1", "First") + "{not json\n" + doc_line("a1", "Again"));
    auto r = run_command({index_bin(), "-q", "--json", "--db", dir / "db", dir / "a.jsonl"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    json counts = json::parse(r.out, nullptr, false);
    EXPECT_EQ(counts["documents"], 2) << r.out;
    EXPECT_EQ(counts["failures"], 1) << r.out;
    EXPECT_EQ(counts["replaced_in_run"], 1) << r.out;
    EXPECT_EQ(counts["exit_code"], 0) << r.out;
    // Each kind of failure: one object on stdout with the exit code, the message on stderr.
    struct Case {
        std::vector<std::string> args;
        int code;
        const char* kind;
    };
    const Case cases[] = {
        {{"--json", "--bogus"}, 1, "usage"},
        {{"--json", "--db", dir / "db2", "--parallel", "0", dir / "a.jsonl"}, 1, "usage"},
        {{"--json", "--db", dir / "db3", "--catalogs", dir / "no-such-dir", dir / "a.jsonl"}, 1, "catalog"},
    };
    for (const auto& c : cases) {
        std::vector<std::string> argv = {index_bin()};
        argv.insert(argv.end(), c.args.begin(), c.args.end());
        auto e = run_command(argv);
        EXPECT_EQ(e.exit_code, c.code) << e.err;
        json err = json::parse(e.out, nullptr, false);
        ASSERT_TRUE(err.is_object()) << e.out;
        EXPECT_EQ(err["error"]["exit_code"], c.code) << e.out;
        EXPECT_EQ(err["error"]["kind"], c.kind) << e.out;
        EXPECT_FALSE(e.err.empty());
    }
}

TEST(CliIndex, FullDeletesDocumentsOfVanishedFilesOnly) {
    TempDir dir;
    write_file(dir / "in/a.jsonl", doc_line("a1", "Alpha report"));
    write_file(dir / "in/b.jsonl", doc_line("b1", "Bravo report"));
    ASSERT_EQ(run_command({index_bin(), "-q", "--db", dir / "db", dir / "in"}).exit_code, 0);
    std::filesystem::remove(dir / "in/b.jsonl");
    // Without --full nothing is deleted.
    ASSERT_EQ(run_command({index_bin(), "-q", "--db", dir / "db", dir / "in"}).exit_code, 0);
    EXPECT_EQ(search(dir / "db", {"report"})["hits"].size(), 2u);
    auto r = run_command({index_bin(), "--full", "--db", dir / "db", dir / "in"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("1 deleted"), std::string::npos) << r.err;
    auto hits = hit_ids(search(dir / "db", {"report"}));
    EXPECT_EQ(hits, std::vector<std::string>{"a1"});
}

TEST(CliIndex, FullKeepsDocumentsOfFilesThatFailedToRead) {
    TempDir dir;
    write_file(dir / "in/a.jsonl", doc_line("a1", "Alpha report"));
    write_file(dir / "in/b.jsonl", doc_line("b1", "Bravo report"));
    ASSERT_EQ(run_command({index_bin(), "-q", "--db", dir / "db", dir / "in"}).exit_code, 0);
    // b.jsonl becomes binary garbage: it fails, and its indexed document must survive.
    write_file(dir / "in/b.jsonl", std::string("\0\1\2binary", 9));
    auto r = run_command({index_bin(), "-q", "--full", "--format", "json", "--db", dir / "db", dir / "in"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find(dir / "in/b.jsonl"), std::string::npos) << r.err;
    EXPECT_EQ(search(dir / "db", {"report"})["hits"].size(), 2u);
}

TEST(CliIndex, ExtractPrintsOneObjectPerDocumentAndWritesNothing) {
    TempDir dir;
    write_file(dir / "a.jsonl", doc_line("a1", "Alpha") + doc_line("a2", "Bravo"));
    auto r = run_command({index_bin(), "--extract", dir / "a.jsonl"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::vector<json> docs;
    size_t start = 0;
    while (start < r.out.size()) {
        size_t nl = r.out.find('\n', start);
        docs.push_back(json::parse(r.out.substr(start, nl - start)));
        start = nl + 1;
    }
    ASSERT_EQ(docs.size(), 2u);
    for (const char* key : {"id", "title", "date", "source", "url"}) EXPECT_TRUE(docs[0].contains(key)) << key;
    EXPECT_EQ(docs[1]["id"], "a2");
    EXPECT_EQ(docs[0]["date"], "2016-07-14");
    EXPECT_FALSE(std::filesystem::exists(dir / "db"));
}

TEST(CliIndex, UsageErrorsExitOne) {
    EXPECT_EQ(run_command({index_bin()}).exit_code, 1);
    EXPECT_EQ(run_command({index_bin(), "--db", "/tmp/x"}).exit_code, 1);
    EXPECT_EQ(run_command({index_bin(), "--db", "/tmp/x", "--format", "pdf", "a"}).exit_code, 1);
    EXPECT_EQ(run_command({index_bin(), "--db", "/tmp/x", "--map", "nonsense", "a"}).exit_code, 1);
    EXPECT_EQ(run_command({index_bin(), "--db", "/tmp/x", "--parallel", "0", "a"}).exit_code, 1);
    EXPECT_EQ(run_command({index_bin(), "--db", "/tmp/x", "--shards", "1000000", "a"}).exit_code, 1);
    auto help = run_command({index_bin(), "--help"});
    EXPECT_EQ(help.exit_code, 0);
    EXPECT_NE(help.out.find("Examples:"), std::string::npos);
}

TEST(CliIndex, LockedDatabaseExitsFive) {
    TempDir dir;
    write_file(dir / "a.jsonl", doc_line("a1", "Alpha"));
    Xapian::WritableDatabase holder(dir / "db", Xapian::DB_CREATE_OR_OPEN);
    auto r = run_command({index_bin(), "-q", "--db", dir / "db", dir / "a.jsonl"});
    EXPECT_EQ(r.exit_code, 5) << r.err;
    EXPECT_NE(r.err.find("locked"), std::string::npos) << r.err;
}

TEST(CliIndex, MissingInputIsAFailureNotACrash) {
    TempDir dir;
    auto r = run_command({index_bin(), "-q", "--db", dir / "db", dir / "nope"});
    EXPECT_EQ(r.exit_code, 4);
    EXPECT_NE(r.err.find(dir / "nope: "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("such file"), std::string::npos) << r.err;
}

// Issue 26: a disk-full failure left idx.parts (and a half-merged idx) behind, and the
// disk stayed full.
TEST(CliIndex, AFailedBuildRemovesItsScratchParts) {
    TempDir dir;
    auto r = run_command({index_bin(), "-q", "--db", dir / "db", source_dir() + "/corpus/sample"},
                         {"WARSEARCH_INDEX_FAIL_AT=merge"});
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find("No space left on device"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir / "db.parts"));
    EXPECT_FALSE(std::filesystem::exists(dir / "db/iamglass")) << "no half-merged database";
    r = run_command({index_bin(), "-q", "--db", dir / "db", source_dir() + "/corpus/sample"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
}

}  // namespace
