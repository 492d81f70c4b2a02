// Counting a search's facets.  A Searcher keeps one FacetCounting: the facet values
// (mapped from the indexer's files, or held in memory) and the counting threads, which
// outlive a search.  For each faceted search it hands out a FacetCounter, whose strategy
// is chosen once, when the count starts:
//
//   from the index   the values are read from the facet slot by Xapian's own spy (no
//                    file, no memory, or a remote shard): one pass before the page's;
//   serial           the values come from files or memory (CachedFacetSpy): a pass per
//                    part, in order, before the page's pass;
//   positions once   as serial, for a query with a required phrase on one local database
//                    whose matches all fit in the bound: the count keeps their docids
//                    and the page's pass runs on the same words ANDed, kept to those
//                    documents (the same matches, weighed the same, without checking
//                    positions a second time);
//   threads          the count runs on threads of its own (ConcurrentFacetCount) beside
//                    the page's pass, when SearcherOptions::facet_threads says so.
//
// Every strategy counts exactly the same matches: the first `bound` in docid order.
#pragma once

#include <xapian.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "searcher/database_parts.h"
#include "searcher/facets/facet_value_cache.h"
#include "searcher/search_types.h"

namespace warsearch {

class ConcurrentFacetCount;
struct SearcherOptions;

/// What one facet count is asked.
struct FacetCountRequest {
    /// Count at most this many matches (SearchRequest::facet_bound).
    Xapian::doccount bound = 5000;
    /// A pass stops (counts approximate) after this many seconds; 0 = never.
    double time_limit_seconds = 0;
    /// Count a story once per value however many of its copies matched; false: every
    /// document.
    bool collapse = true;
};

/// What a facet count found.
struct CountedFacets {
    FacetTally tally;
    Xapian::doccount matches = 0;  ///< the matches the count saw
    bool cut_short = false;        ///< a pass may have been ended by the time limit
};

/// The page's pass as a count that ran first may narrow it (positions once): a query to
/// run instead of the search's, and a decider keeping it to the matches counted.
struct PagePass {
    Xapian::Query query;
    const Xapian::MatchDecider* decider = nullptr;
};

/// One search's facet count: started by FacetCounting::start() before the page's pass,
/// finished after it.  Destroying it waits for any thread still counting, so it never
/// outlives the values it reads.
class FacetCounter {
  public:
    virtual ~FacetCounter() = default;
    /// How the page's pass must run instead of as planned; null when as planned.
    virtual const PagePass* page_pass() const { return nullptr; }
    /// The counts (waiting for the threads, or counting on this thread when theirs
    /// could not be brought to the searcher's revision).  Call once.
    /// @throws Xapian::DatabaseModifiedError when a writer moved the database on (the
    ///         searcher reopens and retries), or another Xapian::Error.
    virtual CountedFacets finish() = 0;
};

/// A Searcher's facet state between searches.  Not thread-safe (one per Searcher).
class FacetCounting {
  public:
    /// Reads facet_cache_bytes, use_facet_files, facet_threads and single_search_process.
    explicit FacetCounting(const SearcherOptions& options);
    ~FacetCounting();
    FacetCounting(const FacetCounting&) = delete;
    FacetCounting& operator=(const FacetCounting&) = delete;

    /// Whether the facet values of @a db come from files or memory for the search about
    /// to run (mapping the files or loading the values as needed); false: a count reads
    /// them from the index.  Call before id_order_file(), values() and start().
    bool values_ready(const DatabaseParts& db);
    /// The facet value file of @a db when it is one local database whose values are
    /// mapped (its id order breaks ties of relevance); null otherwise.
    const FacetValueFile* id_order_file(const DatabaseParts& db) const;
    /// The values when they come from files or memory (the files also name the keys);
    /// null when counts read the index.
    const FacetValueCache* values() const;

    /// Counts @a query's facets on @a db, or starts counting them on the threads: the
    /// strategy (above) is chosen here, once.  @a db must outlive the counter.
    /// @throws Xapian::Error from a pass run at once (DatabaseModifiedError included).
    std::unique_ptr<FacetCounter> start(const DatabaseParts& db, const Xapian::Query& query,
                                        const FacetCountRequest& request);

    /// Waits for the threads' count, if one is running (before a reopen).
    void wait();
    /// Drops the values (the database changed); they are mapped or loaded again at the
    /// next values_ready().
    void clear();

    /// Bytes the values hold in memory (0 when not loaded or mapped).
    std::size_t bytes() const;
    /// How many parts the values are mapped from files for.
    std::size_t files_mapped() const;
    /// Warnings for the damaged facet value files values_ready() found since the last
    /// call: each file once (by its message) for the life of this object.
    std::vector<std::string> take_warnings();

  private:
    std::unique_ptr<FacetValueCache> new_cache() const;
    bool use_threads(const Xapian::Database& db, const Xapian::Query& query) const;

    std::size_t memory_limit_;
    bool use_files_;
    bool single_search_process_;
    FacetThreads threads_when_;
    bool refused_ = false;  ///< neither file nor memory at this revision: do not retry
    std::unique_ptr<FacetValueCache> cache_;
    std::set<std::string> warned_;                           ///< damaged files already warned about
    std::vector<std::string> warnings_;                      ///< not yet taken
    std::chrono::steady_clock::time_point files_checked_{};  ///< last look for current files
    /// The facet threads, with their own copies of the databases (declared after the
    /// values they read, so destroyed, and waited for, first).
    std::unique_ptr<ConcurrentFacetCount> threads_;
};

}  // namespace warsearch
