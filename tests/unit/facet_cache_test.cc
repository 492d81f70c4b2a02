// The facet values a Searcher takes from the file the indexer writes beside each
// database (mapped), or from memory (a long-running Searcher, the FastCGI server), must
// count exactly what reading the values from the index counts: on one database, on a
// stub of two local shards (interleaved docids), after a reindex seen through reopen(),
// and when the memory cache is refused for its size.  A file that does not describe the
// database as it is now (stale, truncated) is never used; a damaged one never crashes.
#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "common/index/facet_slot.h"
#include "common/index/facet_value_file.h"
#include "common/index/schema.h"
#include "searcher/facets/facet_threads.h"
#include "searcher/facets/facet_value_cache.h"
#include "searcher/searcher.h"
#include "test_support.h"

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
        for (const auto& v : f.values) out += " " + v.key + "(" + v.label + ")=" + std::to_string(v.count);
        out += "\n";
    }
    for (const auto& w : r.warnings) out += "warning: " + w + "\n";
    return out;
}

const char* const kQueries[] = {"aleppo", "shelling", "said", "\"islamic state\"", "siege OR convoy", "darayya"};

// Searchers set up as the front-ends set theirs up.
SearcherOptions facet_threads(FacetThreads when) {
    SearcherOptions options;
    options.facet_threads = when;
    return options;
}
// Values in memory (no file), as the FastCGI server holds them, up to @a bytes.
SearcherOptions in_memory(std::size_t bytes = 64u << 20, FacetThreads when = FacetThreads::heavy) {
    SearcherOptions options;
    options.use_facet_files = false;
    options.facet_cache_bytes = bytes;
    options.facet_threads = when;
    return options;
}
// As a CGI request: few records are read, not mapped.
SearcherOptions one_search_process() {
    SearcherOptions options;
    options.single_search_process = true;
    return options;
}

// A searcher that reads every facet value from the index (no file, no memory, unless
// @a bytes of memory).
struct IndexReading : Searcher {
    explicit IndexReading(const std::string& db, std::size_t bytes = 0) : Searcher(db, in_memory(bytes)) {}
};

void expect_same_facets(const std::string& db, bool sharded) {
    IndexReading plain(db);
    Searcher cached(db, in_memory(64u << 20, FacetThreads::always));  // also on a one-core machine
    Searcher mapped(db, facet_threads(FacetThreads::always));         // values from the indexer's files
    Searcher mapped_serial(db, facet_threads(FacetThreads::off));     // the same, on the searching thread
    Searcher one_search(db, one_search_process());
    for (const char* q : kQueries) {
        std::string expected = facets_of(plain, q);
        EXPECT_EQ(facets_of(cached, q), expected) << q;
        EXPECT_EQ(facets_of(mapped, q), expected) << q << " (mapped)";
        EXPECT_EQ(facets_of(mapped_serial, q), expected) << q << " (mapped, one thread)";
        EXPECT_EQ(facets_of(one_search, q), expected) << q << " (one-search process)";
        std::string expected_all = facets_of(plain, q, false);
        EXPECT_EQ(facets_of(cached, q, false), expected_all) << q << " (no collapse)";
        EXPECT_EQ(facets_of(mapped, q, false), expected_all) << q << " (no collapse, mapped)";
        // Counted over the first 5 matches in index order.  Over several shards Xapian's
        // single pass goes on past the bound (it saw 17 of 30 for "aleppo"), the passes
        // per part stop at it: both say the counts are not exact.
        for (Searcher* s : {static_cast<Searcher*>(&cached), &mapped}) {
            std::string bounded = facets_of(*s, q, true, 5);
            if (!sharded) {
                EXPECT_EQ(bounded, facets_of(plain, q, true, 5)) << q << " (bound 5)";
            } else if (bounded.rfind("exact=0", 0) == 0) {
                EXPECT_EQ(bounded.find("seen=5 "), 8u) << bounded;
            }
        }
    }
    EXPECT_GT(cached.facet_cache_bytes(), 0u);
    EXPECT_EQ(cached.facet_files_mapped(), 0u);
    EXPECT_EQ(plain.facet_cache_bytes(), 0u) << "off unless asked for";
    EXPECT_EQ(mapped.facet_files_mapped(), sharded ? 2u : 1u) << "the indexer wrote a file for each database";
    EXPECT_EQ(mapped.facet_cache_bytes(), 0u) << "a mapped file is not memory of ours";
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

// warsearch-index --shards writes a file for each shard.
TEST(FacetCache, CountsTheShardsTheIndexerWrote) {
    TempDir dir;
    std::vector<std::string> argv = {warsearch::testing::index_bin(),
                                     "--quiet",
                                     "--shards",
                                     "2",
                                     "--db",
                                     dir / "sharded",
                                     warsearch::testing::source_dir() + "/corpus/sample"};
    auto r = warsearch::testing::run_command(argv);
    ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 4) << r.err;
    expect_same_facets(dir / "sharded", true);
}

