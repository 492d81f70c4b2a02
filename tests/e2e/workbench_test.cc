// The analyst's workbench end to end (issue 27): the document page and --show, exports
// of every match (CSV, JSON Lines), the Atom feed, and the page fixes that came with
// them (long queries refused, direction controls dropped, one <h1>, facets first).
#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "e2e_support.h"

using namespace warsearch::testing;

namespace {

CommandResult cgi(const std::vector<std::string>& params, const std::string& db = sample_db()) {
    std::vector<std::string> argv = {cgi_bin()};
    argv.insert(argv.end(), params.begin(), params.end());
    return run_command(argv, {"WARSEARCH_DB=" + db, "REQUEST_METHOD", "QUERY_STRING", "SCRIPT_NAME"});
}

CommandResult search(const std::vector<std::string>& args, const std::string& db = sample_db()) {
    std::vector<std::string> argv = {search_bin(), "--db", db};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_command(argv);
}

std::string headers_of(const std::string& r) { return r.substr(0, r.find("\r\n\r\n")); }
std::string body_of(const std::string& r) {
    std::size_t end = r.find("\r\n\r\n");
    return end == std::string::npos ? "" : r.substr(end + 4);
}
bool contains(const std::string& s, const std::string& needle) { return s.find(needle) != std::string::npos; }
std::size_t count_of(const std::string& s, const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t at = s.find(needle); at != std::string::npos; at = s.find(needle, at + 1)) ++n;
    return n;
}

std::vector<std::string> lines_of(const std::string& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) out.push_back(line);
    return out;
}

std::string index_jsonl(const TempDir& dir, const std::string& jsonl) {
    { std::ofstream(dir / "docs.jsonl") << jsonl; }
    auto r = run_command({index_bin(), "--quiet", "--db", dir / "db", dir / "docs.jsonl"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return dir / "db";
}

}  // namespace

TEST(DocumentPage, ShowsTheWholeTextWithLinkedMatches) {
    auto r = cgi({"doc=sample-001", "q=convoy"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(contains(headers_of(r.out), "Status: 200 OK")) << r.out;
    std::string body = body_of(r.out);
    EXPECT_EQ(count_of(body, "<h1"), 1u) << body;
    EXPECT_TRUE(contains(body, "<mark id=\"m1\">")) << body;
    EXPECT_TRUE(contains(body, "href=\"#m2\" title=\"Next match\"")) << body;
    EXPECT_TRUE(contains(body, "title=\"Previous match\"")) << body;
    EXPECT_TRUE(contains(body, "not a solution")) << "the text's end is shown";
    EXPECT_TRUE(contains(body, "<dt>Source</dt>")) << body;
    EXPECT_TRUE(contains(body, "f=source%3Alevant-wire")) << "the source searches its own filter";
    EXPECT_TRUE(contains(body, "https://example.org/levant-wire/darayya-first-aid-convoy"));
    EXPECT_FALSE(contains(body, "<script"));
}

TEST(DocumentPage, UnknownIdIsANotFoundPageThatEscapesTheId) {
    auto r = cgi({"doc=<b>nope"});
    EXPECT_TRUE(contains(headers_of(r.out), "Status: 404")) << r.out;
    EXPECT_FALSE(contains(r.out, "<b>nope"));
    EXPECT_TRUE(contains(r.out, "&lt;b&gt;nope"));
}

TEST(DocumentPage, EveryResultTitleLinksToIt) {
    std::string body = body_of(cgi({"q=aleppo"}).out);
    std::size_t titles = count_of(body, "<h2 class=\"title\">");
    ASSERT_GT(titles, 0u);
    EXPECT_EQ(count_of(body, "<h2 class=\"title\"><a href=\"warsearch.cgi?doc="), titles) << body;
}

TEST(DocumentPage, KeepsTextPastTheSnippetStore) {
    TempDir dir;
    std::string words;
    for (int i = 0; i < 5000; ++i) words += "filler" + std::to_string(i % 97) + " ";
    std::string db =
        index_jsonl(dir, R"({"id":"long1","title":"Long report","body":")" + words +
                             R"( the final sentence mentions pomegranate","date":"2020-01-01","source":"s"})"
                             "\n");
    auto r = search({"--show", "long1", "pomegranate"}, db);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "[pomegranate]")) << "a match past 20 KiB is marked";
    EXPECT_TRUE(contains(r.out, "matches: 1"));
    auto json = nlohmann::json::parse(search({"--show", "long1", "--json"}, db).out);
    EXPECT_GT(json["body"].get<std::string>().size(), 20u * 1024);
}

