#include "common/readers/entry_time.h"

#include <cctype>
#include <cstdint>
#include <string>

namespace warsearch {
namespace {

bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }
bool is_alpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

char lower_char(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// Case-insensitive: does @a s start with @a word, not followed by a letter?
bool starts_word(std::string_view s, std::string_view word) {
    if (s.size() < word.size()) return false;
    for (std::size_t i = 0; i < word.size(); ++i)
        if (lower_char(s[i]) != lower_char(word[i])) return false;
    return s.size() == word.size() || !is_alpha(s[word.size()]);
}

std::size_t skip_spaces(std::string_view s, std::size_t i) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    // A non-breaking space (U+00A0) often sits between a time and its zone.
    while (i + 1 < s.size() && s.substr(i, 2) == "\xC2\xA0") i = skip_spaces(s, i + 2);
    return i;
}

// ---- calendar arithmetic (days since 1970-01-01, proleptic Gregorian) ----

std::int64_t days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = static_cast<unsigned>((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, int& y, int& m, int& d) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2));
}

int weekday(std::int64_t days) {  // 0 = Sunday
    return static_cast<int>(((days % 7) + 11) % 7);
}

bool valid_day(int y, int m, int d) {
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
    int y2, m2, d2;
    civil_from_days(days_from_civil(y, m, d), y2, m2, d2);
    return y2 == y && m2 == m && d2 == d;
}

// The day (days since epoch) of the last Sunday of a month, or the n-th Sunday (n >= 1).
std::int64_t last_sunday(int y, int m) {
    int ny = m == 12 ? y + 1 : y, nm = m == 12 ? 1 : m + 1;
    std::int64_t last = days_from_civil(ny, nm, 1) - 1;
    return last - weekday(last);
}
std::int64_t nth_sunday(int y, int m, int n) {
    std::int64_t first = days_from_civil(y, m, 1);
    return first + (7 - weekday(first)) % 7 + 7 * (n - 1);
}

// ---- zones ----

struct ZoneName {
    const char* name;
    WrittenZone::Kind kind;
    int offset;
};

// Longer names first, so "CEST" wins over "CET" and "British Summer Time" over "BST".
const ZoneName kZoneNames[] = {
    {"Greenwich Mean Time", WrittenZone::Kind::fixed, 0},
    {"British Summer Time", WrittenZone::Kind::fixed, 60},
    {"Central European Summer Time", WrittenZone::Kind::fixed, 120},
    {"Central European Time", WrittenZone::Kind::fixed, 60},
    {"Eastern European Summer Time", WrittenZone::Kind::fixed, 180},
    {"Eastern European Time", WrittenZone::Kind::fixed, 120},
    {"Moscow time", WrittenZone::Kind::fixed, 180},
    {"Kyiv time", WrittenZone::Kind::eastern_europe, 0},
    {"Kiev time", WrittenZone::Kind::eastern_europe, 0},
    {"UK time", WrittenZone::Kind::uk, 0},
    {"London time", WrittenZone::Kind::uk, 0},
    {"local time", WrittenZone::Kind::unknown, 0},
    {"GMT", WrittenZone::Kind::fixed, 0},
    {"UTC", WrittenZone::Kind::fixed, 0},
    {"BST", WrittenZone::Kind::fixed, 60},
    {"CEST", WrittenZone::Kind::fixed, 120},
    {"CET", WrittenZone::Kind::fixed, 60},
    {"EEST", WrittenZone::Kind::fixed, 180},
    {"EET", WrittenZone::Kind::fixed, 120},
    {"MSK", WrittenZone::Kind::fixed, 180},
    {"AST", WrittenZone::Kind::fixed, 180},  // Arabia Standard Time, as Gulf and Levant outlets write it
    {"EDT", WrittenZone::Kind::fixed, -240},
    {"EST", WrittenZone::Kind::fixed, -300},
    {"PDT", WrittenZone::Kind::fixed, -420},
    {"PST", WrittenZone::Kind::fixed, -480},
    {"ET", WrittenZone::Kind::us_eastern, 0},
    {"PT", WrittenZone::Kind::us_pacific, 0},
    {"IST", WrittenZone::Kind::unknown, 0},  // India, Israel or Ireland: not guessed
    {"local", WrittenZone::Kind::unknown, 0},
};