TEST(FacetCache, ReloadsAfterAReindexAndNotOtherwise) {
    TempDir dir;
    std::string db = index_into(dir / "db", {sample("articles.jsonl")});
    Searcher cached(db, in_memory());
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
    IndexReading fresh(db);
    EXPECT_EQ(after, facets_of(fresh, "aleppo"));
    EXPECT_GT(cached.facet_cache_bytes(), bytes);
}

// Past 2,000 documents the facet threads cut one database in two halves by docid and
// take the first facet_bound matches from them in order: the counts must be those of one
// pass, also when the bound falls inside the first half, inside the second, or past both.
TEST(FacetCache, TwoThreadsOnHalvesCountWhatOnePassCounts) {
    TempDir dir;
    const char* const places[] = {"Aleppo", "Idlib", "Homs", "Darayya", "Raqqa", "Palmyra"};
    const char* const sources[] = {"levant-wire", "orontes-post", "frontline-daily"};
    std::string jsonl;
    for (int i = 0; i < 2600; ++i) {
        std::string body =
            std::string("Fighting was reported near ") + places[i % 6] + " on the " + std::to_string(i) + "th day.";
        if (i % 3 == 0) body += " A convoy was shelled.";
        if (i % 7 == 0 || i > 2400) body += " Rebels held the bridge.";
        jsonl += R"({"id": "doc-)" + std::to_string(i) + R"(", "title": "Report )" + std::to_string(i) +
                 R"(", "body": ")" + body + R"(", "date": "2016-)" + (i % 12 < 9 ? "0" : "") +
                 std::to_string(i % 12 + 1) + R"(-15", "source": ")" + sources[i % 3] + "\"}\n";
    }
    warsearch::testing::write_file(dir / "many.jsonl", jsonl);
    std::string db = index_into(dir / "db", {dir / "many.jsonl"});
    IndexReading plain(db);
    Searcher threads(db, facet_threads(FacetThreads::always));
    Searcher one(db, facet_threads(FacetThreads::off));
    for (const char* q : {"fighting", "convoy", "rebels bridge", "aleppo", "convoy aleppo"}) {
        for (Xapian::doccount bound : {5000u, 1000u, 100u, 1400u}) {
            std::string expected = facets_of(plain, q, true, bound);
            EXPECT_EQ(facets_of(threads, q, true, bound), expected) << q << " bound " << bound;
            EXPECT_EQ(facets_of(one, q, true, bound), expected) << q << " bound " << bound << " (one thread)";
            EXPECT_EQ(facets_of(threads, q, false, bound), facets_of(plain, q, false, bound))
                << q << " bound " << bound;
        }
    }
    EXPECT_EQ(threads.facet_files_mapped(), 1u);
    EXPECT_NE(facets_of(plain, "fighting", true, 1400).find("seen=1400 "), std::string::npos)
        << "the bound of 1,400 falls in the second half";
}

// When the first half alone holds the bound, the second half's count is stopped
// (DocidRangeSource) and never used: the counts are still one pass's.  Here every match
// of "market" lies in the first half, and the bound of 600 is past half of the 1,000
// candidates (so the database is cut) but inside the first half.
TEST(FacetCache, ASecondHalfStoppedEarlyDoesNotCount) {
    TempDir dir;
    const char* const places[] = {"Aleppo", "Idlib", "Homs", "Darayya"};
    std::string jsonl;
    for (int i = 0; i < 2600; ++i) {
        std::string body = std::string("Fighting was reported near ") + places[i % 4] + ".";
        if (i < 1000) body += " Shelling hit the market.";
        jsonl += R"({"id": "doc-)" + std::to_string(i) + R"(", "title": "Report )" + std::to_string(i) +
                 R"(", "body": ")" + body + R"(", "date": "2017-0)" + std::to_string(i % 9 + 1) + "-15\"}\n";
    }
    warsearch::testing::write_file(dir / "skewed.jsonl", jsonl);
    std::string db = index_into(dir / "db", {dir / "skewed.jsonl"});
    IndexReading plain(db);
    Searcher threads(db, facet_threads(FacetThreads::always));
    for (const char* q : {"market", "\"the market\"", "shelling fighting"}) {
        for (Xapian::doccount bound : {600u, 999u, 1000u, 1001u}) {
            std::string expected = facets_of(plain, q, true, bound);
            EXPECT_EQ(facets_of(threads, q, true, bound), expected) << q << " bound " << bound;
            EXPECT_EQ(facets_of(threads, q, false, bound), facets_of(plain, q, false, bound))
                << q << " bound " << bound;
        }
    }
    EXPECT_NE(facets_of(plain, "market", true, 600).find("seen=600 "), std::string::npos);
}

