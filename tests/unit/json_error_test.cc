// The page's JSON error object goes through the writer of render_json: any message reads
// back exactly (quotes, backslashes, control characters, non-ASCII), and '<', '>', '&'
// never appear raw, so the object is inert if read as HTML.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "searcher/render.h"

namespace {

TEST(CgiJsonError, EveryMessageReadsBackAndStaysInert) {
    const std::string kMessages[] = {
        "no query",
        "search unavailable",
        "cannot parse query 'hospital aleppo)': Syntax: <expression> AND <expression>",
        "quote \" and backslash \\ and slash /",
        "<script>alert(1)</script> & <img src=x>",
        std::string("control \x01\x1f tab\t newline\n end") + std::string(1, '\0') + "after nul",
        "Dārayyā داريا",
        "",
    };
    for (const auto& message : kMessages) {
        std::string out = warsearch::render_json_error(message);
        for (char c : {'<', '>', '&', '\n'}) EXPECT_EQ(out.find(c), std::string::npos) << c << " in " << out;
        auto j = nlohmann::json::parse(out);
        ASSERT_TRUE(j.is_object()) << out;
        EXPECT_EQ(j.size(), 1u) << out;
        EXPECT_EQ(j["error"], message) << out;
    }
    // One line, no spaces added: what the page always wrote.
    EXPECT_EQ(warsearch::render_json_error("no query"), "{\"error\":\"no query\"}");
    EXPECT_EQ(warsearch::render_json_error("a <b> & \"c\""), "{\"error\":\"a \\u003cb\\u003e \\u0026 \\\"c\\\"\"}");
}

}  // namespace
