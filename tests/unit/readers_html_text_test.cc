// HTML pages and plain-text articles, and the live-blog splitter behind both.
#include "common/readers/live_blog.h"
#include "readers_test_support.h"

using namespace warsearch;
using namespace warsearch::testing;

TEST(ReadersHtml, ArticleMetadataAndCleanText) {
    Collected c = read(fixture("html/article.html"));
    ASSERT_EQ(c.articles.size(), 1u) << c.failure_text();
    const Article& a = c.articles[0];
    EXPECT_EQ(a.title, "Shelling reported near Darayya & Moadamiyeh");  // og:title, entity decoded
    EXPECT_EQ(a.date.iso(), "2016-07-14T07:30:00Z");                    // +02:00 applied
    EXPECT_EQ(a.byline, "Jane Example");
    EXPECT_EQ(a.url, "https://example.org/news/shelling-darayya");  // canonical wins
    EXPECT_EQ(a.source, "Example News");
    EXPECT_EQ(a.lang, "en-GB");
    EXPECT_FALSE(a.live_blog);  // subheadings are not live-blog entries
    EXPECT_EQ(a.body.rfind("First paragraph of the fictional report \xE2\x80\x94 with an entity.", 0), 0u) << a.body;
    EXPECT_NE(a.body.find("\n\nSecond paragraph, bold and linked words.\n\n"), std::string::npos);
    for (const char* junk : {"Home", "tracking", "cookies", "BUY NOW", "comment", "Related:", "Share on", "More from",
                             "JavaScript", "Copyright", "color: red", "By Jane"})
        EXPECT_EQ(a.body.find(junk), std::string::npos) << junk << " in: " << a.body;
}

TEST(ReadersHtml, LiveBlogOfEntryBlocks) {
    Collected c = read(fixture("html/liveblog_blocks.html"));
    ASSERT_EQ(c.articles.size(), 4u) << c.failure_text();
    const Article& page = c.articles[0];
    EXPECT_TRUE(page.live_blog);
    EXPECT_EQ(page.title, "Live: fictional front-line updates");
    struct E {
        const char* headline;
        const char* time;
        const char* date;
        const char* text;
    };
    const E want[] = {
        {"Shelling reported in Kharkiv", "14:45 GMT", "2022-03-05T14:45Z",
         "Residents of the fictional district said shells fell overnight."},
        {"Convoy reaches Mariupol outskirts", "13:10 GMT", "2022-03-05T13:10Z",
         "An aid convoy reached the outskirts.\n\nA second paragraph about the convoy."},
        {"Talks to resume on Monday", "11:02 GMT", "2022-03-05T11:02Z", "Negotiators agreed to meet again."}};
    for (int i = 0; i < 3; ++i) {
        const Article& e = c.articles[static_cast<size_t>(i) + 1];
        EXPECT_EQ(e.title, want[i].headline);
        EXPECT_EQ(e.time_text, want[i].time);
        EXPECT_EQ(e.date.iso(), want[i].date);
        EXPECT_EQ(e.time, want[i].date);
        EXPECT_EQ(e.body, want[i].text);
        EXPECT_EQ(e.parent, page.id);
        EXPECT_EQ(e.parent_title, page.title);
        EXPECT_EQ(e.entry, i + 1);
        EXPECT_EQ(e.id, page.id + "-e" + std::to_string(i + 1));
        EXPECT_EQ(e.url, "https://example.org/live/front");
    }
}

TEST(ReadersHtml, LiveBlogOfTimedHeadings) {
    Collected c = read(fixture("html/liveblog_headings.html"));
    ASSERT_EQ(c.articles.size(), 4u);
    EXPECT_EQ(c.articles[1].title, "Evacuation corridor opens");
    EXPECT_EQ(c.articles[1].time_text, "10:15 GMT");
    EXPECT_EQ(c.articles[1].time, "2022-03-06T10:15Z");
    EXPECT_EQ(c.articles[3].body, "Strikes hit the airport.\n\nOfficials gave no casualty figures.");
}

