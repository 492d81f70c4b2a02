// Export of every match of a search (not a page): CSV (RFC 4180, with a header) or JSON
// Lines, streamed in chunks so memory stays flat at any number of matches.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "searcher/search_types.h"

namespace warsearch {

class Searcher;

enum class ExportFormat { csv, jsonl };

/// "csv" or "jsonl"; nullopt for anything else.
std::optional<ExportFormat> parse_export_format(std::string_view name);

/// The columns of a row, in CSV order: id, title, date, source, url, dateline, byline,
/// factions, places, organisations, story, copies (other documents of the story), parent
/// (live blog).  Lists are joined with "; " in CSV and are arrays in JSON Lines.
inline constexpr const char* kExportColumns[] = {"id",       "title",  "date",     "source", "url",
                                                 "dateline", "byline", "factions", "places", "organisations",
                                                 "story",    "copies", "parent"};

/// Rows per chunk: each chunk is a pass over the matches not yet written (sorted by
/// date), so fewer, larger chunks cost less time; memory holds one chunk's MSet (a few
/// dozen bytes a row; documents are read one at a time) and its output.
inline constexpr std::size_t kExportChunkRows = 5000;

/// Writes every match of @a request (its query, filters, ids and dates; offset, limit,
/// facets and snippets are ignored) to @a write in chunks of @a chunk_rows rows,
/// newest first (oldest first when request.sort is date_oldest: relevance has no meaning
/// for "every match").  With request.collapse, one row per story (its first document in
/// that order) and `copies` counts the others.  Memory: one chunk, plus 8 bytes per
/// story written when collapsing.  Returns the rows written.
/// @throws QueryError for a query the user must fix (before anything is written);
///         Xapian::Error for database failures.
std::size_t export_matches(Searcher& searcher, const SearchRequest& request, ExportFormat format,
                           const std::function<void(std::string_view)>& write,
                           std::size_t chunk_rows = kExportChunkRows);

/// One CSV field as RFC 4180 wants it: quoted when it holds a comma, quote, CR or LF
/// (quotes doubled); a field starting with = + - @ gets a leading apostrophe so a
/// spreadsheet does not run it as a formula.
std::string csv_field(std::string_view value);

}  // namespace warsearch
