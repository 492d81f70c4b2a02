// Entry times as live pages write them, and their conversion to UTC.
#include "common/readers/entry_time.h"

#include <gtest/gtest.h>

#include "common/readers/live_blog.h"

using namespace warsearch;

namespace {

std::string describe(const EntryTime& t) {
    static const char* kKinds[] = {"none", "unknown", "fixed", "uk", "cet", "eet", "us-eastern", "us-pacific"};
    char buf[96];
    std::snprintf(buf, sizeof buf, "%02d:%02d %s%+d day=%04d-%02d-%02d", t.hour, t.minute,
                  kKinds[static_cast<int>(t.zone.kind)], t.zone.offset_minutes, t.year, t.month, t.day);
    return buf;
}

}  // namespace

TEST(LiveBlogTime, WrittenForms) {
    struct Case {
        const char* text;
        std::size_t length;  // bytes read; 0 = not a time
        const char* want;
    };
    const Case cases[] = {
        {"1445 GMT: Aid convoy", 8, "14:45 fixed+0 day=0000-00-00"},
        {"10.32am BST", 11, "10:32 fixed+60 day=0000-00-00"},
        {"4:05 p.m. EDT", 13, "16:05 fixed-240 day=0000-00-00"},
        {"12.15am", 7, "00:15 none+0 day=0000-00-00"},
        {"12.05pm GMT", 11, "12:05 fixed+0 day=0000-00-00"},
        {"14:45 (UTC+3) Headline", 13, "14:45 fixed+180 day=0000-00-00"},
        {"14:45 GMT+2", 11, "14:45 fixed+120 day=0000-00-00"},
        {"09:15 CEST", 10, "09:15 fixed+120 day=0000-00-00"},
        {"09:15 MSK", 9, "09:15 fixed+180 day=0000-00-00"},
        {"09:15 AST", 9, "09:15 fixed+180 day=0000-00-00"},
        {"09:15 Kyiv time", 15, "09:15 eet+0 day=0000-00-00"},
        {"9:14 a.m. ET", 12, "09:14 us-eastern+0 day=0000-00-00"},
        {"16:4216:42", 10, "16:42 none+0 day=0000-00-00"},
        {"3 Nov 2023 - 16:05 GMT", 22, "16:05 fixed+0 day=2023-11-03"},
        {"Fri 3 Nov 2023 16.05 GMT", 24, "16:05 fixed+0 day=2023-11-03"},
        {"31 December 2023 00:00 GMT", 26, "00:00 fixed+0 day=2023-12-31"},
        {"16:05 GMT, 3 November 2023", 26, "16:05 fixed+0 day=2023-11-03"},
        {"15:39 Greenwich Mean Time 28 February 2022", 42, "15:39 fixed+0 day=2022-02-28"},
        {"Nov 3, 2023, 4:05 PM EDT", 24, "16:05 fixed-240 day=2023-11-03"},
        {"2023-11-03 16:05", 16, "16:05 none+0 day=2023-11-03"},
        {"16:05, 3 November", 17, "16:05 none+0 day=0000-11-03"},
        // Not times.
        {"10.5 million people", 0, ""},
        {"2014 - Crimea annexed", 0, ""},
        {"1445 troops", 0, ""},
        {"25:10 GMT", 0, ""},
        {"3 Nov 2023", 0, ""},
        {"13.30pm", 0, ""},
    };
    for (const auto& k : cases) {
        EntryTime t;
        bool qualified = false;
        std::size_t n = read_entry_time(k.text, t, qualified);
        EXPECT_EQ(n, k.length) << k.text;
        if (n) {
            EXPECT_EQ(describe(t), k.want) << k.text;
        }
    }
}