// FacetThreads::heavy starts the threads for a phrase or NEAR with thousands of
// candidates (its least frequent word's documents), wherever it sits in the query, and
// not for words alone however common, nor for a phrase with a rare word or ANDed with
// one (its positions are checked only where the rare word is).
TEST(FacetThreads, HeavyAndLargeCountsAreNamedFromTheWordsFrequencies) {
    TempDir dir;
    {
        Xapian::WritableDatabase w(dir / "db", Xapian::DB_CREATE_OR_OPEN);
        for (int i = 0; i < 2500; ++i) {
            Xapian::Document doc;
            Xapian::TermGenerator terms;
            terms.set_document(doc);
            terms.index_text(i < 40 ? "rare san salvador" : i < 1200 ? "san salvador" : "salvador san");
            w.add_document(doc);
        }
        w.commit();
    }
    Xapian::Database db(dir / "db");
    auto phrase = [](std::vector<std::string> words, Xapian::Query::op op = Xapian::Query::OP_PHRASE) {
        return Xapian::Query(op, words.begin(), words.end(), static_cast<Xapian::termcount>(words.size()));
    };
    Xapian::Query san_salvador = phrase({"san", "salvador"});
    EXPECT_TRUE(heavy_facet_count(db, san_salvador));
    EXPECT_TRUE(heavy_facet_count(db, phrase({"san", "salvador"}, Xapian::Query::OP_NEAR)));
    EXPECT_TRUE(heavy_facet_count(db, Xapian::Query(Xapian::Query::OP_OR, Xapian::Query("rare"), san_salvador)));
    EXPECT_TRUE(heavy_facet_count(
        db, Xapian::Query(Xapian::Query::OP_FILTER,
                          Xapian::Query(Xapian::Query::OP_AND_NOT, san_salvador, Xapian::Query("rare")),
                          Xapian::Query("salvador"))));
    EXPECT_FALSE(
        heavy_facet_count(db, Xapian::Query(Xapian::Query::OP_AND, Xapian::Query("san"), Xapian::Query("salvador"))));
    EXPECT_FALSE(heavy_facet_count(db, Xapian::Query("san")));
    EXPECT_FALSE(heavy_facet_count(db, phrase({"rare", "san", "salvador"})));
    EXPECT_FALSE(heavy_facet_count(db, phrase({"nowhere", "salvador"})));
    EXPECT_FALSE(heavy_facet_count(db, Xapian::Query()));
    Xapian::Query rare("rare");
    EXPECT_FALSE(heavy_facet_count(db, Xapian::Query(Xapian::Query::OP_AND, san_salvador, rare)));
    // As the parser writes `"san salvador" rare salvador`: the words ANDed beside the
    // phrase are a query of their own, which matches at most what its rarest word does.
    EXPECT_FALSE(
        heavy_facet_count(db, Xapian::Query(Xapian::Query::OP_AND, san_salvador,
                                            Xapian::Query(Xapian::Query::OP_AND, rare, Xapian::Query("salvador")))));
    EXPECT_FALSE(heavy_facet_count(db, Xapian::Query(Xapian::Query::OP_FILTER, san_salvador, rare)));
    EXPECT_FALSE(heavy_facet_count(db, Xapian::Query(Xapian::Query::OP_AND_NOT, rare, san_salvador)));
    EXPECT_FALSE(heavy_facet_count(db, Xapian::Query(Xapian::Query::OP_AND_MAYBE, rare, san_salvador)));
    EXPECT_TRUE(heavy_facet_count(db, Xapian::Query(Xapian::Query::OP_AND_MAYBE, san_salvador, rare)));
    EXPECT_TRUE(heavy_facet_count(db, Xapian::Query(Xapian::Query::OP_AND, Xapian::Query("salvador"),
                                                    Xapian::Query(Xapian::Query::OP_OR, rare, san_salvador))));

    // Large: heavy, or thousands of matches at most.
    EXPECT_TRUE(large_facet_count(db, san_salvador));
    EXPECT_TRUE(large_facet_count(db, Xapian::Query("san")));
    EXPECT_TRUE(
        large_facet_count(db, Xapian::Query(Xapian::Query::OP_AND, Xapian::Query("san"), Xapian::Query("salvador"))));
    EXPECT_FALSE(large_facet_count(db, rare));
    EXPECT_FALSE(large_facet_count(db, Xapian::Query(Xapian::Query::OP_AND, Xapian::Query("san"), rare)));
    EXPECT_FALSE(large_facet_count(db, Xapian::Query(Xapian::Query::OP_AND_NOT, rare, Xapian::Query("san"))));
    EXPECT_TRUE(large_facet_count(db, Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query("san"), rare)));
    EXPECT_FALSE(large_facet_count(db, Xapian::Query(Xapian::Query::OP_OR, rare, Xapian::Query("nowhere"))));
    EXPECT_TRUE(large_facet_count(db, Xapian::Query::MatchAll));
}