TEST(DocumentPage, ListsCopiesAndLiveBlogEntries) {
    auto copies = nlohmann::json::parse(search({"--show", "sample-009", "--json"}).out);
    EXPECT_GE(copies["copies"].size(), 1u) << copies.dump();
    auto entries = search_json({"kind:entry"});
    ASSERT_FALSE(entries["hits"].empty());
    std::string entry = entries["hits"][0]["id"];
    auto blog = nlohmann::json::parse(search({"--show", entry, "--json"}).out);
    ASSERT_TRUE(blog.contains("entries")) << blog.dump();
    EXPECT_GE(blog["entries"].size(), 2u);
    int last = 0;
    for (const auto& e : blog["entries"]) {
        int n = e.value("entry", 0);
        EXPECT_GE(n, last) << "entries in order";
        last = n;
    }
    std::string page = body_of(cgi({"doc=" + entry}).out);
    EXPECT_TRUE(contains(page, "Entries of this live blog")) << page;
    EXPECT_TRUE(contains(page, "aria-current=\"page\""));
}

TEST(Export, CsvHasAHeaderAndEveryMatch) {
    auto page = search_json({"--limit", "1000", "--no-collapse", "aleppo"});
    auto r = search({"--export", "csv", "--no-collapse", "aleppo"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto rows = lines_of(r.out);
    ASSERT_FALSE(rows.empty());
    EXPECT_EQ(rows[0], "id,title,date,source,url,dateline,byline,factions,places,organisations,story,copies,parent\r");
    EXPECT_EQ(rows.size() - 1, page["hits"].size()) << r.out;
    // Collapsed: one row per story, so never more rows.
    auto collapsed = lines_of(search({"--export", "csv", "aleppo"}).out);
    EXPECT_LE(collapsed.size(), rows.size());
}

TEST(Export, ChunksWalkEveryMatchOnce) {
    TempDir dir;
    std::string jsonl;
    for (int i = 0; i < 2500; ++i)
        jsonl += R"({"id":"x)" + std::to_string(i) + R"(","title":"Report )" + std::to_string(i) +
                 R"(, with a comma","body":"quince orchard )" + std::to_string(i) + R"(","date":"2020-01-)" +
                 std::to_string(1 + i % 28) + R"(","source":"s"})" + "\n";
    std::string db = index_jsonl(dir, jsonl);
    auto r = search({"--export", "jsonl", "--no-collapse", "--export-chunk", "700", "quince"}, db);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto rows = lines_of(r.out);
    ASSERT_EQ(rows.size(), 2500u);
    std::set<std::string> ids;
    std::string last = "9999";
    for (const auto& row : rows) {
        auto j = nlohmann::json::parse(row);
        ids.insert(j["id"].get<std::string>());
        EXPECT_LE(j["date"].get<std::string>(), last) << "newest first";
        last = j["date"].get<std::string>();
    }
    EXPECT_EQ(ids.size(), 2500u) << "no row twice across chunks (of 700)";
    auto csv = cgi({"q=quince", "format=csv", "collapse=0"}, db);
    EXPECT_TRUE(contains(headers_of(csv.out), "Content-Type: text/csv")) << headers_of(csv.out);
    EXPECT_EQ(lines_of(body_of(csv.out)).size(), 2501u);
    EXPECT_TRUE(contains(csv.out, "\"Report 7, with a comma\"")) << "RFC 4180 quoting";
}

TEST(Export, CsvNeutralisesFormulas) {
    TempDir dir;
    std::string db = index_jsonl(dir, R"J({"id":"f1","title":"=HYPERLINK(\"http://x\")","body":"medlar","source":"s"})J"
                                      "\n");
    auto r = search({"--export", "csv", "medlar"}, db);
    EXPECT_TRUE(contains(r.out, "\"'=HYPERLINK(\"\"http://x\"\")\"")) << r.out;
}

