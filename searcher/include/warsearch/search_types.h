// What a search is asked and what it answers; shared by every front-end and renderer.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <xapian.h>

#include "warsearch/stored_fields.h"

namespace warsearch {

/// A query the user must fix: the message says what is wrong and where.
class QueryError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

enum class SortOrder { relevance, date_newest, date_oldest };

/// How free-text words combine when no operator is written.
enum class DefaultOperator { op_and, op_or };

/// Limits that keep any query's cost bounded.  Each has a default safe for the open web.
struct QueryLimits {
    std::size_t max_query_bytes = 16384;  ///< longer queries are refused
    unsigned max_terms = 1000;            ///< words + operators in one query
    unsigned wildcard_expansion = 200;    ///< a wildcard expands to at most this many terms
    double time_limit_seconds = 2.0;      ///< matching stops (best-so-far) after this; 0 = none
    Xapian::doccount max_offset = 100000;  ///< deepest result a page may start at
    Xapian::doccount max_limit = 1000;     ///< most hits one request may return
};

/// One search.
struct SearchRequest {
    std::string query;                  ///< as typed; may be empty when filters are given
    std::vector<std::string> filters;   ///< extra "field:value" filters, all must match
    SortOrder sort = SortOrder::relevance;
    DefaultOperator default_op = DefaultOperator::op_and;
    Xapian::doccount offset = 0;
    Xapian::doccount limit = 10;
    bool snippets = true;
    std::size_t snippet_bytes = 240;    ///< aim for snippets about this long
    QueryLimits limits;
};

/// A run of snippet text, highlighted when it matched the query.
struct SnippetSegment {
    std::string text;
    bool match = false;
};

/// One result.
struct Hit {
    Xapian::doccount rank = 0;  ///< 1-based, counting from the first result of the search
    Xapian::docid docid = 0;
    double score = 0;
    int percent = 0;
    StoredFields fields;        ///< body left empty
    std::vector<SnippetSegment> snippet;
};

/// What a search found.
struct SearchResult {
    std::string query;           ///< as given
    std::string parsed;          ///< Xapian's description of the parsed query
    Xapian::doccount estimate = 0, lower_bound = 0, upper_bound = 0;
    Xapian::doccount offset = 0, limit = 0;
    std::vector<Hit> hits;
    std::string index_uuid;
    std::uint64_t index_revision = 0;
    Xapian::doccount index_documents = 0;
    double seconds = 0;
    std::vector<std::string> warnings;  ///< e.g. "time limit reached, results partial"
};

}  // namespace warsearch
