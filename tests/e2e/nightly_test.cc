// End-to-end tests of warsearch-nightly: the real binary on generated JSONL folders in a
// temp dir, checked through its exit codes, its JSON report and the database itself.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/index/facet_value_file.h"
#include "test_support.h"

extern char** environ;

namespace warsearch::testing {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

std::string nightly_bin() { return WARSEARCH_NIGHTLY_BIN; }

// Bodies that mention catalog entities, so reports have faction and location facets.
const char* kTopics[] = {
    "Shelling hit eastern Aleppo overnight, residents said.",
    "Islamic State fighters attacked positions near Raqqa.",
    "Airstrikes struck a market in Idlib, rescuers said.",
    "A ceasefire held in Homs for a second day.",
};

/// One JSONL document line: id, title, body, date, source.
std::string doc_line(const std::string& id, int topic, const std::string& extra = "") {
    json j = {{"id", id},
              {"title", "Report " + id},
              {"body", std::string(kTopics[topic % 4]) + " Reference " + id + ". " + extra},
              {"date", "2017-0" + std::to_string(1 + topic % 9) + "-1" + std::to_string(topic % 10)},
              {"source", topic % 2 ? "Orontes Post" : "Levant Wire"}};
    return j.dump() + "\n";
}

/// A JSONL file of documents PREFIX-0 .. PREFIX-(n-1).
std::string jsonl(const std::string& prefix, int n, const std::string& extra = "") {
    std::string out;
    for (int i = 0; i < n; ++i) out += doc_line(prefix + "-" + std::to_string(i), i, extra);
    return out;
}

/// A scratch setup: inbox folder, database, report folder and a config file.
struct Scratch {
    TempDir dir;
    std::string inbox = dir / "inbox";
    std::string db = dir / "db";
    std::string reports = dir / "reports";
    std::string config = dir / "nightly.toml";

    explicit Scratch(int batch_size = 1000, const std::string& extra_config = "") {
        fs::create_directories(inbox);
        write_file(config, "database = \"db\"\nreport_dir = \"reports\"\nbatch_size = " + std::to_string(batch_size) +
                               "\n" + extra_config +
                               "\n[[source]]\npath = \"inbox\"\nformat = \"jsonl\"\n"
                               "\n[[alert]]\nname = \"Aleppo shelling\"\nquery = \"shelling aleppo\"\n");
    }
    std::string in(const std::string& name) const { return inbox + "/" + name; }

    CommandResult run(const std::vector<std::string>& args = {}, const std::vector<std::string>& env = {}) const {
        std::vector<std::string> argv = {nightly_bin(), "--config", config};
        argv.insert(argv.end(), args.begin(), args.end());
        return run_command(argv, env);
    }
    json report() const { return json::parse(read_file(reports + "/latest.json"), nullptr, false); }
};

std::uint64_t revision(const std::string& db) { return Xapian::Database(db).get_revision(); }

/// The ids in the database; fails the test when any id term is on more than one document.
std::set<std::string> ids_checked(const std::string& db_path) {
    Xapian::Database db(db_path);
    std::set<std::string> ids;
    for (auto t = db.allterms_begin("Q"); t != db.allterms_end("Q"); ++t) {
        EXPECT_EQ(t.get_termfreq(), 1u) << "duplicate documents for " << *t;
        ids.insert((*t).substr(1));
    }
    EXPECT_EQ(ids.size(), db.get_doccount()) << "documents without a unique id term";
    return ids;
}

std::set<std::string> expected_ids(const std::vector<std::pair<std::string, int>>& files) {
    std::set<std::string> ids;
    for (const auto& [prefix, n] : files)
        for (int i = 0; i < n; ++i) ids.insert(prefix + "-" + std::to_string(i));
    return ids;
}

/// Sets a file's mtime into the past (so a rewrite in the same second is still seen).
void age(const std::string& path, int seconds) {
    fs::last_write_time(path, fs::last_write_time(path) - std::chrono::seconds(seconds));
}

/// Starts a program without waiting (for a real kill -9); output goes to /dev/null.
pid_t spawn(const std::vector<std::string>& argv) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = -1;
    int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    EXPECT_EQ(rc, 0);
    return pid;
}

TEST(Nightly, FirstRunIndexesEverythingAndASecondRunChangesNothing) {
    Scratch s;
    write_file(s.in("a.jsonl"), jsonl("a", 10));
    write_file(s.in("b.jsonl"), jsonl("b", 10));
    write_file(s.in("README.md"), "not an input\n");
    auto r = s.run();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    json rep = s.report();
    EXPECT_EQ(rep["counts"]["added"], 2);
    EXPECT_EQ(rep["counts"]["unchanged"], 0);
    EXPECT_EQ(rep["documents"]["added"], 20);
    EXPECT_EQ(rep["revision"]["before"], 0);
    EXPECT_EQ(ids_checked(s.db), expected_ids({{"a", 10}, {"b", 10}}));
    std::uint64_t rev = revision(s.db);
    // The report's revision is the index's own counter, the one searchers report.
    std::uint64_t index_rev = std::stoull(Xapian::Database(s.db).get_metadata("warsearch.revision"));
    EXPECT_EQ(rep["revision"]["after"], index_rev);
    EXPECT_TRUE(fs::exists(s.reports + "/latest.md"));
    EXPECT_NE(FacetValueFile::map(s.db, Xapian::Database(s.db)), nullptr)
        << "the facet value file names the revision the run left";

    r = s.run();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    rep = s.report();
    EXPECT_EQ(rep["counts"]["unchanged"], 2);
    EXPECT_EQ(rep["counts"]["added"], 0);
    EXPECT_EQ(rep["counts"]["changed"], 0);
    EXPECT_EQ(rep["counts"]["deleted"], 0);
    EXPECT_EQ(rep["documents"]["added"], 0);
    EXPECT_EQ(rep["revision"]["before"], index_rev);
    EXPECT_EQ(rep["revision"]["after"], index_rev);
    EXPECT_EQ(revision(s.db), rev) << "a run without changes must not commit";
    EXPECT_EQ(ids_checked(s.db), expected_ids({{"a", 10}, {"b", 10}}));
}