// "+3", "+03", "+0300", "+03:00", "-4"; returns bytes read, 0 when none.
std::size_t read_offset(std::string_view s, int& minutes) {
    if (s.empty() || (s[0] != '+' && s[0] != '-' && s.substr(0, 3) != "\xE2\x88\x92")) return 0;
    int sign = s[0] == '+' ? 1 : -1;
    std::size_t i = s[0] == '+' || s[0] == '-' ? 1 : 3;
    std::size_t start = i;
    while (i < s.size() && is_digit(s[i]) && i - start < 4) ++i;
    std::size_t n = i - start;
    if (n == 0) return 0;
    int h = 0, m = 0;
    std::string digits(s.substr(start, n));
    if (n <= 2) {
        h = std::stoi(digits);
        if (i + 2 < s.size() && s[i] == ':' && is_digit(s[i + 1]) && is_digit(s[i + 2])) {
            m = (s[i + 1] - '0') * 10 + (s[i + 2] - '0');
            i += 3;
        }
    } else if (n == 4) {
        h = std::stoi(digits.substr(0, 2));
        m = std::stoi(digits.substr(2));
    } else {
        return 0;
    }
    if (h > 14 || m > 59) return 0;
    minutes = sign * (h * 60 + m);
    return i;
}

bool in_eu_summer(std::int64_t utc_minutes, int year) {
    std::int64_t start = last_sunday(year, 3) * 1440 + 60;
    std::int64_t end = last_sunday(year, 10) * 1440 + 60;
    return utc_minutes >= start && utc_minutes < end;
}

bool in_us_summer(std::int64_t utc_minutes, int year, int standard_offset) {
    std::int64_t start = nth_sunday(year, 3, 2) * 1440 + 120 - standard_offset;
    std::int64_t end = nth_sunday(year, 11, 1) * 1440 + 120 - (standard_offset + 60);
    return utc_minutes >= start && utc_minutes < end;
}

int month_from_name(std::string_view w) {
    static const char* kNames[] = {"january", "february", "march",     "april",   "may",      "june",
                                   "july",    "august",   "september", "october", "november", "december"};
    if (w.size() < 3) return 0;
    std::string low;
    for (char c : w) low += lower_char(c);
    if (low == "sept") return 9;
    for (int m = 0; m < 12; ++m) {
        std::string_view full = kNames[m];
        if (low.size() <= full.size() && full.substr(0, low.size()) == low && (low.size() == 3 || low == full))
            return m + 1;
    }
    return 0;
}

bool is_weekday_name(std::string_view w) {
    static const char* kDays[] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
    if (w.size() < 3) return false;
    std::string low;
    for (char c : w) low += lower_char(c);
    if (low == "tues" || low == "thur" || low == "thurs") return true;
    for (const char* d : kDays) {
        std::string_view full = d;
        if (low.size() <= full.size() && full.substr(0, low.size()) == low && (low.size() == 3 || low == full))
            return true;
    }
    return false;
}

std::size_t read_word(std::string_view s, std::size_t i) {
    while (i < s.size() && is_alpha(s[i])) ++i;
    return i;
}

std::size_t read_digits(std::string_view s, std::size_t i, int max, int& value) {
    std::size_t start = i;
    value = 0;
    while (i < s.size() && is_digit(s[i]) && static_cast<int>(i - start) < max) value = value * 10 + (s[i++] - '0');
    if (i < s.size() && is_digit(s[i])) return start;  // more digits than allowed
    return i;
}

// Optional ordinal suffix after a day number: "3rd", "21st".
std::size_t skip_ordinal(std::string_view s, std::size_t i) {
    for (const char* suffix : {"st", "nd", "rd", "th"})
        if (s.substr(i, 2) == suffix && (i + 2 == s.size() || !is_alpha(s[i + 2]))) return i + 2;
    return i;
}

struct CalendarDay {
    int y = 0, m = 0, d = 0;  // y 0: no year written
};

// A four-digit year at @a c (not the start of a clock "2023:" or a longer number).
std::size_t read_year(std::string_view s, std::size_t c, int& year) {
    int y = 0;
    std::size_t e = read_digits(s, c, 4, y);
    if (e != c + 4 || (e < s.size() && (s[e] == ':' || s[e] == '.' || is_digit(s[e])))) return 0;
    year = y;
    return e;
}