TEST(ReadersHtml, NoSplitWhenTurnedOff) {
    ReadOptions o;
    o.split_live_blogs = false;
    Collected c = read(fixture("html/liveblog_blocks.html"), o);
    ASSERT_EQ(c.articles.size(), 1u);
    EXPECT_FALSE(c.articles[0].live_blog);
}

TEST(ReadersText, TitleSkipsCaptionsLabelsAndDateLines) {
    Collected c = read(fixture("text/article.txt"));
    ASSERT_EQ(c.articles.size(), 1u);
    const Article& a = c.articles[0];
    EXPECT_EQ(a.title, "Fictional ceasefire collapses in Daraa");
    EXPECT_EQ(a.date.iso(), "2016-12-13");
    EXPECT_EQ(a.byline, "Sam Example");
    EXPECT_EQ(a.body,
              "The first paragraph of this fictional article explains what happened.\n"
              "It is hard-wrapped over two lines.\n\nSecond paragraph.");
}

TEST(ReadersText, NormalArticleWithSubheadingsIsNotSplit) {
    Collected c = read(fixture("text/subheadings.txt"));
    ASSERT_EQ(c.articles.size(), 1u);
    EXPECT_FALSE(c.articles[0].live_blog);
    EXPECT_EQ(c.articles[0].date.iso(), "2022-03-05");
}

TEST(ReadersText, LiveBlogStyles) {
    struct Case {
        const char* file;
        std::vector<std::pair<std::string, std::string>> entries;  // headline, time
    };
    const Case cases[] = {
        {"text/liveblog_update.txt",
         {{"Government forces and rebels exchanged fire overnight in the fictional town of Example.", ""},
          {"Aid convoy reaches Madaya", "1445 GMT"},
          {"Talks in Geneva postponed", "1610 GMT"},
          {"Hospital hit in Idlib", "1830 GMT"}}},
        {"text/liveblog_times.txt",
         {{"Kharkiv shelled again", "14:45"},
          {"Mariupol evacuation halted", "13:30"},
          {"Sanctions widened", "12.05pm GMT"}}},
        {"text/liveblog_untimed.txt",
         {{"Convoy attacked on Castello road", ""},
          {"Ceasefire talks stall", ""},
          {"Hospital evacuated in the east", ""}}},
    };
    for (const auto& k : cases) {
        Collected c = read(fixture(k.file));
        ASSERT_EQ(c.articles.size(), k.entries.size() + 1) << k.file;
        EXPECT_TRUE(c.articles[0].live_blog) << k.file;
        for (size_t i = 0; i < k.entries.size(); ++i) {
            EXPECT_EQ(c.articles[i + 1].title, k.entries[i].first) << k.file;
            EXPECT_EQ(c.articles[i + 1].time_text, k.entries[i].second) << k.file;
            EXPECT_EQ(c.articles[i + 1].parent, c.articles[0].id);
        }
    }
    Collected u = read(fixture("text/liveblog_update.txt"));
    EXPECT_EQ(u.articles[2].date.iso(), "2022-03-05T14:45Z");
    EXPECT_EQ(u.articles[2].body,
              "Twelve trucks entered the town in the afternoon.\n\nDistribution is expected to take two days.");
}