TEST(Nightly, AddModifyDeleteAndTouchAreExactlyTheChanges) {
    Scratch s(1000, "max_delete_share = 0.5");  // b.jsonl is a third of the index
    write_file(s.in("a.jsonl"), jsonl("a", 10));
    write_file(s.in("b.jsonl"), jsonl("b", 10));
    write_file(s.in("c.jsonl"), jsonl("c", 10));
    for (const char* f : {"a.jsonl", "b.jsonl", "c.jsonl"}) age(s.in(f), 100);
    ASSERT_EQ(s.run().exit_code, 0);

    // a: drops a-8 and a-9, rewrites a-0, gains a-new; b: deleted; c: touched; d: new.
    std::string a = doc_line("a-0", 0, "Updated text.");
    for (int i = 1; i < 8; ++i) a += doc_line("a-" + std::to_string(i), i);
    a += doc_line("a-new", 1);
    write_file(s.in("a.jsonl"), a);
    fs::remove(s.in("b.jsonl"));
    fs::last_write_time(s.in("c.jsonl"), fs::file_time_type::clock::now());
    fs::create_directories(s.in("sub"));
    write_file(s.in("sub/d.jsonl"), jsonl("d", 5));

    auto r = s.run();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    json rep = s.report();
    EXPECT_EQ(rep["counts"]["added"], 1);
    EXPECT_EQ(rep["counts"]["changed"], 1);
    EXPECT_EQ(rep["counts"]["deleted"], 1);
    EXPECT_EQ(rep["counts"]["unchanged"], 1);
    EXPECT_EQ(rep["counts"]["touched"], 1);
    EXPECT_EQ(rep["counts"]["failed"], 0);
    EXPECT_EQ(rep["documents"]["added"], 6);      // a-new, d-0..d-4
    EXPECT_EQ(rep["documents"]["updated"], 1);    // a-0 rewritten
    EXPECT_EQ(rep["documents"]["unchanged"], 7);  // a-1..a-7 re-read as they were
    EXPECT_EQ(rep["documents"]["deleted"], 12);   // a-8, a-9, b-0..b-9
    std::set<std::string> want = expected_ids({{"a", 8}, {"c", 10}, {"d", 5}});
    want.insert("a-new");
    EXPECT_EQ(ids_checked(s.db), want);
    Xapian::Database db(s.db);
    Xapian::Enquire enquire(db);
    enquire.set_query(Xapian::Query("Zupdat"));  // the stem term (schema::kStemPrefix)
    EXPECT_EQ(enquire.get_mset(0, 10).size(), 1u) << "a-0's new text is searchable";

    // The touched file's new mtime was recorded: the next run is a no-op.
    std::uint64_t rev = revision(s.db);
    r = s.run();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(s.report()["counts"]["unchanged"], 3);
    EXPECT_EQ(revision(s.db), rev);
}

TEST(Nightly, ReportCountsFacetsAndAlertsCoverOnlyTheNewDocuments) {
    Scratch s;
    write_file(s.in("old.jsonl"), jsonl("old", 8));  // 2 of them are "shelling aleppo"
    ASSERT_EQ(s.run().exit_code, 0);
    json first = s.report();
    EXPECT_EQ(first["new_documents"]["count"], 8);
    ASSERT_EQ(first["alerts"].size(), 1u);
    EXPECT_EQ(first["alerts"][0]["total"], 2);

    write_file(s.in("new.jsonl"), jsonl("new", 5));  // new-0 and new-4 are about Aleppo
    auto r = s.run();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    json rep = s.report();
    EXPECT_EQ(rep["new_documents"]["count"], 5);
    std::map<std::string, int> location;
    for (const auto& f : rep["new_documents"]["facets"])
        if (f["dimension"].get<std::string>().rfind("location.", 0) == 0)
            for (const auto& v : f["values"]) location[v["key"]] += v["count"].get<int>();
    EXPECT_EQ(location["sy/aleppo"], 2) << rep["new_documents"].dump();
    EXPECT_EQ(location["sy/idlib"], 1) << rep["new_documents"].dump();
    const json& alert = rep["alerts"][0];
    EXPECT_EQ(alert["name"], "Aleppo shelling");
    EXPECT_EQ(alert["total"], 2);
    std::set<std::string> hits;
    for (const auto& h : alert["hits"]) hits.insert(h["id"].get<std::string>());
    EXPECT_EQ(hits, (std::set<std::string>{"new-0", "new-4"}));
    std::string md = read_file(s.reports + "/latest.md");
    EXPECT_NE(md.find("Aleppo shelling"), std::string::npos);
    EXPECT_NE(md.find("new-4"), std::string::npos);
}