// "2023-11-03".
std::size_t read_iso_day(std::string_view s, std::size_t i, CalendarDay& day) {
    int y = 0, m = 0, d = 0;
    std::size_t a = read_digits(s, i, 4, y);
    if (a != i + 4 || a >= s.size() || s[a] != '-') return 0;
    std::size_t b = read_digits(s, a + 1, 2, m);
    if (b != a + 3 || b >= s.size() || s[b] != '-') return 0;
    std::size_t c = read_digits(s, b + 1, 2, d);
    if (c != b + 3) return 0;
    day = {y, m, d};
    return c;
}

// "3 Nov 2023", "3 November", "03 Nov. 2023", "3rd November, 2023".
std::size_t read_day_first(std::string_view s, std::size_t i, CalendarDay& day) {
    int d = 0;
    std::size_t a = read_digits(s, i, 2, d);
    if (a == i) return 0;
    std::size_t b = skip_spaces(s, skip_ordinal(s, a));
    std::size_t w = read_word(s, b);
    int m = w > b ? month_from_name(s.substr(b, w - b)) : 0;
    if (!m || b == a) return 0;
    std::size_t end = w;
    if (end < s.size() && s[end] == '.') ++end;
    day = {0, m, d};
    std::size_t c = skip_spaces(s, end);
    if (c < s.size() && s[c] == ',') c = skip_spaces(s, c + 1);
    if (std::size_t e = read_year(s, c, day.y)) end = e;
    return end;
}

// "Nov 3, 2023", "November 3rd".
std::size_t read_month_first(std::string_view s, std::size_t i, CalendarDay& day) {
    std::size_t w = read_word(s, i);
    int m = w > i ? month_from_name(s.substr(i, w - i)) : 0;
    if (!m) return 0;
    std::size_t a = w;
    if (a < s.size() && s[a] == '.') ++a;
    a = skip_spaces(s, a);
    int d = 0;
    std::size_t b = read_digits(s, a, 2, d);
    if (b == a || (b < s.size() && (s[b] == ':' || s[b] == '.' || is_digit(s[b])))) return 0;
    std::size_t end = skip_ordinal(s, b);
    day = {0, m, d};
    std::size_t c = end;
    if (c < s.size() && s[c] == ',') ++c;
    c = skip_spaces(s, c);
    if (std::size_t e = read_year(s, c, day.y)) end = e;
    return end;
}

}  // namespace

std::size_t read_zone(std::string_view s, WrittenZone& zone) {
    std::size_t i = skip_spaces(s, 0);
    bool bracket = i < s.size() && s[i] == '(';
    if (bracket) i = skip_spaces(s, i + 1);
    std::size_t end = 0;
    WrittenZone z;
    for (const ZoneName& n : kZoneNames) {
        std::string_view name = n.name;
        // Abbreviations are written in capitals; spelled-out names in any case.
        bool abbreviation = name.size() <= 4 && name != "local";
        bool match = abbreviation ? s.substr(i, name.size()) == name &&
                                        (i + name.size() == s.size() || !is_alpha(s[i + name.size()]))
                                  : starts_word(s.substr(i), name);
        if (!match) continue;
        z.kind = n.kind;
        z.offset_minutes = n.offset;
        end = i + name.size();
        break;
    }
    if (!end && i < s.size() && s[i] == 'Z' && (i + 1 == s.size() || !is_alpha(s[i + 1]))) {
        z.kind = WrittenZone::Kind::fixed;
        end = i + 1;
    }
    // "UTC+3", "GMT+02:00", or a bare "+03:00".
    if (end == 0 || ((z.kind == WrittenZone::Kind::fixed) && z.offset_minutes == 0)) {
        std::size_t at = end ? end : i;
        int offset = 0;
        if (std::size_t n = read_offset(s.substr(at), offset)) {
            z.kind = WrittenZone::Kind::fixed;
            z.offset_minutes = offset;
            end = at + n;
        }
    }
    if (!end) return 0;
    if (bracket) {
        std::size_t close = skip_spaces(s, end);
        if (close >= s.size() || s[close] != ')') return 0;
        end = close + 1;
    }
    zone = z;
    return end;
}

