// Regression (fuzz_cgi_request): ?format=json echoed the query, so "q=<script>" put a
// literal "<script" into the response.  JSON output now writes < > & as \u escapes: the
// same JSON to any parser, inert as HTML.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "searcher/render.h"

TEST(RegressionJsonScriptEcho, AngleBracketsAndAmpersandsAreEscaped) {
    warsearch::SearchResult r;
    r.query = "ba<script>alert(1)</script> & <img src=x>";
    r.parsed = "Query(<x>)";
    r.warnings.push_back("a </script> warning");
    warsearch::Hit h;
    h.fields.title = "<b>Title</b> & co";
    r.hits.push_back(h);
    std::string out = warsearch::render_json(r);
    for (char c : {'<', '>', '&'}) EXPECT_EQ(out.find(c), std::string::npos) << c << " in " << out;
    auto j = nlohmann::json::parse(out);
    EXPECT_EQ(j["query"], r.query);
    EXPECT_EQ(j["warnings"][0], "a </script> warning");
}
