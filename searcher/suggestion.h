// "Did you mean": corrects the misspelled words of a query.
#pragma once

#include <xapian.h>

#include <string>

#include "common/entities/entity_resolver.h"
#include "common/index/spelling.h"
#include "searcher/query_builder.h"

namespace warsearch {

/// The query with its misspelled words corrected; "" when there is nothing to correct.
/// A word is a candidate for correction when at most a few documents hold its stem and
/// no place or faction of the catalog has it as a one-word name.  Its correction is a
/// vocabulary word within edit distance 1 (2 for words of 5+ letters) that is both close
/// and frequent: evidence is the number of documents holding it together with the rest
/// of the query (alone, when that finds none), less a cost per edit; catalog names count
/// extra.  A correction is never rarer than the word typed, and a word the index knows is
/// only corrected to one at one edit that is far more frequent ("alepppo" -> "aleppo").
/// Field names, operators, wildcards and numbers are left alone.  A correction that is a
/// catalog alias of a one-word place or faction name becomes that name ("daraya" ->
/// "darayya").
/// @a spelling, when given, is the caller's long-lived view of the vocabulary (faster on
/// repeated use); otherwise the vocabulary is read from @a db for this call.
std::string suggest_query(const Xapian::Database& db, const EntityResolver& resolver, const QueryBuilder& builder,
                          const std::string& query, SpellingIndex* spelling = nullptr);

}  // namespace warsearch
