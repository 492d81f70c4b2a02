#include "searcher/cgi/cgi.h"

#include <xapian.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <optional>
#include <utility>

#include "common/text/dates.h"
#include "common/text/text.h"
#include "searcher/atom.h"
#include "searcher/cgi/cgi_page.h"
#include "searcher/cgi/document_page.h"
#include "searcher/document.h"
#include "searcher/export.h"
#include "searcher/render.h"
#include "searcher/searcher.h"

namespace warsearch {
namespace {

constexpr std::size_t kMaxParamBytes = 2048;
constexpr std::size_t kMaxParams = 64;
constexpr std::size_t kMaxNameBytes = 32;
constexpr std::size_t kMaxFilterBytes = 200;
constexpr std::size_t kMaxPage = 1000;
constexpr std::size_t kMaxPerPage = 50;
// Added by parse_query_string, with a parameter's name as its value, for each value
// over kMaxParamBytes (the value itself is dropped).
constexpr std::string_view kCutParam = "!cut";

// The filter fields a page link may carry; anything else in `f=` is dropped.
constexpr std::string_view kFilterFields[] = {"faction", "location", "organisation", "source",
                                              "date",    "parent",   "dateline"};

// 'self' is the stylesheet at ?asset=style.css; nothing inline, no script at all.
constexpr const char* kSecurityHeaders =
    "X-Content-Type-Options: nosniff\r\n"
    "Content-Security-Policy: default-src 'none'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'\r\n"
    "Referrer-Policy: same-origin\r\n"
    "X-Frame-Options: DENY\r\n";

std::string headers(const char* status, const char* type, const char* extra = "") {
    std::string h = "Status: ";
    h += status;
    h += "\r\nContent-Type: ";
    h += type;
    h += "\r\n";
    h += kSecurityHeaders;
    h += extra;
    h += "\r\n";
    return h;
}

std::string first(const CgiParams& p, const std::string& name) {
    auto it = p.find(name);
    return it == p.end() ? std::string() : it->second;
}

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

// A bounded number: digits only (anything else gives @a fallback), clamped to lo..hi.
std::size_t bounded(const std::string& text, std::size_t fallback, std::size_t lo, std::size_t hi) {
    if (!all_digits(text)) return fallback;
    if (text.size() > 9) return hi;
    std::size_t v = std::strtoul(text.c_str(), nullptr, 10);
    return std::clamp(v, lo, hi);
}

// YYYY, YYYY-MM or YYYY-MM-DD.
bool is_date_bound(std::string_view s) {
    if (s.size() != 4 && s.size() != 7 && s.size() != 10) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        bool dash = i == 4 || i == 7;
        if (dash ? s[i] != '-' : !std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    }
    return true;
}

bool has_control(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; });
}

// "faction:KEY" with a known field and a short, printable value; "" when not.
std::string valid_filter(const std::string& f) {
    // "-field:value" excludes; the field is checked without the '-'.
    std::size_t colon = f.find(':');
    std::size_t field_start = !f.empty() && f[0] == '-' ? 1 : 0;
    if (colon == std::string::npos || colon + 1 >= f.size() || f.size() > kMaxFilterBytes) return {};
    if (colon <= field_start) return {};
    std::string_view field(f.data() + field_start, colon - field_start);
    if (std::find(std::begin(kFilterFields), std::end(kFilterFields), field) == std::end(kFilterFields)) return {};
    if (has_control(f)) return {};
    return f;
}