TEST(Export, PageLinksToExportsAndFeed) {
    std::string body = body_of(cgi({"q=aleppo", "f=source:levant-wire"}).out);
    EXPECT_TRUE(contains(body, "format=csv")) << body;
    EXPECT_TRUE(contains(body, "format=jsonl"));
    EXPECT_TRUE(contains(body, "<link rel=\"alternate\" type=\"application/atom+xml\""));
    EXPECT_TRUE(contains(body, "f=source%3Alevant-wire&amp;format=csv"));
}

TEST(Feed, AtomHasStableIdsAndNewestFirst) {
    auto a = cgi({"q=aleppo", "format=atom"});
    EXPECT_TRUE(contains(headers_of(a.out), "Content-Type: application/atom+xml")) << a.out;
    std::string feed = body_of(a.out);
    EXPECT_TRUE(contains(feed, "<feed xmlns=\"http://www.w3.org/2005/Atom\">"));
    EXPECT_TRUE(contains(feed, "<id>urn:warsearch:report:sample-"));
    EXPECT_EQ(feed, body_of(cgi({"q=aleppo", "format=atom"}).out)) << "the same feed twice";
    std::regex updated("<entry>\\n<id>[^<]*</id>\\n<title>[^<]*</title>\\n<updated>([^<]*)</updated>");
    std::string last = "9999";
    for (std::sregex_iterator it(feed.begin(), feed.end(), updated), end; it != end; ++it) {
        EXPECT_LE((*it)[1].str(), last);
        last = (*it)[1].str();
    }
    EXPECT_LE(count_of(feed, "<entry>"), 50u);
}

TEST(PageFixes, LongQueryIsRefusedNotCut) {
    auto r = cgi({"q=" + std::string(3000, 'a')});
    EXPECT_TRUE(contains(headers_of(r.out), "Status: 400")) << headers_of(r.out);
    EXPECT_TRUE(contains(r.out, "longer than 2048 bytes"));
    EXPECT_FALSE(contains(r.out, std::string(2048, 'a')));
}

TEST(PageFixes, DirectionOverridesAreDropped) {
    TempDir dir;
    std::string db = index_jsonl(dir,
                                 "{\"id\":\"b1\",\"title\":\"Plum \u202Ereversed\u202C title\",\"body\":\"plum "
                                 "\u2067isolated\u2069 text\",\"source\":\"s\"}\n");
    std::string body = body_of(cgi({"q=plum"}, db).out);
    EXPECT_TRUE(contains(body, "reversed")) << body;
    EXPECT_FALSE(contains(body, "\u202E"));
    EXPECT_FALSE(contains(body, "\u2067"));
    std::string doc = body_of(cgi({"doc=b1"}, db).out);
    EXPECT_FALSE(contains(doc, "\u202E"));
}

TEST(PageFixes, OneH1FacetsFirstAndSourceLinkMatchesTheSidebar) {
    std::string body = body_of(cgi({"q=aleppo"}).out);
    EXPECT_EQ(count_of(body, "<h1"), 1u);
    EXPECT_LT(body.find("class=\"facets\""), body.find("class=\"hits\"")) << "facets come first in tab order";
    EXPECT_TRUE(contains(body, "class=\"skip\""));
    EXPECT_TRUE(contains(body, "rel=\"icon\""));
    // Every source link on a result is a filter the sidebar also offers.
    std::regex source_link("class=\"source\" href=\"[^\"]*f=(source%3A[^&\"]*)");
    for (std::sregex_iterator it(body.begin(), body.end(), source_link), end; it != end; ++it)
        EXPECT_GE(count_of(body, (*it)[1].str()), 2u) << (*it)[1].str();
    std::string filtered = body_of(cgi({"q=aleppo", "f=source:levant-wire"}).out);
    EXPECT_TRUE(contains(filtered, "class=\"on\" aria-current=\"true\"")) << "the sidebar shows it active";
}

