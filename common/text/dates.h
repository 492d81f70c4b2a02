// Parsing the dates articles are written with, and the date filters users type.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/readers/article.h"

namespace warsearch {

/// Which way round an ambiguous numeric date such as 4/5/17 is read.
enum class DateOrder { mdy, dmy };

/// Parses an ISO 8601 date or date-time at any precision: "2016", "2016-07",
/// "2016-07-14", "2016-07-14T09:30", "2016-07-14T09:30:05Z", "2016-07-14 09:30:05+02:00"
/// (offsets are applied, the result is UTC).  Returns nullopt when it is not one.
std::optional<Date> parse_iso_date(std::string_view text);

/// Parses the forms seen in real exports: ISO 8601, "4/5/17" and "4/5/2017" (read with
/// @a order), "05 Apr 2017", "Apr 5, 2017", "5 April 2017", RFC 2822
/// ("Wed, 05 Apr 2017 10:00:00 +0000"), Reuters' "26-FEB-1987 15:01:01.79",
/// MUC datelines' "3 JAN 90".  Returns nullopt when none fits or the date is impossible.
std::optional<Date> parse_date(std::string_view text, DateOrder order = DateOrder::mdy);

/// A closed or half-open interval over Date::sortable() strings; an empty bound is open.
struct DateRange {
    std::string low;   ///< inclusive, "YYYYMMDDHHMM" or ""
    std::string high;  ///< inclusive, "YYYYMMDDHHMM" or ""
};

/// Parses the value of a `date:` filter: "2016-07-01..2016-07-31", "2016", "2016-07",
/// "2016-07-14", "..2016-07-31", "2016-07..".  A bound written to the year or month covers
/// the whole period (high "2016-07" means to the end of July).  Returns nullopt and sets
/// @a error to what is wrong when the text is not a date or range.
std::optional<DateRange> parse_date_range(std::string_view text, std::string& error);

/// The range from @a from to @a to, each "" (open) or a date as in a `date:` filter:
/// what parse_date_range("FROM..TO") reads, for callers that hold the two ends apart
/// (the search page's form).  Returns nullopt and sets @a error (naming the range as
/// "FROM..TO") when an end is not a date, both are empty, or the range ends before it
/// starts.
std::optional<DateRange> parse_date_range(std::string_view from, std::string_view to, std::string& error);

}  // namespace warsearch
