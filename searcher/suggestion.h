// "Did you mean": corrects the words of a query that the index does not know.
#pragma once

#include <xapian.h>

#include <string>

#include "common/entities/entity_resolver.h"
#include "common/index/spelling.h"

namespace warsearch {

/// The query with each unknown word (no document contains its stem, and no place or
/// faction of the catalog has it as a one-word name) replaced by the closest known word
/// (spelling.h); "" when every word is known or nothing is close.
/// Field names, operators, wildcards and numbers are left alone.  A correction that is a
/// catalog alias of a one-word place or faction name becomes that name ("daraya" ->
/// "darayya").
/// @a spelling, when given, is the caller's long-lived view of the vocabulary (faster on
/// repeated use); otherwise the vocabulary is read from @a db for this call.
std::string suggest_query(const Xapian::Database& db, const EntityResolver& resolver, const Xapian::Stem& stemmer,
                          const std::string& query, SpellingIndex* spelling = nullptr);

}  // namespace warsearch
