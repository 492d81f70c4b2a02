// warsearch.cgi in test mode (REQUEST_METHOD unset, NAME=VALUE arguments).
#include "e2e_support.h"

using namespace warsearch::testing;

namespace {

CommandResult cgi(const std::vector<std::string>& params, const std::string& db = sample_db()) {
    std::vector<std::string> argv = {cgi_bin()};
    argv.insert(argv.end(), params.begin(), params.end());
    return run_command(argv, {"WARSEARCH_DB=" + db, "REQUEST_METHOD"});
}

std::string headers_of(const std::string& response) { return response.substr(0, response.find("\r\n\r\n")); }
std::string body_of(const std::string& response) {
    size_t end = response.find("\r\n\r\n");
    return end == std::string::npos ? "" : response.substr(end + 4);
}

TEST(Cgi, ServesResultsWithSafeHeaders) {
    auto r = cgi({"q=aleppo"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string h = headers_of(r.out);
    EXPECT_NE(h.find("Content-Type: text/html; charset=utf-8"), std::string::npos) << h;
    EXPECT_NE(h.find("X-Content-Type-Options: nosniff"), std::string::npos);
    EXPECT_NE(h.find("Content-Security-Policy: default-src 'none'"), std::string::npos);
    EXPECT_NE(body_of(r.out).find("<mark>Aleppo</mark>"), std::string::npos);
}

TEST(Cgi, EscapesTheQueryEverywhere) {
    auto r = cgi({"q=\"><script>alert(1)</script>"});
    std::string body = body_of(r.out);
    EXPECT_EQ(body.find("<script>alert(1)"), std::string::npos) << body;
    EXPECT_NE(body.find("&lt;script&gt;"), std::string::npos) << body;
}

TEST(Cgi, EscapesHostileDocuments) {
    auto r = cgi({"q=hostile markup"});
    std::string body = body_of(r.out);
    EXPECT_NE(body.find("Hostile"), std::string::npos) << body;
    EXPECT_EQ(body.find("<script>alert"), std::string::npos) << body;
    EXPECT_EQ(body.find("<img src=x"), std::string::npos) << body;
}

TEST(Cgi, JsonFormatIsTheCliJson) {
    auto r = cgi({"q=aleppo", "format=json"});
    EXPECT_NE(headers_of(r.out).find("application/json"), std::string::npos);
    auto j = nlohmann::json::parse(body_of(r.out), nullptr, false);
    ASSERT_TRUE(j.is_object()) << r.out;
    EXPECT_TRUE(j.contains("hits"));
}

TEST(Cgi, DatabaseErrorsAreLoggedNotShown) {
    TempDir dir;
    auto r = cgi({"q=aleppo"}, dir / "missing");
    EXPECT_NE(r.out.find("Status: 503"), std::string::npos);
    EXPECT_EQ(r.out.find(dir.path()), std::string::npos) << "no paths or traces to the user";
    EXPECT_NE(r.err.find("warsearch.cgi"), std::string::npos) << "the server log gets the cause";
}

TEST(Cgi, BadQueryGetsAMessage) {
    auto r = cgi({"q=aleppo AND"});
    EXPECT_NE(r.out.find("Status: 400"), std::string::npos);
    EXPECT_NE(body_of(r.out).find("Bad query"), std::string::npos);
}

}  // namespace
