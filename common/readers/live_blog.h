// Splitting live blogs: one page holding many entries on different stories, each with
// its own headline and often a time.  Each entry becomes its own Article linked to the
// page, so that a search lands on the entry that matches; the page itself stays
// findable as one article marked live_blog.  The rules, with examples, are in
// corpus/FORMATS.md ("Live blogs").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/readers/article.h"
#include "common/readers/entry_time.h"

namespace warsearch {

/// One entry of a live blog as found on the page.
struct LiveBlogEntry {
    std::string headline;  ///< the entry's own headline (never empty once found)
    std::string time;      ///< the time as written ("1445 GMT", "16.40 BST"), "" when none
    std::string text;      ///< the entry's paragraphs, "\n\n"-separated
    EntryTime when;        ///< what the entry says about its time, read from @a time or markup
};

/// A page is split only when it has at least this many entries; fewer means a normal
/// article (perhaps with subheadings).
inline constexpr std::size_t kMinLiveBlogEntries = 3;

/// What a reader knows about a page beyond its text.
struct LivePageHints {
    std::string_view title;  ///< the page title ("... live", "Live: ...")
    bool says_live = false;  ///< the markup declares a live page (schema.org LiveBlogPosting, a live-blog class)
    /// The datetime attributes of the page's <time> elements, in page order, with the
    /// text each shows ("16.40 BST", "2024-05-14T15:40:00+00:00"): a marker line holding
    /// that text takes the attribute's instant.
    std::vector<std::pair<std::string, std::string>> time_attributes;
};

/// Finds live-blog entries in plain text (one paragraph or heading per line, blank
/// lines ignored).  An entry starts at
///  - a timed marker: a line that starts with a time ("14:45 GMT - ...", "[09:10] ...",
///    "10.32am BST", "3 Nov 2023 - 16:05 GMT", "UPDATE 1445 GMT: ...", "Posted at
///    09:15") or ends with one ("Headline published at 15:39 GMT 28 February 2022");
///  - an explicit marker: "ORIGINAL ENTRY: ...", "UPDATE:", "UPDATE 2:", "2 hours ago";
///  - on a page that is live (the title or markup says so, a "Live Reporting" or "Key
///    events" label, or two markers of the kinds above), a short headline line between
///    paragraphs: it follows a paragraph (not another short line) and is followed by one.
/// Captions, cross-links ("See ...: ..."), labels ("LATEST", "Key events"), share and
/// newsletter lines are never entries or headlines; share, label and newsletter lines
/// are dropped from entry text.  A run of one-line timed paragraphs in time order with
/// nothing else on a page that does not say it is live is a timeline, not a live blog.
/// Text before the first entry belongs to the page only.  Returns no entries when there
/// are fewer than kMinLiveBlogEntries.
std::vector<LiveBlogEntry> find_live_blog_entries(std::string_view text, const LivePageHints& hints);

/// As above with only the page title known.
std::vector<LiveBlogEntry> find_live_blog_entries(std::string_view text, std::string_view title);

/// True when @a title announces a live page ("Live:", "LIVE", "live updates",
/// "as it happened", "live blog").
bool title_says_live(std::string_view title);

/// When @a line is a live-blog marker ("UPDATE 1445 GMT: Aid convoy reaches Madaya",
/// "Posted at 09:15"), fills @a when and @a time_text (the time as written) and returns
/// the text after the marker ("Aid convoy reaches Madaya", "" when none); nullopt
/// when @a line is not a marker.  For readers that find entry times in markup.
std::optional<std::string> read_entry_marker(std::string_view line, EntryTime& when, std::string& time_text);

/// True when @a line is a live-blog marker with a clock time ("3 Nov 2023 - 16:05 GMT"):
/// readers keep such a line in the text even when it also reads as a date line.
bool is_timed_marker(std::string_view line);

/// Makes the entry articles for @a page (which must already have its id): each gets
/// id "<page id>-e<N>", the entry headline as title, the page's source, url, lang and
/// byline, and parent, parent_title and entry set.  Its date and `time` (ISO 8601 UTC)
/// come from the entry: a machine-readable instant as given; a written clock time on
/// the entry's own date, else on the page's date (moved on a day where the clock times
/// of a newest-first page wrap past midnight), converted from its zone, else the zone
/// the page states ("All times stated are UK"), else the zone most entries write,
/// else UTC.  `time` is "HH:MMZ" when no date is known and "" when the zone cannot be
/// converted; an entry without a time has the page's date.  `time_text` keeps the
/// time as written.
std::vector<Article> make_entry_articles(const Article& page, const std::vector<LiveBlogEntry>& entries);

}  // namespace warsearch
