// The search library every front-end calls: the CLI, the CGI page and the nightly job.
#pragma once

#include <memory>
#include <string>

#include <xapian.h>

#include "warsearch/entity_resolver.h"
#include "warsearch/query_builder.h"
#include "warsearch/search_types.h"

namespace warsearch {

/// Searches one database (a directory, or a stub file listing local or remote shards).
/// Not thread-safe; cheap to keep open between requests (FastCGI).
class Searcher {
public:
    /// Opens the database read-only.
    /// @throws Xapian::DatabaseOpeningError (or another Xapian::Error) when it cannot.
    explicit Searcher(const std::string& db_path, const std::string& stem_language = "english");

    /// Runs one search.
    /// @throws QueryError for a query the user must fix (CLI exit code 2);
    ///         Xapian::Error for database failures (exit code 3).
    SearchResult search(const SearchRequest& request);

    /// Re-opens the database at its latest revision (after a writer committed).
    void reopen();

    Xapian::Database& database() { return db_; }

private:
    SearchResult run(const SearchRequest& request);
    Xapian::Query recency_boost(double half_life_days, double weight);
    void count_facets(const Xapian::ValueCountMatchSpy& spy, const SearchRequest& req, SearchResult& result);
    void list_copies(Hit& hit, Xapian::docid self);
    std::string facet_label(const std::string& dimension, const std::string& key);

    std::string path_;
    Xapian::Database db_;
    QueryBuilder builder_;
    EntityResolver resolver_;
};

}  // namespace warsearch
