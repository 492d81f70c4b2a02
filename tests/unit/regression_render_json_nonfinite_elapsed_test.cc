// Regression (fuzz_render, UBSan): render_json converted seconds * 1e6 to long long, which
// is undefined for a non-finite or huge value ("-inf is outside the range of
// representable values of type 'long long'").  elapsed_ms is now rounded as a double and
// 0 when the time is not a sane number.
#include <gtest/gtest.h>

#include <limits>
#include <nlohmann/json.hpp>

#include "searcher/render.h"

TEST(RegressionRenderJsonNonfiniteElapsed, GivesAValidNumber) {
    for (double seconds : {-std::numeric_limits<double>::max(), std::numeric_limits<double>::infinity(),
                           std::numeric_limits<double>::quiet_NaN(), 1e300, 0.00041}) {
        warsearch::SearchResult r;
        r.seconds = seconds;
        auto j = nlohmann::json::parse(warsearch::render_json(r), nullptr, false);
        ASSERT_FALSE(j.is_discarded()) << seconds;
        ASSERT_TRUE(j["elapsed_ms"].is_number()) << seconds;
        if (seconds == 0.00041)
            EXPECT_DOUBLE_EQ(j["elapsed_ms"].get<double>(), 0.41);
        else
            EXPECT_EQ(j["elapsed_ms"].get<double>(), 0.0) << seconds;
    }
}
