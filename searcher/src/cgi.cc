#include "warsearch/cgi.h"

#include <cstdio>

#include "warsearch/render.h"
#include "warsearch/searcher.h"
#include "warsearch/text.h"

namespace warsearch {
namespace {

constexpr std::size_t kMaxParamBytes = 2048;
constexpr std::size_t kMaxParams = 64;

std::string param(const CgiParams& p, const std::string& name) {
    auto it = p.find(name);
    return it == p.end() ? std::string() : it->second;
}

std::string headers(const char* status, const char* type) {
    std::string h = "Status: ";
    h += status;
    h += "\r\nContent-Type: ";
    h += type;
    h += "\r\nX-Content-Type-Options: nosniff\r\n"
         "Content-Security-Policy: default-src 'none'; style-src 'self' 'unsafe-inline'; "
         "img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'\r\n"
         "Referrer-Policy: same-origin\r\n\r\n";
    return h;
}

std::string page(const std::string& query, const std::string& main) {
    std::string q = html_escape(query);
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
           "<title>" + (q.empty() ? std::string("warsearch") : q + " - warsearch") + "</title></head><body>"
           "<form method=\"get\" role=\"search\"><label for=\"q\">Search</label> "
           "<input id=\"q\" name=\"q\" type=\"search\" value=\"" + q + "\"> "
           "<button type=\"submit\">Search</button></form>\n" + main + "</body></html>\n";
}

}  // namespace

CgiParams parse_query_string(std::string_view qs) {
    CgiParams out;
    std::size_t start = 0;
    while (start <= qs.size() && out.size() < kMaxParams) {
        std::size_t amp = qs.find('&', start);
        std::string_view pair = qs.substr(start, amp == std::string_view::npos ? std::string_view::npos : amp - start);
        if (!pair.empty()) {
            std::size_t eq = pair.find('=');
            std::string name = url_decode(pair.substr(0, eq));
            std::string value = eq == std::string_view::npos ? std::string() : url_decode(pair.substr(eq + 1));
            if (value.size() > kMaxParamBytes) value.resize(kMaxParamBytes);
            if (!is_valid_utf8(value)) value = repair_utf8(value);
            if (name.size() <= 32) out.emplace(name, value);
        }
        if (amp == std::string_view::npos) break;
        start = amp + 1;
    }
    return out;
}

std::string handle_cgi_request(const CgiParams& params, const CgiConfig& config, std::string& log) {
    std::string query = param(params, "q");
    bool json = param(params, "format") == "json";
    long page_no = 1;
    std::string page_text = param(params, "page");
    if (!page_text.empty()) {
        char* end = nullptr;
        page_no = std::strtol(page_text.c_str(), &end, 10);
        if (*end || page_no < 1) page_no = 1;
        if (page_no > 1000) page_no = 1000;
    }
    if (query.empty())
        return headers("200 OK", "text/html; charset=utf-8") + page("", "<p>Type a query.</p>\n");
    SearchRequest req;
    req.query = query;
    req.limit = config.results_per_page;
    req.offset = static_cast<Xapian::doccount>((page_no - 1) * static_cast<long>(config.results_per_page));
    try {
        Searcher searcher(config.db_path);
        SearchResult r = searcher.search(req);
        if (json) return headers("200 OK", "application/json; charset=utf-8") + render_json(r) + "\n";
        std::string main;
        main += "<p>" + std::to_string(r.estimate) + " results</p>\n<ol start=\"" +
                std::to_string(r.offset + 1) + "\">\n";
        for (const auto& h : r.hits) {
            main += "<li><h2>";
            std::string title = html_escape(h.fields.title);
            const std::string& url = h.fields.url;
            if (url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0)
                main += "<a href=\"" + html_escape(url) + "\">" + title + "</a>";
            else
                main += title;
            main += "</h2><p>" + html_escape(h.fields.source) + " " + html_escape(h.fields.date) + "</p><p>";
            for (const auto& s : h.snippet)
                main += s.match ? "<mark>" + html_escape(s.text) + "</mark>" : html_escape(s.text);
            main += "</p></li>\n";
        }
        main += "</ol>\n";
        return headers("200 OK", "text/html; charset=utf-8") + page(query, main);
    } catch (const QueryError& e) {
        std::string msg = e.what();
        if (json) {
            return headers("400 Bad Request", "application/json; charset=utf-8") +
                   "{\"error\":\"bad query\"}\n";
        }
        return headers("400 Bad Request", "text/html; charset=utf-8") +
               page(query, "<p role=\"alert\">Bad query: " + html_escape(msg) + "</p>\n");
    } catch (const Xapian::Error& e) {
        log += "warsearch.cgi: " + e.get_description() + "\n";
    } catch (const std::exception& e) {
        log += std::string("warsearch.cgi: ") + e.what() + "\n";
    }
    return headers("503 Service Unavailable", "text/html; charset=utf-8") +
           page(query, "<p role=\"alert\">Search is unavailable right now. Please try again later.</p>\n");
}

}  // namespace warsearch
