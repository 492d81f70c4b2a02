// warsearch-search: the command-line front-end of the searcher library.
#include <unistd.h>

#include <boost/program_options.hpp>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "common/exit_codes.h"
#include "searcher/document.h"
#include "searcher/export.h"
#include "searcher/render.h"
#include "searcher/searcher.h"

namespace po = boost::program_options;
using namespace warsearch;

namespace {

// An error: its message on stderr and, with --json, an object on stdout; the exit code.
int report_error(bool json, int code, const char* kind, const std::string& message) {
    return exit_code::report_error("warsearch-search", json, code, kind, message);
}

const char* kUsage = R"(Usage: warsearch-search --db DIR [options] QUERY...

Searches a warsearch index.  Reports with every word come first, then those with
most of them (--default-op and|or for plain AND or OR); the query language has AND OR
NOT, brackets, "phrases", NEAR, +required -excluded, wild* cards, and the fields
title:, source:, faction:, location:, organisation:, dateline:, lang:, id: and date:.

Examples:
  warsearch-search --db idx 'barrel bombs aleppo'
  warsearch-search --db idx '"chemical attack"' date:2017-04
  warsearch-search --db idx 'shelling date:2016-07-01..2016-07-31' --sort date
  warsearch-search --db idx --json 'title:ceasefire OR truce' --limit 20
  warsearch-search --db idx --show ID 'barrel bombs'     (one report, matches marked)
  warsearch-search --db idx --export csv aleppo --filter source:reuters > all.csv

Exit codes: 0 ok (also for zero hits), 1 usage (also a value out of range), 2 bad query, 3 database/runtime error.
With --json an error is also printed on stdout as one object:
  {"error": {"exit_code": 2, "kind": "bad_query", "message": "..."}}
(kind: usage, bad_query or runtime); the message is on stderr as without --json.

Options)";

// What the command line asks for.
struct Invocation {
    std::string db;
    SearchRequest request;
    SearcherOptions setup;
    bool json = false;
    bool explain = false;
    std::string show;                             ///< --show: the id of the report to print
    std::optional<ExportFormat> export_format;    ///< --export: every match in this format
    std::size_t export_chunk = kExportChunkRows;  ///< --export-chunk: rows per pass
};

// Reads the command line into @a run; an exit code when the program ends here (--help,
// a usage error, reported on stderr).
std::optional<int> parse_command_line(int argc, char** argv, Invocation& run) {
    std::string sort = "relevance", op = "ranked", export_format;
    std::vector<std::string> words, filters;
    SearchRequest& req = run.request;
    po::options_description desc(kUsage);
    desc.add_options()("help,h", "show this help")("db,d", po::value(&run.db), "database directory or stub file")(
        "json", "print the stable JSON document instead of text")("limit,n", po::value(&req.limit)->default_value(10),
                                                                  "results to show")(
        "offset", po::value(&req.offset)->default_value(0), "results to skip (pagination)")(
        "sort", po::value(&sort), "relevance (default), date (newest first) or date-asc")(
        "default-op", po::value(&op),
        "how bare words combine: ranked (default: every report with any word, those with all first), and (only reports "
        "with every word) or or (any word, BM25 alone)")("filter", po::value(&filters),
                                                         "extra FIELD:VALUE filter (repeatable)")(
        "no-snippets", "do not compute snippets")("facets",
                                                  "count faction, location (per level), source and month facets")(
        "facet-bound", po::value(&req.facet_bound), "facet counts are exact up to this many matches (default 5000)")(
        "no-collapse", "show every copy of a near-duplicate story")(
        "explain", "show why each hit matched (always in --json)")("recency", po::value(&req.recency_half_life_days),
                                                                   "boost recent reports: half-life in days")(
        "like", po::value(&req.like_id), "find reports like the document with this id")(
        "show", po::value(&run.show), "print the report with this id in full (QUERY's matches marked)")(
        "export", po::value(&export_format),
        "print every match (not a page) as csv or jsonl, one row per story unless --no-collapse")(
        "export-chunk", po::value(&run.export_chunk), "rows --export reads per pass (default 5000)")(
        "at-revision", po::value(&req.at_revision), "warn if the index is no longer at this revision")(
        "allow-partial", "with shards: answer from the shards that are up, marked partial")(
        "time-limit", po::value(&req.limits.time_limit_seconds), "seconds the facet count may take (default 2)")(
        "wildcard-limit", po::value(&req.limits.wildcard_expansion), "terms one wildcard may expand to (default 200)");
    po::options_description hidden;
    hidden.add_options()("word", po::value(&words));
    po::options_description all;
    all.add(desc).add(hidden);
    po::positional_options_description pos;
    pos.add("word", -1);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(all).positional(pos).run(), vm);
        po::notify(vm);
        if (vm.count("help")) {
            std::cout << desc << "\n";
            return exit_code::kOk;
        }
        if (run.db.empty()) throw po::error("--db DIR is required");
        std::optional<SortOrder> order = parse_sort_order(sort);
        if (!order) throw po::error("--sort is relevance, date or date-asc");
        req.sort = *order;
        if (op == "ranked")
            req.default_op = DefaultOperator::ranked;
        else if (op == "and")
            req.default_op = DefaultOperator::op_and;
        else if (op == "or")
            req.default_op = DefaultOperator::op_or;
        else
            throw po::error("--default-op is ranked, and or or");
        if (!export_format.empty()) {
            run.export_format = parse_export_format(export_format);
            if (!run.export_format) throw po::error("--export is csv or jsonl");
        }
        if (words.empty() && filters.empty() && req.like_id.empty() && run.show.empty())
            throw po::error("no QUERY given");
        if (std::string why = request_bounds_error(req); !why.empty()) throw po::error(why);
    } catch (const std::exception& e) {
        bool json = false;
        for (int i = 1; i < argc; ++i) json = json || std::string(argv[i]) == "--json";
        return report_error(json, exit_code::kUsage, "usage",
                            std::string(e.what()) + "\nTry 'warsearch-search --help'.");
    }
    for (const auto& w : words) {
        if (!req.query.empty()) req.query += ' ';
        req.query += w;
    }
    req.filters = filters;
    req.snippets = !vm.count("no-snippets");
    req.facets = vm.count("facets") > 0;
    req.collapse = !vm.count("no-collapse");
    run.json = vm.count("json") > 0;
    run.explain = vm.count("explain") > 0;
    run.setup.open.allow_partial = vm.count("allow-partial") > 0;
    // One search, then exit: facet threads would open their databases cold, which costs
    // more than they save (SearcherOptions::facet_threads).
    run.setup.single_search_process = true;
    run.setup.facet_threads = FacetThreads::off;
    return std::nullopt;
}

