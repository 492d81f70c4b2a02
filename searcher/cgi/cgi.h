// The CGI search page: request parameters in, a complete HTTP response out.  The binary
// only gathers the request (CGI environment, FastCGI, or test-mode arguments) and writes
// the response, so the page can be tested without a server.  The HTML itself is drawn by
// cgi_page.h; this file validates the request and runs the search.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "searcher/search_types.h"

namespace warsearch {

class Searcher;
struct PageModel;

/// One database the page may search, chosen by name (`db=NAME`), never by path.
struct CgiDatabase {
    std::string name;  ///< shown in the collection selector; "" for the only one
    std::string path;  ///< directory or stub file
};

/// How the page is set up: all of it comes from the server's configuration
/// (environment), never from the URL.
struct CgiConfig {
    /// The databases, from WARSEARCH_DB (see parse_database_list); the first is the
    /// default when the request names none.
    std::vector<CgiDatabase> databases;
    std::string script_name = "warsearch.cgi";  ///< for self-links (SCRIPT_NAME)
    std::size_t results_per_page = 10;          ///< default page size (`n=` may ask for 1..50)
    std::size_t max_filters = 20;               ///< `f=` parameters beyond this are ignored
    /// Facet values held in memory per database (SearcherOptions::facet_cache_bytes); the
    /// FastCGI server sets it (WARSEARCH_FACET_CACHE_MB, default 256), plain CGI not.
    std::size_t facet_cache_bytes = 0;
    /// When facets are counted on threads of their own (SearcherOptions::facet_threads);
    /// from WARSEARCH_FACET_THREADS: 0 never, 1 always, heavy, large.  Default: never
    /// for CGI (one search a process: the threads' databases would open cold), large for
    /// FastCGI.
    FacetThreads facet_threads = FacetThreads::off;
    /// Whether the process answers one request and exits (plain CGI; not FastCGI):
    /// SearcherOptions::single_search_process.
    bool single_search_process = true;
};

/// Reads WARSEARCH_DB: either one path, or "name=path,name2=path2" (names are letters,
/// digits, '-' and '_').  An empty value gives no database (every search then fails
/// with "search is not configured" in the server log).
std::vector<CgiDatabase> parse_database_list(std::string_view value);

/// Parsed request parameters, in order; names may repeat (`f=`).
using CgiParams = std::multimap<std::string, std::string>;

/// Parses an application/x-www-form-urlencoded string ("q=a+b&page=2").  A value over
/// 2,048 bytes is dropped and a parameter "!cut" with its name added (the page refuses
/// such a query with a message rather than search it cut), invalid UTF-8 is repaired, names over 32 bytes are dropped
/// and at most 64 parameters are read.
CgiParams parse_query_string(std::string_view qs);

/// One HTTP request as the server hands it to us.
struct CgiRequest {
    std::string method = "GET";  ///< REQUEST_METHOD; only GET and HEAD are served
    std::string query_string;    ///< QUERY_STRING, undecoded
};

/// Serves the page.  Keeps one Searcher per database open between requests (FastCGI)
/// and reopens it at the latest revision before each search, so a reindex shows up
/// without a restart.  Not thread-safe: one per process or per thread.
class CgiApp {
  public:
    explicit CgiApp(CgiConfig config);
    ~CgiApp();
    CgiApp(const CgiApp&) = delete;
    CgiApp& operator=(const CgiApp&) = delete;

    /// Builds the full response (status as a CGI "Status:" header, headers, blank
    /// line, body; no body for HEAD).  Never throws: database and internal errors
    /// become a short page and their cause is appended to @a log (the server's error
    /// log); a bad query becomes a 400 page that says what to fix; other methods
    /// than GET and HEAD get 405.
    std::string handle(const CgiRequest& request, std::string& log);

    /// As handle(), the response handed to @a write in pieces: an export
    /// (`format=csv`, `format=jsonl`: every match, export.h) is streamed chunk by chunk,
    /// so memory stays flat at any size; anything else is written whole.  A database
    /// failure in the middle of an export ends it early (cause in @a log).
    void handle_stream(const CgiRequest& request, std::string& log, const std::function<void(std::string_view)>& write);

    const CgiConfig& config() const { return config_; }

  private:
    std::string respond(const CgiRequest& request, std::string& log);
    /// Runs the search of a valid form on @a db (null: none configured) and draws the
    /// answer in @a format: the page ("" or anything unknown), "json", or "atom" (the
    /// 50 newest matches); a 400 for a query to fix, a 503 (cause in @a log).
    std::string answer(PageModel& model, const CgiDatabase* db, const std::string& format, std::string& log);
    /// The document page of report @a id (or its JSON): 404 when there is none.
    std::string document_response(const std::string& id, PageModel& model, const CgiDatabase* db, bool json,
                                  std::string& log);
    Searcher& searcher_for(const CgiDatabase& db);

    CgiConfig config_;
    std::map<std::string, std::unique_ptr<Searcher>> searchers_;  // by path
};

/// One request with a fresh CgiApp (plain CGI: one process per request).
std::string handle_cgi_request(const CgiRequest& request, const CgiConfig& config, std::string& log);

}  // namespace warsearch