TEST(LiveBlog, MarkersTable) {
    struct Case {
        const char* text;
        const char* title;
        size_t entries;
    };
    const Case cases[] = {
        // Two timed entries are not enough.
        {"Intro.\n14:45 GMT - One\nText.\n13:00 GMT - Two\nText.", "Page", 0},
        {"14:45 GMT - One\nText.\n13:00 GMT - Two\nText.\n12:00 GMT - Three\nText.", "Page", 3},
        // Numbers that are not times do not mark entries.
        {"10.5 million people fled.\n2014 - Crimea annexed.\n1999 was a bad year.\nUPDATE 2: more", "Page", 0},
        // Untimed headlines count only when the page says it is live.
        {"An intro paragraph.\nHeadline one\nThe first paragraph.\nHeadline two\nThe second paragraph.\n"
         "Headline three\nThe third paragraph.",
         "Page", 0},
        {"An intro paragraph.\nHeadline one\nThe first paragraph.\nHeadline two\nThe second paragraph.\n"
         "Headline three\nThe third paragraph.",
         "Gaza live updates", 3},
        {"[09:30] Third\nC.\n[09:20] Second\nB.\n[09:10] First\nA.", "Page", 3},
        // Times that only go forward order a timeline or a reconstruction, unless the
        // page says it is live or a word of live pages leads them.
        {"[09:10] First\nA.\n[09:20] Second\nB.\n[09:30] Third\nC.", "Page", 0},
        {"[09:10] First\nA.\n[09:20] Second\nB.\n[09:30] Third\nC.", "Live: page", 3},
        {"UPDATE 0910 GMT: First\nA.\nUPDATE 0920 GMT: Second\nB.\nUPDATE 0930 GMT: Third\nC.", "Page", 3},
        // Clock times with seconds are transcripts, not entries.
        {"[00:03:10] Speaker one: We left at night.\nMore.\n[00:02:05] Speaker two: We stayed.\nMore.\n"
         "[00:01:00] Speaker one: It began in March.\nMore.",
         "Live: transcript", 0},
    };
    for (const auto& k : cases) EXPECT_EQ(find_live_blog_entries(k.text, k.title).size(), k.entries) << k.text;
}

// The shape with no title line: a photo caption and LATEST at the top, one
// UPDATE and the ORIGINAL ENTRY, then earlier items under title-case headlines with a
// cross-link and a video caption between them.  Before: one article titled with the
// caption (or the first update line), no entries.
TEST(ReadersText, LivePageOpeningWithItsFirstUpdate) {
    TempDir dir;
    std::string path = (dir.path / "page.txt").string();
    std::ofstream(path) << "Fighters rest near a fictional checkpoint outside Example (File photo)\n\nLATEST\n\n"
                           "UPDATE 1445 GMT: Example forces have retaken the hill above the town, a local council "
                           "said.\n\nThe council said two fighters were wounded.\n\n"
                           "ORIGINAL ENTRY: Heavy shelling was reported overnight in the fictional district of "
                           "Example.\n\nResidents said they had spent the night in basements.\n\n"
                           "See Example Analysis: Why the Hill Matters\n\n"
                           "Council Reports Water Cuts in Example\n\n"
                           "The local council said water had been cut to three neighbourhoods for a second day.\n\n"
                           "Video of queues at a water point, posted by residents:\n\n"
                           "Talks on Prisoner Exchange Stall Again\n\n"
                           "Mediators said the two sides had failed to agree on the lists of names.\n\n"
                           "Aid Convoy Turned Back at Crossing\n\n"
                           "A convoy of eight lorries was turned back at the crossing, an aid official said.\n";
    Collected c = read(path);
    ASSERT_EQ(c.articles.size(), 6u) << c.failure_text();
    EXPECT_TRUE(c.articles[0].live_blog);
    EXPECT_EQ(c.articles[0].title, "Example forces have retaken the hill above the town, a local council said.");
    const char* headlines[] = {"Example forces have retaken the hill above the town, a local council said.",
                               "Heavy shelling was reported overnight in the fictional district of Example.",
                               "Council Reports Water Cuts in Example", "Talks on Prisoner Exchange Stall Again",
                               "Aid Convoy Turned Back at Crossing"};
    for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(c.articles[i + 1].title, headlines[i]);
    EXPECT_EQ(c.articles[1].time, "14:45Z");  // no date on the page: the time of day in UTC
    EXPECT_EQ(c.articles[1].time_text, "1445 GMT");
    EXPECT_EQ(c.articles[3].body.find("See Example Analysis"), std::string::npos);
    EXPECT_NE(c.articles[2].body.find("See Example Analysis"), std::string::npos);  // kept where it was
}

