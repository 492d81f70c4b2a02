// Splitting live blogs: one page holding many entries on different stories, each with
// its own headline and often a time.  Each entry becomes its own Article linked to the
// page, so that a search lands on the entry that matches; the page itself stays
// findable as one article marked live_blog.  The rules are in corpus/FORMATS.md.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/readers/article.h"

namespace warsearch {

/// One entry of a live blog as found on the page.
struct LiveBlogEntry {
    std::string headline;  ///< the entry's own headline (never empty once found)
    std::string time;      ///< the time as written ("1445 GMT", "14:45"), "" when none
    std::string text;      ///< the entry's paragraphs, "\n\n"-separated
};

/// A page is split only when it has at least this many entry markers; fewer means a
/// normal article (perhaps with subheadings).
inline constexpr std::size_t kMinLiveBlogEntries = 3;

/// Finds live-blog entries in plain text (one paragraph or heading per line, blank
/// lines ignored).  An entry starts at a timed marker line ("UPDATE 1445 GMT: ...",
/// "ORIGINAL ENTRY: ...", "14:45 GMT - ...", "12.45pm", or a line that is only a time
/// followed by a headline line).  When @a title says the page is live ("Live:",
/// "live updates", "as it happened"), short headline lines with no final full stop
/// followed by paragraphs are markers too.  Text before the first marker belongs to
/// the page only.  Returns no entries when there are fewer than kMinLiveBlogEntries.
std::vector<LiveBlogEntry> find_live_blog_entries(std::string_view text, std::string_view title);

/// True when @a title announces a live page ("Live:", "LIVE", "live updates",
/// "as it happened", "live blog").
bool title_says_live(std::string_view title);

/// Makes the entry articles for @a page (which must already have its id): each gets
/// id "<page id>-e<N>", the entry headline as title, the page's date (with the entry's
/// time of day when it is written as HH:MM or HHMM and the page date is known to the
/// day), the page's source, url, lang and byline, and parent, parent_title, entry
/// and time set.
std::vector<Article> make_entry_articles(const Article& page, const std::vector<LiveBlogEntry>& entries);

}  // namespace warsearch
