// libFuzzer target: the live-blog splitter.  The first line is the page title, the rest
// its text; entries found are turned into entry articles, whose ids must be distinct.
#include <set>

#include "common/readers/live_blog.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    std::size_t nl = input.find('\n');
    std::string_view title = nl == std::string_view::npos ? std::string_view() : input.substr(0, nl);
    std::string_view text = nl == std::string_view::npos ? input : input.substr(nl + 1);

    (void)warsearch::title_says_live(title);
    auto entries = warsearch::find_live_blog_entries(text, title);
    if (entries.empty()) return 0;
    warsearch::fuzz::require(entries.size() >= warsearch::kMinLiveBlogEntries, "enough entries");
    for (const auto& e : entries) warsearch::fuzz::require(!e.headline.empty(), "entry headline");

    warsearch::Article page;
    page.id = "page";
    page.title = std::string(title);
    page.date.year = 2016;
    page.date.month = 7;
    page.date.day = 14;
    page.date.precision = warsearch::DatePrecision::day;
    auto articles = warsearch::make_entry_articles(page, entries);
    std::set<std::string> ids;
    for (const auto& a : articles) ids.insert(a.id);
    warsearch::fuzz::require(ids.size() == articles.size(), "entry ids are distinct");
    return 0;
}
