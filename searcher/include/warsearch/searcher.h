// The search library every front-end calls: the CLI, the CGI page and the nightly job.
#pragma once

#include <cstdint>
#include <memory>
#include <map>
#include <unordered_map>
#include <string>
#include <vector>

#include <xapian.h>

#include "warsearch/entity_resolver.h"
#include "warsearch/spelling.h"
#include "warsearch/query_builder.h"
#include "warsearch/search_types.h"

namespace warsearch {

class FacetValueCache;

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
/// allow_partial is set; otherwise the first one throws, naming the shard.
/// @throws Xapian::Error when nothing can be opened.
Xapian::Database open_database(const std::string& path, const OpenOptions& options,
                               std::vector<std::string>* missing = nullptr,
                               std::vector<Xapian::Database>* parts = nullptr, bool* has_remote = nullptr);

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
    /// never), loaded at the first faceted search and again after a reopen() that saw a
    /// change.  For long-running processes (the FastCGI server): the load reads the whole
    /// slot (~90 bytes a document), which a one-search process would never earn back.
    /// Ignored when a shard is remote.
    void set_facet_cache_limit(std::size_t bytes) { facet_cache_limit_ = bytes; }
    /// Bytes the facet value cache holds now (0 when not loaded).
    std::size_t facet_cache_bytes() const;

    /// The index revision: the database's, or the sum of the shards' revisions.
    std::uint64_t revision();

private:
    SearchResult run(const SearchRequest& request);
    Xapian::Query recency_boost(double half_life_days, double weight);
    /// @param values the distinct facet values of the matches, sorted, with frequencies
    /// @param total the matches the facet pass saw
    void count_facets(const std::vector<std::pair<std::string_view, Xapian::doccount>>& values, Xapian::doccount total,
                      const SearchRequest& req, SearchResult& result);
    void list_copies(Hit& hit, Xapian::docid self);
    /// For each hit of @a mset, the query terms it contains (query order, each once).
    std::vector<std::vector<std::string>> matching_terms(const Xapian::Enquire& enquire, const Xapian::Query& query,
                                                         const Xapian::MSet& mset);
    std::string facet_label(const std::string& dimension, const std::string& key);
    /// The key a packed facet value (facet_values.h) stands for; "" if no shard names it.
    std::string facet_key(std::uint64_t packed);

    std::string path_;
    std::vector<std::string> missing_;
    std::vector<Xapian::Database> parts_;  ///< the shards (or the one database): revisions, facet key names
    bool has_remote_ = false;              ///< some shard is served by xapian-tcpsrv
    std::map<std::string, std::string> label_cache_;  ///< facet key -> display name
    std::unordered_map<std::uint64_t, std::string> facet_key_cache_;  ///< packed facet value -> key
    Xapian::Database db_;
    QueryBuilder builder_;
    EntityResolver resolver_;
    SpellingIndex spelling_;  ///< vocabulary read so far, for "did you mean"
    std::size_t facet_cache_limit_ = 0;
    bool facet_cache_refused_ = false;  ///< over the limit at this revision: do not retry
    std::unique_ptr<FacetValueCache> facet_cache_;
};

}  // namespace warsearch