std::size_t read_clock(std::string_view s, EntryTime& t, bool& qualified) {
    qualified = false;
    int h = 0, m = 0;
    std::size_t d = read_digits(s, 0, 4, h);
    std::size_t ndigits = d;
    std::size_t i = 0;
    if (ndigits == 4) {
        m = h % 100;
        h /= 100;
        i = d;  // "1445" needs a zone, checked below
    } else if ((ndigits == 1 || ndigits == 2) && d + 2 < s.size() && (s[d] == ':' || s[d] == '.') &&
               is_digit(s[d + 1]) && is_digit(s[d + 2])) {
        m = (s[d + 1] - '0') * 10 + (s[d + 2] - '0');
        i = d + 3;
        // A repeated clock ("16:4216:42") is read once; other digits mean no clock ("10.505").
        if (i < s.size() && is_digit(s[i])) {
            std::string_view once = s.substr(0, i);
            if (s.substr(i, once.size()) != once) return 0;
            i += once.size();
        }
        // Seconds ("14:45:10") are read and dropped.
        if (i + 2 < s.size() && s[i] == ':' && is_digit(s[i + 1]) && is_digit(s[i + 2]) &&
            (i + 3 == s.size() || !is_digit(s[i + 3])))
            i += 3;
    } else if (ndigits == 1 || ndigits == 2) {
        // "9pm", "11 am": an hour with am/pm only.
        i = d;
        std::size_t j = skip_spaces(s, i);
        std::string low;
        for (std::size_t k = j; k < s.size() && k < j + 4; ++k) low += lower_char(s[k]);
        if (!(low.rfind("am", 0) == 0 || low.rfind("pm", 0) == 0 || low.rfind("a.m.", 0) == 0 ||
              low.rfind("p.m.", 0) == 0))
            return 0;
    } else {
        return 0;
    }
    // am/pm: "9:15am", "9.15 a.m.", "4:05 PM".
    {
        std::size_t j = skip_spaces(s, i);
        std::string low;
        for (std::size_t k = j; k < s.size() && k < j + 4; ++k) low += lower_char(s[k]);
        std::size_t len = 0;
        bool pm = false;
        if (low.rfind("a.m.", 0) == 0 || low.rfind("p.m.", 0) == 0) {
            len = 4;
            pm = low[0] == 'p';
        } else if ((low.rfind("am", 0) == 0 || low.rfind("pm", 0) == 0) && (j + 2 == s.size() || !is_alpha(s[j + 2]))) {
            len = 2;
            pm = low[0] == 'p';
        }
        if (len) {
            if (ndigits == 4 || h < 1 || h > 12) return 0;
            if (pm && h < 12) h += 12;
            if (!pm && h == 12) h = 0;
            i = j + len;
            qualified = true;
        }
    }
    WrittenZone zone;
    if (std::size_t z = read_zone(s.substr(i), zone)) {
        i += z;
        qualified = true;
        t.zone = zone;
    }
    if (ndigits == 4 && !qualified) return 0;
    if (h > 23 || m > 59) return 0;
    t.has_clock = true;
    t.hour = h;
    t.minute = m;
    return i;
}

std::size_t read_day(std::string_view s, EntryTime& t) {
    std::size_t i = 0;
    // A leading weekday: "Fri 3 Nov 2023", "Friday, 3 November".
    if (std::size_t w = read_word(s, 0); w > 0 && is_weekday_name(s.substr(0, w))) {
        i = w;
        if (i < s.size() && s[i] == '.') ++i;
        if (i < s.size() && s[i] == ',') ++i;
        i = skip_spaces(s, i);
    }
    CalendarDay day;
    std::size_t end = read_iso_day(s, i, day);
    if (!end) end = read_day_first(s, i, day);
    if (!end) end = read_month_first(s, i, day);
    if (!end || day.d < 1 || day.d > 31 || day.m < 1 || day.m > 12) return 0;
    if (day.y && !valid_day(day.y, day.m, day.d)) return 0;
    t.year = day.y;
    t.month = day.m;
    t.day = day.d;
    return end;
}

