// libFuzzer target: a whole CGI request (parameters, validation, search, HTML page) on a
// small database.  The input is the undecoded QUERY_STRING.  The response always has a
// status and a content type, and never carries a script element: the page has none, so
// one could only come from unescaped input.
#include "fuzz_db_support.h"
#include "fuzz_support.h"
#include "searcher/cgi/cgi.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const warsearch::CgiConfig config = [] {
        warsearch::CgiConfig c;
        c.databases = warsearch::parse_database_list(warsearch::fuzz::sample_db_path());
        return c;
    }();
    warsearch::CgiRequest request;
    request.query_string.assign(reinterpret_cast<const char*>(data), size);
    std::string log;
    std::string response = warsearch::handle_cgi_request(request, config, log);
    warsearch::fuzz::require(response.rfind("Status: ", 0) == 0, "a response starts with its status");
    warsearch::fuzz::require(response.find("Content-Type: ") != std::string::npos, "a content type");
    warsearch::fuzz::require(response.find("<script") == std::string::npos, "no script element");
    return 0;
}
