// The search library every front-end calls: the CLI, the CGI page and the nightly job.
#pragma once

#include <xapian.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/entities/entity_resolver.h"
#include "common/index/spelling.h"
#include "searcher/query_builder.h"
#include "searcher/search_types.h"

namespace warsearch {

class ConcurrentFacetCount;
class FacetValueCache;
struct FacetTally;

/// How a Searcher opens its database.
struct OpenOptions {
    /// With a stub listing several shards: search the shards that answer and mark the
    /// results partial, instead of failing when one is down.
    bool allow_partial = false;
    /// Milliseconds to wait for a remote shard to connect and to answer.
    unsigned remote_timeout_ms = 10000;
};

/// Opens @a path: a database directory, or a stub (a file, or a directory holding a
/// XAPIANDB file) whose lines are "auto PATH" (relative to the stub) or "remote HOST:PORT"
/// (a xapian-tcpsrv).  Shards that cannot be opened are named in @a missing when
/// allow_partial is set; otherwise the first one throws, naming the shard.  @a parts
/// gets the databases opened, in order, and @a part_dirs their directories ("" for a
/// remote one).
/// @throws Xapian::Error when nothing can be opened.
Xapian::Database open_database(const std::string& path, const OpenOptions& options,
                               std::vector<std::string>* missing = nullptr,
                               std::vector<Xapian::Database>* parts = nullptr, bool* has_remote = nullptr,
                               std::vector<std::string>* part_dirs = nullptr);

/// Searches one database (a directory, or a stub file listing local or remote shards).
/// Not thread-safe; cheap to keep open between requests (FastCGI).
class Searcher {
  public:
    /// Opens the database read-only.
    /// @throws Xapian::DatabaseOpeningError (or another Xapian::Error) when it cannot.
    explicit Searcher(const std::string& db_path, const std::string& stem_language = "english",
                      const OpenOptions& open = {});
    ~Searcher();

    /// Shards of a stub that could not be opened (only with allow_partial).
    const std::vector<std::string>& missing_shards() const { return missing_; }

    /// Runs one search.
    /// @throws QueryError for a query the user must fix (CLI exit code 2);
    ///         Xapian::Error for database failures (exit code 3).
    SearchResult search(const SearchRequest& request);

    /// Re-opens the database at its latest revision (after a writer committed); the
    /// caches (facet names and labels, spelling vocabulary) are dropped when it changed.
    /// Returns false when certainly nothing changed.
    bool reopen();

    Xapian::Database& database() { return db_; }

    /// Keep the facet values of every document in memory, up to @a bytes (0, the default:
    /// never), loaded at the first faceted or relevance-ordered search (the tie-break reads the
    /// id order from a facet value file) and again after a reopen() that saw a
    /// change.  For long-running processes (the FastCGI server): the load reads the whole
    /// slot (~63 bytes a document held), which a one-search process would never earn back.
    /// Only for parts without a current facet value file (below).  Ignored when a shard
    /// is remote.
    void set_facet_cache_limit(std::size_t bytes) { facet_cache_limit_ = bytes; }
    /// Whether faceted searches map the facet value files the indexer writes beside the
    /// databases (facet_value_file.h) when they are current (default: yes).  Off, facet
    /// values are read from the index (or the memory cache above).
    void set_use_facet_files(bool use) { use_facet_files_ = use; }
    /// When a faceted search counts its facets on two threads of its own (one database
    /// cut in two halves by docid, or its parts shared out), with databases of their own,
    /// while the page's pass, its snippets and the rest run (facet_threads.h).  Only when
    /// the facet values come from files or memory (above); the counts are the same either
    /// way.  Threads lower one search's latency when cores are idle and cost CPU: with
    /// every search counted so, a FastCGI server under load answered ~25% fewer requests
    /// and a CGI request took ~1 ms more (threads, their databases' cold caches and memory
    /// arenas).  The default, FacetThreads::heavy, keeps them for the counts that check
    /// positions on thousands of candidates (phrases of common words), where the count is
    /// most of the search and the threads' own cost (with their databases opened cold, as
    /// in a long-running searcher) is small beside it; FacetThreads::large also for counts
    /// of thousands of matches, for a long-running searcher whose threads' databases stay
    /// open.  Both only while a core is idle: a loaded server keeps its CPU.  A process
    /// that runs one search (the CLI, a CGI request) is faster with FacetThreads::off:
    /// its threads open their databases cold, which cost more than they saved even on
    /// the phrase queries of the 100k benchmark corpus (CGI and CLI requests 4% faster
    /// without them, 2026-12-06).
    void set_facet_threads(FacetThreads when) { facet_threads_ = when; }
    /// Whether this process runs one search and exits (the CLI, a CGI request; default
    /// false): facet counts of few matches then read their records from the facet value
    /// file instead of mapping them in (FacetValueCache::set_reads_per_fault): ~0.5 ms less
    /// per request on the 100k benchmark corpus.  The counts are the same either way.
    /// Set it before the first search.
    void set_single_search_process(bool yes) { single_search_process_ = yes; }
    /// set_facet_threads(always) or (off).
    void set_concurrent_facets(bool on) { facet_threads_ = on ? FacetThreads::always : FacetThreads::off; }
    /// Bytes the facet value cache holds in memory now (0 when not loaded or mapped).
    std::size_t facet_cache_bytes() const;
    /// How many parts the facet values are mapped from files for (0 before the first
    /// faceted search, or when no current file was found).
    std::size_t facet_files_mapped() const;

