// Mapping a record with named fields (a CSV row, a JSON object) onto an Article.  One
// table of default names serves CSV, JSON and JSON Lines, so `--map` and the automatic
// mapping behave the same in every format.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/readers/article.h"
#include "common/readers/readers.h"

namespace warsearch {

/// A record's fields by name, as text (lists already joined with ", ").
using RecordFields = std::map<std::string, std::string>;

/// The names looked up, in order, for @a field ("title", "body", ...) when --map does
/// not name one; the first is our own schema's name.  Empty for unknown fields.
const std::vector<std::string>& default_field_names(std::string_view field);

/// Our fields that a record can fill (id, title, body, date, source, url, lang, byline,
/// parent, time).
const std::vector<std::string>& record_field_names();

/// Fills @a out from @a values.  Each of our fields is taken from the column that
/// options.field_map names, else from the first non-empty default name; names match
/// exactly, then ignoring ASCII case.  A `filename` like
/// `20220125T090000Z_GB_en_7d015e6984.txt` gives the date, source (country code), lang
/// and id when those are missing; a missing title is the first meaningful line of the
/// body.  An unreadable date leaves the date empty and adds a warning.
/// @return "" on success, or why the record was rejected ("no title and no body").
std::string article_from_record(const RecordFields& values, const ReadOptions& options, Article& out,
                                std::vector<std::string>& warnings);

/// What a dated file name (`YYYYMMDDTHHMMSSZ_CC_lang_hash.ext`) says.
struct FilenameFields {
    Date date;
    std::string country;  ///< "GB"
    std::string lang;     ///< "en"
    std::string stem;     ///< the name without its extension
};

/// Parses a dated file name; nullopt when @a name does not have that pattern.
std::optional<FilenameFields> parse_dated_filename(std::string_view name);

}  // namespace warsearch