// With facets, a query whose required phrases have fewer candidates than the facet bound
// is counted first and its page taken from the same words ANDed over the matches found
// (positions checked once): the page must be exactly the one a search without facets
// gives, hit for hit, score for score, on one thread or on the facet threads.
TEST(FacetCache, APageFromTheCountedMatchesIsThePageOfTheQuery) {
    TempDir dir;
    const char* const places[] = {"Aleppo", "Idlib", "Homs", "Darayya", "Raqqa", "Palmyra"};
    std::string jsonl;
    for (int i = 0; i < 2600; ++i) {
        std::string body =
            std::string("Fighting was reported near ") + places[i % 6] + " on the " + std::to_string(i) + "th day.";
        if (i % 3 == 0) body += " A convoy was shelled near the bridge.";
        if (i % 7 == 0) body += " Rebels held the bridge; the bridge held.";
        if (i % 11 == 0) body += " Reported fighting, was it? The convoy reported near the river.";
        // The words of "reported fighting" more often, never as the phrase: these lead a
        // page of the words ANDed, so a page that skipped the phrase would differ.
        if (i % 13 == 0) body += " Fighting; heavy fighting was reported, reported again.";
        jsonl += R"({"id": "doc-)" + std::to_string(i) + R"(", "title": "Report )" + std::to_string(i % 500) +
                 R"(", "body": ")" + body + R"(", "date": "2016-0)" + std::to_string(i % 9 + 1) + "-15\"}\n";
    }
    warsearch::testing::write_file(dir / "phrases.jsonl", jsonl);
    std::string db = index_into(dir / "db", {dir / "phrases.jsonl"});
    Searcher serial(db, facet_threads(FacetThreads::off)), threads(db, facet_threads(FacetThreads::always)), plain(db);
    auto page = [](Searcher& s, const std::string& q, bool facets, Xapian::doccount bound, double time_limit = 2.0) {
        SearchRequest req;
        req.query = q;
        req.facets = facets;
        req.facet_bound = bound;
        req.limits.time_limit_seconds = time_limit;
        req.limit = 20;
        req.snippets = false;
        SearchResult r = s.search(req);
        std::string out = "estimate=" + std::to_string(r.estimate) + "\n";
        for (const auto& h : r.hits) {
            char score[32];
            std::snprintf(score, sizeof score, "%.9f", h.score);
            out += h.fields.id + " " + score + " " + std::to_string(h.percent) +
                   "% copies=" + std::to_string(h.copies) + "\n";
        }
        return std::make_pair(out, r.facets_exact);
    };
    for (const char* q : {"\"convoy was shelled\"", "\"rebels held the bridge\"", "\"the bridge\" convoy",
                          "\"fighting was reported\" NOT aleppo", "\"was reported\" OR rebels", "convoy NEAR bridge",
                          "\"convoy reported\" river", "fighting \"held the bridge\" date:2016-03",
                          "\"reported fighting\"", "\"reported fighting\" convoy"}) {
        for (Xapian::doccount bound : {5000u, 200u}) {
            auto [expected, unused] = page(plain, q, false, bound);
            auto [one, one_exact] = page(serial, q, true, bound);
            auto [two, two_exact] = page(threads, q, true, bound);
            // Without facets the estimate is Xapian's; counted, it is exact: compare the hits.
            auto hits = [](const std::string& p) { return p.substr(p.find('\n') + 1); };
            EXPECT_EQ(hits(one), hits(expected)) << q << " bound " << bound;
            EXPECT_EQ(hits(two), hits(expected)) << q << " bound " << bound << " (threads)";
            EXPECT_EQ(one, two) << q << " bound " << bound;
            EXPECT_EQ(one_exact, two_exact);
        }
    }
    // A count the time limit ended (after 64 matches: the facet pass looks at the clock
    // every 64) is not exact, and the page is not kept to the matches it saw: the page is
    // still the query's, whole (the page's own pass has no limit: Xapian 1.4 would apply
    // it only past the page).  Counted on this thread, on the facet threads, and from the
    // index.
    IndexReading from_index(db);
    for (const char* q : {"\"convoy was shelled\"", "convoy", "\"the bridge\" convoy"}) {
        std::string expected = page(plain, q, false, 5000).first;
        for (Searcher* s : {&serial, &threads, static_cast<Searcher*>(&from_index)}) {
            auto [cut, exact] = page(*s, q, true, 5000, 1e-6);
            EXPECT_EQ(cut.substr(cut.find('\n')), expected.substr(expected.find('\n'))) << q;
            EXPECT_FALSE(exact) << q << ": a count the time limit ended is not exact";
        }
    }
    std::string full = page(plain, "\"rebels held the bridge\"", false, 5000).first;
    EXPECT_EQ(std::count(full.begin(), full.end(), '\n'), 21) << "a full page: the comparison is not of empty pages\n"
                                                              << full;
}

