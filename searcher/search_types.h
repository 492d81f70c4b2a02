// What a search is asked and what it answers; shared by every front-end and renderer.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "common/index/stored_fields.h"
#include "common/text/dates.h"

namespace warsearch {

/// When a faceted search counts its facets on threads of its own (SearcherOptions::facet_threads).
/// heavy and large do so only while a core is idle (fewer threads running than cores).
enum class FacetThreads {
    off,     ///< never: on the searching thread, after the page's pass
    heavy,   ///< when the count checks positions on thousands of candidates (the default)
    large,   ///< heavy ones, and those of thousands of matches (the FastCGI server's)
    always,  ///< every faceted search
};

/// A query the user must fix: the message says what is wrong and where.
class QueryError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

enum class SortOrder { relevance, date_newest, date_oldest };

/// The order a front-end names: "relevance", "date" (newest first) or "date-asc";
/// nullopt for anything else.  The CLI refuses other names, the page falls back to
/// relevance.
inline std::optional<SortOrder> parse_sort_order(std::string_view name) {
    if (name == "relevance") return SortOrder::relevance;
    if (name == "date") return SortOrder::date_newest;
    if (name == "date-asc") return SortOrder::date_oldest;
    return std::nullopt;
}

/// The name parse_sort_order() reads as @a order.
inline const char* sort_order_name(SortOrder order) {
    switch (order) {
        case SortOrder::date_newest:
            return "date";
        case SortOrder::date_oldest:
            return "date-asc";
        case SortOrder::relevance:
            break;
    }
    return "relevance";
}

/// How free-text words combine when no operator is written.
enum class DefaultOperator {
    ranked,  ///< every report with any of the words, those with all of them first (searcher/ranked_query.h)
    op_and,  ///< only reports with every word
    op_or,   ///< reports with any word, ranked by BM25 alone
};

/// Limits that keep any query's cost bounded.  Each has a default safe for the open web.
struct QueryLimits {
    std::size_t max_query_bytes = 16384;         ///< longer queries are refused
    unsigned max_terms = 1000;                   ///< words + operators in one query
    unsigned wildcard_expansion = 200;           ///< a wildcard expands to at most this many terms
    double time_limit_seconds = 2.0;             ///< the facet count stops (counts approximate) after this; 0 = none
    Xapian::doccount max_offset = 100000;        ///< deepest result a page may start at
    Xapian::doccount max_limit = 1000;           ///< most hits one request may return
    Xapian::doccount max_facet_bound = 1000000;  ///< largest SearchRequest::facet_bound
    unsigned max_wildcard_expansion = 100000;    ///< largest wildcard_expansion a request may set
    double max_time_limit_seconds = 600;         ///< largest time_limit_seconds
};

/// A search's result count is exact when it has at most this many matches (stories when
/// collapsing); above, it is Xapian's estimate after looking at this many ("about N").
inline constexpr Xapian::doccount kExactCountBound = 10000;

/// One search.
struct SearchRequest {
    std::string query;                 ///< as typed; may be empty when filters are given
    std::vector<std::string> filters;  ///< extra "field:value" filters, all must match
    /// Only reports dated within this range match (as a `date:` filter does); nullopt,
    /// or both ends open: any date.
    std::optional<DateRange> dates;
    /// When not empty, only the documents with one of these ids match (a boolean filter
    /// of their id terms, however many: no query text is parsed, no limit applies).
    std::vector<std::string> ids;
    SortOrder sort = SortOrder::relevance;
    DefaultOperator default_op = DefaultOperator::ranked;
    Xapian::doccount offset = 0;
    Xapian::doccount limit = 10;
    bool snippets = true;
    /// Keep each hit's whole text in Hit::fields.body (the stored part and the rest from
    /// schema::kBodyTailSlot) with its matches marked in Hit::text_marked (the document
    /// page; costs a value read and a pass over the text per hit).
    bool full_text = false;
    std::size_t snippet_bytes = 240;  ///< aim for snippets about this long
    /// Show one hit per near-duplicate story ("+N copies"); false shows every copy.
    bool collapse = true;
    /// Count facets (faction, location per level, source, month) over the match set.
    bool facets = false;
    /// Facet counts are exact when the query matches at most this many documents;
    /// beyond it they are counted over the first this-many matches (result.facets_exact
    /// says which).  Higher is slower.
    Xapian::doccount facet_bound = 5000;
    /// Values shown per facet dimension (months are all shown).
    std::size_t facet_top = 10;
    /// Recency boost: half-life in days (0 = off).  A report this many days older than
    /// the newest report in the index gets half the boost of the newest.
    double recency_half_life_days = 0;
    /// Weight of the recency boost at its largest, added to the BM25 score.
    double recency_weight = 1.5;
    /// "More like this": the id of a document to find related reports for (the query
    /// text, if any, is ANDed in).
    std::string like_id;
    /// Warn when the index is no longer at this revision (reproducible searches).
    std::uint64_t at_revision = 0;
    QueryLimits limits;
};

/// Why a hit matched: one entry per matching query term.
struct MatchReason {
    std::string term;    ///< as in the index (a stem, or a prefixed filter term)
    std::string field;   ///< "text", "title", "faction", "location", ...
    std::string origin;  ///< "word", "alias", "hierarchy", "wildcard", "like", ...
    std::string from;    ///< what the user typed that produced it
};

/// One facet value and how many stories (or documents, without collapsing) have it.  When
/// the result's facets are not exact (SearchResult::facets_exact), the count is an estimate:
/// what was counted over the first matches, scaled to all of them.
struct FacetCount {
    std::string key;    ///< entity id, source, "YYYY-MM"
    std::string label;  ///< display name
    Xapian::doccount count = 0;
};

/// Counts for one facet dimension.
struct Facet {
    std::string dimension;  ///< "faction", "source", "month", "location.admin1", ...
    std::vector<FacetCount> values;
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
    StoredFields fields;                      ///< body left empty, unless SearchRequest::full_text
    std::string source_name;                  ///< the source's display name (source_names.h), else as written
    std::vector<SnippetSegment> text_marked;  ///< the whole text, marked (SearchRequest::full_text)
    std::vector<SnippetSegment> snippet;
    std::vector<SnippetSegment> title_marked;  ///< the title with matches flagged
    Xapian::doccount copies = 0;               ///< the story's other documents (near-duplicate copies)
    std::vector<std::string> copy_sources;     ///< sources of those copies (up to 20)
    std::string story;                         ///< near-duplicate story key
    std::vector<MatchReason> reasons;
};

/// What a search found.
struct SearchResult {
    std::string query;   ///< as given
    std::string parsed;  ///< Xapian's description of the parsed query
    Xapian::doccount estimate = 0, lower_bound = 0, upper_bound = 0;
    Xapian::doccount offset = 0, limit = 0;
    std::vector<Hit> hits;
    std::string index_uuid;
    std::uint64_t index_revision = 0;
    Xapian::doccount index_documents = 0;
    double seconds = 0;
    std::vector<std::string> warnings;  ///< e.g. "the index changed since revision 3"
    /// How the query was read where it differs from what was typed ("ignored an
    /// unmatched ')'"), one sentence each: front-ends show them beside the results.
    std::vector<std::string> notices;
    std::vector<Facet> facets;
    bool facets_exact = true;
    Xapian::doccount facet_documents = 0;  ///< documents the facet counts looked at
    bool collapsed = true;
    /// "Did you mean": the query with misspelled words corrected ("" when none).
    std::string suggestion;
    /// Some shards were down (OpenOptions::allow_partial): these results leave them out.
    bool partial = false;
    std::vector<std::string> missing_shards;
};

/// Which date histogram people are shown: "month", or "year" when more than
/// kMaxMonthBars months have results (a bar per month over thirty years is noise, and
/// a page four times the size).  JSON carries both.
inline constexpr std::size_t kMaxMonthBars = 24;
inline const char* date_histogram_dimension(const SearchResult& result) {
    bool have_years = false;
    std::size_t months = 0;
    for (const auto& f : result.facets) {
        if (f.dimension == "month") months = f.values.size();
        if (f.dimension == "year") have_years = true;
    }
    return have_years && months > kMaxMonthBars ? "year" : "month";
}

}  // namespace warsearch
