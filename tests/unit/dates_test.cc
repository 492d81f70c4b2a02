#include <gtest/gtest.h>
#include "warsearch/dates.h"
using namespace warsearch;
TEST(Dates, Iso) { EXPECT_EQ(parse_iso_date("2016-07")->iso(), "2016-07"); }
