// warsearch.cgi: the search page as a CGI program or a FastCGI server.
//
// Which mode, in this order:
//   --fastcgi            FastCGI on the listening socket the server passed as stdin
//                        (lighttpd "bin-path", spawn-fcgi, cgi-fcgi -start);
//   --listen ADDR        FastCGI on a socket of its own: a path, ":PORT" or "HOST:PORT";
//   REQUEST_METHOD set   plain CGI, one request;
//   stdin is a socket    FastCGI as with --fastcgi (a server started us so);
//   otherwise            test mode: NAME=VALUE arguments stand in for the query string.
// The database comes from WARSEARCH_DB in the environment (for FastCGI also from the
// request's WARSEARCH_DB parameter, which only the server can set), never the URL.
#include <fcgiapp.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "common/text/text.h"
#include "searcher/cgi/cgi.h"

using namespace warsearch;

namespace {

constexpr const char* kUsage =
    "usage: warsearch.cgi                      (CGI: under a web server)\n"
    "       warsearch.cgi --fastcgi            (FastCGI on the socket given as stdin)\n"
    "       warsearch.cgi --listen ADDR        (FastCGI on a path, :PORT or HOST:PORT)\n"
    "       WARSEARCH_DB=idx warsearch.cgi q='barrel bombs' page=2   (test mode)\n"
    "WARSEARCH_DB is a database path, or name=path,name2=path2 (chosen with db=name).\n"
    "WARSEARCH_FACET_CACHE_MB (FastCGI): facet values kept in memory per database, in MB\n"
    "(default 256; 0 reads them from the index on every search).\n"
    "WARSEARCH_FACET_THREADS: count facets on threads of their own while the page is\n"
    "prepared: 0 never (CGI default: a request's threads would open their databases\n"
    "cold), 1 always (lower latency on idle cores, fewer requests/s under load), heavy:\n"
    "phrases with thousands of candidates, large (FastCGI default): those and counts of\n"
    "thousands of matches; heavy and large only while a core is idle.\n";

CgiConfig config_from(const char* db, const char* script_name, bool long_running) {
    CgiConfig config;
    if (db) config.databases = parse_database_list(db);
    if (script_name && *script_name) config.script_name = script_name;
    config.facet_threads = long_running ? warsearch::FacetThreads::large : warsearch::FacetThreads::off;
    config.single_search_process = !long_running;
    if (const char* env = std::getenv("WARSEARCH_FACET_THREADS"); env && *env) {
        std::string_view when(env);
        if (when == "0")
            config.facet_threads = warsearch::FacetThreads::off;
        else if (when == "1")
            config.facet_threads = warsearch::FacetThreads::always;
        else if (when == "heavy")
            config.facet_threads = warsearch::FacetThreads::heavy;
        else if (when == "large")
            config.facet_threads = warsearch::FacetThreads::large;
        else
            std::cerr << "warsearch.cgi: WARSEARCH_FACET_THREADS is not 0, 1, heavy or large: " << env << "\n";
    }
    if (long_running) {
        std::size_t mb = 256;
        if (const char* env = std::getenv("WARSEARCH_FACET_CACHE_MB"); env && *env) {
            char* end = nullptr;
            unsigned long long v = std::strtoull(env, &end, 10);
            if (end && *end == '\0' && v <= (1ull << 20))
                mb = static_cast<std::size_t>(v);
            else
                std::cerr << "warsearch.cgi: WARSEARCH_FACET_CACHE_MB is not a number of MB: " << env << "\n";
        }
        config.facet_cache_bytes = mb << 20;
    }
    return config;
}

int run_fastcgi(const char* listen_addr) {
    std::signal(SIGPIPE, SIG_IGN);  // a client that went away must not end the server
    if (FCGX_Init() != 0) {
        std::cerr << "warsearch.cgi: cannot initialise FastCGI\n";
        return 1;
    }
    int sock = 0;
    if (listen_addr) {
        sock = FCGX_OpenSocket(listen_addr, 128);
        if (sock < 0) {
            std::cerr << "warsearch.cgi: cannot listen on " << listen_addr << ": " << std::strerror(errno) << "\n";
            return 1;
        }
    }
    FCGX_Request request;
    FCGX_InitRequest(&request, sock, 0);
    const char* env_db = std::getenv("WARSEARCH_DB");
    // One app (and so one set of open databases) per configuration; in practice one.
    std::map<std::string, std::unique_ptr<CgiApp>> apps;
    while (FCGX_Accept_r(&request) == 0) {
        const char* db = FCGX_GetParam("WARSEARCH_DB", request.envp);
        if (!db) db = env_db;
        const char* script = FCGX_GetParam("SCRIPT_NAME", request.envp);
        std::string key = std::string(db ? db : "") + '\n' + (script ? script : "");
        if (apps.size() > 16 && !apps.count(key)) apps.clear();
        auto& app = apps[key];
        if (!app) app = std::make_unique<CgiApp>(config_from(db, script, true));
        CgiRequest req;
        if (const char* m = FCGX_GetParam("REQUEST_METHOD", request.envp)) req.method = m;
        if (const char* q = FCGX_GetParam("QUERY_STRING", request.envp)) req.query_string = q;
        std::string log;
        app->handle_stream(req, log, [&](std::string_view piece) {
            FCGX_PutStr(piece.data(), static_cast<int>(piece.size()), request.out);
        });
        if (!log.empty()) FCGX_PutStr(log.data(), static_cast<int>(log.size()), request.err);
        FCGX_Finish_r(&request);
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const char* listen_addr = nullptr;
    bool fastcgi = false;
    if (argc > 1 && std::strncmp(argv[1], "--", 2) == 0) {
        std::string opt = argv[1];
        if (opt == "--fastcgi" && argc == 2) {
            fastcgi = true;
        } else if (opt == "--listen" && argc == 3) {
            fastcgi = true;
            listen_addr = argv[2];
        } else {
            std::cout << kUsage;
            return opt == "--help" ? 0 : 1;
        }
    }
    const char* method = std::getenv("REQUEST_METHOD");
    if (!fastcgi && !method) {
        FCGX_Init();
        fastcgi = !FCGX_IsCGI();  // stdin is a listening socket
    }
    if (fastcgi) return run_fastcgi(listen_addr);

    CgiRequest request;
    if (method) {
        request.method = method;
        if (const char* q = std::getenv("QUERY_STRING")) request.query_string = q;
    } else {
        for (int i = 1; i < argc; ++i) {
            if (!request.query_string.empty()) request.query_string += '&';
            std::string arg = argv[i];
            std::size_t eq = arg.find('=');
            request.query_string += url_encode(arg.substr(0, eq));
            if (eq != std::string::npos) request.query_string += "=" + url_encode(arg.substr(eq + 1));
        }
    }
    std::string log;
    // One request, then exit: the app (its databases, caches and mapped files) is left
    // to the operating system, which frees it faster than its destructors do (they were
    // ~3% of a request).  The sanitizer build destroys it, so that leaks still show.
    auto* app = new CgiApp(config_from(std::getenv("WARSEARCH_DB"), std::getenv("SCRIPT_NAME"), false));
    // Exports stream in chunks (CgiApp::handle_stream): memory stays flat at any size.
    app->handle_stream(request, log, [](std::string_view piece) { std::cout.write(piece.data(), piece.size()); });
    std::cout.flush();
    if (!log.empty()) std::cerr << log;
#if defined(__SANITIZE_ADDRESS__)
    delete app;
    return 0;
#else
    std::_Exit(0);
#endif
}
