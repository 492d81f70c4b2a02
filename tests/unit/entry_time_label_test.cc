// How a live-blog entry's time is shown in results (render.h entry_time_label): the
// page's own words when stored, else the stored ISO time made readable.
#include <gtest/gtest.h>

#include "searcher/cgi/cgi_page.h"
#include "searcher/render.h"

namespace warsearch {
namespace {

TEST(EntryTimeLabel, PageWordsFirstThenReadableIso) {
    struct Case {
        const char* time;
        const char* time_text;
        const char* label;
    } cases[] = {
        {"2024-05-14T15:40Z", "16.40 BST", "16.40 BST"},
        {"2024-05-14T15:40Z", "", "14 May 2024, 15:40 UTC"},
        {"2024-11-03T09:05:30Z", "", "3 Nov 2024, 09:05 UTC"},
        {"15:42Z", "", "15:42 UTC"},
        {"", "", ""},
        // Anything else (an index written by another version) is shown as stored.
        {"2024-13-14T15:40Z", "", "2024-13-14T15:40Z"},
        {"yesterday", "", "yesterday"},
    };
    for (const auto& c : cases) {
        StoredFields f;
        f.time = c.time;
        f.time_text = c.time_text;
        EXPECT_EQ(entry_time_label(f), c.label) << c.time;
    }
}

TEST(EntryTimeLabel, TextAndJsonShowPageTitleTimeAndDateline) {
    SearchResult r;
    Hit h;
    h.rank = 1;
    h.fields.id = "live-1-e2";
    h.fields.title = "Grain ship clears Ukrainian waters";
    h.fields.parent = "live-1";
    h.fields.parent_title = "Ukraine war: first grain ship leaves";
    h.fields.entry = 2;
    h.fields.time = "2022-08-01T15:42Z";
    h.fields.dateline = "Odesa";
    r.hits.push_back(h);
    r.estimate = r.lower_bound = r.upper_bound = 1;
    std::string text = render_text(r, TextRenderOptions{});
    EXPECT_NE(text.find("filed from Odesa"), std::string::npos) << text;
    EXPECT_NE(text.find("entry 2 of \"Ukraine war: first grain ship leaves\" (live-1) at 1 Aug 2022, 15:42 UTC"),
              std::string::npos)
        << text;
    std::string json = render_json(r);
    EXPECT_NE(json.find("\"time_label\": \"1 Aug 2022, 15:42 UTC\""), std::string::npos) << json;
    EXPECT_NE(json.find("\"dateline\": \"Odesa\""), std::string::npos) << json;
}

// Document text on the page is escaped: a dateline, a page title, a written time.
TEST(EntryTimeLabel, PageEscapesDatelineTitleAndTime) {
    SearchResult r;
    Hit h;
    h.fields.id = "e1";
    h.fields.title = "entry";
    h.fields.dateline = "<b>Kabul</b>";
    h.fields.parent = "p1";
    h.fields.parent_title = "Live & <i>loud</i>";
    h.fields.entry = 1;
    h.fields.time = "2024-05-14T15:40Z";
    h.fields.time_text = "16.40 <BST>";
    r.hits.push_back(h);
    r.estimate = r.lower_bound = r.upper_bound = 1;
    r.facets.push_back(Facet{"dateline", {FacetCount{"<b>Kabul</b>", "<b>Kabul</b>", 1}}});
    PageModel m;
    m.form.query = "x";
    m.result = &r;
    std::string page = render_search_page(m);
    EXPECT_EQ(page.find("<b>Kabul"), std::string::npos) << page;
    EXPECT_EQ(page.find("<i>loud"), std::string::npos) << page;
    EXPECT_NE(page.find("filed from &lt;b&gt;Kabul&lt;/b&gt;"), std::string::npos) << page;
    EXPECT_NE(page.find(">16.40 &lt;BST&gt;</time> in <a"), std::string::npos) << page;
    EXPECT_NE(page.find("Live &amp; &lt;i&gt;loud&lt;/i&gt;"), std::string::npos) << page;
    EXPECT_NE(page.find("<h3>Filed from</h3>"), std::string::npos) << page;

    // A time the indexer could not convert to UTC is shown as the page wrote it.
    r.hits[0].fields.time.clear();
    r.hits[0].fields.time_text = "10:00 local time";
    page = render_search_page(m);
    EXPECT_NE(page.find("Live-blog entry 1 at 10:00 local time in <a"), std::string::npos) << page;
}

}  // namespace
}  // namespace warsearch