// The form state from the parameters; unknown parameters are ignored, bad values fall
// back to defaults (with a note for the user when they typed it).
PageForm read_form(const CgiParams& params, const CgiConfig& config, std::string& notice) {
    PageForm form;
    form.query = first(params, "q");
    auto [b, e] = params.equal_range("f");
    for (auto it = b; it != e && form.filters.size() < config.max_filters; ++it) {
        std::string f = valid_filter(it->second);
        if (f.empty() || std::find(form.filters.begin(), form.filters.end(), f) != form.filters.end()) continue;
        form.filters.push_back(std::move(f));
    }
    for (auto [name, bound] : {std::pair{"from", &form.from}, std::pair{"to", &form.to}}) {
        std::string v = squeeze_space(first(params, name));
        if (v.empty()) continue;
        if (is_date_bound(v))
            *bound = v;
        else
            notice = "Ignored the date \"" + v.substr(0, 40) + "\": write it as YYYY-MM-DD, YYYY-MM or YYYY.";
    }
    form.sort = sort_order_name(parse_sort_order(first(params, "sort")).value_or(SortOrder::relevance));
    form.page = bounded(first(params, "page"), 1, 1, kMaxPage);
    std::string n = first(params, "n");
    form.per_page = bounded(n, config.results_per_page, 1, kMaxPerPage);
    form.per_page_given = all_digits(n);
    std::string rev = first(params, "rev");
    if (all_digits(rev) && rev.size() <= 18) form.rev = std::strtoull(rev.c_str(), nullptr, 10);
    form.db = first(params, "db");
    std::string more = first(params, "more");
    if (!more.empty() && more.size() <= 32 && std::all_of(more.begin(), more.end(), [](unsigned char c) {
            return std::islower(c) || std::isdigit(c) || c == '.' || c == '_';
        })) {
        form.more = more;
        form.more_page = bounded(first(params, "mp"), 1, 1, 200);
    }
    return form;
}

std::vector<std::string> database_names(const CgiConfig& config) {
    std::vector<std::string> names;
    if (config.databases.size() > 1)
        for (const auto& d : config.databases) names.push_back(d.name);
    return names;
}

std::string html_response(const char* status, const PageModel& model) {
    return headers(status, "text/html; charset=utf-8", "Cache-Control: no-store\r\n") + render_search_page(model);
}

std::string json_error_response(const char* status, const std::string& message) {
    return headers(status, "application/json; charset=utf-8") + render_json_error(message) + "\n";
}

// The search a valid form asks for (its date range aside: see CgiApp::answer).
SearchRequest search_request(const PageForm& form) {
    SearchRequest req;
    req.query = form.query;
    req.filters = form.filters;
    req.sort = parse_sort_order(form.sort).value_or(SortOrder::relevance);
    req.limit = static_cast<Xapian::doccount>(form.per_page);
    req.offset = static_cast<Xapian::doccount>((form.page - 1) * form.per_page);
    req.facets = true;
    // One value past those shown tells the page to offer "more"; with `more=`, the values
    // up to the page asked for (the other facets are cut back to kFacetShown when drawn).
    req.facet_top = form.more.empty() ? kFacetShown + 1 : form.more_page * kFacetMorePage + 1;
    req.at_revision = form.rev;
    return req;
}

// page_link()'s URL as it was before escaping: a URL-encoded link only has '&' to escape.
std::string html_unescape_link(const std::string& escaped) {
    std::string out;
    for (std::size_t i = 0; i < escaped.size(); ++i) {
        out += escaped[i];
        if (escaped.compare(i, 5, "&amp;") == 0) i += 4;
    }
    return out;
}

// The feed's links: the page of the same search, and this feed.
AtomLinks feed_links(const std::string& script_name, const PageForm& form) {
    PageForm page = form;
    page.page = 1;
    page.rev = 0;
    AtomLinks links;
    links.title = "warsearch: " + (form.query.empty() ? std::string("filtered reports") : form.query);
    links.alternate = html_unescape_link(page_link(script_name, page));
    links.self = links.alternate + (links.alternate.find('?') == std::string::npos ? "?" : "&") + "format=atom";
    links.document_prefix = script_name + "?doc=";
    return links;
}

// The values of a "field:A|B" filter.
std::vector<std::string> chosen_values(const std::string& filter) {
    std::vector<std::string> out;
    std::size_t start = filter.find(':') + 1;
    while (start <= filter.size()) {
        std::size_t bar = filter.find('|', start);
        out.push_back(filter.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
        if (bar == std::string::npos) break;
        start = bar + 1;
    }
    return out;
}

// Multi-select facets: the dimension a chosen faction, place or source is listed in is
// counted as if that filter were not set, so its other values stay on the page to be
// added ("or") or switched to.  One facet search without the filter per such filter.
void widen_chosen_facets(Searcher& searcher, const SearchRequest& req, SearchResult& result) {
    for (const auto& filter : req.filters) {
        std::string field = filter.substr(0, filter.find(':'));
        if (field != "faction" && field != "location" && field != "source") continue;
        SearchRequest wide = req;
        wide.filters.erase(std::find(wide.filters.begin(), wide.filters.end(), filter));
        wide.limit = 0;
        wide.offset = 0;
        wide.snippets = false;
        SearchResult other = searcher.search(wide);
        std::vector<std::string> chosen = chosen_values(filter);
        for (auto& facet : result.facets) {
            bool same_field =
                field == "location" ? facet.dimension.rfind("location.", 0) == 0 : facet.dimension == field;
            if (!same_field) continue;
            for (const auto& wider : other.facets) {
                if (wider.dimension != facet.dimension) continue;
                bool holds_choice = std::any_of(wider.values.begin(), wider.values.end(), [&](const FacetCount& v) {
                    return std::find(chosen.begin(), chosen.end(), v.key) != chosen.end();
                });
                if (holds_choice) facet.values = wider.values;
            }
        }
    }
}

bool valid_db_name(std::string_view s) {
    return !s.empty() && s.size() <= 32 &&
           std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '_'; });
}

}  // namespace

