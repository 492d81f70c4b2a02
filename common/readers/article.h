// The article model every reader produces and the indexer consumes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace warsearch {

/// How much of a date is known.  An article dated "2016-07" is known to the month.
enum class DatePrecision { none, year, month, day, minute, second };

/// A calendar date (UTC when a time is given) with the precision it was written with.
struct Date {
    int year = 0;
    int month = 0;  ///< 1..12 when precision >= month
    int day = 0;    ///< 1..31 when precision >= day
    int hour = 0;
    int minute = 0;
    int second = 0;
    DatePrecision precision = DatePrecision::none;

    bool empty() const { return precision == DatePrecision::none; }
    /// ISO 8601 at the known precision: "2016", "2016-07", "2016-07-14",
    /// "2016-07-14T09:30Z", "2016-07-14T09:30:05Z"; "" when empty.
    std::string iso() const;
    /// Fixed-width "YYYYMMDDHHMM" that sorts chronologically; unknown parts are the
    /// start of the period ("2016-07" -> "201607010000"); "" when empty.
    std::string sortable() const;
};

/// Where a record came from, for error messages and the failure report.
struct Provenance {
    std::string file;          ///< path as given on the command line (or walked to)
    std::uint64_t line = 0;    ///< 1-based line of the record's start, 0 if not line-based
    std::uint64_t record = 0;  ///< 1-based record number within the file, 0 if the file is one record
    /// "PATH", "PATH:LINE" or "PATH#RECORD".
    std::string where() const;
};

/// One document to index.  Readers fill what their format has; empty means unknown.
struct Article {
    std::string id;  ///< stable unique id; readers derive one when the input has none
    std::string title;
    std::string body;
    Date date;
    std::string source;  ///< outlet, e.g. "reuters"
    std::string url;
    std::string lang;  ///< BCP 47, e.g. "en"
    std::string byline;
    /// The place the story was filed from, as its dateline writes it, capitals made title
    /// case ("Kabul" from "KABUL, Afghanistan (Jan. 25, 2013) –"); "" when none.
    std::string dateline;
    /// Where the dateline sits in body (bytes), so a reader of the body can tell the
    /// dateline's own mention of the place from the text's; both 0 when the dateline is
    /// not part of the body (Reuters' <DATELINE> element) or there is none.
    std::size_t dateline_offset = 0;
    std::size_t dateline_length = 0;
    std::vector<std::string> places;  ///< places given by the input itself (Reuters <PLACES>)

    // Live-blog entries: a split-out entry links to the article holding it.
    bool live_blog = false;    ///< the whole page of a live blog that was split into entries
    std::string parent;        ///< id of the live blog this entry belongs to; "" for articles
    std::string parent_title;  ///< title of that live blog
    int entry = 0;             ///< 1-based position of the entry within its parent; 0 for articles
    std::string time;          ///< entry time in ISO 8601 UTC ("2022-03-05T14:45Z"; "14:45Z" when no date is known)
    std::string time_text;     ///< entry time as written ("14:45 GMT", "16.40 BST"), when given

    Provenance from;
};

}  // namespace warsearch
