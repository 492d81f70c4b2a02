// warsearch.cgi: the search page as a CGI program.  With REQUEST_METHOD unset it runs in
// test mode: NAME=VALUE arguments stand in for the query string.
#include <cstdlib>
#include <iostream>

#include "warsearch/cgi.h"
#include "warsearch/text.h"

using namespace warsearch;

int main(int argc, char** argv) {
    CgiConfig config;
    if (const char* db = std::getenv("WARSEARCH_DB")) config.db_path = db;
    if (const char* sn = std::getenv("SCRIPT_NAME")) config.script_name = sn;
    std::string qs;
    if (std::getenv("REQUEST_METHOD")) {
        if (const char* q = std::getenv("QUERY_STRING")) qs = q;
    } else {
        for (int i = 1; i < argc; ++i) {
            if (!qs.empty()) qs += '&';
            std::string arg = argv[i];
            std::size_t eq = arg.find('=');
            qs += url_encode(arg.substr(0, eq));
            if (eq != std::string::npos) qs += "=" + url_encode(arg.substr(eq + 1));
        }
    }
    std::string log;
    std::string response = handle_cgi_request(parse_query_string(qs), config, log);
    if (!log.empty()) std::cerr << log;
    std::cout << response;
    return 0;
}