TEST(LiveBlogTime, ConvertedToUtc) {
    using K = WrittenZone::Kind;
    struct Case {
        int y, m, d, h, min;
        WrittenZone zone;
        const char* utc;  // "" = cannot convert
    };
    const Case cases[] = {
        {2024, 5, 14, 16, 40, {K::fixed, 60}, "2024-05-14T15:40Z"},         // BST
        {2024, 1, 14, 16, 40, {K::uk, 0}, "2024-01-14T16:40Z"},             // UK time in winter: GMT
        {2022, 8, 1, 16, 42, {K::uk, 0}, "2022-08-01T15:42Z"},              // UK time in summer: BST
        {2024, 3, 31, 0, 30, {K::uk, 0}, "2024-03-31T00:30Z"},              // before the change at 01:00 UTC
        {2024, 3, 31, 2, 30, {K::uk, 0}, "2024-03-31T01:30Z"},              // after it
        {2023, 11, 4, 1, 10, {K::eastern_europe, 0}, "2023-11-03T23:10Z"},  // Kyiv, winter: back a day
        {2023, 7, 4, 1, 10, {K::eastern_europe, 0}, "2023-07-03T22:10Z"},   // Kyiv, summer
        {2023, 7, 4, 9, 0, {K::central_europe, 0}, "2023-07-04T07:00Z"},
        {2024, 3, 11, 9, 14, {K::us_eastern, 0}, "2024-03-11T13:14Z"},  // EDT from 10 March 2024
        {2024, 3, 9, 9, 14, {K::us_eastern, 0}, "2024-03-09T14:14Z"},   // EST before it
        {2023, 12, 31, 23, 30, {K::fixed, -300}, "2024-01-01T04:30Z"},  // EST: into the new year
        {2023, 11, 3, 16, 5, {K::none, 0}, "2023-11-03T16:05Z"},
        {2023, 11, 3, 16, 5, {K::unknown, 0}, ""},
        {2023, 2, 30, 16, 5, {K::fixed, 0}, ""},
    };
    for (const auto& k : cases) {
        auto d = local_to_utc(k.y, k.m, k.d, k.h, k.min, k.zone);
        EXPECT_EQ(d ? d->iso() : "", k.utc) << k.y << "-" << k.m << "-" << k.d << " " << k.h << ":" << k.min;
    }
}

TEST(LiveBlogTime, PageZoneStatements) {
    using K = WrittenZone::Kind;
    EXPECT_EQ(zone_statement("All times stated are UK"), (WrittenZone{K::uk, 0}));
    EXPECT_EQ(zone_statement("All times GMT"), (WrittenZone{K::fixed, 0}));
    EXPECT_EQ(zone_statement("All times are in EEST"), (WrittenZone{K::fixed, 180}));
    EXPECT_EQ(zone_statement("(All times Kyiv time)"), (WrittenZone{K::eastern_europe, 0}));
    EXPECT_FALSE(zone_statement("All the news from the front line"));
    EXPECT_FALSE(zone_statement("Times of hardship in Gaza City"));
}

// Entries take their own date, else the page's, moved on a day where a newest-first
// page's clock wraps past midnight; the zone a page states converts them.
TEST(LiveBlogTime, EntryDatesAcrossMidnight) {
    Article page;
    page.id = "p";
    page.date.year = 2023;
    page.date.month = 11;
    page.date.day = 3;
    page.date.precision = DatePrecision::day;
    page.body = "All times stated are UK\n\n...";
    std::vector<LiveBlogEntry> entries(4);
    const int clocks[][2] = {{1, 10}, {0, 20}, {23, 45}, {21, 30}};  // newest first
    for (int i = 0; i < 4; ++i) {
        entries[static_cast<std::size_t>(i)].headline = "Entry";
        entries[static_cast<std::size_t>(i)].when.has_clock = true;
        entries[static_cast<std::size_t>(i)].when.hour = clocks[i][0];
        entries[static_cast<std::size_t>(i)].when.minute = clocks[i][1];
    }
    std::vector<Article> out = make_entry_articles(page, entries);
    ASSERT_EQ(out.size(), 4u);
    EXPECT_EQ(out[0].time, "2023-11-04T01:10Z");  // November: UK time is GMT
    EXPECT_EQ(out[1].time, "2023-11-04T00:20Z");
    EXPECT_EQ(out[2].time, "2023-11-03T23:45Z");
    EXPECT_EQ(out[3].time, "2023-11-03T21:30Z");
    EXPECT_EQ(out[0].date.iso(), out[0].time);
    // Without a page date the time of day alone is given, in UTC.
    page.date = Date{};
    page.body.clear();
    entries[0].when.zone = WrittenZone{WrittenZone::Kind::fixed, 60};
    out = make_entry_articles(page, entries);
    EXPECT_EQ(out[0].time, "00:10Z");
    EXPECT_TRUE(out[0].date.empty());
}