// The new documents are handed to the searcher as ids, not as query text: any number of
// them, whatever characters their ids hold, and their facet counts, alert totals and
// hits are those of the new documents only.
TEST(Nightly, AlertsCoverHundredsOfNewDocumentsWhateverTheirIds) {
    Scratch s;
    write_file(s.in("old.jsonl"), jsonl("old", 8));
    ASSERT_EQ(s.run().exit_code, 0);

    // 1,200 new documents (topic 0 is "shelling aleppo"), among them ids the query
    // language would read as phrases, brackets, fields, operators or two words.
    const std::vector<std::string> odd = {"a \"quoted\" id", "(bracketed)", "date:2017", "OR", "two\nlines", "x*"};
    std::string lines = jsonl("new", 1200 - static_cast<int>(odd.size()));
    for (const auto& id : odd) lines += doc_line(id, 0);
    write_file(s.in("new.jsonl"), lines);
    auto r = s.run();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    json rep = s.report();
    EXPECT_EQ(rep["new_documents"]["count"], 1200);
    std::map<std::string, int> location;
    for (const auto& f : rep["new_documents"]["facets"])
        if (f["dimension"].get<std::string>().rfind("location.", 0) == 0)
            for (const auto& v : f["values"]) location[v["key"]] += v["count"].get<int>();
    const json& alert = rep["alerts"][0];
    int expected = (1200 - static_cast<int>(odd.size()) + 3) / 4 + static_cast<int>(odd.size());
    EXPECT_EQ(alert["total"], expected) << "every new shelling-aleppo report, no old one";
    EXPECT_EQ(location["sy/aleppo"], expected) << rep["new_documents"].dump();
    ASSERT_EQ(alert["hits"].size(), 50u) << "max_hits";
    for (const auto& h : alert["hits"]) EXPECT_NE(h["id"].get<std::string>().rfind("old-", 0), 0u) << h["id"];
}

TEST(Nightly, KilledAtAnyPointTheNextRunLeavesAConsistentIndex) {
    struct Crash {
        const char* first;        ///< kill point in the first run (60 documents)
        const char* incremental;  ///< kill point in the incremental run (17 documents)
        const char* what;
    };
    const Crash crashes[] = {
        {"WARSEARCH_NIGHTLY_CRASH_AFTER=1", "WARSEARCH_NIGHTLY_CRASH_AFTER=1", "first document"},
        {"WARSEARCH_NIGHTLY_CRASH_AFTER=17", "WARSEARCH_NIGHTLY_CRASH_AFTER=7", "inside a batch"},
        {"WARSEARCH_NIGHTLY_CRASH_AFTER=41", "WARSEARCH_NIGHTLY_CRASH_AFTER=16", "after some batches"},
        {"WARSEARCH_NIGHTLY_CRASH_AT=before-state", "WARSEARCH_NIGHTLY_CRASH_AT=before-state",
         "documents committed, state not"},
        {"WARSEARCH_NIGHTLY_CRASH_AT=before-final", "WARSEARCH_NIGHTLY_CRASH_AT=before-final",
         "before deletions commit"},
    };
    for (const auto& crash : crashes) {
        SCOPED_TRACE(crash.what);
        // Batches of 25 over files of 15: the first run commits a batch at 30 documents.
        // Entities are off to keep the five rounds fast; the other tests cover them.
        Scratch s(25, "extract_entities = false\nmax_delete_share = 0.5");
        for (int f = 0; f < 4; ++f)
            write_file(s.in("f" + std::to_string(f) + ".jsonl"), jsonl("f" + std::to_string(f), 15));
        auto r = s.run({}, {crash.first});
        EXPECT_EQ(r.exit_code, 128 + SIGKILL) << r.err;
        r = s.run();
        ASSERT_EQ(r.exit_code, 0) << r.err;
        EXPECT_EQ(ids_checked(s.db), expected_ids({{"f0", 15}, {"f1", 15}, {"f2", 15}, {"f3", 15}}));

        // The same in an incremental run that rewrites, shrinks and deletes files.
        for (int f = 0; f < 2; ++f) age(s.in("f" + std::to_string(f) + ".jsonl"), 100);
        write_file(s.in("f0.jsonl"), jsonl("f0", 5, "Revised."));
        fs::remove(s.in("f1.jsonl"));
        write_file(s.in("g.jsonl"), jsonl("g", 12));
        r = s.run({}, {crash.incremental});
        EXPECT_EQ(r.exit_code, 128 + SIGKILL) << r.err;
        r = s.run();
        ASSERT_EQ(r.exit_code, 0) << r.err;
        EXPECT_EQ(ids_checked(s.db), expected_ids({{"f0", 5}, {"f2", 15}, {"f3", 15}, {"g", 12}}));
        std::uint64_t rev = revision(s.db);
        ASSERT_EQ(s.run().exit_code, 0);
        EXPECT_EQ(revision(s.db), rev) << "after recovery the state matches the files";
    }
}

TEST(Nightly, RealKillNineDuringABigRunThenRerun) {
    Scratch s(200);
    for (int f = 0; f < 8; ++f)
        write_file(s.in("big" + std::to_string(f) + ".jsonl"), jsonl("big" + std::to_string(f), 150));
    pid_t pid = spawn({nightly_bin(), "--config", s.config});
    // Killed as soon as the first batch is committed (not after a fixed time: a faster
    // indexer or machine would finish first), with most of the run still to do.
    int status = 0;
    bool exited = false;
    for (int waited_ms = 0; waited_ms < 60000; waited_ms += 2) {
        if (waitpid(pid, &status, WNOHANG) == pid) {
            exited = true;
            break;
        }
        bool committed = false;
        try {
            committed = fs::exists(s.db + "/iamglass") && Xapian::Database(s.db).get_doccount() > 0;
        } catch (const Xapian::Error&) {
            // Caught between the writer's files: look again.
        }
        if (committed) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    if (!exited) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
    }
    EXPECT_TRUE(WIFSIGNALED(status)) << "the run finished before the kill: the corpus is too small for this machine";
    auto r = s.run();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::vector<std::pair<std::string, int>> files;
    for (int f = 0; f < 8; ++f) files.push_back({"big" + std::to_string(f), 150});
    EXPECT_EQ(ids_checked(s.db), expected_ids(files));
}

