// The in-memory facet value cache of a long-running Searcher (the FastCGI server) must
// count exactly what reading the values from the index counts: on one database, on a
// stub of two local shards (interleaved docids), after a reindex seen through reopen(),
// and when the cache is refused for its size.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_support.h"
#include "warsearch/searcher.h"

using namespace warsearch;
using warsearch::testing::TempDir;

namespace {

std::string index_into(const std::string& db, const std::vector<std::string>& inputs) {
    std::vector<std::string> argv = {warsearch::testing::index_bin(), "--quiet", "--db", db};
    argv.insert(argv.end(), inputs.begin(), inputs.end());
    auto r = warsearch::testing::run_command(argv);
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 4) << r.err;
    return db;
}

std::string sample(const std::string& name) { return warsearch::testing::source_dir() + "/corpus/sample/" + name; }

// Facets as one comparable string.
std::string facets_of(Searcher& s, const std::string& query, bool collapse = true, Xapian::doccount bound = 5000) {
    SearchRequest req;
    req.query = query;
    req.facets = true;
    req.collapse = collapse;
    req.facet_bound = bound;
    req.limit = 3;
    SearchResult r = s.search(req);
    std::string out = "exact=" + std::to_string(r.facets_exact) + " seen=" + std::to_string(r.facet_documents) +
                      " estimate=" + std::to_string(r.estimate) + "\n";
    for (const auto& f : r.facets) {
        out += f.dimension + ":";
        for (const auto& v : f.values) out += " " + v.key + "=" + std::to_string(v.count);
        out += "\n";
    }
    for (const auto& w : r.warnings) out += "warning: " + w + "\n";
    return out;
}

const char* const kQueries[] = {"aleppo", "shelling", "said", "\"islamic state\"", "siege OR convoy", "darayya"};

void expect_same_facets(const std::string& db, bool sharded) {
    Searcher plain(db);
    Searcher cached(db);
    cached.set_facet_cache_limit(64u << 20);
    for (const char* q : kQueries) {
        EXPECT_EQ(facets_of(cached, q), facets_of(plain, q)) << q;
        EXPECT_EQ(facets_of(cached, q, false), facets_of(plain, q, false)) << q << " (no collapse)";
        // Counted over the first 5 matches in index order.  Over several shards Xapian's
        // single pass goes on past the bound (it saw 17 of 30 for "aleppo"), the passes
        // per part stop at it: both say the counts are not exact.
        std::string bounded = facets_of(cached, q, true, 5);
        if (!sharded) {
            EXPECT_EQ(bounded, facets_of(plain, q, true, 5)) << q << " (bound 5)";
        } else if (bounded.rfind("exact=0", 0) == 0) {
            EXPECT_EQ(bounded.find("seen=5 "), 8u) << bounded;
        }
    }
    EXPECT_GT(cached.facet_cache_bytes(), 0u);
    EXPECT_EQ(plain.facet_cache_bytes(), 0u) << "off unless asked for";
}

TEST(FacetCache, CountsWhatTheIndexCounts) {
    TempDir dir;
    expect_same_facets(index_into(dir / "db", {warsearch::testing::source_dir() + "/corpus/sample"}), false);
}

// A match spy sees each shard's own docids, one shard after another: the cache is read
// part by part, in passes of their own.
TEST(FacetCache, CountsLocalShardsPartByPart) {
    TempDir dir;
    index_into(dir / "a", {sample("articles.jsonl"), sample("reports-2017.csv")});
    index_into(dir / "b", {sample("liveblog-aleppo-2016-12.txt"), sample("aleppo-hospital.html"),
                           sample("wire-1990-muc-style.txt"), sample("liveblog-ukraine-2022-03.txt")});
    warsearch::testing::write_file(dir / "stub", "auto a\nauto b\n");
    expect_same_facets(dir / "stub", true);
}

TEST(FacetCache, ReloadsAfterAReindexAndNotOtherwise) {
    TempDir dir;
    std::string db = index_into(dir / "db", {sample("articles.jsonl")});
    Searcher cached(db);
    cached.set_facet_cache_limit(64u << 20);
    std::string before = facets_of(cached, "aleppo");
    std::size_t bytes = cached.facet_cache_bytes();
    ASSERT_GT(bytes, 0u);
    EXPECT_FALSE(cached.reopen()) << "nothing changed";
    EXPECT_EQ(cached.facet_cache_bytes(), bytes) << "kept";
    index_into(db, {sample("liveblog-aleppo-2016-12.txt"), sample("aleppo-hospital.html")});
    EXPECT_TRUE(cached.reopen());
    EXPECT_EQ(cached.facet_cache_bytes(), 0u) << "dropped with the old revision";
    std::string after = facets_of(cached, "aleppo");
    EXPECT_NE(after, before) << "the new documents are counted";
    Searcher fresh(db);
    EXPECT_EQ(after, facets_of(fresh, "aleppo"));
    EXPECT_GT(cached.facet_cache_bytes(), bytes);
}

TEST(FacetCache, OverTheLimitReadsTheIndexInstead) {
    TempDir dir;
    std::string db = index_into(dir / "db", {warsearch::testing::source_dir() + "/corpus/sample"});
    Searcher plain(db);
    Searcher small(db);
    small.set_facet_cache_limit(100);
    for (const char* q : kQueries) EXPECT_EQ(facets_of(small, q), facets_of(plain, q)) << q;
    EXPECT_EQ(small.facet_cache_bytes(), 0u);
}

}  // namespace
