// warsearch.cgi end to end: test mode (REQUEST_METHOD unset, NAME=VALUE arguments),
// CGI mode (REQUEST_METHOD and QUERY_STRING set), and FastCGI through cgi-fcgi.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <regex>
#include <thread>

#include "e2e_support.h"

extern char** environ;

using namespace warsearch::testing;

namespace {

CommandResult cgi(const std::vector<std::string>& params, const std::string& db = sample_db()) {
    std::vector<std::string> argv = {cgi_bin()};
    argv.insert(argv.end(), params.begin(), params.end());
    return run_command(argv, {"WARSEARCH_DB=" + db, "REQUEST_METHOD", "QUERY_STRING", "SCRIPT_NAME"});
}

// CGI mode proper: what a web server runs.
CommandResult cgi_request(const std::string& method, const std::string& query_string,
                          const std::string& db_env = sample_db()) {
    return run_command({cgi_bin()}, {"WARSEARCH_DB=" + db_env, "REQUEST_METHOD=" + method,
                                     "QUERY_STRING=" + query_string, "SCRIPT_NAME=/warsearch.cgi"});
}

std::string headers_of(const std::string& response) { return response.substr(0, response.find("\r\n\r\n")); }
std::string body_of(const std::string& response) {
    size_t end = response.find("\r\n\r\n");
    return end == std::string::npos ? "" : response.substr(end + 4);
}
bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}
size_t count_of(const std::string& haystack, const std::string& needle) {
    size_t n = 0;
    for (size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
    return n;
}

// "<strong>12 results</strong>" -> 12 (-1 when absent).
long result_count(const std::string& body) {
    std::smatch m;
    if (!std::regex_search(body, m, std::regex(R"(<strong>(?:About )?(\d+) results?</strong>)"))) return -1;
    return std::stol(m[1]);
}

std::string html_unescape(std::string s) {
    for (auto [from, to] : {std::pair{"&quot;", "\""}, std::pair{"&#39;", "'"}, std::pair{"&lt;", "<"},
                            std::pair{"&gt;", ">"}, std::pair{"&amp;", "&"}}) {
        for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + 1))
            s.replace(at, std::strlen(from), to);
    }
    return s;
}

std::string percent_decode(const std::string& s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += s[i] == '+' ? ' ' : s[i];
        }
    }
    return out;
}

// The NAME=VALUE test-mode arguments of a link taken from the page.
std::vector<std::string> link_params(const std::string& href) {
    std::string url = html_unescape(href);
    std::vector<std::string> out;
    std::string qs = url.substr(url.find('?') + 1);
    size_t start = 0;
    while (start <= qs.size()) {
        size_t amp = qs.find('&', start);
        std::string pair = qs.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
        size_t eq = pair.find('=');
        if (!pair.empty())
            out.push_back(percent_decode(pair.substr(0, eq)) + "=" + percent_decode(pair.substr(eq + 1)));
        if (amp == std::string::npos) break;
        start = amp + 1;
    }
    return out;
}

