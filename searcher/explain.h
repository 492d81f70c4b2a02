// "Why this matched" in words a reader understands, not index terms.
#pragma once

#include <string>
#include <vector>

#include "searcher/search_types.h"

namespace warsearch {

/// One sentence fragment for @a reason, e.g. `the word "shelling"`, `"bombed", a form
/// of "bombs"`, `"Daesh", another name for Islamic State`, `mentions Aleppo`,
/// `inside Rif Dimashq`, `a filter: source ua`.  Plain text (front-ends escape it).
std::string reason_in_words(const MatchReason& reason);

/// The reasons of one hit in words, each sentence once; a word's stem is left out when
/// the word itself (as typed) matched too.
std::vector<std::string> reasons_in_words(const std::vector<MatchReason>& reasons);

}  // namespace warsearch