TEST(Nightly, SearchKeepsAnsweringDuringARunAndACompaction) {
    Scratch s(100);
    write_file(s.in("seed.jsonl"), jsonl("seed", 20));
    ASSERT_EQ(s.run().exit_code, 0);
    for (int f = 0; f < 6; ++f)
        write_file(s.in("more" + std::to_string(f) + ".jsonl"), jsonl("more" + std::to_string(f), 200));

    std::atomic<bool> stop{false};
    std::atomic<int> searches{0}, failures{0};
    std::string last_error;
    std::thread loop([&] {
        while (!stop) {
            auto r = run_command({search_bin(), "--db", s.db, "--json", "shelling"});
            ++searches;
            json j = json::parse(r.out, nullptr, false);
            if (r.exit_code != 0 || !j.is_object() || j["hits"].empty()) {
                ++failures;
                last_error = "exit " + std::to_string(r.exit_code) + ": " + r.err + " | " + r.out.substr(0, 400);
            }
        }
    });
    auto r = s.run({"--compact"});
    stop = true;
    loop.join();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(failures.load(), 0) << last_error;
    // How many searches fit into the run depends on the machine's speed and load (under
    // ASan on a loaded machine, one search can outlast the whole run), so only overlap is
    // required; what matters is that none failed.
    EXPECT_GE(searches.load(), 1);
    EXPECT_EQ(ids_checked(s.db).size(), 20u + 6 * 200);
    // After the run the searcher sees the new documents.
    auto after = run_command({search_bin(), "--db", s.db, "--json", "id:more5-199"});
    ASSERT_EQ(after.exit_code, 0) << after.err;
    EXPECT_EQ(json::parse(after.out)["hits"].size(), 1u);
}