std::vector<CgiDatabase> parse_database_list(std::string_view value) {
    std::vector<CgiDatabase> out;
    if (value.empty()) return out;
    // "name=path,..." only when every item has a valid name; otherwise one plain path
    // (which may itself contain ',' or '=').
    std::vector<CgiDatabase> named;
    std::size_t start = 0;
    bool all_named = true;
    while (start <= value.size()) {
        std::size_t comma = value.find(',', start);
        std::string_view item =
            value.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
        std::size_t eq = item.find('=');
        if (eq == std::string_view::npos || !valid_db_name(item.substr(0, eq)) || eq + 1 == item.size()) {
            all_named = false;
            break;
        }
        named.push_back(CgiDatabase{std::string(item.substr(0, eq)), std::string(item.substr(eq + 1))});
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    if (all_named && !named.empty()) return named;
    out.push_back(CgiDatabase{"", std::string(value)});
    return out;
}

CgiParams parse_query_string(std::string_view qs) {
    CgiParams out;
    std::size_t start = 0;
    std::size_t seen = 0;
    while (start <= qs.size() && seen < kMaxParams) {
        std::size_t amp = qs.find('&', start);
        std::string_view pair = qs.substr(start, amp == std::string_view::npos ? std::string_view::npos : amp - start);
        if (!pair.empty()) {
            ++seen;
            std::size_t eq = pair.find('=');
            std::string name = url_decode(pair.substr(0, eq));
            std::string value = eq == std::string_view::npos ? std::string() : url_decode(pair.substr(eq + 1));
            if (value.size() > kMaxParamBytes) {
                // Never searched cut: the page says so (kCutParam).
                out.emplace(std::string(kCutParam), name);
                value.clear();
            }
            if (!is_valid_utf8(value)) value = repair_utf8(value);
            if (name.size() <= kMaxNameBytes) out.emplace(std::move(name), std::move(value));
        }
        if (amp == std::string_view::npos) break;
        start = amp + 1;
    }
    return out;
}

CgiApp::CgiApp(CgiConfig config) : config_(std::move(config)) {}
CgiApp::~CgiApp() = default;

Searcher& CgiApp::searcher_for(const CgiDatabase& db) {
    auto& slot = searchers_[db.path];
    if (slot) {
        // Cheap when nothing changed; picks up a reindex between requests.
        slot->reopen();
    } else {
        SearcherOptions options;
        options.facet_cache_bytes = config_.facet_cache_bytes;
        options.facet_threads = config_.facet_threads;
        options.single_search_process = config_.single_search_process;
        slot = std::make_unique<Searcher>(db.path, options);
    }
    return *slot;
}

std::string CgiApp::handle(const CgiRequest& request, std::string& log) {
    std::string response;
    try {
        response = respond(request, log);
    } catch (const std::exception& e) {
        log += std::string("warsearch.cgi: internal error: ") + e.what() + "\n";
        response = headers("500 Internal Server Error", "text/plain; charset=utf-8") +
                   "Internal error. Please try again later.\n";
    }
    if (request.method == "HEAD") response.resize(response.find("\r\n\r\n") + 4);
    return response;
}

std::string CgiApp::respond(const CgiRequest& request, std::string& log) {
    if (request.method != "GET" && request.method != "HEAD") {
        return headers("405 Method Not Allowed", "text/plain; charset=utf-8", "Allow: GET, HEAD\r\n") +
               "Only GET and HEAD are supported.\n";
    }
    CgiParams params = parse_query_string(request.query_string);

    // Static asset: a compiled-in string chosen by an exact name, never a file.
    if (params.count("asset")) {
        if (first(params, "asset") == "style.css")
            return headers("200 OK", "text/css; charset=utf-8", "Cache-Control: public, max-age=86400\r\n") +
                   page_stylesheet();
        if (first(params, "asset") == "favicon.svg")
            return headers("200 OK", "image/svg+xml", "Cache-Control: public, max-age=86400\r\n") + page_favicon();
        return headers("404 Not Found", "text/plain; charset=utf-8") + "Not found.\n";
    }

    std::string format = first(params, "format");
    bool json = format == "json";
    PageModel model;
    model.script_name = config_.script_name;
    model.databases = database_names(config_);
    model.form = read_form(params, config_, model.notice);
    const PageForm& form = model.form;

    auto html = [&](const char* status) { return html_response(status, model); };
    auto json_error = json_error_response;

    // The database: a configured name, or the first one.  A path in the URL is never
    // looked at: an unknown name is an error, not a lookup.
    const CgiDatabase* db = config_.databases.empty() ? nullptr : &config_.databases.front();
    if (!form.db.empty() && config_.databases.size() > 1) {
        db = nullptr;
        for (const auto& d : config_.databases)
            if (d.name == form.db) db = &d;
        if (!db) {
            model.form.db.clear();
            model.error = "There is no collection of that name.";
            return json ? json_error("400 Bad Request", model.error) : html("400 Bad Request");
        }
    } else if (config_.databases.size() <= 1) {
        model.form.db.clear();
    }

    auto cut = params.equal_range(std::string(kCutParam));
    for (auto it = cut.first; it != cut.second; ++it) {
        if (it->second != "q") continue;
        model.error = "Your query is longer than " + std::to_string(kMaxParamBytes) +
                      " bytes: it was not searched. Please shorten it.";
        return json ? json_error("400 Bad Request", model.error) : html("400 Bad Request");
    }

    if (params.count("doc")) return document_response(first(params, "doc"), model, db, json, log);

    if (form.query.empty() && form.filters.empty() && form.from.empty() && form.to.empty()) {
        if (json) return json_error("400 Bad Request", "no query");
        return html("200 OK");
    }

    return answer(model, db, format, log);
}

std::string CgiApp::answer(PageModel& model, const CgiDatabase* db, const std::string& format, std::string& log) {
    const PageForm& form = model.form;
    bool json = format == "json";
    bool atom = format == "atom";
    SearchRequest req = search_request(form);
    if (atom) {
        req.sort = SortOrder::date_newest;
        req.offset = 0;
        req.limit = kAtomEntries;
        req.facets = false;
    }
    try {
        if (!db) throw std::runtime_error("search is not configured: set WARSEARCH_DB in the server's environment");
        if (!form.from.empty() || !form.to.empty()) {
            // Each end is YYYY[-MM[-DD]] already (read_form); a day that does not exist, or
            // a range that ends before it starts, is the user's to fix.
            std::string error;
            req.dates = parse_date_range(form.from, form.to, error);
            if (!req.dates) throw QueryError("date:" + form.from + ".." + form.to + ": " + error);
        }
        SearchResult result;
        try {
            result = searcher_for(*db).search(req);
        } catch (const Xapian::DatabaseError&) {
            // The database may have been replaced under a long-lived process: open it
            // afresh once before giving up.
            searchers_.erase(db->path);
            result = searcher_for(*db).search(req);
        }
        if (json) return headers("200 OK", "application/json; charset=utf-8") + render_json(result) + "\n";
        if (!atom) widen_chosen_facets(searcher_for(*db), req, result);
        if (atom)
            return headers("200 OK", "application/atom+xml; charset=utf-8") +
                   render_atom(result, feed_links(config_.script_name, form));
        model.result = &result;
        std::string page = html_response("200 OK", model);
        model.result = nullptr;
        return page;
    } catch (const QueryError& e) {
        model.error = std::string("Bad query: ") + e.what();
        return json ? json_error_response("400 Bad Request", e.what()) : html_response("400 Bad Request", model);
    } catch (const Xapian::Error& e) {
        searchers_.erase(db->path);
        log += "warsearch.cgi: " + e.get_description() + "\n";
    } catch (const std::exception& e) {
        log += std::string("warsearch.cgi: ") + e.what() + "\n";
    }
    model.result = nullptr;
    model.error = "Search is unavailable right now. Please try again later.";
    return json ? json_error_response("503 Service Unavailable", "search unavailable")
                : html_response("503 Service Unavailable", model);
}

std::string CgiApp::document_response(const std::string& id, PageModel& model, const CgiDatabase* db, bool json,
                                      std::string& log) {
    DocumentPageModel page;
    page.script_name = config_.script_name;
    page.db = model.form.db;
    page.query = model.form.query;
    auto html = [&](const char* status) {
        return headers(status, "text/html; charset=utf-8", "Cache-Control: no-store\r\n") + render_document_page(page);
    };
    try {
        if (!db) throw std::runtime_error("search is not configured: set WARSEARCH_DB in the server's environment");
        DocumentRequest req;
        req.id = id;
        req.query = model.form.query;
        DocumentView view = show_document(searcher_for(*db), req);
        if (json) return headers("200 OK", "application/json; charset=utf-8") + render_document_json(view) + "\n";
        page.view = &view;
        return html("200 OK");
    } catch (const QueryError& e) {
        page.error = e.what();
        return json ? json_error_response("404 Not Found", e.what()) : html("404 Not Found");
    } catch (const Xapian::Error& e) {
        if (db) searchers_.erase(db->path);
        log += "warsearch.cgi: " + e.get_description() + "\n";
    } catch (const std::exception& e) {
        log += std::string("warsearch.cgi: ") + e.what() + "\n";
    }
    page.error = "The report is unavailable right now. Please try again later.";
    return json ? json_error_response("503 Service Unavailable", "search unavailable")
                : html("503 Service Unavailable");
}

void CgiApp::handle_stream(const CgiRequest& request, std::string& log,
                           const std::function<void(std::string_view)>& write) {
    CgiParams params = parse_query_string(request.query_string);
    std::optional<ExportFormat> format = parse_export_format(first(params, "format"));
    PageModel model;
    std::string notice;
    model.form = read_form(params, config_, notice);
    const CgiDatabase* db = config_.databases.empty() ? nullptr : &config_.databases.front();
    if (config_.databases.size() > 1 && !model.form.db.empty()) {
        db = nullptr;
        for (const auto& d : config_.databases)
            if (d.name == model.form.db) db = &d;
    }
    const PageForm& form = model.form;
    bool nothing_asked = form.query.empty() && form.filters.empty() && form.from.empty() && form.to.empty();
    if (!format || request.method != "GET" || !db || nothing_asked || params.count(std::string(kCutParam))) {
        write(handle(request, log));
        return;
    }
    SearchRequest req = search_request(form);
    req.collapse = first(params, "collapse") != "0";
    bool csv = *format == ExportFormat::csv;
    bool started = false;
    auto start = [&] {
        if (started) return;
        started = true;
        write(headers("200 OK", csv ? "text/csv; charset=utf-8; header=present" : "application/x-ndjson; charset=utf-8",
                      csv ? "Content-Disposition: attachment; filename=\"warsearch.csv\"\r\n"
                          : "Content-Disposition: attachment; filename=\"warsearch.jsonl\"\r\n"));
    };
    try {
        if (!form.from.empty() || !form.to.empty()) {
            std::string error;
            req.dates = parse_date_range(form.from, form.to, error);
            if (!req.dates) throw QueryError("date:" + form.from + ".." + form.to + ": " + error);
        }
        export_matches(searcher_for(*db), req, *format, [&](std::string_view chunk) {
            start();
            write(chunk);
        });
        start();
    } catch (const QueryError& e) {
        if (!started) write(headers("400 Bad Request", "text/plain; charset=utf-8") + "Bad query: " + e.what() + "\n");
    } catch (const std::exception& e) {
        log += std::string("warsearch.cgi: export: ") + e.what() + "\n";
        searchers_.erase(db->path);
        if (!started) write(headers("503 Service Unavailable", "text/plain; charset=utf-8") + "Export unavailable.\n");
    } catch (const Xapian::Error& e) {
        log += "warsearch.cgi: export: " + e.get_description() + "\n";
        searchers_.erase(db->path);
        if (!started) write(headers("503 Service Unavailable", "text/plain; charset=utf-8") + "Export unavailable.\n");
    }
}

std::string handle_cgi_request(const CgiRequest& request, const CgiConfig& config, std::string& log) {
    CgiApp app(config);
    return app.handle(request, log);
}

}  // namespace warsearch
