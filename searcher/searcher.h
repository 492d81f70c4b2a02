// The search library every front-end calls: the CLI, the CGI page and the nightly job.
#pragma once

#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/entities/entity_resolver.h"
#include "common/index/spelling.h"
#include "searcher/database_parts.h"
#include "searcher/facets/facet_counter.h"
#include "searcher/facets/facet_report.h"
#include "searcher/query_builder.h"
#include "searcher/search_types.h"
#include "searcher/searcher_options.h"

namespace warsearch {

/// Why @a request is out of bounds (limit, offset, facet bound, recency half-life,
/// time and wildcard limits against request.limits), or empty when it is within them.
/// Front-ends report it as a usage error; Searcher::search throws QueryError with it.
std::string request_bounds_error(const SearchRequest& request);

/// Searches one database (a directory, or a stub file listing local or remote shards).
/// Not thread-safe; cheap to keep open between requests (FastCGI).
class Searcher {
  public:
    /// Opens the database at @a db_path read-only (open_database).
    /// @throws Xapian::DatabaseOpeningError (or another Xapian::Error) when it cannot.
    explicit Searcher(const std::string& db_path, const SearcherOptions& options = {});
    ~Searcher();
    Searcher(const Searcher&) = delete;
    Searcher& operator=(const Searcher&) = delete;

    /// Shards of a stub that could not be opened (only with OpenOptions::allow_partial).
    const std::vector<std::string>& missing_shards() const { return db_.missing; }

    /// Runs one search.
    /// @throws QueryError for a query the user must fix (CLI exit code 2);
    ///         Xapian::Error for database failures (exit code 3).
    SearchResult search(const SearchRequest& request);

    /// The Xapian query of @a request's text, filters, ids and dates (not more-like-this,
    /// no recency boost): for passes of a front-end's own over database() (exports).
    /// @throws QueryError for a query the user must fix.
    Xapian::Query query_for(const SearchRequest& request);

    /// Re-opens the database at its latest revision (after a writer committed); the
    /// caches (facet values, names and labels, spelling vocabulary) are dropped when it
    /// changed.  Returns false when certainly nothing changed.
    bool reopen();

    Xapian::Database& database() { return db_.db; }

    /// Bytes the facet values hold in memory now (0 when not loaded, or mapped from files).
    std::size_t facet_cache_bytes() const;
    /// How many parts the facet values are mapped from files for (0 before the first
    /// faceted search, or when no current file was found).
    std::size_t facet_files_mapped() const;

    /// The index revision: the database's, or the sum of the shards' revisions.
    std::uint64_t revision();

  private:
    SearchResult run(const SearchRequest& request);
    /// The query of @a request (more-like-this when it names a document; @a enquire
    /// picks its words), with the reason each term is there.
    BuiltQuery build_query(const SearchRequest& request, Xapian::Enquire& enquire);
    /// The more-like-this query: the most significant words of the document
    /// @a request.like_id, other than itself, filtered by the request's own query.
    BuiltQuery like_query(const SearchRequest& request, Xapian::Enquire& enquire);
    /// @a query with the request's recency boost, if any.
    Xapian::Query with_recency(const Xapian::Query& query, const SearchRequest& request);
    Xapian::Query recency_boost(double half_life_days, double weight);
    /// The match counts, the index's identity and the warnings of a search.
    void describe_matches(const Xapian::MSet& mset, const SearchRequest& request, SearchResult& result);
    /// One Hit per document of @a mset: fields, why it matched, snippets, copies.
    void fill_hits(const Xapian::Enquire& enquire, const Xapian::Query& query, const BuiltQuery& built,
                   const Xapian::MSet& mset, const SearchRequest& request, SearchResult& result);
    void list_copies(Hit& hit, Xapian::docid self);
    /// Makes @a result's count exact up to kExactCountBound matches when the facet count
    /// stopped before seeing them all (a pass that counts, returning no hits).
    void exact_count(Xapian::Enquire& enquire, const Xapian::Query& query, SearchResult& result);
    /// For each hit of @a mset, the query terms it contains (query order, each once).
    std::vector<std::vector<std::string>> matching_terms(const Xapian::Enquire& enquire, const Xapian::Query& query,
                                                         const Xapian::MSet& mset);

    std::string path_;
    DatabaseParts db_;
    QueryBuilder builder_;
    EntityResolver resolver_;
    SpellingIndex spelling_;  ///< vocabulary read so far, for "did you mean"
    FacetReporter facet_reporter_;
    /// The facet values and counting threads (last: its threads read the databases
    /// above, so they are waited for first).
    FacetCounting facets_;
};

}  // namespace warsearch