// The facet thread opens databases of its own.  When they open at a newer revision than
// the searcher's (a writer committed in between), it must not count the newer documents:
// the search counts on its own thread instead, at its own revision.
TEST(FacetCache, AFacetThreadThatOpensANewerRevisionDoesNotCount) {
    TempDir dir;
    std::string db = index_into(dir / "db", {sample("articles.jsonl")});
    Searcher cached(db, in_memory(64u << 20, FacetThreads::always));  // values loaded from this revision
    IndexReading plain(db);
    {
        // One commit: the revision the searchers opened stays readable.
        Xapian::WritableDatabase w(db, Xapian::DB_OPEN);
        Xapian::Document doc;
        Xapian::TermGenerator terms;
        terms.set_stemmer(Xapian::Stem("english"));
        terms.set_stemming_strategy(schema::kIndexStemStrategy);  // as the indexer writes
        terms.set_document(doc);
        terms.index_text("aleppo shelling aleppo");
        w.add_document(doc);
        w.commit();
    }
    std::string at_open = facets_of(plain, "aleppo");
    EXPECT_EQ(facets_of(cached, "aleppo"), at_open);
    EXPECT_GT(cached.facet_cache_bytes(), 0u) << "the values came from memory, so the thread ran";
    IndexReading fresh(db);
    EXPECT_NE(facets_of(fresh, "aleppo"), at_open) << "the new document matches: the test could tell";
    EXPECT_TRUE(cached.reopen());
    EXPECT_EQ(facets_of(cached, "aleppo"), facets_of(fresh, "aleppo"));
}

// Equal scores are ordered by document id, whether the searcher reads the ids from the
// index or their order from the facet value file (IdOrderKeyMaker), and not by docid:
// the copies are indexed in the reverse of their ids' order.
TEST(FacetFile, EqualScoresAreOrderedByIdWithOrWithoutTheFile) {
    TempDir dir;
    std::string jsonl;
    for (char c = 'f'; c >= 'a'; --c)
        jsonl += std::string(R"({"id": "copy-)") + c +
                 R"(", "title": "Convoy shelled", "body": "A convoy was shelled near the river crossing at dawn.", )"
                 R"("date": "2016-12-01", "source": "levant-wire"})"
                 "\n";
    warsearch::testing::write_file(dir / "copies.jsonl", jsonl);
    std::string db = index_into(dir / "db", {dir / "copies.jsonl"});
    auto order = [](Searcher& s) {
        SearchRequest req;
        req.query = "convoy shelled";
        req.collapse = false;
        req.limit = 4;
        std::string ids;
        for (const auto& hit : s.search(req).hits) ids += hit.fields.id + " ";
        return ids;
    };
    Searcher mapped(db);
    IndexReading reading(db);
    EXPECT_EQ(order(reading), "copy-a copy-b copy-c copy-d ");
    EXPECT_EQ(order(mapped), "copy-a copy-b copy-c copy-d ");
    EXPECT_EQ(mapped.facet_files_mapped(), 1u) << "the order came from the file";
}

TEST(FacetCache, OverTheLimitReadsTheIndexInstead) {
    TempDir dir;
    std::string db = index_into(dir / "db", {warsearch::testing::source_dir() + "/corpus/sample"});
    IndexReading plain(db);
    IndexReading small(db, 100);
    for (const char* q : kQueries) EXPECT_EQ(facets_of(small, q), facets_of(plain, q)) << q;
    EXPECT_EQ(small.facet_cache_bytes(), 0u);
}

// The indexer's next run writes a new file; a searcher that reopens maps it.
TEST(FacetFile, ARunReplacesTheFileAndAReopenMapsTheNewOne) {
    TempDir dir;
    std::string db = index_into(dir / "db", {sample("articles.jsonl")});
    Searcher mapped(db);
    std::string before = facets_of(mapped, "aleppo");
    EXPECT_EQ(mapped.facet_files_mapped(), 1u);
    index_into(db, {sample("liveblog-aleppo-2016-12.txt"), sample("aleppo-hospital.html")});
    EXPECT_TRUE(mapped.reopen());
    std::string after = facets_of(mapped, "aleppo");
    EXPECT_NE(after, before);
    EXPECT_EQ(mapped.facet_files_mapped(), 1u);
    IndexReading fresh(db);
    EXPECT_EQ(after, facets_of(fresh, "aleppo"));
}