TEST(ReadersText, PhotoCaptionIsNotTheTitle) {
    TempDir dir;
    std::string path = (dir.path / "story.txt").string();
    std::ofstream(path)
        << "Smoke rises over the fictional port of Example on Friday (Jo Example/Example Agency/AFP)\n\n"
           "Fictional strikes hit the port of Example for a second night, officials said.\n\n"
           "A second paragraph.\n";
    Collected c = read(path);
    ASSERT_EQ(c.articles.size(), 1u);
    EXPECT_EQ(c.articles[0].title, "Fictional strikes hit the port of Example for a second night, officials said.");
}

namespace {

Collected read_page(const std::string& name, const std::string& html) {
    TempDir dir;
    std::string path = (dir.path / name).string();
    std::ofstream(path) << html;
    return read(path);
}

std::string untimed_page(const std::string& wrapper_open, const std::string& wrapper_close) {
    return "<html><head><title>Fictional report on the southern front</title>"
           "<meta name=\"date\" content=\"2023-06-12\"></head><body>" +
           wrapper_open +
           "<p>An introduction to the fictional report, in one paragraph of text.</p>"
           "<h2>Fighting near the river</h2><p>Fictional units exchanged fire across the river overnight.</p>"
           "<h2>Aid reaches the villages</h2><p>A fictional convoy reached three villages on Monday.</p>"
           "<h2>Talks to resume</h2><p>Fictional negotiators said they would meet again next week.</p>" +
           wrapper_close + "</body></html>";
}

}  // namespace

// A <time datetime> on a line of its own gives its instant to the marker line showing
// it: "16.40" alone would be read as UTC, the attribute says 15:40 UTC.
TEST(ReadersHtml, TimeAttributeGivesTheEntryItsInstant) {
    std::string html =
        "<html><head><title>Fictional live page</title><meta name=\"date\" content=\"2024-05-14\"></head><body>"
        "<article><h1>Fictional live page</h1>";
    const char* shown[] = {"16.40", "14.55", "12.20"};
    const char* instant[] = {"2024-05-14T15:40:00+00:00", "2024-05-14T13:55:00+00:00", "2024-05-14T11:20:00+00:00"};
    for (int i = 0; i < 3; ++i)
        html += std::string("<p><time datetime=\"") + instant[i] + "\">" + shown[i] + "</time></p><h2>Headline " +
                std::to_string(i + 1) + " of the fictional page</h2><p>A paragraph of fictional text for entry " +
                std::to_string(i + 1) + ".</p>";
    html += "</article></body></html>";
    Collected c = read_page("live.html", html);
    ASSERT_EQ(c.articles.size(), 4u) << c.failure_text();
    EXPECT_EQ(c.articles[1].time, "2024-05-14T15:40Z");
    EXPECT_EQ(c.articles[1].time_text, "16.40");
    EXPECT_EQ(c.articles[3].time, "2024-05-14T11:20Z");
    EXPECT_EQ(c.articles[2].title, "Headline 2 of the fictional page");
}

// Markup naming a live blog makes untimed headings entries only when it holds the text
// read; a "live blog" promotion box beside a normal article does not.
TEST(ReadersHtml, LiveBlogClassMustHoldTheText) {
    Collected live = read_page("live.html", untimed_page("<main><div class=\"liveblog-stream\">", "</div></main>"));
    ASSERT_EQ(live.articles.size(), 4u) << live.failure_text();
    EXPECT_EQ(live.articles[2].title, "Aid reaches the villages");
    Collected normal = read_page("normal.html", untimed_page("<main><article>",
                                                             "</article><div class=\"liveblog-box\"><p>Follow "
                                                             "our fictional live blog</p></div></main>"));
    ASSERT_EQ(normal.articles.size(), 1u);
    EXPECT_FALSE(normal.articles[0].live_blog);
}