// Indexes a few JSON lines into a fresh database in @a dir.
std::string index_jsonl(const TempDir& dir, const std::string& lines) {
    write_file(dir / "docs.jsonl", lines);
    auto r = run_command({index_bin(), "--quiet", "--db", dir / "db", dir / "docs.jsonl"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return dir / "db";
}

TEST(Cgi, ServesResultsWithSafeHeaders) {
    auto r = cgi({"q=aleppo"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string h = headers_of(r.out);
    EXPECT_TRUE(contains(h, "Status: 200 OK")) << h;
    EXPECT_TRUE(contains(h, "Content-Type: text/html; charset=utf-8")) << h;
    EXPECT_TRUE(contains(h, "X-Content-Type-Options: nosniff"));
    EXPECT_TRUE(contains(h, "Content-Security-Policy: default-src 'none'; style-src 'self';")) << h;
    EXPECT_FALSE(contains(h, "unsafe-inline"));
    EXPECT_FALSE(contains(h, "script-src")) << "no script is ever allowed";
    EXPECT_TRUE(contains(h, "frame-ancestors 'none'"));
    std::string body = body_of(r.out);
    EXPECT_TRUE(contains(body, "<mark>Aleppo</mark>"));
    EXPECT_FALSE(contains(body, "<script")) << "the page has no JavaScript";
    EXPECT_FALSE(contains(body, "style=")) << "no inline styles (the CSP forbids them)";
    EXPECT_FALSE(contains(body, "<style")) << "no inline stylesheet";
}

TEST(Cgi, StylesheetIsACompiledInAssetNotAFile) {
    auto css = cgi({"asset=style.css"});
    EXPECT_TRUE(contains(headers_of(css.out), "Content-Type: text/css; charset=utf-8"));
    EXPECT_TRUE(contains(body_of(css.out), "mark{"));
    for (std::string name : {"../../etc/passwd", "/etc/passwd", "style.css/../x", "STYLE.CSS"}) {
        auto r = cgi({"asset=" + name});
        EXPECT_TRUE(contains(r.out, "Status: 404")) << name;
        EXPECT_FALSE(contains(r.out, "root:")) << name;
    }
}

TEST(Cgi, HasEveryPageElement) {
    std::string body = body_of(cgi({"q=aleppo"}).out);
    for (const char* element : {
             "<label for=\"q\"",
             "<input id=\"q\" name=\"q\" type=\"search\" value=\"aleppo\"",  // search box keeps the query
             "<label for=\"from\">",
             "<label for=\"to\">",
             "<label for=\"sort\">",  // labelled controls
             "class=\"count\"",
             "class=\"time\"",  // count and time
             "<h3>Faction</h3>",
             "<h3>Country</h3>",
             "<h3>Source</h3>",
             "<h3>Month</h3>",  // facets
             "class=\"bar\"",
             "<details class=\"why\"><summary>Why this matched</summary>",  // histogram, why
             "class=\"chips faction\"",
             "class=\"chips place\"",  // chips
             "rel=\"next\"",
             "aria-current=\"page\"",  // pagination
             "&amp;rev=",
             ">Permalink</a>",  // permalink
         }) {
        EXPECT_TRUE(contains(body, element)) << element;
    }
}

TEST(Cgi, ShowsCopiesAndLiveBlogEntries) {
    // sample-009..012 are one syndicated story.
    std::string copies = body_of(cgi({"q=id:sample-009 OR id:sample-010 OR id:sample-011 OR id:sample-012"}).out);
    EXPECT_TRUE(std::regex_search(copies, std::regex(R"(<p class="copies">\+\d+ cop)"))) << copies;
    std::string entries = body_of(cgi({"q=kind:entry evacuation"}).out);
    EXPECT_TRUE(contains(entries, "<p class=\"entry\">Live-blog entry")) << entries;
    EXPECT_TRUE(contains(entries, "f=parent%3A")) << "the parent live blog is a link";
}

TEST(Cgi, LinksOnlyWebUrls) {
    TempDir dir;
    std::string db = index_jsonl(
        dir,
        R"J({"id":"u1","title":"Kettle one","body":"kettle report on the northern front and river crossings","date":"2020-01-01","source":"s","url":"javascript:alert(1)"})J"
        "\n"
        R"J({"id":"u2","title":"Kettle two","body":"kettle account of harvest markets in the valley","date":"2020-01-02","source":"s","url":"JaVaScRiPt:alert(2)"})J"
        "\n"
        R"J({"id":"u3","title":"Kettle three","body":"kettle story about a mountain railway reopening","date":"2020-01-03","source":"s","url":"data:text/html,<script>alert(3)</script>"})J"
        "\n"
        R"J({"id":"u4","title":"Kettle four","body":"kettle notes from a parliamentary hearing on budgets","date":"2020-01-04","source":"s","url":"https://example.org/a\"onmouseover=\"alert(4)"})J"
        "\n"
        R"J({"id":"u5","title":"Kettle five","body":"kettle dispatch concerning port cargo delays","date":"2020-01-05","source":"s","url":"https://example.org/ok?a=1&b=2"})J"
        "\n");
    auto r = cgi({"q=kettle"}, db);
    std::string body = body_of(r.out);
    ASSERT_EQ(result_count(body), 5) << body;
    std::string lower = body;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_FALSE(contains(lower, "href=\"javascript:")) << body;
    EXPECT_FALSE(contains(lower, "href=\"data:")) << body;
    EXPECT_FALSE(contains(body, "\"onmouseover")) << "the quote in a URL is escaped";
    EXPECT_TRUE(contains(body, "href=\"https://example.org/ok?a=1&amp;b=2\""));
    EXPECT_TRUE(contains(body, "<mark>Kettle</mark> one")) << "an unlinked title is still shown";
}

// Each context a request value reaches, with the form it must take there.
TEST(Cgi, EscapesTheQueryInEveryContext) {
    const std::string probe = "\"><script>alert(1)</script>'";
    auto r = cgi({"q=" + probe, "f=source:<b onclick=x>", "from=2016", "sort=date"});
    std::string body = body_of(r.out);
    EXPECT_FALSE(contains(body, "<script>alert(1)")) << body;
    EXPECT_FALSE(contains(body, "<b onclick")) << body;
    struct {
        const char* context;
        std::string expected;
    } cases[] = {
        {"input value", "value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&#39;\""},
        {"title", "<title>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&#39; – warsearch</title>"},
        {"link (URL component)", "q=%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E%27"},
        {"hidden filter input", "name=\"f\" value=\"source:&lt;b onclick=x&gt;\""},
        {"filter chip text", "Source: &lt;b onclick=x&gt;"},
        {"filter in links", "f=source%3A%3Cb%20onclick%3Dx%3E"},
    };
    for (const auto& c : cases) EXPECT_TRUE(contains(body, c.expected)) << c.context << "\n" << body;
}

TEST(Cgi, EscapesHostileDocuments) {
    std::string body = body_of(cgi({"q=hostile markup"}).out);
    EXPECT_TRUE(contains(body, "Hostile")) << body;
    EXPECT_TRUE(contains(body, "&lt;script&gt;alert(&quot;xss-title&quot;)&lt;/script&gt;")) << body;
    EXPECT_FALSE(contains(body, "<script>alert"));
    EXPECT_FALSE(contains(body, "<img src=x"));
    std::string snippet = body_of(cgi({"q=onerror img"}).out);
    EXPECT_FALSE(contains(snippet, "<img")) << snippet;
    std::string entities = body_of(cgi({"q=typeset entities"}).out);
    EXPECT_TRUE(contains(entities, "&amp;amp;")) << "a literal &amp; in a document stays literal";
    EXPECT_FALSE(contains(entities, "</textarea><script>"));
}

TEST(Cgi, OnlyGetAndHeadAreServed) {
    for (const char* method : {"POST", "PUT", "DELETE", "OPTIONS", "TRACE", "get"}) {
        auto r = cgi_request(method, "q=aleppo");
        EXPECT_TRUE(contains(r.out, "Status: 405 Method Not Allowed")) << method;
        EXPECT_TRUE(contains(headers_of(r.out), "Allow: GET, HEAD")) << method;
        EXPECT_TRUE(contains(headers_of(r.out), "X-Content-Type-Options: nosniff")) << method;
    }
    auto head = cgi_request("HEAD", "q=aleppo");
    EXPECT_TRUE(contains(head.out, "Status: 200 OK"));
    EXPECT_TRUE(body_of(head.out).empty()) << "HEAD has no body";
    auto get = cgi_request("GET", "q=aleppo&page=2");
    EXPECT_TRUE(contains(get.out, "Status: 200 OK"));
    EXPECT_TRUE(contains(body_of(get.out), "href=\"/warsearch.cgi?q=aleppo")) << "self-links use SCRIPT_NAME";
}

TEST(Cgi, CapsParameters) {
    std::string long_query(5000, 'a');
    std::string body = body_of(cgi({"q=" + long_query}).out);
    EXPECT_TRUE(contains(body, "longer than 2048 bytes")) << "a query over 2,048 bytes is refused, not cut";
    EXPECT_FALSE(contains(body, std::string(2048, 'a')));

    std::vector<std::string> many = {"q=aleppo"};
    for (int i = 0; i < 40; ++i) many.push_back("f=source:s" + std::to_string(i));
    std::string filtered = body_of(cgi(many).out);
    EXPECT_EQ(count_of(filtered, "type=\"hidden\" name=\"f\""), 20u) << "at most 20 filters";

    std::vector<std::string> flood;
    for (int i = 0; i < 100; ++i) flood.push_back("x" + std::to_string(i) + "=1");
    flood.push_back("q=aleppo");  // parameter 101: past the 64 that are read
    EXPECT_TRUE(contains(body_of(cgi(flood).out), "Search war reporting")) << "only 64 parameters are read";

    std::string per_page = body_of(cgi({"q=syria OR aleppo OR ukraine", "n=1000"}).out);
    EXPECT_LE(count_of(per_page, "<li class=\"hit\">"), 50u);
    std::string bad_date = body_of(cgi({"q=aleppo", "from=2016-07-01T00:00\"><x>"}).out);
    EXPECT_TRUE(contains(bad_date, "Ignored the date")) << bad_date;
    EXPECT_FALSE(contains(bad_date, "<x>"));
}

TEST(Cgi, PageNumbersAreBounded) {
    struct {
        const char* page;
        const char* shown;
    } cases[] = {
        {"0", "1"},
        {"-3", "1"},
        {"abc", "1"},
        {"2", "2"},
        {"1000", "1000"},
        {"1001", "1000"},
        {"99999999999999999999", "1000"},
        {"2.5", "1"},
    };
    for (const auto& c : cases) {
        auto r = cgi({"q=syria OR aleppo OR ukraine", std::string("page=") + c.page});
        EXPECT_TRUE(contains(r.out, "Status: 200")) << c.page;
        std::string body = body_of(r.out);
        bool past_end = contains(body, "past the last result");
        if (std::string(c.shown) == "1000")
            EXPECT_TRUE(past_end) << c.page;
        else
            EXPECT_TRUE(contains(body, std::string("aria-current=\"page\">") + c.shown + "<")) << c.page << body;
    }
}

TEST(Cgi, IgnoresUnknownParameters) {
    auto strip_time = [](const std::string& s) { return std::regex_replace(s, std::regex(R"(\(\d+\.\d+ s\))"), ""); };
    std::string plain = strip_time(body_of(cgi({"q=aleppo"}).out));
    std::string extra = strip_time(body_of(cgi({"q=aleppo", "template=../../etc/passwd", "file=/etc/passwd",
                                                "WARSEARCH_DB=/tmp", "path=/", "debug=1", "q2=x"})
                                               .out));
    EXPECT_EQ(plain, extra);
}

TEST(Cgi, DatabaseNeverComesFromTheUrl) {
    TempDir other;
    std::string other_db =
        index_jsonl(other, R"J({"id":"o1","title":"Zebra crossing","body":"zebra","date":"2020-01-01","source":"s"})J"
                           "\n");
    // One configured database: db= and path-like parameters are ignored.
    for (std::string p : {"db=" + other_db, "WARSEARCH_DB=" + other_db, "db=../" + other_db}) {
        std::string body = body_of(cgi({"q=zebra", p}).out);
        EXPECT_EQ(result_count(body), 0) << p;
        EXPECT_FALSE(contains(body, other_db)) << p;
    }
    // Named databases: a configured name chooses; anything else is refused.
    std::string list = "main=" + sample_db() + ",other=" + other_db;
    EXPECT_EQ(result_count(body_of(cgi({"q=zebra", "db=other"}, list).out)), 1);
    EXPECT_EQ(result_count(body_of(cgi({"q=aleppo", "db=main"}, list).out)),
              result_count(body_of(cgi({"q=aleppo"}).out)));
    EXPECT_TRUE(contains(body_of(cgi({"q=zebra", "db=other"}, list).out), "<label for=\"db\">Collection</label>"));
    for (std::string p :
         {"db=" + other_db, "db=" + other.path(), std::string("db=/"), std::string("db=main/../other")}) {
        auto r = cgi({"q=zebra", p}, list);
        EXPECT_TRUE(contains(r.out, "Status: 400")) << p;
        EXPECT_TRUE(contains(body_of(r.out), "There is no collection of that name.")) << p;
        EXPECT_FALSE(contains(body_of(r.out), other_db)) << p;
    }
}

TEST(Cgi, FacetLinksRoundTrip) {
    std::string body = body_of(cgi({"q=aleppo OR darayya"}).out);
    long total = result_count(body);
    for (const char* heading : {"Faction", "Country", "Region", "Source", "Month"}) {
        std::regex facet_link(
            std::string("<h3>") + heading +
            R"R(</h3>\n<ul class="(?:facet|months)"[^>]*><li><a href="([^"]+)"[^>]*>.*?<span class="n">(\d+)</span>)R");
        std::smatch m;
        if (!std::regex_search(body, m, facet_link)) {
            ADD_FAILURE() << "no " << heading << " facet";
            continue;
        }
        std::vector<std::string> params = link_params(m[1]);
        long expected = std::stol(m[2]);
        auto r = cgi(params);
        std::string filtered = body_of(r.out);
        EXPECT_TRUE(contains(r.out, "Status: 200")) << heading << ": " << filtered.substr(0, 2000);
        EXPECT_EQ(result_count(filtered), expected) << heading << " " << m[1];
        EXPECT_LE(expected, total);
        EXPECT_TRUE(contains(filtered, "class=\"chip on\"")) << "the filter shows as a removable chip";
        // Removing the chip returns to the unfiltered search.
        std::smatch chip;
        ASSERT_TRUE(std::regex_search(filtered, chip, std::regex(R"R(<a class="chip on" href="([^"]+)")R")));
        EXPECT_EQ(result_count(body_of(cgi(link_params(chip[1])).out)), total) << heading;
    }
}

TEST(Cgi, LongSpansAreShownByYearAndAYearBarFiltersToItsCount) {
    // "said" matches articles from 44 months of 16 years: past 24 months the histogram
    // is by year (a bar per month of a long span is noise, and most of the page).
    std::string body = body_of(cgi({"q=said"}).out);
    EXPECT_FALSE(contains(body, "<h3>Month</h3>"));
    std::regex year_link(
        R"R(<h3>Year</h3>\n<ul class="months" aria-label="Results by year"><li><a href="([^"]+)"[^>]*><span class="m">(\d{4})</span>.*?<span class="n">(\d+)</span>)R");
    std::smatch m;
    ASSERT_TRUE(std::regex_search(body, m, year_link)) << body.substr(0, 3000);
    std::vector<std::string> params = link_params(m[1]);
    EXPECT_NE(std::find(params.begin(), params.end(), "f=date:" + m[2].str()), params.end()) << m[1];
    std::string filtered = body_of(cgi(params).out);
    EXPECT_EQ(result_count(filtered), std::stol(m[3]));
    EXPECT_TRUE(contains(filtered, "Year: " + m[2].str())) << "the chip names the year";
    // Within one year the months are few again: the histogram is by month.
    EXPECT_TRUE(contains(filtered, "<h3>Month</h3>"));
}

TEST(Cgi, DateRangeAndSort) {
    long all = result_count(body_of(cgi({"q=aleppo"}).out));
    long july = result_count(body_of(cgi({"q=aleppo", "from=2016-07-01", "to=2016-07-31"}).out));
    long via_query = result_count(body_of(cgi({"q=aleppo date:2016-07-01..2016-07-31"}).out));
    EXPECT_EQ(july, via_query);
    EXPECT_LT(july, all);
    std::string sorted = body_of(cgi({"q=aleppo", "sort=date"}).out);
    EXPECT_TRUE(contains(sorted, "<option value=\"date\" selected>"));
    std::regex dt(R"R(<time datetime="([^"]+)")R");
    std::vector<std::string> dates;
    for (auto it = std::sregex_iterator(sorted.begin(), sorted.end(), dt); it != std::sregex_iterator(); ++it)
        dates.push_back((*it)[1]);
    ASSERT_GT(dates.size(), 2u);
    EXPECT_TRUE(std::is_sorted(dates.rbegin(), dates.rend())) << "newest first";
}

TEST(Cgi, SuggestsASpelling) {
    std::string body = body_of(cgi({"q=alepo"}).out);
    EXPECT_TRUE(std::regex_search(body, std::regex(R"(Did you mean <a href="[^"]*q=aleppo)"))) << body.substr(0, 3000);
}

TEST(Cgi, PermalinkPinsTheRevision) {
    std::string body = body_of(cgi({"q=aleppo"}).out);
    std::smatch m;
    ASSERT_TRUE(std::regex_search(body, m, std::regex(R"R(<a href="([^"]+rev=(\d+))"[^>]*>Permalink</a>)R")));
    std::string pinned = body_of(cgi(link_params(m[1])).out);
    EXPECT_FALSE(contains(pinned, "the index has changed")) << "same revision: no warning";
    std::string old = body_of(cgi({"q=aleppo", "rev=" + std::to_string(std::stoul(m[2]) + 5)}).out);
    EXPECT_TRUE(contains(old, "class=\"notice warn\"")) << old.substr(0, 2000);
}

TEST(Cgi, JsonFormatIsTheCliJson) {
    auto r = cgi({"q=aleppo", "format=json"});
    EXPECT_TRUE(contains(headers_of(r.out), "Content-Type: application/json; charset=utf-8"));
    EXPECT_TRUE(contains(headers_of(r.out), "X-Content-Type-Options: nosniff"));
    auto j = nlohmann::json::parse(body_of(r.out), nullptr, false);
    ASSERT_TRUE(j.is_object()) << r.out;
    EXPECT_TRUE(j.contains("hits"));
    EXPECT_EQ(hit_ids(j), hit_ids(search_json({"aleppo"})));
    auto bad = cgi({"q=foo:bar aleppo", "format=json"});
    EXPECT_TRUE(contains(bad.out, "Status: 400"));
    EXPECT_TRUE(nlohmann::json::parse(body_of(bad.out), nullptr, false).contains("error"));
}

// WARSEARCH_FACET_THREADS=1 counts facets on threads of their own, heavy only for
// phrases with many candidates, large also for many matches, 0 (the CGI's default)
// never: the same counts; another value is named on stderr and the default kept.
TEST(Cgi, FacetThreadsCountTheSame) {
    auto facets = [](const std::string& threads) {
        auto r = run_command({cgi_bin(), "q=aleppo", "format=json"},
                             {"WARSEARCH_DB=" + sample_db(), "WARSEARCH_FACET_THREADS=" + threads, "REQUEST_METHOD",
                              "QUERY_STRING", "SCRIPT_NAME"});
        auto j = nlohmann::json::parse(body_of(r.out), nullptr, false);
        return std::make_pair(j.is_object() && j.contains("facets") ? j["facets"].dump() : "", r.err);
    };
    auto [serial, serial_err] = facets("0");
    auto [threaded, threaded_err] = facets("1");
    auto [heavy, heavy_err] = facets("heavy");
    auto [large, large_err] = facets("large");
    EXPECT_NE(serial.find("Aleppo"), std::string::npos) << serial;
    EXPECT_EQ(threaded, serial);
    EXPECT_EQ(threaded_err, "");
    EXPECT_EQ(heavy, serial);
    EXPECT_EQ(heavy_err, "");
    EXPECT_EQ(large, serial);
    EXPECT_EQ(large_err, "");
    auto [bad, bad_err] = facets("yes");
    EXPECT_EQ(bad, serial);
    EXPECT_TRUE(contains(bad_err, "WARSEARCH_FACET_THREADS is not 0, 1, heavy or large: yes")) << bad_err;
}

TEST(Cgi, StartAndEmptyStates) {
    auto start = cgi({});
    EXPECT_TRUE(contains(start.out, "Status: 200"));
    EXPECT_TRUE(contains(body_of(start.out), "Search war reporting"));
    auto none = cgi({"q=zzyzxquux"});
    EXPECT_TRUE(contains(none.out, "Status: 200"));
    EXPECT_TRUE(contains(body_of(none.out), "No reports found"));
    auto filtered_out = body_of(cgi({"q=aleppo", "f=source:no-such-source"}).out);
    EXPECT_TRUE(contains(filtered_out, "Search again without filters"));
}

TEST(Cgi, DatabaseErrorsAreLoggedNotShown) {
    TempDir dir;
    auto r = cgi({"q=aleppo"}, dir / "missing");
    EXPECT_TRUE(contains(r.out, "Status: 503"));
    EXPECT_TRUE(contains(body_of(r.out), "Search is unavailable right now"));
    EXPECT_FALSE(contains(r.out, dir.path())) << "no paths or traces to the user";
    EXPECT_TRUE(contains(r.err, "warsearch.cgi")) << "the server log gets the cause";
    auto unconfigured = cgi({"q=aleppo"}, "");
    EXPECT_TRUE(contains(unconfigured.out, "Status: 503"));
    EXPECT_TRUE(contains(unconfigured.err, "WARSEARCH_DB"));
}

TEST(Cgi, BadQueryGetsAMessage) {
    auto r = cgi({"q=foo:bar aleppo"});
    EXPECT_TRUE(contains(r.out, "Status: 400"));
    EXPECT_TRUE(contains(body_of(r.out), "Bad query"));
    EXPECT_TRUE(contains(body_of(r.out), "role=\"alert\""));
    // A slip is mended with a notice on the page, not refused and not silent.
    auto mended = cgi({"q=hospital aleppo)"});
    EXPECT_TRUE(contains(mended.out, "Status: 200"));
    EXPECT_TRUE(contains(body_of(mended.out), "Your query was read so: ignored an unmatched &#39;)&#39;") ||
                contains(body_of(mended.out), "Your query was read so: ignored an unmatched ')'"))
        << body_of(mended.out);
}

// ---- FastCGI: warsearch.cgi --listen SOCKET, requests sent by Debian's cgi-fcgi ----

class FastCgiServer {
  public:
    FastCgiServer(const std::string& socket, const std::string& db) {
        std::vector<std::string> env_strings;
        for (char** e = environ; *e; ++e)
            if (std::strncmp(*e, "REQUEST_METHOD=", 15) != 0 && std::strncmp(*e, "WARSEARCH_DB=", 13) != 0)
                env_strings.emplace_back(*e);
        env_strings.push_back("WARSEARCH_DB=" + db);
        std::vector<char*> envp;
        for (auto& s : env_strings) envp.push_back(s.data());
        envp.push_back(nullptr);
        std::string bin = cgi_bin(), flag = "--listen", sock = socket;
        char* argv[] = {bin.data(), flag.data(), sock.data(), nullptr};
        if (posix_spawn(&pid_, bin.c_str(), nullptr, nullptr, argv, envp.data()) != 0) pid_ = -1;
        for (int i = 0; i < 100 && access(socket.c_str(), F_OK) != 0; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ~FastCgiServer() {
        if (pid_ > 0) {
            kill(pid_, SIGTERM);
            waitpid(pid_, nullptr, 0);
        }
    }
    bool running() const { return pid_ > 0 && kill(pid_, 0) == 0; }

  private:
    pid_t pid_ = -1;
};

std::string cgi_fcgi_bin() {
    for (const char* p : {"/usr/bin/cgi-fcgi", "/usr/local/bin/cgi-fcgi"})
        if (access(p, X_OK) == 0) return p;
    return "";
}

CommandResult fcgi_request(const std::string& socket, const std::string& method, const std::string& qs) {
    return run_command({cgi_fcgi_bin(), "-bind", "-connect", socket}, {"REQUEST_METHOD=" + method, "QUERY_STRING=" + qs,
                                                                       "SCRIPT_NAME=/warsearch.cgi", "WARSEARCH_DB"});
}

TEST(CgiFastCgi, ServesManyRequestsAndSeesAReindex) {
    if (cgi_fcgi_bin().empty()) GTEST_SKIP() << "cgi-fcgi not installed (apt-get install libfcgi-bin)";
    TempDir dir;
    std::string db = dir / "db";
    ASSERT_EQ(run_command({index_bin(), "--quiet", "--db", db, source_dir() + "/corpus/sample"}).exit_code, 0);
    std::string sock = dir / "fcgi.sock";
    FastCgiServer server(sock, db);
    ASSERT_TRUE(server.running());

    for (const char* qs : {"q=aleppo", "q=aleppo&page=2", "q=aleppo&sort=date"}) {
        auto r = fcgi_request(sock, "GET", qs);
        ASSERT_EQ(r.exit_code, 0) << r.err;
        EXPECT_TRUE(contains(r.out, "Status: 200 OK")) << r.out.substr(0, 500);
        EXPECT_TRUE(contains(r.out, "X-Content-Type-Options: nosniff"));
        EXPECT_TRUE(contains(r.out, "<mark>Aleppo</mark>"));
    }
    EXPECT_TRUE(contains(fcgi_request(sock, "POST", "q=aleppo").out, "Status: 405"));
    EXPECT_TRUE(contains(fcgi_request(sock, "GET", "q=foo:bar aleppo").out, "Status: 400"));
    auto json = fcgi_request(sock, "GET", "q=aleppo&format=json");
    EXPECT_TRUE(nlohmann::json::parse(body_of(json.out), nullptr, false).contains("hits"));

    // The database stays open between requests and is reopened after a writer commits.
    EXPECT_EQ(result_count(body_of(fcgi_request(sock, "GET", "q=quokka").out)), 0);
    write_file(dir / "new.jsonl",
               R"J({"id":"new-1","title":"Quokka sighting","body":"a quokka","date":"2021-01-01","source":"s"})J"
               "\n");
    ASSERT_EQ(run_command({index_bin(), "--quiet", "--db", db, dir / "new.jsonl"}).exit_code, 0);
    EXPECT_EQ(result_count(body_of(fcgi_request(sock, "GET", "q=quokka").out)), 1);
    EXPECT_TRUE(server.running());
}

}  // namespace
