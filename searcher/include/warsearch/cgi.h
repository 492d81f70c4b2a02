// The CGI search page: request parameters in, a complete HTTP response out.  The binary
// only gathers the request (CGI environment, FastCGI, or test-mode arguments) and writes
// the response, so the page can be tested without a server.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace warsearch {

/// Where the page finds its database: set by the server's configuration (environment),
/// never by the URL.
struct CgiConfig {
    std::string db_path;        ///< WARSEARCH_DB
    std::string script_name = "warsearch.cgi";  ///< for self-links (SCRIPT_NAME)
    std::size_t results_per_page = 10;
};

/// Parsed request parameters: the first value of each known name, length-capped.
using CgiParams = std::multimap<std::string, std::string>;

/// Parses an application/x-www-form-urlencoded string ("q=a+b&page=2").  Parameters
/// over 2,048 bytes are cut, and at most 64 are read.
CgiParams parse_query_string(std::string_view qs);

/// Builds the full response (status line as a CGI "Status:" header, headers, blank line,
/// body) for one request.  Never throws: errors become a short page and are logged to
/// @a log (the server's error log).
std::string handle_cgi_request(const CgiParams& params, const CgiConfig& config, std::string& log);

}  // namespace warsearch