// A commit the file does not know of (another writer, an older version of the indexer)
// makes it stale: it is ignored, and the values come from the index or memory.
TEST(FacetFile, AStaleFileIsIgnored) {
    TempDir dir;
    std::string db = index_into(dir / "db", {warsearch::testing::source_dir() + "/corpus/sample"});
    {
        Xapian::WritableDatabase w(db, Xapian::DB_OPEN);
        w.set_metadata("stale-test", "1");  // a new revision, the same documents
        w.commit();
    }
    EXPECT_EQ(FacetValueFile::map(db, Xapian::Database(db)), nullptr) << "the revision is not the file's";
    {
        Xapian::WritableDatabase w(db, Xapian::DB_OPEN);
        Xapian::Document doc;
        doc.add_value(schema::kFacetSlot, "not a facet value");
        doc.add_boolean_term("Qstale-test");
        w.add_document(doc);  // a new last docid the file has no offset for
        w.commit();
    }
    EXPECT_EQ(FacetValueFile::map(db, Xapian::Database(db)), nullptr);
    IndexReading plain(db);
    Searcher mapped(db);
    SearcherOptions files_or_memory;
    files_or_memory.facet_cache_bytes = 64u << 20;
    Searcher cached(db, files_or_memory);
    auto expect_both_count_as_the_index = [&] {
        for (const char* q : kQueries) {
            EXPECT_EQ(facets_of(mapped, q), facets_of(plain, q)) << q;
            EXPECT_EQ(facets_of(cached, q), facets_of(plain, q)) << q;
        }
    };
    expect_both_count_as_the_index();
    EXPECT_EQ(mapped.facet_files_mapped(), 0u);
    EXPECT_EQ(cached.facet_files_mapped(), 0u);
    EXPECT_GT(cached.facet_cache_bytes(), 0u) << "memory instead of the stale file";

    std::string error;
    ASSERT_TRUE(write_facet_value_file(db, schema::kFacetSlot, &error)) << error;
    EXPECT_NE(FacetValueFile::map(db, Xapian::Database(db)), nullptr) << "current again";

    // Long-running searchers look for a current file again (at most once a second) and
    // switch to it: the indexer writes it just after the commit they may have seen.
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    expect_both_count_as_the_index();
    EXPECT_EQ(mapped.facet_files_mapped(), 1u);
    EXPECT_EQ(cached.facet_files_mapped(), 1u);
    EXPECT_EQ(cached.facet_cache_bytes(), 0u) << "the memory copy is dropped for the file";
}

TEST(FacetFile, ATruncatedOrDamagedFileNeverBreaksASearch) {
    TempDir dir;
    std::string db = index_into(dir / "db", {warsearch::testing::source_dir() + "/corpus/sample"});
    std::string path = db + "/" + std::string(kFacetValueFileName);
    std::string whole = warsearch::testing::read_file(path);
    ASSERT_GT(whole.size(), 200u);
    IndexReading plain(db);

    warsearch::testing::write_file(path, whole.substr(0, whole.size() - 1));
    EXPECT_EQ(FacetValueFile::map(db, Xapian::Database(db)), nullptr) << "truncated";
    warsearch::testing::write_file(path, whole.substr(0, 10));
    EXPECT_EQ(FacetValueFile::map(db, Xapian::Database(db)), nullptr) << "shorter than its header";
    {
        Searcher mapped(db);
        EXPECT_EQ(facets_of(mapped, "aleppo"), facets_of(plain, "aleppo"));
    }

    // Offsets, or the name records, overwritten with 0xff bytes (the header still fits):
    // the checksum no longer matches, so the file is ignored and counts read the index.
    std::uint64_t names_offset = 0;
    std::memcpy(&names_offset, whole.data() + 48, sizeof names_offset);  // the header's eighth field
    ASSERT_LT(names_offset, whole.size());
    for (auto [from, to] : {std::pair<std::size_t, std::size_t>{150, 250}, {names_offset, whole.size()}}) {
        std::string damaged = whole;
        for (std::size_t i = from; i < to; ++i) damaged[i] = '\xff';
        warsearch::testing::write_file(path, damaged);
        std::string damage;
        EXPECT_EQ(FacetValueFile::map(db, Xapian::Database(db), &damage), nullptr) << from;
        EXPECT_NE(damage.find("damaged"), std::string::npos) << damage;
        Searcher mapped(db);
        Searcher one_search(db, one_search_process());
        // The first faceted search says so, once; the counts are the index's.
        EXPECT_NE(facets_of(mapped, "aleppo").find("damaged (checksum mismatch)"), std::string::npos);
        EXPECT_NE(facets_of(one_search, "aleppo").find("damaged (checksum mismatch)"), std::string::npos);
        for (const char* q : kQueries) {
            EXPECT_EQ(facets_of(mapped, q), facets_of(plain, q)) << q;
            EXPECT_EQ(facets_of(one_search, q), facets_of(plain, q)) << q;
        }
        EXPECT_EQ(mapped.facet_files_mapped(), 0u);
    }
}

// Regression: damaged bytes in the facet value file gave wrong facet counts in 59 of
// 180 searches, silently.  The checksum is verified when the file is mapped: one byte
// changed anywhere makes the searcher ignore the file, with one warning, and count
// from the index.
TEST(FacetFile, OneFlippedByteIsIgnoredWithOneWarning) {
    TempDir dir;
    std::string db = index_into(dir / "db", {warsearch::testing::source_dir() + "/corpus/sample"});
    std::string path = db + "/" + std::string(kFacetValueFileName);
    std::string whole = warsearch::testing::read_file(path);
    IndexReading plain(db);
    std::string damaged = whole;
    damaged[whole.size() / 2] = static_cast<char>(damaged[whole.size() / 2] ^ 0x01);
    warsearch::testing::write_file(path, damaged);
    Searcher mapped(db);
    SearchRequest req;
    req.query = "aleppo";
    req.facets = true;
    std::size_t warned = 0;
    for (int i = 0; i < 3; ++i)
        for (const std::string& w : mapped.search(req).warnings) warned += w.find("damaged") != std::string::npos;
    EXPECT_EQ(warned, 1u);
    EXPECT_EQ(facets_of(mapped, "aleppo"), facets_of(plain, "aleppo"));
    EXPECT_EQ(mapped.facet_files_mapped(), 0u);
    warsearch::testing::write_file(path, whole);
    EXPECT_NE(FacetValueFile::map(db, Xapian::Database(db)), nullptr) << "whole again";
}

