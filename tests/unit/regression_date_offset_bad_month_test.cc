// Regression (fuzz_jsonl_reader, UBSan): a date-time with an out-of-range month and a UTC
// offset ("2016-17-14T09:30:00+02:00") applied the offset before validation, and carrying
// across the day read days_in_month(2016, 17): past the end of the month table.  Such
// dates are now rejected without touching the table.
#include <gtest/gtest.h>

#include "common/text/dates.h"

TEST(RegressionDateOffsetBadMonth, IsRejectedNotReadPastTheTable) {
    for (const char* text : {"2016-17-14T09:30:00+02:00", "2016-13-31T23:30:00-02:00", "2016-00-01T00:10:00+01:00",
                             "2016-17-14T00:00:00+23:59"})
        EXPECT_FALSE(warsearch::parse_date(text, warsearch::DateOrder::mdy).has_value()) << text;
    auto ok = warsearch::parse_date("2016-12-31T23:30:00-02:00", warsearch::DateOrder::mdy);
    ASSERT_TRUE(ok.has_value());
    EXPECT_EQ(ok->iso(), "2017-01-01T01:30:00Z");
}
