#include "common/text/dates.h"

#include <array>
#include <cctype>
#include <cstring>
#include <string>
#include <vector>

namespace warsearch {
namespace {

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
    static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

bool valid(const Date& d) {
    if (d.year < 1 || d.year > 9999) return false;
    if (d.precision >= DatePrecision::month && (d.month < 1 || d.month > 12)) return false;
    if (d.precision >= DatePrecision::day && (d.day < 1 || d.day > days_in_month(d.year, d.month))) return false;
    if (d.hour < 0 || d.hour > 23 || d.minute < 0 || d.minute > 59 || d.second < 0 || d.second > 60) return false;
    return true;
}

// Shifts a date-time by a number of minutes (for UTC offsets), carrying across days.
void add_minutes(Date& d, int minutes) {
    // An out-of-range month ("2016-17-14T09:30+02:00") is rejected later by valid();
    // carrying days across it would index past the month table.
    if (d.month < 1 || d.month > 12) return;
    int total = d.hour * 60 + d.minute + minutes;
    int day_shift = 0;
    while (total < 0) {
        total += 1440;
        --day_shift;
    }
    while (total >= 1440) {
        total -= 1440;
        ++day_shift;
    }
    d.hour = total / 60;
    d.minute = total % 60;
    d.day += day_shift;
    if (d.day < 1) {
        if (--d.month < 1) {
            d.month = 12;
            --d.year;
        }
        d.day = days_in_month(d.year, d.month);
    } else if (d.day > days_in_month(d.year, d.month)) {
        d.day = 1;
        if (++d.month > 12) {
            d.month = 1;
            ++d.year;
        }
    }
}

// A small cursor over the text, so each form reads as a sequence of expectations.
struct Cursor {
    std::string_view s;
    size_t i = 0;
    bool done() const { return i >= s.size(); }
    char peek() const { return done() ? '\0' : s[i]; }
    bool eat(char c) {
        if (peek() != c) return false;
        ++i;
        return true;
    }
    void skip_space() {
        while (!done() && (s[i] == ' ' || s[i] == '\t' || s[i] == ',')) ++i;
    }
    // Reads exactly n digits (n > 0) or between 1 and -n digits (n < 0).
    bool digits(int n, int& out) {
        size_t start = i;
        int limit = n > 0 ? n : -n;
        out = 0;
        while (!done() && std::isdigit(static_cast<unsigned char>(s[i])) && static_cast<int>(i - start) < limit) {
            out = out * 10 + (s[i] - '0');
            ++i;
        }
        int got = static_cast<int>(i - start);
        if (got == 0 || (n > 0 && got != n)) {
            i = start;
            return false;
        }
        return true;
    }
    std::string_view word() {
        size_t start = i;
        while (!done() && std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
        return s.substr(start, i - start);
    }
};

int month_from_name(std::string_view w) {
    static const char* kNames[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
    if (w.size() < 3) return 0;
    std::string lower;
    for (char c : w) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (int m = 0; m < 12; ++m) {
        if (lower.compare(0, 3, kNames[m]) == 0) {
            // Accept "apr", "april", "sept"; reject "aprilfoo"-like words over 9 letters.
            if (lower.size() <= 9) return m + 1;
        }
    }
    return 0;
}

bool is_weekday(std::string_view w) {
    static const char* kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    if (w.size() < 3) return false;
    std::string lower;
    for (char c : w) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const char* d : kDays)
        if (lower.compare(0, 3, d) == 0) return true;
    return false;
}

int expand_year(int y, int digits) {
    if (digits > 2) return y;
    // Two-digit years: 00-49 are 2000s, 50-99 are 1900s (MUC's "90" is 1990).
    return y < 50 ? 2000 + y : 1900 + y;
}

// Optional time after a date: "T09:30", " 09:30:05", " 15:01:01.79", then an optional
// zone: "Z", "+02:00", "+0200", "GMT", "UTC".
bool read_time(Cursor& c, Date& d) {
    size_t save = c.i;
    if (!(c.eat('T') || c.eat(' ') || c.eat('t'))) return true;
    while (c.eat(' ')) {
    }
    int h, m;
    if (!c.digits(2, h) && !c.digits(1, h)) {
        c.i = save;
        return true;
    }
    if (!c.eat(':') || !c.digits(2, m)) {
        c.i = save;
        return true;
    }
    d.hour = h;
    d.minute = m;
    d.precision = DatePrecision::minute;
    int s;
    if (c.eat(':')) {
        if (!c.digits(2, s)) return false;
        d.second = s;
        d.precision = DatePrecision::second;
        if (c.eat('.') || c.eat(',')) {
            int frac;
            if (!c.digits(-9, frac)) return false;
        }
    }
    c.skip_space();
    int offset = 0;
    if (c.eat('Z') || c.eat('z')) {
    } else if (c.peek() == '+' || c.peek() == '-') {
        int sign = c.peek() == '-' ? -1 : 1;
        ++c.i;
        int oh, om = 0;
        if (!c.digits(2, oh)) return false;
        c.eat(':');
        c.digits(2, om);
        offset = sign * (oh * 60 + om);
    } else {
        std::string_view w = c.word();
        if (!w.empty() && w != "GMT" && w != "UTC" && w != "UT" && w != "gmt" && w != "utc") return false;
    }
    if (offset) add_minutes(d, -offset);
    return true;
}

std::optional<Date> finish(Cursor& c, Date d) {
    c.skip_space();
    if (!c.done()) return std::nullopt;
    if (!valid(d)) return std::nullopt;
    return d;
}

// A two- or four-digit year at the cursor, into @a year (expand_year); false otherwise,
// @a year untouched.
bool read_year(Cursor& c, int& year) {
    size_t ystart = c.i;
    int y;
    if (!c.digits(-4, y)) return false;
    int ydigits = static_cast<int>(c.i - ystart);
    if (ydigits != 2 && ydigits != 4) return false;
    year = expand_year(y, ydigits);
    return true;
}

// @a d, read to the day: an optional time (read_time), then nothing more.
std::optional<Date> finish_day(Cursor& c, Date d) {
    d.precision = DatePrecision::day;
    if (!read_time(c, d)) return std::nullopt;
    return finish(c, d);
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

}  // namespace

std::optional<Date> parse_iso_date(std::string_view text) {
    Cursor c{trim(text)};
    Date d;
    if (!c.digits(4, d.year)) return std::nullopt;
    d.precision = DatePrecision::year;
    if (c.eat('-')) {
        if (!c.digits(2, d.month)) return std::nullopt;
        d.precision = DatePrecision::month;
        if (c.eat('-')) {
            if (!c.digits(2, d.day)) return std::nullopt;
            d.precision = DatePrecision::day;
            if (!read_time(c, d)) return std::nullopt;
        }
    }
    return finish(c, d);
}

std::optional<Date> parse_date(std::string_view text, DateOrder order) {
    text = trim(text);
    if (text.empty()) return std::nullopt;
    if (auto iso = parse_iso_date(text)) return iso;

    Cursor c{text};
    Date d;
    // Leading weekday: "Wed, 05 Apr 2017 ..." or "Wed 05 Apr 2017".
    {
        size_t save = c.i;
        std::string_view w = c.word();
        if (w.empty() || !is_weekday(w) || month_from_name(w)) c.i = save;
        c.skip_space();
    }
    size_t start = c.i;
    int a;
    // Numeric: a/b/yy, a/b/yyyy, a.b.yyyy, a-b-yyyy.
    if (c.digits(-2, a) && (c.peek() == '/' || c.peek() == '.' || c.peek() == '-')) {
        char sep = c.peek();
        ++c.i;
        int b;
        if (c.digits(-2, b) && c.eat(sep) && read_year(c, d.year)) {
            d.month = order == DateOrder::mdy ? a : b;
            d.day = order == DateOrder::mdy ? b : a;
            return finish_day(c, d);
        }
    }
    c.i = start;
    // Day first with a month name: "05 Apr 2017", "26-FEB-1987 15:01:01.79", "3 JAN 90".
    if (c.digits(-2, a)) {
        c.eat('-');
        c.skip_space();
        int m = month_from_name(c.word());
        if (m) {
            c.eat('.');
            c.eat('-');
            c.skip_space();
            if (read_year(c, d.year)) {
                d.month = m;
                d.day = a;
                return finish_day(c, d);
            }
        }
        c.i = start;
    }
    // Month name first: "Apr 5, 2017", "April 2017".
    {
        int m = month_from_name(c.word());
        if (m) {
            c.eat('.');
            c.skip_space();
            int x;
            size_t xstart = c.i;
            if (c.digits(-4, x)) {
                int xdigits = static_cast<int>(c.i - xstart);
                if (xdigits == 4) {
                    d.year = x;
                    d.month = m;
                    d.precision = DatePrecision::month;
                    return finish(c, d);
                }
                c.skip_space();
                int y;
                if (c.digits(4, y)) {
                    d.year = y;
                    d.month = m;
                    d.day = x;
                    return finish_day(c, d);
                }
            }
        }
    }
    return std::nullopt;
}

namespace {

// One end of a date range: "" (open), or a date to the year, month or day.  An upper
// bound covers the whole period it names.
bool date_bound(std::string_view part, bool high, std::string& out, std::string& error) {
    part = trim(part);
    if (part.empty()) return true;
    auto d = parse_iso_date(part);
    if (!d || d->precision > DatePrecision::day) {
        error = "'" + std::string(part) + "' is not a date (write YYYY, YYYY-MM or YYYY-MM-DD)";
        return false;
    }
    if (!high) {
        out = d->sortable();
        return true;
    }
    Date end = *d;
    if (end.precision == DatePrecision::year) {
        end.month = 12;
        end.day = 31;
    }
    if (end.precision == DatePrecision::month) end.day = days_in_month(end.year, end.month);
    end.precision = DatePrecision::minute;
    end.hour = 23;
    end.minute = 59;
    out = end.sortable();
    return true;
}

// The range [@a lo, @a hi]; @a written is how the range reads in messages.
std::optional<DateRange> date_range(std::string_view lo, std::string_view hi, std::string_view written,
                                    std::string& error) {
    if (trim(lo).empty() && trim(hi).empty()) {
        error = "a date range needs at least one end";
        return std::nullopt;
    }
    DateRange r;
    if (!date_bound(lo, false, r.low, error) || !date_bound(hi, true, r.high, error)) return std::nullopt;
    if (!r.low.empty() && !r.high.empty() && r.low > r.high) {
        error = "the range '" + std::string(written) + "' ends before it starts";
        return std::nullopt;
    }
    return r;
}

}  // namespace

std::optional<DateRange> parse_date_range(std::string_view text, std::string& error) {
    text = trim(text);
    size_t dots = text.find("..");
    if (dots == std::string_view::npos) {
        if (text.empty()) {
            error = "empty date filter";
            return std::nullopt;
        }
        DateRange r;
        if (!date_bound(text, false, r.low, error) || !date_bound(text, true, r.high, error)) return std::nullopt;
        return r;
    }
    return date_range(text.substr(0, dots), text.substr(dots + 2), text, error);
}

std::optional<DateRange> parse_date_range(std::string_view from, std::string_view to, std::string& error) {
    std::string written = std::string(trim(from)) + ".." + std::string(trim(to));
    return date_range(from, to, written, error);
}

}  // namespace warsearch
