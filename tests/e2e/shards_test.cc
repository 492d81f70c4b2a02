// Scale-out: corpus/sample indexed as one database and as 3 shards served by Xapian's
// own xapian-tcpsrv on loopback must search identically; a shard that is down gives a
// clear error, or partial results with --allow-partial.  Databases written by separate
// runs (or by an older warsearch) searched together keep their facets honest.
#include <signal.h>
#include <unistd.h>
#include <xapian.h>

#include <fstream>

#include "e2e_support.h"

using namespace warsearch::testing;
using nlohmann::json;

namespace {

class Shards : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir;
        auto one = run_command({index_bin(), "-q", "--db", *dir_ / "one", source_dir() + "/corpus/sample"});
        ASSERT_EQ(one.exit_code, 0) << one.err;
        auto three =
            run_command({index_bin(), "-q", "--shards", "3", "--db", *dir_ / "three", source_dir() + "/corpus/sample"});
        ASSERT_EQ(three.exit_code, 0) << three.err;
        // A port range unlikely to clash with another test run on this machine: three
        // ports per process, so test processes with neighbouring pids (ctest -j starts
        // them together) never share one.
        int port = 20000 + 3 * static_cast<int>(getpid() % 6000);
        auto serve = run_command({source_dir() + "/scripts/serve-shards", "--db", *dir_ / "three", "--port",
                                  std::to_string(port), "--stub", *dir_ / "remote.stub"});
        ASSERT_EQ(serve.exit_code, 0) << serve.out << serve.err;
    }
    static void TearDownTestSuite() {
        run_command({source_dir() + "/scripts/serve-shards", "--stop", "--db", *dir_ / "three"});
        delete dir_;
    }
    static json search(const std::string& db, std::vector<std::string> args) {
        std::vector<std::string> argv = {search_bin(), "--db", db, "--json"};
        argv.insert(argv.end(), args.begin(), args.end());
        auto r = run_command(argv);
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return json::parse(r.out, nullptr, false);
    }
    // What must not change with sharding: ranks, scores, collapse, facets, suggestions.
    static json essence(const json& r) {
        json e;
        for (const auto& h : r["hits"])
            e["hits"].push_back(
                {h["id"], h["copies"], h["snippet"], static_cast<long long>(h["score"].get<double>() * 1e6)});
        e["facets"] = r["facets"];
        e["suggestion"] = r["suggestion"];
        // Match-count estimates legitimately differ with sharding; the facets are exact.
        return e;
    }
    static TempDir* dir_;
};

TempDir* Shards::dir_ = nullptr;

TEST_F(Shards, LocalAndRemoteShardsSearchExactlyLikeOneDatabase) {
    const std::vector<std::vector<std::string>> queries = {{"aleppo"},
                                                           {"shelling", "--sort", "date"},
                                                           {"faction:Daesh"},
                                                           {"location:\"Rif Dimashq\""},
                                                           {"killed", "--no-collapse"},
                                                           {"daraya"},
                                                           {"\"barrel bombs\""},
                                                           {"shellin daryaa"},
                                                           {"forces", "--offset", "5"},
                                                           {"date:2016", "--sort", "date-asc"}};
    for (auto q : queries) {
        q.insert(q.end(), {"--facets", "--limit", "20"});
        json one = essence(search(*dir_ / "one", q));
        EXPECT_EQ(one, essence(search(*dir_ / "three", q))) << q[0] << " (local stub)";
        EXPECT_EQ(one, essence(search(*dir_ / "remote.stub", q))) << q[0] << " (xapian-tcpsrv)";
    }
}

TEST_F(Shards, ReIndexingUpdatesTheSameShards) {
    auto again = run_command({index_bin(), "-q", "--db", *dir_ / "three", source_dir() + "/corpus/sample"});
    EXPECT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(search(*dir_ / "three", {"aleppo"})["index"]["documents"],
              search(*dir_ / "one", {"aleppo"})["index"]["documents"]);
    auto wrong =
        run_command({index_bin(), "-q", "--shards", "4", "--db", *dir_ / "three", source_dir() + "/corpus/sample"});
    EXPECT_EQ(wrong.exit_code, 3);
    EXPECT_NE(wrong.err.find("has 3 shards"), std::string::npos) << wrong.err;
}

