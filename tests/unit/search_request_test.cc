// The sort orders the front-ends name read back as themselves; anything else is no order.
#include <gtest/gtest.h>

#include <optional>
#include <utility>

#include "searcher/search_types.h"

using namespace warsearch;

namespace {

TEST(SortOrderNames, ReadBackAsThemselves) {
    for (SortOrder order : {SortOrder::relevance, SortOrder::date_newest, SortOrder::date_oldest})
        EXPECT_EQ(parse_sort_order(sort_order_name(order)), order);
    const std::pair<const char*, std::optional<SortOrder>> kNames[] = {{"relevance", SortOrder::relevance},
                                                                       {"date", SortOrder::date_newest},
                                                                       {"date-asc", SortOrder::date_oldest},
                                                                       {"", std::nullopt},
                                                                       {"Date", std::nullopt},
                                                                       {"date-desc", std::nullopt},
                                                                       {"newest", std::nullopt},
                                                                       {"date ", std::nullopt}};
    for (const auto& [name, order] : kNames) EXPECT_EQ(parse_sort_order(name), order) << name;
}

}  // namespace