TEST(LiveBlog, MarkerForms) {
    struct Case {
        const char* line;
        bool marker;
        const char* time;  // as written
        const char* rest;
    };
    const Case cases[] = {
        {"UPDATE 1445 GMT: Aid convoy reaches Madaya", true, "1445 GMT", "Aid convoy reaches Madaya"},
        {"UPDATE 2: More shelling reported", true, "", "More shelling reported"},
        {"UPDATE:", true, "", ""},
        {"ORIGINAL ENTRY: Fighting continued overnight.", true, "", "Fighting continued overnight."},
        {"1. Posted at 16:4216:42", true, "16:42", ""},
        {"3 Nov 2023 - 16:05 GMT", true, "3 Nov 2023 - 16:05 GMT", ""},
        {"10.32am BST", true, "10.32am BST", ""},
        {"[09:10] Convoy leaves", true, "09:10", "Convoy leaves"},
        {"14:45 GMT Russian troops enter the town", true, "14:45 GMT", "Russian troops enter the town"},
        {"2 hours ago", true, "", ""},
        {"This is becoming an enormous refugee crisispublished at 15:39 Greenwich Mean Time 28 February 2022", true,
         "15:39 Greenwich Mean Time 28 February 2022", "This is becoming an enormous refugee crisis"},
        {"UN agency moves staff south published at 09:40 GMT 14 October 2023", true, "09:40 GMT 14 October 2023",
         "UN agency moves staff south"},
        // Not markers.
        {"Updated", false, "", ""},
        {"Updated at 4.52pm BST", false, "", ""},
        {"Published 13 December 2016", false, "", ""},
        {"The statement was posted at 09:15", false, "", ""},
        {"14:45 Russian troops enter the town", false, "", ""},
        {"10.5 million people have fled", false, "", ""},
        {"2014 - Crimea annexed", false, "", ""},
        {"15 March 2011 - Protests break out in Daraa", false, "", ""},
        {"[00:01:23] Speaker: We left at night.", false, "", ""},
    };
    for (const auto& k : cases) {
        EntryTime when;
        std::string written;
        auto rest = read_entry_marker(k.line, when, written);
        EXPECT_EQ(rest.has_value(), k.marker) << k.line;
        if (!rest) continue;
        EXPECT_EQ(written, k.time) << k.line;
        EXPECT_EQ(*rest, k.rest) << k.line;
    }
}

// US-style entries: "12:05 p.m. ET, March 3, 2022" (Eastern time, standard in March),
// a headline, then a reporter's byline that is neither a headline nor entry text.
TEST(ReadersText, UsEasternTimesAndEntryBylines) {
    TempDir dir;
    std::string path = (dir.path / "us.txt").string();
    std::ofstream(path) << "Fictional war live updates\n\n"
                           "12:05 p.m. ET, March 3, 2022\n\nConvoy stalls north of the capital\n\n"
                           "From Example News's Jo Example\n\nThe fictional convoy has not moved for two days, "
                           "officials said.\n\nLink Copied!\n\n"
                           "11:40 a.m. ET, March 3, 2022\n\nTalks to resume on Monday\n\n"
                           "From Example News's Sam Example and Alex Example\n\nNegotiators agreed to meet "
                           "again, a fictional spokesperson said.\n\n"
                           "11:02 p.m. ET, March 2, 2022\n\nPower cut in the east\n\nBy Jo Example\n\n"
                           "Power was cut to three fictional towns overnight.\n";
    Collected c = read(path);
    ASSERT_EQ(c.articles.size(), 4u) << c.failure_text();
    EXPECT_EQ(c.articles[1].title, "Convoy stalls north of the capital");
    EXPECT_EQ(c.articles[1].time, "2022-03-03T17:05Z");
    EXPECT_EQ(c.articles[1].body, "The fictional convoy has not moved for two days, officials said.");
    EXPECT_EQ(c.articles[3].time, "2022-03-03T04:02Z");
    EXPECT_EQ(c.articles[3].body, "Power was cut to three fictional towns overnight.");
}
