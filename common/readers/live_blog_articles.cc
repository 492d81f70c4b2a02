// The entry articles of a split live blog: ids, links to the page, and each entry's
// instant in UTC from what the entry and the page say about time.
#include <cstdio>
#include <map>

#include "common/readers/live_blog.h"
#include "common/readers/reader_support.h"

namespace warsearch {
namespace {

struct Day {
    int year = 0, month = 0, day = 0;
    bool known() const { return day != 0; }
};

// The zone a page's times are in when an entry writes none: the page's statement
// ("All times stated are UK"), else the zone most entries write, else none (UTC).
WrittenZone default_zone(const Article& page, const std::vector<LiveBlogEntry>& entries) {
    std::size_t looked = 0;
    for (std::string_view line : detail::nonblank_lines(page.body)) {
        if (auto z = zone_statement(line)) return *z;
        if (++looked > 60) break;
    }
    std::map<std::pair<int, int>, std::size_t> counts;
    WrittenZone best;
    std::size_t best_count = 0;
    for (const auto& e : entries) {
        if (!e.when.has_clock || e.when.zone.kind == WrittenZone::Kind::none) continue;
        std::size_t n = ++counts[{static_cast<int>(e.when.zone.kind), e.when.zone.offset_minutes}];
        if (n > best_count) {
            best_count = n;
            best = e.when.zone;
        }
    }
    return best;
}

// The day each entry's clock time falls on.  Entries naming a date use it (the year
// from the page when not written); the others take the page's day, moved on by one
// wherever the clock goes back by more than twelve hours in time order (a page written
// newest first that runs past midnight).
std::vector<Day> entry_days(const Article& page, const std::vector<LiveBlogEntry>& entries) {
    std::vector<Day> days(entries.size());
    Day page_day;
    if (page.date.precision >= DatePrecision::day) page_day = {page.date.year, page.date.month, page.date.day};
    std::size_t descending = 0, ascending = 0;
    int previous = -1;
    for (const auto& e : entries) {
        if (!e.when.has_clock || e.when.exact) continue;
        int minutes = e.when.hour * 60 + e.when.minute;
        if (previous >= 0) (minutes < previous ? descending : ascending) += 1;
        previous = minutes;
    }
    bool newest_first = descending >= ascending;
    Day current = page_day;
    previous = -1;
    for (std::size_t n = 0; n < entries.size(); ++n) {
        std::size_t k = newest_first ? entries.size() - 1 - n : n;
        const EntryTime& w = entries[k].when;
        if (w.exact) continue;
        if (w.has_day()) {
            int year = w.year;
            if (!year && page_day.known()) {
                year = page_day.year;
                // "31 December" on a page dated in January is last year's.
                if (w.month == 12 && page_day.month == 1) --year;
            }
            days[k] = {year, w.month, w.day};
            if (year) current = days[k];
            previous = w.has_clock ? w.hour * 60 + w.minute : -1;
            continue;
        }
        if (!w.has_clock) continue;
        int minutes = w.hour * 60 + w.minute;
        if (previous >= 0 && minutes + 12 * 60 < previous && current.known()) {
            Date d;
            d.year = current.year;
            d.month = current.month;
            d.day = current.day;
            d.precision = DatePrecision::day;
            d = add_days(d, 1);
            current = {d.year, d.month, d.day};
        }
        days[k] = current;
        previous = minutes;
    }
    return days;
}

}  // namespace

std::vector<Article> make_entry_articles(const Article& page, const std::vector<LiveBlogEntry>& entries) {
    std::vector<Article> out;
    WrittenZone page_zone = default_zone(page, entries);
    std::vector<Day> days = entry_days(page, entries);
    int n = 0;
    for (std::size_t k = 0; k < entries.size(); ++k) {
        const LiveBlogEntry& e = entries[k];
        const EntryTime& w = e.when;
        Article a;
        ++n;
        a.id = page.id + "-e" + std::to_string(n);
        a.title = e.headline;
        a.body = e.text;
        a.date = page.date;
        if (w.exact) {
            a.date = *w.exact;
            a.time = a.date.iso();
        } else if (w.has_clock) {
            WrittenZone zone = w.zone.kind == WrittenZone::Kind::none ? page_zone : w.zone;
            const Day& d = days[k];
            if (d.known() && d.year) {
                if (auto utc = local_to_utc(d.year, d.month, d.day, w.hour, w.minute, zone)) {
                    a.date = *utc;
                    a.time = utc->iso();
                } else {
                    a.date = Date{d.year, d.month, d.day, 0, 0, 0, DatePrecision::day};
                }
            } else if (zone.kind == WrittenZone::Kind::none || zone.kind == WrittenZone::Kind::fixed) {
                // No date anywhere: the time of day alone, in UTC.
                int minutes = ((w.hour * 60 + w.minute - zone.offset_minutes) % 1440 + 1440) % 1440;
                char buf[16];
                std::snprintf(buf, sizeof buf, "%02d:%02dZ", minutes / 60, minutes % 60);
                a.time = buf;
            }
        } else if (w.has_day() && days[k].year) {
            a.date = Date{days[k].year, days[k].month, days[k].day, 0, 0, 0, DatePrecision::day};
        }
        a.time_text = e.time;
        a.source = page.source;
        a.url = page.url;
        a.lang = page.lang;
        a.byline = page.byline;
        a.parent = page.id;
        a.parent_title = page.title;
        a.entry = n;
        a.from = page.from;
        out.push_back(std::move(a));
    }
    return out;
}

}  // namespace warsearch
