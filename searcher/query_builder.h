// Turns what a user types into a Xapian::Query: QueryParser for words, phrases and
// operators, plus our own field processors (date ranges, sources) from schema.h.
#pragma once

#include <xapian.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "searcher/search_types.h"

namespace warsearch {

class EntityResolver;

/// A parsed query and, for each of its terms, where it came from (for --explain).
struct BuiltQuery {
    Xapian::Query query;
    std::map<std::string, MatchReason> reasons;  ///< by term
    /// Phrases (stems, word after word) to mark in a hit that matched the key term: an
    /// entity term standing for a typed name gets the name's other spellings marked.
    std::map<std::string, std::vector<std::vector<std::string>>> highlight_with;
    /// The phrases typed (and those the parser makes of hyphenated words), as stems word
    /// after word (a title phrase's without its prefix); the terms in @a phrase_only occur
    /// in the query only inside them, so a snippet marks them only where the whole phrase
    /// is ("national" of "farabundo marti national liberation front" is not marked alone).
    std::vector<std::vector<std::string>> phrases;
    std::set<std::string> phrase_only;
    /// How the query was read where it differed from what was typed (query_lint.h),
    /// one sentence each, for the user.
    std::vector<std::string> notices;
};

/// Builds queries for one database.  Cheap to construct; not thread-safe.
class QueryBuilder {
  public:
    /// @param db used for wildcard expansion and to look up the ids of a request; may
    ///        be an empty Database for tests that only look at the parsed structure.
    QueryBuilder(const Xapian::Database& db, const std::string& stem_language = "english");
    ~QueryBuilder();

    /// Parses @a text (and ANDs in @a filters, each "field:value"; "field:A|B" matches
    /// either value, and "-field:value" excludes the documents that have it).
    /// An empty text with no filters matches every document.
    /// @throws QueryError with a message naming what is wrong, for any bad input.
    BuiltQuery build(const std::string& text, const std::vector<std::string>& filters, DefaultOperator op,
                     const QueryLimits& limits);
    /// Builds the query of @a request: its text and filters as above, ANDed with its
    /// date range and its ids (SearchRequest::dates, SearchRequest::ids), which are
    /// applied as filters without being parsed or counted against the limits.  Each id
    /// is looked up in the database (a round trip per id over a remote shard).
    /// @throws QueryError as above.
    BuiltQuery build(const SearchRequest& request);

    const Xapian::Stem& stemmer() const { return stemmer_; }
    /// The index term that holds every form of @a word (folded, lower case): its stem,
    /// Z-prefixed in indexes that also keep the words as written.
    std::string stem_term(const std::string& word) const;
    /// The positional index term of @a word (folded, lower case) that phrases search: the
    /// word as written, or its stem in indexes that keep only stems.
    std::string word_term(const std::string& word) const;

  private:
    /// The text and filters, ANDed with @a typed_filters (after the parsed filters).
    BuiltQuery build_with(const std::string& text, const std::vector<std::string>& filters,
                          const std::vector<Xapian::Query>& typed_filters, DefaultOperator op,
                          const QueryLimits& limits);
    Xapian::Query parse_filter(const std::string& filter);
    /// A filter whose value may list alternatives, "field:A|B" (either matches).
    Xapian::Query parse_filter_choice(const std::string& filter);
    /// A parser with every field of the query language; @a deferred receives the first
    /// error a field processor meets, @a alias_groups backs the alias placeholders.
    void configure_parser(Xapian::QueryParser& qp, DefaultOperator op, const QueryLimits& limits, std::string& deferred,
                          const std::vector<Xapian::Query>& alias_groups);
    /// The default ranking of a query without operators (ranked_query.h); filters typed
    /// in the text go to @a filters.
    Xapian::Query build_ranked(const std::vector<std::string>& clauses, const QueryLimits& limits,
                               std::vector<Xapian::Query>& filters, BuiltQuery& built);
    /// The query as Xapian's parser reads it, with @a op between bare words.
    Xapian::Query build_parsed(const std::string& text, DefaultOperator op, const QueryLimits& limits,
                               BuiltQuery& built, std::string& inline_text);

    Xapian::Database db_;
    Xapian::Stem stemmer_;
    /// The index stores words as written and Z-prefixed stems (schema 5 and later).
    bool stem_some_ = true;
    std::unique_ptr<EntityResolver> resolver_;
    std::map<std::string, MatchReason> reasons_;  ///< filled by field processors during build()
};

}  // namespace warsearch