TEST(PageFixes, WhyThisMatchedIsInWords) {
    std::string body = body_of(cgi({"q=shelled"}).out);
    EXPECT_TRUE(contains(body, "a form of \u201cshelled\u201d")) << body;
    EXPECT_FALSE(contains(body, "<code class=\"term\">"));
}

namespace {

// "<strong>12 results</strong>" -> 12 (-1 when absent).
long result_count(const std::string& body) {
    std::smatch m;
    if (!std::regex_search(body, m, std::regex(R"(<strong>(?:About )?(\d+) results?</strong>)"))) return -1;
    return std::stol(m[1]);
}

}  // namespace

TEST(Facets, TwoValuesOfOneFacetAreEitherAndAValueCanBeExcluded) {
    long one = result_count(body_of(cgi({"q=aleppo", "f=source:levant-wire"}).out));
    long other = result_count(body_of(cgi({"q=aleppo", "f=source:orontes-post"}).out));
    long either = result_count(body_of(cgi({"q=aleppo", "f=source:levant-wire|orontes-post"}).out));
    ASSERT_GT(one, 0);
    ASSERT_GT(other, 0);
    EXPECT_GT(either, std::max(one, other)) << "OR of two sources";
    EXPECT_LE(either, one + other);
    long all = result_count(body_of(cgi({"q=aleppo"}).out));
    long without = result_count(body_of(cgi({"q=aleppo", "f=-source:levant-wire"}).out));
    EXPECT_LT(without, all) << "excluding a source";
    auto cli = search_json({"--no-collapse", "--limit", "100", "--filter", "-source:levant-wire", "aleppo"});
    for (const auto& h : cli["hits"]) EXPECT_NE(h["source"], "levant-wire");
    // With one source chosen, the source facet still lists the others, with "or" and "not".
    std::string page = body_of(cgi({"q=aleppo", "f=source:levant-wire"}).out);
    EXPECT_TRUE(contains(page, "f=source%3Alevant-wire%7Corontes-post")) << page;
    EXPECT_TRUE(contains(page, "f=-source%3Aorontes-post")) << page;
    EXPECT_TRUE(contains(body_of(cgi({"q=aleppo", "f=-source:levant-wire"}).out), "Not Source: levant-wire"));
}

TEST(Facets, MoreShowsEveryValuePaged) {
    std::string q = "q=syria OR aleppo OR ukraine OR attack";
    std::string page = body_of(cgi({q}).out);
    EXPECT_TRUE(contains(page, "more=faction#facet-faction\">More ›</a>")) << page;
    std::string more = body_of(cgi({q, "more=faction"}).out);
    std::size_t at = more.find("id=\"facet-faction\"");
    ASSERT_NE(at, std::string::npos);
    std::string list = more.substr(at, more.find("</ul>", at) - at);
    EXPECT_GT(count_of(list, "<li>"), 10u) << list;
    EXPECT_TRUE(contains(more, ">Fewer</a>"));
    EXPECT_TRUE(contains(body_of(cgi({q, "more=<x>"}).out), "More ›")) << "a bad name is ignored";
}

TEST(Facets, TimelineIsAnSvgOfLinkedBarsOnAnEvenAxis) {
    std::string body = body_of(cgi({"q=aleppo"}).out);
    std::size_t at = body.find("<figure class=\"timeline\">");
    ASSERT_NE(at, std::string::npos) << body;
    std::string chart = body.substr(at, body.find("</figure>", at) - at);
    EXPECT_TRUE(contains(chart, "<svg viewBox=")) << chart;
    EXPECT_GE(count_of(chart, "<rect"), 2u);
    EXPECT_EQ(count_of(chart, "<rect"), count_of(chart, "f=date%3A")) << "every bar is a link to its month";
    EXPECT_FALSE(contains(chart, "style=")) << "no style attributes (the CSP forbids them)";
    // Bars sit on an even time axis: Jul 2012 and Jul 2016 are 48 months apart.
    std::smatch first;
    ASSERT_TRUE(std::regex_search(chart, first, std::regex(R"R(<rect x="([\d.]+)".*?width="([\d.]+)")R")));
    EXPECT_LT(std::stod(first[2]), 20.0) << "a bar per month of the span, not per month with matches";
}