TEST(Nightly, CompactSwapsInACopyAndRecoversFromAKilledSwap) {
    Scratch s;
    write_file(s.in("a.jsonl"), jsonl("a", 30));
    ASSERT_EQ(s.run().exit_code, 0);
    auto r = s.run({"--compact"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(s.report()["compaction"]["done"].get<bool>());
    EXPECT_FALSE(fs::exists(s.db + ".new"));
    EXPECT_FALSE(fs::exists(s.db + ".old"));
    EXPECT_EQ(ids_checked(s.db).size(), 30u);
    EXPECT_NE(FacetValueFile::map(s.db, Xapian::Database(s.db)), nullptr) << "written for the compacted copy";
    auto found = run_command({search_bin(), "--db", s.db, "--json", "shelling"});
    ASSERT_EQ(found.exit_code, 0) << found.err;
    EXPECT_FALSE(json::parse(found.out)["hits"].empty());

    for (const char* point : {"compact-before-swap", "compact-after-swap"}) {
        SCOPED_TRACE(point);
        r = s.run({"--compact"}, {std::string("WARSEARCH_NIGHTLY_CRASH_AT=") + point});
        EXPECT_EQ(r.exit_code, 128 + SIGKILL);
        EXPECT_TRUE(fs::exists(s.db + ".new"));
        EXPECT_EQ(ids_checked(s.db).size(), 30u) << "the database is whole at every step";
        r = s.run();
        ASSERT_EQ(r.exit_code, 0) << r.err;
        EXPECT_FALSE(fs::exists(s.db + ".new"));
        EXPECT_TRUE(s.report().contains("recovered"));
        EXPECT_EQ(ids_checked(s.db).size(), 30u);
    }

    // Killed between the two renames of the fallback swap: DB gone, DB.old and a
    // complete DB.new left.  The next run finishes the swap.
    fs::rename(s.db, s.db + ".old");
    fs::copy(s.db + ".old", s.db + ".new", fs::copy_options::recursive);
    r = s.run();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_FALSE(fs::exists(s.db + ".old"));
    EXPECT_EQ(ids_checked(s.db).size(), 30u);
    EXPECT_EQ(s.report()["counts"]["unchanged"], 1);
}

TEST(Nightly, ASecondRunExitsAtOnceWithCodeFiveWhileTheLockIsHeld) {
    Scratch s;
    write_file(s.in("a.jsonl"), jsonl("a", 3));
    int fd = open((s.db + ".nightly.lock").c_str(), O_RDWR | O_CREAT, 0644);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(flock(fd, LOCK_EX | LOCK_NB), 0);
    auto t0 = std::chrono::steady_clock::now();
    auto r = s.run();
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_EQ(r.exit_code, 5) << r.err;
    EXPECT_NE(r.err.find("another nightly run"), std::string::npos) << r.err;
    EXPECT_LT(secs, 5.0);
    EXPECT_FALSE(fs::exists(s.db)) << "nothing was written";
    close(fd);
    EXPECT_EQ(s.run().exit_code, 0);
}

TEST(Nightly, BadRecordsAreWarningsExitFourOnlyWhenStrictAndCostNoDocuments) {
    Scratch s;
    write_file(s.in("good.jsonl"), jsonl("good", 4));
    write_file(s.in("bad.jsonl"), jsonl("bad", 3) + "{not json\n");
    auto r = s.run({"--strict"});
    EXPECT_EQ(r.exit_code, 4) << r.err;
    json rep = s.report();
    EXPECT_EQ(rep["counts"]["failed"], 1);
    EXPECT_EQ(rep["status"], "some_failed");
    EXPECT_FALSE(rep["failures"].empty());
    EXPECT_EQ(ids_checked(s.db), expected_ids({{"good", 4}, {"bad", 3}}));

    // Without --strict a skipped record is a warning, counted, and the run exits 0.
    age(s.in("bad.jsonl"), 100);
    write_file(s.in("bad.jsonl"), jsonl("bad", 3) + "{still not json\n");
    r = s.run();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    rep = s.report();
    EXPECT_EQ(rep["status"], "warnings");
    EXPECT_EQ(rep["warnings"]["records"], 1);
    EXPECT_NE(r.out.find("1 warnings"), std::string::npos) << r.out;
}

TEST(Nightly, ConfigurationErrorsExitOneWithTheFileAndKey) {
    TempDir dir;
    std::string config = dir / "bad.toml";
    write_file(config, "database = \"db\"\nreport_dir = \"r\"\nbatch_sise = 5\n[[source]]\npath = \"in\"\n");
    auto r = run_command({nightly_bin(), "--config", config});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("batch_sise"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("bad.toml:3"), std::string::npos) << r.err;
    r = run_command({nightly_bin()});
    EXPECT_EQ(r.exit_code, 1);
}

// The nightly job accepts a sharded index (a stub written by warsearch-index --shards)
// wherever it accepts a database: new files land in the shards, vanished ones leave them.
TEST(NightlyShards, UpdatesTheShardsOfAStub) {
    TempDir dir;
    write_file(dir / "src/a.jsonl", read_file(source_dir() + "/corpus/sample/articles.jsonl"));
    auto idx = run_command({index_bin(), "-q", "--shards", "3", "--db", dir / "idx", dir / "src"});
    ASSERT_EQ(idx.exit_code, 0) << idx.err;
    write_file(dir / "n.toml", "database = \"" + dir / "idx" + "\"\nreport_dir = \"" + dir / "reports" +
                                   "\"\n[[source]]\npath = \"" + dir / "src" + "\"\n");
    ASSERT_EQ(run_command({nightly_bin(), "--config", dir / "n.toml"}).exit_code, 0);
    write_file(dir / "src/b.csv", read_file(source_dir() + "/corpus/sample/reports-2017.csv"));
    auto added = run_command({nightly_bin(), "--config", dir / "n.toml"});
    ASSERT_EQ(added.exit_code, 0) << added.err;
    auto count = [&] {
        auto r = run_command({search_bin(), "--db", dir / "idx", "--json", "--no-collapse", "date:..2100"});
        return json::parse(r.out)["index"]["documents"].get<int>();
    };
    EXPECT_EQ(count(), 53 + 5);
    fs::remove(dir / "src/b.csv");
    ASSERT_EQ(run_command({nightly_bin(), "--config", dir / "n.toml", "--compact"}).exit_code, 0);
    EXPECT_EQ(count(), 53);
    EXPECT_TRUE(fs::exists(dir / "idx/XAPIANDB"));
}

// An alert's hit in a live page shows the entry's time and the page's title (issue #24).
TEST(Nightly, AlertListsLiveBlogEntriesWithTheirTimes) {
    Scratch s;
    std::string page = s.dir / "live";
    fs::create_directories(page);
    fs::copy_file(source_dir() + "/corpus/liveblogs/kyiv-blocks-datetime.html", page + "/kyiv.html");
    write_file(s.config, read_file(s.config) +
                             "\n[[source]]\npath = \"live\"\nformat = \"html\"\n"
                             "\n[[alert]]\nname = \"Debris\"\nquery = \"title:debris kind:entry\"\n");
    auto r = s.run();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    json rep = s.report();
    const json* alert = nullptr;
    for (const auto& a : rep["alerts"])
        if (a["name"] == "Debris") alert = &a;
    ASSERT_TRUE(alert) << rep.dump();
    ASSERT_EQ((*alert)["hits"].size(), 1u) << alert->dump();
    EXPECT_EQ((*alert)["hits"][0]["time_label"], "16.40 BST");
    EXPECT_EQ((*alert)["hits"][0]["parent_title"], "Russia-Ukraine war: Kyiv hit by largest drone attack in weeks");
    std::string md = read_file(s.reports + "/latest.md");
    EXPECT_NE(md.find("entry at 16.40 BST in *Russia-Ukraine war: Kyiv hit by largest drone attack in weeks*"),
              std::string::npos)
        << md;
}

// ---- Issue 26: deleting needs evidence -------------------------------------------------

/// Ten files of ten documents each, indexed once.
void index_ten_files(const Scratch& s) {
    for (int f = 0; f < 10; ++f)
        write_file(s.in("f" + std::to_string(f) + ".jsonl"), jsonl("f" + std::to_string(f), 10));
    auto r = s.run();
    EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST(NightlyEvidence, AMissingOrMistypedSourceDeletesNothingAndTheRunFails) {
    Scratch s;
    index_ten_files(s);
    std::uint64_t rev = revision(s.db);
    // An unmounted share whose mount point is gone, or a moved folder.
    fs::rename(s.inbox, s.dir / "away");
    auto r = s.run();
    EXPECT_EQ(r.exit_code, 6) << r.err;
    EXPECT_NE(r.err.find("is missing"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("Nothing was deleted"), std::string::npos) << r.err;
    EXPECT_EQ(ids_checked(s.db).size(), 100u);
    EXPECT_EQ(revision(s.db), rev) << "nothing written";
    json rep = s.report();
    EXPECT_EQ(rep["status"], "refused") << "latest.json does not still say ok";
    EXPECT_EQ(rep["exit_code"], 6);
    EXPECT_NE(rep["error"].get<std::string>().find(s.inbox), std::string::npos);
    fs::rename(s.dir / "away", s.inbox);

    // A mistyped path in the configuration (the "inbox-missing").
    std::string text = read_file(s.config);
    text.replace(text.find("path = \"inbox\""), 14, "path = \"inbox-missing\"");
    write_file(s.config, text);
    r = s.run();
    EXPECT_EQ(r.exit_code, 6) << r.err;
    EXPECT_EQ(ids_checked(s.db).size(), 100u);
}

TEST(NightlyEvidence, AnEmptySourceThatHeldFilesIsAShareThatIsNotMounted) {
    Scratch s;
    index_ten_files(s);
    for (int f = 0; f < 10; ++f) fs::remove(s.in("f" + std::to_string(f) + ".jsonl"));
    auto r = s.run({"--allow-mass-delete"});
    EXPECT_EQ(r.exit_code, 6) << r.err;
    EXPECT_NE(r.err.find("is empty but held indexed files"), std::string::npos) << r.err;
    EXPECT_EQ(ids_checked(s.db).size(), 100u);
    EXPECT_EQ(s.report()["status"], "refused");
}

TEST(NightlyEvidence, AnUnreadableSourceDeletesNothing) {
    if (geteuid() == 0) GTEST_SKIP() << "root reads any folder";
    Scratch s;
    index_ten_files(s);
    fs::permissions(s.inbox, fs::perms::none);
    auto r = s.run();
    fs::permissions(s.inbox, fs::perms::owner_all);
    EXPECT_EQ(r.exit_code, 6) << r.err;
    EXPECT_NE(r.err.find("cannot be listed"), std::string::npos) << r.err;
    EXPECT_EQ(ids_checked(s.db).size(), 100u);
}

TEST(NightlyEvidence, AMassDeletionRefusesUnlessAllowedAndTheReportListsWhatWent) {
    Scratch s;
    index_ten_files(s);
    // 2 of 10 files (20%) is allowed by the default max_delete_share 0.2 ...
    fs::remove(s.in("f0.jsonl"));
    fs::remove(s.in("f1.jsonl"));
    auto r = s.run();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    json rep = s.report();
    ASSERT_EQ(rep["deleted_files"].size(), 2u);
    EXPECT_EQ(rep["deleted_files"][0]["documents"], 10);
    EXPECT_EQ(rep["deleted_ids"].size(), 20u);
    EXPECT_EQ(rep["deleted_ids_truncated"], false);
    EXPECT_NE(read_file(s.reports + "/latest.md").find("f0.jsonl"), std::string::npos);
    // ... 3 of the remaining 8 (37.5%) is not.
    for (int f = 2; f < 5; ++f) fs::remove(s.in("f" + std::to_string(f) + ".jsonl"));
    r = s.run();
    EXPECT_EQ(r.exit_code, 6) << r.err;
    EXPECT_NE(r.err.find("30 of the index's 80 documents"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--allow-mass-delete"), std::string::npos) << r.err;
    EXPECT_EQ(ids_checked(s.db).size(), 80u);
    r = s.run({"--allow-mass-delete"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(ids_checked(s.db).size(), 50u);
    EXPECT_EQ(s.report()["documents"]["deleted"], 30);
}

// Issue 26's orphans: warsearch-index run with a relative path on the nightly's folder
// tagged the documents with a term the nightly job never looked for, so deleting the
// files deleted none of them.
TEST(NightlyEvidence, FilesIndexedByARelativePathAreDeletedWithTheirFiles) {
    Scratch s;
    index_ten_files(s);
    write_file(s.in("extra.jsonl"), jsonl("extra", 5));
    auto idx = run_command(
        {"/bin/sh", "-c", "cd '" + s.dir.path() + "' && exec '" + index_bin() + "' -q --db db inbox ./inbox/../inbox"});
    ASSERT_EQ(idx.exit_code, 0) << idx.err;
    ASSERT_EQ(ids_checked(s.db).size(), 105u);
    ASSERT_EQ(s.run().exit_code, 0);  // extra.jsonl gets its state
    fs::remove(s.in("f3.jsonl"));
    fs::remove(s.in("extra.jsonl"));
    auto r = s.run();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(s.report()["documents"]["deleted"], 15);
    std::set<std::string> want = expected_ids(
        {{"f0", 10}, {"f1", 10}, {"f2", 10}, {"f4", 10}, {"f5", 10}, {"f6", 10}, {"f7", 10}, {"f8", 10}, {"f9", 10}});
    EXPECT_EQ(ids_checked(s.db), want) << "no orphans";
}

// ---- Issue 26: alerts are exactly the new reports --------------------------------------

/// The ids an alert listed in the latest report.
std::set<std::string> alert_hits(const Scratch& s) {
    std::set<std::string> ids;
    json report = s.report();
    for (const auto& h : report["alerts"][0]["hits"]) ids.insert(h["id"].get<std::string>());
    return ids;
}

TEST(NightlyAlerts, RewrittenAppendedTruncatedOrReorderedFilesReAlertNothingOld) {
    Scratch s;
    // 40 reports; topic 0 (every 4th) is "shelling aleppo": 10 alert hits.
    write_file(s.in("daily.jsonl"), jsonl("d", 40));
    ASSERT_EQ(s.run().exit_code, 0);
    EXPECT_EQ(s.report()["alerts"][0]["total"], 10);

    // Rewritten with fewer lines (30 of the 40, nothing new): nothing to alert.
    age(s.in("daily.jsonl"), 100);
    write_file(s.in("daily.jsonl"), jsonl("d", 30));
    ASSERT_EQ(s.run().exit_code, 0);
    json rep = s.report();
    EXPECT_EQ(rep["alerts"][0]["total"], 0) << rep["alerts"].dump();
    EXPECT_EQ(rep["new_documents"]["count"], 0);
    EXPECT_EQ(rep["documents"]["unchanged"], 30);

    // Appended: only the new lines alert.
    age(s.in("daily.jsonl"), 100);
    write_file(s.in("daily.jsonl"), jsonl("d", 30) + doc_line("late-0", 0) + doc_line("late-1", 1));
    ASSERT_EQ(s.run().exit_code, 0);
    EXPECT_EQ(alert_hits(s), std::set<std::string>{"late-0"});
    EXPECT_EQ(s.report()["new_documents"]["count"], 2);

    // Reordered: nothing.
    std::string text = read_file(s.in("daily.jsonl"));
    std::vector<std::string> lines;
    for (std::size_t at = 0, nl; (nl = text.find('\n', at)) != std::string::npos; at = nl + 1)
        lines.push_back(text.substr(at, nl - at + 1));
    std::reverse(lines.begin(), lines.end());
    std::string reversed;
    for (const auto& l : lines) reversed += l;
    age(s.in("daily.jsonl"), 100);
    write_file(s.in("daily.jsonl"), reversed);
    ASSERT_EQ(s.run().exit_code, 0);
    EXPECT_EQ(s.report()["alerts"][0]["total"], 0);

    // Deleted and written again as it was: its reports were alerted before.
    write_file(s.in("other.jsonl"), jsonl("other", 150));  // keeps the deletion under 20%
    ASSERT_EQ(s.run().exit_code, 0);
    fs::remove(s.in("daily.jsonl"));
    auto r = s.run();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    write_file(s.in("daily.jsonl"), reversed);
    ASSERT_EQ(s.run().exit_code, 0);
    rep = s.report();
    EXPECT_EQ(rep["new_documents"]["count"], 32);
    EXPECT_EQ(rep["alerts"][0]["total"], 0) << rep["alerts"].dump();
    EXPECT_EQ(rep["alerts"][0]["alerted_before"], 9);

    // A report rewritten with new text keeps its id: listed once, it is not news again.
    age(s.in("daily.jsonl"), 100);
    write_file(s.in("daily.jsonl"), reversed + doc_line("d-0", 0, "Rewritten by the desk."));
    ASSERT_EQ(s.run().exit_code, 0);
    rep = s.report();
    EXPECT_EQ(rep["new_documents"]["count"], 1);
    EXPECT_EQ(rep["alerts"][0]["total"], 0);
    EXPECT_EQ(rep["alerts"][0]["alerted_before"], 1);
}

// ---- Issue 26: one revision, honest reports --------------------------------------------

/// The revision warsearch-search reports for @a db.
std::uint64_t search_revision(const std::string& db) {
    auto r = run_command({search_bin(), "--db", db, "--json", "shelling"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out, nullptr, false)["index"]["revision"].get<std::uint64_t>();
}

TEST(NightlyRevision, OneNumberBumpedByDeletionsAndKeptByCompaction) {
    Scratch s;
    index_ten_files(s);
    std::uint64_t rev = s.report()["revision"]["after"];
    EXPECT_EQ(search_revision(s.db), rev);
    // A run that only deletes changes the results: a new revision.
    fs::remove(s.in("f9.jsonl"));
    ASSERT_EQ(s.run().exit_code, 0);
    json rep = s.report();
    EXPECT_EQ(rep["revision"]["before"], rev);
    EXPECT_GT(rep["revision"]["after"].get<std::uint64_t>(), rev);
    rev = rep["revision"]["after"];
    EXPECT_EQ(search_revision(s.db), rev);
    auto pinned = run_command({search_bin(), "--db", s.db, "--json", "--at-revision", std::to_string(rev), "shelling"});
    EXPECT_TRUE(json::parse(pinned.out)["warnings"].empty()) << pinned.out;
    // Compaction keeps it: the page, the report and --at-revision agree.
    ASSERT_EQ(s.run({"--compact"}).exit_code, 0);
    rep = s.report();
    EXPECT_EQ(rep["revision"]["before"], rev);
    EXPECT_EQ(rep["revision"]["after"], rev);
    EXPECT_EQ(search_revision(s.db), rev);
    // A run with nothing to do keeps it too.
    ASSERT_EQ(s.run().exit_code, 0);
    EXPECT_EQ(s.report()["revision"]["after"], rev);
}

TEST(NightlyRevision, AFailedRunWritesAReportAndRemovesItsScratchCopy) {
    Scratch s;
    index_ten_files(s);
    write_file(s.in("new.jsonl"), jsonl("new", 3));
    auto r = s.run({"--compact"}, {"WARSEARCH_NIGHTLY_FAIL_AT=compact"});
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find("No space left on device"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(s.db + ".new")) << "the half copy would keep the disk full";
    json rep = s.report();
    EXPECT_EQ(rep["status"], "failed");
    EXPECT_EQ(rep["exit_code"], 3);
    EXPECT_NE(read_file(s.reports + "/latest.md").find("No space left"), std::string::npos);
    EXPECT_EQ(ids_checked(s.db).size(), 103u) << "what was indexed before the compaction stays";
    ASSERT_EQ(s.run({"--compact"}).exit_code, 0);
    EXPECT_EQ(s.report()["status"], "ok");
}

TEST(NightlyRevision, ADamagedDatabaseIsNeitherWrittenNorCompacted) {
    Scratch s;
    index_ten_files(s);
    // Garbage in the middle of every block of the postlist table.
    std::string table = s.db + "/postlist.glass";
    ASSERT_TRUE(fs::exists(table));
    std::string bytes = read_file(table);
    ASSERT_GT(bytes.size(), 16384u);
    for (std::size_t block = 0; block + 8192 <= bytes.size(); block += 8192)
        for (std::size_t i = block + 2000; i < block + 2064; ++i) bytes[i] = static_cast<char>(i * 7);
    write_file(table, bytes);
    write_file(s.in("new.jsonl"), jsonl("new", 3));
    for (const std::vector<std::string>& args : {std::vector<std::string>{}, std::vector<std::string>{"--compact"}}) {
        auto r = s.run(args);
        EXPECT_EQ(r.exit_code, 3) << r.err;
        EXPECT_NE(r.err.find("is damaged"), std::string::npos) << r.err;
        EXPECT_EQ(read_file(table), bytes) << "nothing written into it";
        EXPECT_FALSE(fs::exists(s.db + ".new"));
        EXPECT_EQ(s.report()["status"], "failed");
    }
}

// ---- Issue 26: quarantine --------------------------------------------------------------

TEST(NightlyQuarantine, AFileThatCrashedTheJobIsSkippedUntilItChanges) {
    Scratch s;
    for (const char* f : {"a.jsonl", "b.jsonl", "c.jsonl"}) write_file(s.in(f), jsonl(std::string(1, f[0]), 5));
    // b.jsonl kills the run (like a reader's stack overflow) every time it is read.
    const std::string poison = "WARSEARCH_NIGHTLY_SEGV_ON=b.jsonl";
    auto r = s.run({}, {poison});
    EXPECT_EQ(r.exit_code, 128 + SIGSEGV) << r.err;
    r = s.run({}, {poison});
    ASSERT_EQ(r.exit_code, 0) << "the poison file no longer blocks the others: " << r.err;
    json rep = s.report();
    EXPECT_EQ(ids_checked(s.db), expected_ids({{"a", 5}, {"c", 5}}));
    ASSERT_EQ(rep["quarantined"].size(), 1u) << rep.dump();
    EXPECT_EQ(rep["quarantined"][0]["path"], s.in("b.jsonl"));
    EXPECT_NE(rep["quarantined"][0]["reason"].get<std::string>().find("signal 11"), std::string::npos);
    EXPECT_EQ(rep["counts"]["quarantined"], 1);
    EXPECT_EQ(rep["warnings"]["files"], 1);
    EXPECT_EQ(s.run({"--strict"}, {poison}).exit_code, 0) << "not retried, so no new warning";
    EXPECT_EQ(s.report()["quarantined"].size(), 1u) << "still listed";
    // Changed, it is read again.
    age(s.in("b.jsonl"), 100);
    write_file(s.in("b.jsonl"), jsonl("b", 6));
    ASSERT_EQ(s.run().exit_code, 0);
    EXPECT_EQ(ids_checked(s.db), expected_ids({{"a", 5}, {"b", 6}, {"c", 5}}));
    EXPECT_TRUE(s.report()["quarantined"].empty());
}

TEST(NightlyQuarantine, AFileThatFailsItsReaderIsAWarningAndNotRetried) {
    Scratch s;
    write_file(s.in("good.jsonl"), jsonl("good", 4));
    write_file(s.in("bad.jsonl"), std::string("\x89PNG\r\n\x1a\n", 8) + std::string(200, '\0'));
    auto r = s.run();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    json rep = s.report();
    EXPECT_EQ(rep["status"], "warnings");
    EXPECT_EQ(rep["quarantined"].size(), 1u) << rep.dump();
    EXPECT_EQ(s.run({"--strict"}).exit_code, 0) << "unchanged: not read again";
    EXPECT_EQ(s.report()["quarantined"].size(), 1u);
    age(s.in("bad.jsonl"), 100);
    write_file(s.in("bad.jsonl"), std::string("\x89PNG\r\n\x1a\n", 8) + std::string(300, '\0'));
    EXPECT_EQ(s.run({"--strict"}).exit_code, 4) << "changed, read again, failed again";
}

// ---- Issue 26: exit codes a cron job can use -------------------------------------------

TEST(NightlyExitCodes, JsonPrintsTheReportOrAnErrorObject) {
    Scratch s;
    write_file(s.in("a.jsonl"), jsonl("a", 3));
    auto r = s.run({"--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    json out = json::parse(r.out, nullptr, false);
    EXPECT_EQ(out["status"], "ok");
    EXPECT_EQ(out["exit_code"], 0);
    r = run_command({nightly_bin(), "--json", "--config", s.dir / "nope.toml"});
    EXPECT_EQ(r.exit_code, 1);
    out = json::parse(r.out, nullptr, false);
    EXPECT_EQ(out["exit_code"], 1) << r.out;
    EXPECT_NE(out["error"].get<std::string>().find("nope.toml"), std::string::npos);
    r = run_command({nightly_bin(), "--json", "--bogus"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(json::parse(r.out, nullptr, false)["exit_code"], 1) << r.out;
}

}  // namespace
}  // namespace warsearch::testing