std::size_t read_entry_time(std::string_view s, EntryTime& t, bool& qualified) {
    EntryTime out;
    std::size_t i = read_day(s, out);
    bool dated = i > 0;
    if (dated) {
        // "3 Nov 2023 - 16:05", "3 November 2023, 16:05", "Nov 3, 2023 at 4:05 PM".
        std::size_t j = skip_spaces(s, i);
        if (j < s.size() && (s[j] == ',' || s[j] == '-' || s[j] == '|'))
            j = skip_spaces(s, j + 1);
        else if (s.substr(j, 3) == "\xE2\x80\x93" || s.substr(j, 3) == "\xE2\x80\x94")
            j = skip_spaces(s, j + 3);
        if (starts_word(s.substr(j), "at")) j = skip_spaces(s, j + 2);
        i = j;
    }
    std::size_t c = read_clock(s.substr(i), out, qualified);
    if (!c) return 0;
    i += c;
    if (!dated) {
        // A date after the clock: "16:05 GMT, 3 November 2023", "15:39 GMT 28 February 2022".
        std::size_t j = skip_spaces(s, i);
        if (j < s.size() && s[j] == ',') j = skip_spaces(s, j + 1);
        if (starts_word(s.substr(j), "on")) j = skip_spaces(s, j + 2);
        EntryTime day;
        if (std::size_t n = read_day(s.substr(j), day)) {
            out.year = day.year;
            out.month = day.month;
            out.day = day.day;
            i = j + n;
            dated = true;
        }
    }
    if (dated) qualified = true;
    t = out;
    return i;
}

std::optional<WrittenZone> zone_statement(std::string_view line) {
    std::string low;
    for (char c : line) low += lower_char(c);
    if (low.size() > 80) return std::nullopt;
    std::size_t at = std::string::npos;
    for (const char* lead : {"all times stated are", "all times are in", "all times are", "all times in", "all times",
                             "times are in", "times are", "times in", "(all times"}) {
        if (low.rfind(lead, 0) == 0) {
            at = std::char_traits<char>::length(lead);
            break;
        }
    }
    if (at == std::string::npos) return std::nullopt;
    // "All times stated are UK": UK civil time.
    for (std::size_t i = low.find("uk", at); i != std::string::npos; i = low.find("uk", i + 1))
        if (!is_alpha(low[i - 1]) && (i + 2 == low.size() || !is_alpha(low[i + 2])))
            return WrittenZone{WrittenZone::Kind::uk, 0};
    // The first zone named in the rest of the line.
    for (std::size_t i = at; i < line.size(); ++i) {
        if (i > at && is_alpha(line[i - 1])) continue;
        WrittenZone z;
        if (read_zone(line.substr(i), z)) return z;
    }
    return std::nullopt;
}

std::optional<Date> local_to_utc(int year, int month, int day, int hour, int minute, const WrittenZone& zone) {
    if (!valid_day(year, month, day) || hour < 0 || hour > 23 || minute < 0 || minute > 59) return std::nullopt;
    std::int64_t local = days_from_civil(year, month, day) * 1440 + hour * 60 + minute;
    std::int64_t utc = local;
    switch (zone.kind) {
        case WrittenZone::Kind::unknown:
            return std::nullopt;
        case WrittenZone::Kind::none:
            break;
        case WrittenZone::Kind::fixed:
            utc = local - zone.offset_minutes;
            break;
        case WrittenZone::Kind::uk:
        case WrittenZone::Kind::central_europe:
        case WrittenZone::Kind::eastern_europe: {
            int standard = zone.kind == WrittenZone::Kind::uk               ? 0
                           : zone.kind == WrittenZone::Kind::central_europe ? 60
                                                                            : 120;
            utc = local - standard;
            if (in_eu_summer(utc - 60, year)) utc -= 60;
            break;
        }
        case WrittenZone::Kind::us_eastern:
        case WrittenZone::Kind::us_pacific: {
            int standard = zone.kind == WrittenZone::Kind::us_eastern ? -300 : -480;
            utc = local - standard;
            if (in_us_summer(utc - 60, year, standard)) utc -= 60;
            break;
        }
    }
    Date out;
    std::int64_t days = utc >= 0 ? utc / 1440 : (utc - 1439) / 1440;
    civil_from_days(days, out.year, out.month, out.day);
    std::int64_t rest = utc - days * 1440;
    out.hour = static_cast<int>(rest / 60);
    out.minute = static_cast<int>(rest % 60);
    out.precision = DatePrecision::minute;
    return out;
}

Date add_days(Date d, int days) {
    if (d.precision < DatePrecision::day || !valid_day(d.year, d.month, d.day)) return d;
    civil_from_days(days_from_civil(d.year, d.month, d.day) + days, d.year, d.month, d.day);
    return d;
}

}  // namespace warsearch