    /// The index revision: the database's, or the sum of the shards' revisions.
    std::uint64_t revision();

  private:
    SearchResult run(const SearchRequest& request);
    /// Whether the facet values come from files or memory for this search (mapping the
    /// files or loading the values as needed); false: read them from the index.
    bool facet_values_ready();
    Xapian::Query recency_boost(double half_life_days, double weight);
    /// Fills the result's facets (naming the values shown) from what the facet pass
    /// counted; @a total: the matches it saw.
    void report_facets(const FacetTally& tally, Xapian::doccount total, const SearchRequest& req, SearchResult& result,
                       bool cut_short);
    void list_copies(Hit& hit, Xapian::docid self);
    /// For each hit of @a mset, the query terms it contains (query order, each once).
    std::vector<std::vector<std::string>> matching_terms(const Xapian::Enquire& enquire, const Xapian::Query& query,
                                                         const Xapian::MSet& mset);
    std::string facet_label(const std::string& dimension, const std::string& key);
    /// The key a packed facet value (facet_values.h) stands for; "" if no shard names it.
    std::string facet_key(std::uint64_t packed);

    std::string path_;
    std::vector<std::string> missing_;
    std::vector<Xapian::Database> parts_;             ///< the shards (or the one database): revisions, facet key names
    std::vector<std::string> part_dirs_;              ///< their directories ("" for a remote shard)
    bool has_remote_ = false;                         ///< some shard is served by xapian-tcpsrv
    std::map<std::string, std::string> label_cache_;  ///< facet key -> display name
    std::unordered_map<std::uint64_t, std::string> facet_key_cache_;  ///< packed facet value -> key
    Xapian::Database db_;
    QueryBuilder builder_;
    EntityResolver resolver_;
    SpellingIndex spelling_;  ///< vocabulary read so far, for "did you mean"
    std::size_t facet_cache_limit_ = 0;
    bool use_facet_files_ = true;
    bool single_search_process_ = false;
    bool facet_cache_refused_ = false;  ///< neither file nor memory at this revision: do not retry
    std::unique_ptr<FacetValueCache> facet_cache_;
    std::chrono::steady_clock::time_point facet_files_checked_{};  ///< last look for current files
    FacetThreads facet_threads_ = FacetThreads::heavy;
    /// Whether this faceted search counts on the facet threads (set_facet_threads).
    bool use_facet_threads(const Xapian::Query& query) const;
    /// The facet threads, with their own copies of the databases (declared after the
    /// facet values they read, so destroyed, and waited for, first).
    std::unique_ptr<ConcurrentFacetCount> facet_count_;
};

}  // namespace warsearch
