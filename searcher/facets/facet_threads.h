// Counting a search's facets on threads of their own while the searching thread runs the
// page's pass, its snippets and the rest (SearcherOptions::facet_threads: by default only
// for heavy counts, heavy_facet_count, and only while a core is idle); FacetCounting
// (facet_counter.h) decides, and falls back to its own thread when finish() says so.
//
// Why: the facet pass visits up to facet_bound matches, checking phrases on each, where
// the page's pass stops at the page; for a phrase of common words the count is most of a
// faceted search.  Two threads share it:
// one database's docids are cut in two halves (a docid range filter on each), several
// local parts are dealt out between them (one database is cut only when the posting
// lists' sizes say all its matches fit in two bounds, and the first half stops the second
// once it has the bound alone).  The first facet_bound matches in docid order
// are then taken from the halves (or parts) in order, so the counts are exactly those of
// one pass over the whole database.
//
// Xapian objects are not shared between threads: each thread keeps its own Database for
// every part (opened at its first count, reopened when the searcher's have moved on) and
// unserialises its own copy of the query.  When a thread's database cannot be brought to
// the searcher's revision (a writer committed between the two opens), finish() says so
// and the searcher counts on its own thread instead.
#pragma once

#include <xapian.h>

#include <atomic>
#include <cstddef>
#include <exception>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "searcher/facets/facet_value_cache.h"

namespace warsearch {

/// One facet pass: unweighted (BoolWeight), uncollapsed, unsorted, no page, @a spy
/// seeing the matches of @a query on @a db up to @a bound of them (exactly @a bound on
/// one database; Xapian goes on past it over several).  False when @a time_limit_seconds
/// ended it.
///
/// On local databases the pass ends itself: a spy in front of @a spy looks at the clock
/// every 64 matches and throws past the limit.  Xapian 1.4's own limit arms a POSIX
/// timer whose notification runs on a thread glibc starts in each process (one per CGI
/// request), and that thread can write into a pass's stack after the pass has ended (a
/// search crashed once under ASan).  With @a remote_parts the spy must be Xapian's own
/// (the remote backend runs it), so Xapian's limit is used, which ends a pass silently: a
/// pass that took 90% of the limit is taken as cut.
bool run_facet_pass(const Xapian::Database& db, const Xapian::Query& query, Xapian::MatchSpy& spy,
                    Xapian::doccount bound, double time_limit_seconds, bool remote_parts = false);

/// Whether counting @a query's facets is worth threads of their own under
/// FacetThreads::heavy: it has a phrase or NEAR whose positions must be checked on at
/// least ~2,000 candidates (by the words' frequencies in @a db: the least frequent of its
/// own words and of those every match must also have, e.g. beside it in an AND).
bool heavy_facet_count(const Xapian::Database& db, const Xapian::Query& query);

/// Whether counting @a query's facets is worth threads of their own under
/// FacetThreads::large: it is heavy, or may visit at least ~2,000 matches (by the words'
/// frequencies in @a db).
bool large_facet_count(const Xapian::Database& db, const Xapian::Query& query);

/// Whether fewer threads are running on the machine than it has cores, this one
/// included (/proc/loadavg; true when it cannot be read, false on one core).
bool a_core_is_idle();

/// The most documents @a query can match, from its words' frequencies in @a db.
Xapian::doccount matches_at_most(const Xapian::Database& db, const Xapian::Query& query);

class ConcurrentFacetCount {
  public:
    ConcurrentFacetCount() = default;
    ~ConcurrentFacetCount() { wait(); }
    ConcurrentFacetCount(const ConcurrentFacetCount&) = delete;
    ConcurrentFacetCount& operator=(const ConcurrentFacetCount&) = delete;

    /// What one count needs: the facet values, the parts' directories, revisions and last
    /// docids as the searcher sees them, the query (Xapian::Query::serialise()).
    struct Request {
        const FacetValueCache* cache = nullptr;
        std::vector<std::string> part_dirs;
        std::vector<Xapian::rev> revisions;
        std::vector<Xapian::docid> lastdocids;
        std::string query;
        Xapian::doccount bound = 0;
        double time_limit_seconds = 0;
        bool collapse = true;
    };
    /// Starts counting (waits for a previous count first).
    void start(Request request);
    /// Waits for the count.  False when the threads' databases could not be brought to
    /// the requested revisions (count on the calling thread instead); rethrows what the
    /// threads threw (DatabaseModifiedError: the searcher reopens and retries).
    /// @a cut_short: a pass may have been ended by the time limit (run_facet_pass).
    bool finish(FacetTally& tally, Xapian::doccount& total, bool& cut_short);
    /// Waits for a count that will not be finished (the search failed); idempotent.
    void wait();

  private:
    struct Job {
        std::size_t part;
        Xapian::docid first, last;  ///< the docid range counted (the whole part: 1, lastdocid)
        std::unique_ptr<CachedFacetSpy> spy;
    };
    void count();
    /// Opens (or reopens) thread @a thread's databases at the requested revisions; false
    /// when they cannot be brought there.
    bool bring_up(std::size_t thread);
    /// Decides the jobs: one database in two halves, or a job per part.
    void plan_jobs(const Xapian::Query& query);
    /// Runs jobs thread, thread + threads, ... on thread @a thread's databases.
    void run_jobs(std::size_t thread, std::size_t threads, const Xapian::Query& query);

    Request request_;
    std::vector<Job> jobs_;
    std::vector<std::unique_ptr<CachedFacetSpy>> spare_spies_;  ///< the last count's, reused
    std::vector<Xapian::Database> databases_[2];                ///< each thread's own copies of the parts
    std::thread thread_;
    /// Set when the first job alone found the bound: the later jobs stop (their ranges
    /// end) and are not counted.
    std::atomic<bool> stop_later_jobs_{false};
    std::atomic<bool> cut_short_{false};  ///< a pass may have been ended by the time limit
    bool behind_ = false;
    std::exception_ptr error_;
    FacetTally tally_;
    Xapian::doccount total_ = 0;
};

}  // namespace warsearch
