#include "common/text/dates.h"

#include <gtest/gtest.h>

using namespace warsearch;

namespace {

struct DateCase {
    const char* text;
    DateOrder order;
    const char* iso;  // "" = must not parse
};

const DateCase kDateCases[] = {
    {"2016", DateOrder::mdy, "2016"},
    {"2016-07", DateOrder::mdy, "2016-07"},
    {"2016-07-14", DateOrder::mdy, "2016-07-14"},
    {"2016-07-14T09:30:00Z", DateOrder::mdy, "2016-07-14T09:30:00Z"},
    {"2016-07-14T09:30Z", DateOrder::mdy, "2016-07-14T09:30Z"},
    {"2016-07-14 09:30:05+02:00", DateOrder::mdy, "2016-07-14T07:30:05Z"},
    {"2016-01-01T01:00:00+03:00", DateOrder::mdy, "2015-12-31T22:00:00Z"},
    {"4/5/17", DateOrder::mdy, "2017-04-05"},
    {"4/5/17", DateOrder::dmy, "2017-05-04"},
    {"12/31/2016", DateOrder::mdy, "2016-12-31"},
    {"05 Apr 2017", DateOrder::mdy, "2017-04-05"},
    {"5 April 2017", DateOrder::mdy, "2017-04-05"},
    {"Apr 5, 2017", DateOrder::mdy, "2017-04-05"},
    {"April 2017", DateOrder::mdy, "2017-04"},
    {"Wed, 05 Apr 2017 10:00:00 +0000", DateOrder::mdy, "2017-04-05T10:00:00Z"},
    {"Wed 05 Apr 2017", DateOrder::mdy, "2017-04-05"},
    {"26-FEB-1987 15:01:01.79", DateOrder::mdy, "1987-02-26T15:01:01Z"},
    {"3 JAN 90", DateOrder::mdy, "1990-01-03"},
    {"2017-02-30", DateOrder::mdy, ""},
    {"13/13/17", DateOrder::mdy, ""},
    {"yesterday", DateOrder::mdy, ""},
    {"", DateOrder::mdy, ""},
    {"2016-07-14T25:00", DateOrder::mdy, ""},
};

class ParseDate : public ::testing::TestWithParam<DateCase> {};

TEST_P(ParseDate, GivesIsoAtItsPrecision) {
    const DateCase& c = GetParam();
    auto d = parse_date(c.text, c.order);
    if (*c.iso == '\0') {
        EXPECT_FALSE(d.has_value()) << c.text << " parsed as " << d->iso();
    } else {
        ASSERT_TRUE(d.has_value()) << c.text;
        EXPECT_EQ(d->iso(), c.iso) << c.text;
    }
}

INSTANTIATE_TEST_SUITE_P(Table, ParseDate, ::testing::ValuesIn(kDateCases),
                         [](const auto& param) { return "case" + std::to_string(param.index); });

struct RangeCase {
    const char* text;
    const char* low;
    const char* high;  // nullptr = error expected
};

const RangeCase kRangeCases[] = {
    {"2016-07-01..2016-07-31", "201607010000", "201607312359"},
    {"2016", "201601010000", "201612312359"},
    {"2016-02", "201602010000", "201602292359"},
    {"2016-07-14", "201607140000", "201607142359"},
    {"..2016-07-31", "", "201607312359"},
    {"2016-07..", "201607010000", ""},
    {"2016..2017", "201601010000", "201712312359"},
    {"..", "", nullptr},
    {"2017..2016", "", nullptr},
    {"july", "", nullptr},
    {"2016-13", "", nullptr},
};

class ParseDateRange : public ::testing::TestWithParam<RangeCase> {};

TEST_P(ParseDateRange, CoversWholePeriods) {
    const RangeCase& c = GetParam();
    std::string error;
    auto r = parse_date_range(c.text, error);
    if (!c.high) {
        EXPECT_FALSE(r.has_value()) << c.text;
        EXPECT_FALSE(error.empty()) << c.text;
        return;
    }
    ASSERT_TRUE(r.has_value()) << c.text << ": " << error;
    EXPECT_EQ(r->low, c.low) << c.text;
    EXPECT_EQ(r->high, c.high) << c.text;
}

INSTANTIATE_TEST_SUITE_P(Table, ParseDateRange, ::testing::ValuesIn(kRangeCases),
                         [](const auto& param) { return "case" + std::to_string(param.index); });

// The two ends held apart (the search page's from= and to=) read as "FROM..TO" does,
// messages included.
TEST(ParseDateRangeEnds, ReadAsTheRangeWrittenOut) {
    const std::pair<const char*, const char*> kEnds[] = {{"2016-07-01", "2016-07-31"},
                                                         {"2016", ""},
                                                         {"", "2016-07-31"},
                                                         {"2016-07", ""},
                                                         {"2016", "2017"},
                                                         {"", ""},
                                                         {"2017", "2016"},
                                                         {"july", ""},
                                                         {"", "2016-13"},
                                                         {"2016-02-30", "2017"},
                                                         {"2016-07-14", "2016-07-14"},
                                                         {" 2016 ", "2017"}};
    for (const auto& [from, to] : kEnds) {
        std::string written = std::string(from) + ".." + to;
        std::string error_apart, error_written;
        auto apart = parse_date_range(from, to, error_apart);
        auto whole = parse_date_range(written, error_written);
        ASSERT_EQ(apart.has_value(), whole.has_value()) << written;
        EXPECT_EQ(error_apart, error_written) << written;
        if (!apart) continue;
        EXPECT_EQ(apart->low, whole->low) << written;
        EXPECT_EQ(apart->high, whole->high) << written;
    }
}

TEST(DateSortable, MonthPrecisionSortsAtStartOfMonth) {
    auto d = parse_iso_date("2016-07");
    ASSERT_TRUE(d);
    EXPECT_EQ(d->sortable(), "201607010000");
    EXPECT_EQ(Date{}.sortable(), "");
}

}  // namespace