// Prints what was asked for: one report (--show), every match (--export) or a page.
void print(Searcher& searcher, const Invocation& run) {
    if (!run.show.empty()) {
        DocumentRequest req;
        req.id = run.show;
        req.query = run.request.query;
        DocumentView view = show_document(searcher, req);
        std::cout << (run.json ? render_document_json(view) + "\n" : render_document_text(view, isatty(STDOUT_FILENO)));
        for (const auto& w : view.warnings) std::cerr << "warsearch-search: warning: " << w << "\n";
        return;
    }
    if (run.export_format) {
        std::size_t rows = export_matches(
            searcher, run.request, *run.export_format,
            [](std::string_view chunk) { std::cout.write(chunk.data(), chunk.size()); }, run.export_chunk);
        std::cout.flush();
        std::cerr << "warsearch-search: exported " << rows << (rows == 1 ? " row\n" : " rows\n");
        return;
    }
    SearchResult result = searcher.search(run.request);
    if (run.json) {
        std::cout << render_json(result) << "\n";
    } else {
        TextRenderOptions options;
        options.ansi = isatty(STDOUT_FILENO);
        options.explain = run.explain;
        std::cout << render_text(result, options);
    }
    for (const auto& n : result.notices) std::cerr << "warsearch-search: query: " << n << "\n";
    for (const auto& w : result.warnings) std::cerr << "warsearch-search: warning: " << w << "\n";
}

// Runs the search and prints it; the exit code.
int search(const Invocation& run) {
    try {
        Searcher searcher(run.db, run.setup);
        print(searcher, run);
    } catch (const QueryError& e) {
        return report_error(run.json, exit_code::kBadQuery, "bad_query", std::string("bad query: ") + e.what());
    } catch (const Xapian::DatabaseOpeningError& e) {
        return report_error(run.json, exit_code::kRuntime, "runtime",
                            "cannot open database " + run.db + ": " + e.get_msg());
    } catch (const Xapian::Error& e) {
        return report_error(run.json, exit_code::kRuntime, "runtime", run.db + ": " + e.get_description());
    } catch (const std::exception& e) {
        return report_error(run.json, exit_code::kRuntime, "runtime", e.what());
    }
    return exit_code::kOk;
}

}  // namespace

int main(int argc, char** argv) {
    Invocation run;
    if (std::optional<int> done = parse_command_line(argc, argv, run)) return *done;
    return search(run);
}