// A one-search process (CGI, CLI) reads the records of a small count with pread()
// instead of mapping them in (FacetValueCache::set_reads_per_fault): every record read
// must be the mapped one, and a spy reading them must count what one mapping them
// counts, for any query, collapsed by story or not, and cut at a bound.
TEST(FacetCache, RecordsReadFromTheFileAreTheMappedRecords) {
    TempDir dir;
    std::string db_dir = index_into(dir / "db", {warsearch::testing::source_dir() + "/corpus/sample"});
    Xapian::Database db(db_dir);
    FacetValueCache mapped, read;
    ASSERT_TRUE(mapped.open({db}, {db_dir}, schema::kFacetSlot, 0));
    ASSERT_TRUE(read.open({db}, {db_dir}, schema::kFacetSlot, 0));
    ASSERT_EQ(read.mapped_parts(), 1u);
    EXPECT_FALSE(read.reads_records(0, 1)) << "off by default";
    read.set_reads_per_fault(FacetValueCache::kReadsPerFault);
    EXPECT_TRUE(read.reads_records(0, FacetValueCache::kReadsPerFault - 1)) << "the sample's records fit in 64 KiB";
    EXPECT_FALSE(read.reads_records(0, FacetValueCache::kReadsPerFault));
    read.set_reads_per_fault(~std::size_t{0});  // every count reads, however large

    std::vector<std::uint32_t> record;
    std::size_t with_values = 0;
    for (Xapian::docid did = 0; did <= db.get_lastdocid() + 1; ++did) {
        read.read_record(0, did, record);
        auto [begin, end] = mapped.record(0, did);
        EXPECT_EQ(record, std::vector<std::uint32_t>(begin, end)) << did;
        with_values += !record.empty();
    }
    EXPECT_GT(with_values, db.get_doccount() / 2);

    auto tally = [&](FacetValueCache& cache, const std::string& term, bool collapse, Xapian::doccount first) {
        CachedFacetSpy spy(cache, 5000);
        Xapian::Enquire enquire(db);
        enquire.set_query(term.empty() ? Xapian::Query::MatchAll : Xapian::Query(term));
        enquire.set_weighting_scheme(Xapian::BoolWeight());
        enquire.add_matchspy(&spy);
        enquire.get_mset(0, 0, db.get_doccount());
        spy.keep_first(first);
        FacetTally t = spy.tally(collapse);
        std::sort(t.counts.begin(), t.counts.end());
        std::string out = std::to_string(t.stories) + "/" + std::to_string(t.undecodable) + ":";
        for (auto [packed, count] : t.counts) out += " " + std::to_string(packed) + "=" + std::to_string(count);
        return out;
    };
    for (const std::string term : {"", "aleppo", "Zshell", "said"}) {
        for (bool collapse : {true, false}) {
            for (Xapian::doccount first : {5000u, 7u}) {
                std::string expected = tally(mapped, term, collapse, first);
                EXPECT_GT(expected.size(), 10u) << term;
                EXPECT_EQ(tally(read, term, collapse, first), expected) << term << " " << collapse << " " << first;
            }
        }
    }
}