TEST_F(Shards, DownShardIsAClearErrorOrPartialResults) {
    // A stub naming one shard that nobody serves.
    std::string stub = *dir_ / "down.stub";
    std::string good = read_file(*dir_ / "remote.stub");
    std::ofstream(stub) << good << "remote 127.0.0.1:1\n";
    auto r = run_command({search_bin(), "--db", stub, "aleppo"});
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.err.find("127.0.0.1:1"), std::string::npos) << r.err;
    json partial = search(stub, {"aleppo", "--allow-partial"});
    EXPECT_TRUE(partial["partial"].get<bool>());
    ASSERT_EQ(partial["missing_shards"].size(), 1u);
    EXPECT_EQ(partial["missing_shards"][0], "remote 127.0.0.1:1");
    EXPECT_FALSE(partial["hits"].empty());
}

}  // namespace

// Facet keys are stored hashed and named by each database's metadata (facet_values.h):
// databases written by separate runs and searched together through a stub must still
// name the keys only one of them knows.
TEST_F(Shards, FacetKeysKnownToOnlyOneDatabaseAreNamed) {
    std::string extra = *dir_ / "extra.jsonl";
    write_file(
        extra,
        R"({"id": "extra-1", "title": "Zanzibarquux report", "body": "A zanzibarquux story from a source no other database knows.", "source": "Only In B", "date": "2016-07-01"})"
        "\n");
    auto b = run_command({index_bin(), "-q", "--db", *dir_ / "only-b", extra});
    ASSERT_EQ(b.exit_code, 0) << b.err;
    std::string stub = *dir_ / "two-runs.stub";
    write_file(stub, "auto " + (*dir_ / "one") + "\nauto " + (*dir_ / "only-b") + "\n");
    json r = search(stub, {"zanzibarquux", "--facets"});
    ASSERT_TRUE(r["facets"].contains("source")) << r.dump();
    ASSERT_EQ(r["facets"]["source"].size(), 1u) << r["facets"].dump();
    EXPECT_EQ(r["facets"]["source"][0]["key"], "only-in-b");
    EXPECT_EQ(r["facets"]["source"][0]["count"], 1);
    ASSERT_TRUE(r["facets"].contains("month")) << r["facets"].dump();
    EXPECT_EQ(r["facets"]["month"][0]["key"], "2016-07");
}

// A database indexed by an older warsearch holds the facet slot as text (schema 1): its
// documents are left out of the counts, and the result says so instead of hiding it.
TEST_F(Shards, SchemaOneFacetValuesAreLeftOutWithAWarning) {
    std::string src = *dir_ / "two.jsonl";
    write_file(
        src,
        R"({"id": "s1-a", "title": "Qwertzuiop one", "body": "Qwertzuiop in Aleppo.", "source": "Old Wire", "date": "2015-03-01"})"
        "\n"
        R"({"id": "s1-b", "title": "Qwertzuiop two", "body": "Qwertzuiop again.", "source": "New Wire", "date": "2015-04-01"})"
        "\n");
    std::string db = *dir_ / "schema-one";
    auto r = run_command({index_bin(), "-q", "--parallel", "1", "--db", db, src});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    {
        // Rewrite one document's slot as schema 1 wrote it: "STORY\x1fdim:key\x1e...".
        Xapian::WritableDatabase w(db);
        auto p = w.postlist_begin("Qs1-a");
        ASSERT_NE(p, w.postlist_end("Qs1-a"));
        Xapian::Document d = w.get_document(*p);
        d.add_value(7, std::string("a4263f8d15e3ed30\x1f"
                                   "s:old-wire\x1em:2015-03"));
        w.replace_document(*p, d);
        w.commit();
    }
    json out = search(db, {"qwertzuiop", "--facets"});
    ASSERT_EQ(out["facets"]["source"].size(), 1u) << out["facets"].dump();
    EXPECT_EQ(out["facets"]["source"][0]["key"], "new-wire");
    ASSERT_TRUE(out["warnings"].is_array()) << out.dump();
    ASSERT_EQ(out["warnings"].size(), 1u) << out["warnings"].dump();
    EXPECT_NE(out["warnings"][0].get<std::string>().find("schema 1"), std::string::npos) << out["warnings"].dump();
}
