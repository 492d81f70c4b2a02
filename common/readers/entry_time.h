// The times live-blog entries are written with ("UPDATE 1445 GMT", "10.32am BST",
// "3 Nov 2023 - 16:05 GMT", "Posted at 09:15", "15:39 Greenwich Mean Time 28 February
// 2022") and their conversion to UTC.  Private to the readers.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "common/readers/article.h"

namespace warsearch {

/// A time zone as written next to a clock time.
struct WrittenZone {
    enum class Kind {
        none,            ///< no zone written (read as UTC when nothing else is known)
        unknown,         ///< a zone that cannot be converted ("local time", "IST")
        fixed,           ///< a fixed offset: GMT, UTC, BST, CET, CEST, EET, EEST, MSK, AST, EST, EDT, "UTC+3"
        uk,              ///< UK civil time ("UK time", "All times stated are UK"): GMT, BST in summer
        central_europe,  ///< CET/CEST by the EU rule
        eastern_europe,  ///< EET/EEST by the EU rule ("Kyiv time")
        us_eastern,      ///< "ET": EST/EDT by the US rule
        us_pacific,      ///< "PT": PST/PDT by the US rule
    };
    Kind kind = Kind::none;
    int offset_minutes = 0;  ///< for fixed: minutes east of UTC (BST 60, EDT -240)

    bool operator==(const WrittenZone&) const = default;
};

/// What an entry says about when it was written.  The clock is local to the zone.
struct EntryTime {
    bool has_clock = false;
    int hour = 0;    ///< 0..23 (am/pm already applied)
    int minute = 0;  ///< 0..59
    WrittenZone zone;
    int year = 0;               ///< the entry's own date: 0 when the year was not written
    int month = 0;              ///< 1..12, 0 when the entry names no date
    int day = 0;                ///< 1..31, 0 when the entry names no date
    std::optional<Date> exact;  ///< a machine-readable instant (datetime attribute, JSON-LD), UTC

    bool has_day() const { return day != 0; }
    bool empty() const { return !has_clock && !has_day() && !exact; }
};

/// Reads a time zone at the start of @a s (leading spaces and one pair of brackets
/// allowed): "GMT", "BST", "CEST", "MSK", "AST", "EDT", "Z", "UTC+3", "GMT+02:00",
/// "(CET)", "Greenwich Mean Time", "British Summer Time", "UK time", "Kyiv time",
/// "local time".  Returns the bytes read (0 when none) and sets @a zone.
std::size_t read_zone(std::string_view s, WrittenZone& zone);

/// Reads a clock time at the start of @a s: "14:45", "14.45", "9:15am", "9.15 a.m.",
/// "4:05 PM", "1445" (four digits only with a zone), each with an optional zone.  A
/// repeated clock ("16:4216:42", as scraped from pages that print it twice) is read
/// as one.  Sets @a qualified when a zone or am/pm pins the time down.  Returns the
/// bytes read, 0 when @a s does not start with a clock ("10.5 million", "2014").
std::size_t read_clock(std::string_view s, EntryTime& t, bool& qualified);

/// Reads a calendar date at the start of @a s: "3 Nov 2023", "Fri 3 November 2023",
/// "Nov 3, 2023", "November 3rd", "2023-11-03", "3 November" (no year: year stays 0).
/// Returns the bytes read, 0 when none.
std::size_t read_day(std::string_view s, EntryTime& t);

/// Reads a time expression: a clock with an optional date before or after it ("3 Nov
/// 2023 - 16:05 GMT", "Fri 3 Nov 2023 16.05 GMT", "16:05 GMT, 3 November 2023",
/// "15:39 Greenwich Mean Time 28 February 2022", "10.32am BST").  A clock is required;
/// a date qualifies the time like a zone does.  Returns the bytes read, 0 when none.
std::size_t read_entry_time(std::string_view s, EntryTime& t, bool& qualified);

/// The zone a page states for all its times: "All times stated are UK", "All times GMT",
/// "All times are in BST", "Times in Kyiv time (EEST)".  nullopt when @a line is not
/// such a statement.
std::optional<WrittenZone> zone_statement(std::string_view line);

/// The UTC instant of local time @a hour:@a minute on @a year-@a month-@a day in
/// @a zone, at minute precision; nullopt for an unknown zone or an impossible date.
/// Zone none is read as UTC.  The EU rule (last Sunday of March to last Sunday of
/// October, 01:00 UTC) and the US rule (second Sunday of March to first Sunday of
/// November, 02:00 local) are applied as they stand today for every year.
std::optional<Date> local_to_utc(int year, int month, int day, int hour, int minute, const WrittenZone& zone);

/// @a d moved by @a days calendar days (precision kept).
Date add_days(Date d, int days);

}  // namespace warsearch
