// Reading a query as its user meant it, and saying so: the slips people make in a search
// box (a stray bracket, an operator with nothing after it, a lower-case "or", a field
// written "Faction:" or "place:") are mended before the query is parsed, each with a
// notice the front-ends show, so no query is ever silently read as another.  What cannot
// be mended (a field that does not exist) is a QueryError.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace warsearch {

/// A query after lint_query().
struct LintedQuery {
    std::string text;                  ///< the query to parse
    std::vector<std::string> clauses;  ///< its pieces: words, phrases, field:value, brackets, operators
    std::vector<std::string> notices;  ///< one sentence for each change made, for the user
    /// Whether the text holds query syntax beyond words, quoted phrases, wildcards and
    /// field:value clauses: an operator (AND OR NOT XOR NEAR ADJ), brackets, or a +/- prefix.
    bool has_operators = false;
};

/// The fields a query may name, canonical names first; aliases map to them
/// ("place" -> "location", "Actor" -> "faction").  Field names are case-insensitive.
/// Returns "" for a name that is not a field.
std::string canonical_field(std::string_view name);

/// The canonical field names, for messages ("title, source, ...").
std::string known_fields();

/// Mends @a text (already folded, see fold_for_matching):
///   - an unmatched ')' or '(' is dropped, an unmatched '"' closed at the end;
///   - an operator with no word on one side (a leading "OR", a trailing "AND", "AND OR")
///     is dropped;
///   - a lower-case "or" between two words is read as OR, a lower-case "and" between two
///     words is dropped (every word counts anyway), a lower-case "not" before a word is
///     kept as a word with a notice saying how to exclude;
///   - field names are written canonically ("Faction:Daesh" -> "faction:Daesh",
///     "place:Daraya" -> "location:Daraya").
/// @throws QueryError for a field name that is not a field ("foo:bar"), naming the
///         known ones.  Words with a colon inside (10:30, http://...) are not fields.
LintedQuery lint_query(std::string_view text);

}  // namespace warsearch