// A file of 2 MiB or more is mapped at a 2 MiB boundary with MADV_HUGEPAGE, so that the
// page cache can hold it in 2 MiB folios and a fault maps a whole one: it must read the
// same records, count the same and order the same as the index.  How much a fault maps
// here is probed (bytes_per_fault) and decides which counts read their records.
TEST(FacetFile, AFileOfTwoMebibytesIsMappedOnAFolioBoundary) {
    TempDir dir;
    std::string db_dir = index_into(dir / "db", {warsearch::testing::source_dir() + "/corpus/sample"});
    constexpr Xapian::docid kFar = 600000;  // offsets and id order: 4.8 MB of file
    {
        Xapian::WritableDatabase w(db_dir, Xapian::DB_OPEN);
        w.replace_document(kFar, w.get_document(1));  // a copy of document 1, far away
        w.commit();
    }
    std::string error;
    ASSERT_TRUE(write_facet_value_file(db_dir, schema::kFacetSlot, &error)) << error;
    Xapian::Database db(db_dir);
    FacetValueCache cache;
    ASSERT_TRUE(cache.open({db}, {db_dir}, schema::kFacetSlot, 0));
    const FacetValueFile* file = cache.file(0);
    ASSERT_NE(file, nullptr);
    EXPECT_EQ(file->lastdocid(), kFar);
    auto [first_begin, first_end] = cache.record(0, 1);
    auto [far_begin, far_end] = cache.record(0, kFar);
    EXPECT_GT(first_end - first_begin, 1);
    EXPECT_EQ(std::vector<std::uint32_t>(far_begin, far_end), std::vector<std::uint32_t>(first_begin, first_end));
    EXPECT_EQ(file->id_order(kFar), file->id_order(1)) << "the same document id, the same place";
    EXPECT_GT(file->id_order(kFar), 0u);

    // The mapping (the one of this file in /proc/self/smaps) starts on a 2 MiB boundary,
    // and is marked for huge pages where the kernel has them.
    std::ifstream smaps("/proc/self/smaps");
    std::string line, flags;
    unsigned long long start = 0;
    bool in_file = false;
    while (std::getline(smaps, line)) {
        if (line.find(std::string(kFacetValueFileName)) != std::string::npos &&
            line.find(db_dir) != std::string::npos) {
            start = std::stoull(line.substr(0, line.find('-')), nullptr, 16);
            in_file = true;
        } else if (in_file && line.rfind("VmFlags:", 0) == 0) {
            flags = line;
            in_file = false;
        }
    }
    ASSERT_NE(start, 0u) << "the file is mapped";
    EXPECT_EQ(start % (2u << 20), 0u) << std::hex << start;
    if (std::ifstream("/sys/kernel/mm/transparent_hugepage/enabled")) {
        EXPECT_NE(flags.find(" hg"), std::string::npos) << flags;
    }

    std::size_t per_fault = file->bytes_per_fault();
    EXPECT_TRUE(per_fault == 64 * 1024 || per_fault == (2u << 20)) << per_fault;
    EXPECT_EQ(file->bytes_per_fault(), per_fault) << "probed once";
    std::size_t chunks = std::max<std::size_t>(1, file->words_bytes() / per_fault);
    cache.set_reads_per_fault(FacetValueCache::kReadsPerFault);
    EXPECT_TRUE(cache.reads_records(0, chunks * FacetValueCache::kReadsPerFault - 1));
    EXPECT_FALSE(cache.reads_records(0, chunks * FacetValueCache::kReadsPerFault));

    IndexReading plain(db_dir);
    Searcher mapped(db_dir);
    Searcher one_search(db_dir, one_search_process());
    for (const char* q : kQueries) {
        std::string expected = facets_of(plain, q);
        EXPECT_EQ(facets_of(mapped, q), expected) << q;
        EXPECT_EQ(facets_of(one_search, q), expected) << q << " (one-search process)";
    }
    EXPECT_EQ(mapped.facet_files_mapped(), 1u);
}

// The file names the facet keys it holds, with the labels the catalog gives them.
TEST(FacetFile, NamesTheKeysAndLabelsTheMetadataNames) {
    TempDir dir;
    std::string db = index_into(dir / "db", {warsearch::testing::source_dir() + "/corpus/sample"});
    Xapian::Database xdb(db);
    auto file = FacetValueFile::map(db, xdb);
    ASSERT_NE(file, nullptr);
    std::size_t named = 0;
    std::string prefix(kMetaFacetNamePrefix);
    for (auto k = xdb.metadata_keys_begin(prefix); k != xdb.metadata_keys_end(prefix); ++k) {
        // The packed value of the name: CODE + 12 hex digits after the prefix.
        std::string meta = *k;
        std::uint64_t packed = static_cast<unsigned char>(meta[prefix.size()]);
        packed = (packed << 48) | std::stoull(meta.substr(prefix.size() + 1), nullptr, 16);
        ASSERT_EQ(facet_name_metadata_key(packed), meta);
        std::string_view key, label;
        ASSERT_TRUE(file->name(packed, key, label)) << meta;
        EXPECT_EQ(key, xdb.get_metadata(meta));
        EXPECT_FALSE(label.empty());
        ++named;
    }
    EXPECT_GT(named, 20u);
    std::string_view key, label;
    EXPECT_FALSE(file->name(0x7a00000000000001ull, key, label)) << "an unknown value is not named";
    // An entity is labelled by its catalog name, a source by its slug.
    bool saw_entity_name = false;
    for (auto k = xdb.metadata_keys_begin(prefix + "f"); k != xdb.metadata_keys_end(prefix + "f"); ++k) {
        std::string meta = *k;
        std::uint64_t packed = (std::uint64_t{'f'} << 48) | std::stoull(meta.substr(prefix.size() + 1), nullptr, 16);
        ASSERT_TRUE(file->name(packed, key, label));
        if (key == "is") {
            EXPECT_EQ(label, "Islamic State");
            saw_entity_name = true;
        }
    }
    EXPECT_TRUE(saw_entity_name) << "the sample corpus mentions the Islamic State";
}

}  // namespace
