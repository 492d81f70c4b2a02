// warsearch-index: reads articles and writes them into a Xapian database (the work is
// run_index(), indexer/index_run.h).
#include <unistd.h>

#include <boost/program_options.hpp>
#include <fstream>
#include <iostream>
#include <optional>

#include "common/entities/catalog.h"
#include "common/exit_codes.h"
#include "common/readers/readers.h"
#include "indexer/index_run.h"
#include "indexer/lock_failure.h"

namespace po = boost::program_options;
using namespace warsearch;

namespace {

const char* kUsage = R"(Usage: warsearch-index --db DIR [options] PATH...
       warsearch-index --extract [options] PATH...

Reads articles from files and directories (walked recursively) and indexes them into
the Xapian database DIR; re-running replaces documents by id instead of duplicating.

Examples:
  warsearch-index --db idx corpus/sample
  warsearch-index --db idx --format csv --date-order dmy \
      --map title=article_title,body=article_content,id=unit_id exports/
  warsearch-index --extract corpus/sample/articles.jsonl | head -1
  warsearch-index --extract --catalogs corpus/catalogs report.txt   # factions, locations

Factions and locations come from the catalogs in --catalogs DIR (default:
$WARSEARCH_CATALOGS, else the installed catalogs, else the source tree's).

Exit codes: 0 indexed (bad records and unreadable files are skipped, reported on stderr
as PATH[:LINE|#RECORD]: reason and counted in the summary), 1 usage (also a value out of
range) or unusable catalog, 3 database/runtime error, 4 a PATH given does not exist or
cannot be read, nothing could be indexed, or (with --strict) any input failed,
5 database locked.  With --json, stdout gets one JSON object: the run's counts
({"documents", "files", "failures", "warnings", "skipped", "deleted", "replaced_in_run",
"exit_code"}) or {"error": {"exit_code", "kind", "message"}} (kind: usage, catalog,
locked, database or runtime); messages still go to stderr.

Options)";

void parse_map(const std::vector<std::string>& specs, ReadOptions& read) {
    for (const auto& spec : specs) {
        try {
            parse_field_map(spec, read.field_map);
        } catch (const std::invalid_argument& e) {
            throw po::error(std::string("--map: ") + e.what());
        }
    }
}

// The read options from --format, --date-order, --delimiter, --no-split and --map.
void parse_read_options(const po::variables_map& vm, const std::string& format, const std::string& date_order,
                        const std::string& delimiter, const std::vector<std::string>& maps, ReadOptions& read) {
    read.format = parse_format(format);
    if (date_order == "dmy")
        read.date_order = DateOrder::dmy;
    else if (date_order != "mdy")
        throw po::error("--date-order is mdy or dmy");
    if (!delimiter.empty()) {
        if (delimiter == "\\t" || delimiter == "tab")
            read.csv_delimiter = '\t';
        else if (delimiter.size() == 1)
            read.csv_delimiter = delimiter[0];
        else
            throw po::error("--delimiter is one character (or 'tab')");
    }
    read.split_live_blogs = !vm.count("no-split");
    parse_map(maps, read);
}

// Values that would exhaust the machine rather than do what was meant are usage errors.
void check_ranges(const IndexOptions& options) {
    if (options.shards > 1024) throw po::error("--shards is at most 1024");
    if (options.parallel_parts == 0 || options.parallel_parts > 64) throw po::error("--parallel is between 1 and 64");
    if (options.batch_size > 10000000) throw po::error("--batch-size is at most 10000000");
}

// The run the command line asks for, and where failures go (--failures); an exit code
// instead when there is nothing to run (--help, a usage error, already reported).
std::optional<int> parse_command_line(int argc, char** argv, bool json, IndexRunConfig& run, std::string& failures_path,
                                      bool& strict) {
    std::string db, format = "auto", date_order = "mdy", delimiter;
    std::vector<std::string> maps;
    IndexOptions& options = run.index;
    po::options_description desc(kUsage);
    desc.add_options()("help,h", "show this help")("db,d", po::value(&db), "database directory (created when missing)")(
        "extract", "print one JSON object per document instead of indexing")(
        "format", po::value(&format), "input format: auto, jsonl, json, csv, text, html, muc, reuters")(
        "map", po::value(&maps), "field mapping FIELD=COLUMN[,...] for csv/json/jsonl")(
        "date-order", po::value(&date_order), "ambiguous numeric dates: mdy (default) or dmy")(
        "delimiter", po::value(&delimiter), "CSV delimiter (default: detected)")(
        "no-split", "do not split live blogs into entries")(
        "full", "after the walk, delete documents this run did not see (files gone)")(
        "batch-size", po::value(&options.batch_size),
        "documents per commit (default 250 for the parts of a parallel build, 1000 for a database written in place)")(
        "shards", po::value(&options.shards), "split into N shard databases under DIR, with a stub (DIR/XAPIANDB)")(
        "parallel", po::value(&options.parallel_parts),
        "a new single database is written as N parts in parallel, then merged (default 2; 1 = off)")(
        "part-documents", po::value(&options.part_documents),
        "with --parallel, each writer starts a new part every N documents (default 10000; 0 = never)")(
        "stem", po::value(&options.stem_language), "stemming language (default english, or none)")(
        "failures", po::value(&failures_path), "write failed records/files here as JSONL")(
        "catalogs", po::value(&options.catalog_dir), "place/faction catalog directory")(
        "no-entities", "do not extract factions and locations")("quiet,q", "no progress bar or summary")(
        "strict", "exit 4 when any record or file failed (default: 0, failures counted in the summary)")(
        "json", "print the run's counts, or the error, as one JSON object on stdout");
    po::options_description hidden;
    hidden.add_options()("path", po::value(&run.paths));
    po::options_description all;
    all.add(desc).add(hidden);
    po::positional_options_description pos;
    pos.add("path", -1);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(all).positional(pos).run(), vm);
        po::notify(vm);
        if (vm.count("help")) {
            std::cout << desc << "\n";
            return exit_code::kOk;
        }
        if (run.paths.empty()) throw po::error("no input PATH given");
        if (!vm.count("extract") && db.empty()) throw po::error("--db DIR is required (or --extract)");
        parse_read_options(vm, format, date_order, delimiter, maps, run.read);
        check_ranges(options);
    } catch (const std::exception& e) {
        exit_code::report_error("warsearch-index", json, exit_code::kUsage, "usage", e.what());
        std::cerr << "Try 'warsearch-index --help'.\n";
        return exit_code::kUsage;
    }
    run.quiet = vm.count("quiet") > 0;
    run.extract = vm.count("extract") > 0;
    run.progress_bar = !run.quiet && !run.extract && isatty(STDERR_FILENO);
    options.db_path = db;
    options.delete_unseen = vm.count("full") > 0;
    options.extract_entities = vm.count("no-entities") == 0;
    strict = vm.count("strict") > 0;
    return std::nullopt;
}

}  // namespace

namespace {

int report_error(bool json, int code, const char* kind, const std::string& message) {
    return exit_code::report_error("warsearch-index", json, code, kind, message);
}

// The run's counts as one JSON object on stdout (--json).
void print_counts(const IndexRunResult& r, int code) {
    nlohmann::json j = {{"documents", r.documents},   {"files", r.files},
                        {"failures", r.failures},     {"warnings", r.warnings},
                        {"skipped", r.skipped},       {"unusable_paths", r.unusable_paths},
                        {"deleted", r.stats.deleted}, {"replaced_in_run", r.stats.replaced_in_run},
                        {"exit_code", code}};
    std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

}  // namespace

int main(int argc, char** argv) {
    IndexRunConfig run;
    std::string failures_path;
    bool strict = false, json = false;
    for (int i = 1; i < argc; ++i) json = json || std::string(argv[i]) == "--json";
    if (std::optional<int> done = parse_command_line(argc, argv, json, run, failures_path, strict)) return *done;
    if (json && run.extract)
        return report_error(json, exit_code::kUsage, "usage", "--json and --extract both write stdout");
    const std::string& db = run.index.db_path;

    std::ofstream failures;
    if (!failures_path.empty()) {
        failures.open(failures_path);
        if (!failures) return report_error(json, exit_code::kUsage, "usage", "cannot write " + failures_path);
        run.failures_jsonl = &failures;
    }

    try {
        IndexRunResult result = run_index(run, std::cout, std::cerr);
        bool nothing_read = result.failures > 0 && result.documents == 0;
        int code = exit_code::kOk;
        if (result.unusable_paths || nothing_read || (strict && result.failures)) code = exit_code::kSomeFailed;
        if (json) print_counts(result, code);
        return code;
    } catch (const CatalogError& e) {
        return report_error(json, exit_code::kUsage, "catalog", std::string("catalog: ") + e.what());
    } catch (const Xapian::DatabaseLockError& e) {
        LockFailure failure = lock_failure(e, db);
        return report_error(json, failure.exit_code, "locked", failure.message);
    } catch (const Xapian::Error& e) {
        return report_error(json, exit_code::kRuntime, "database", db + ": " + e.get_description());
    } catch (const std::exception& e) {
        return report_error(json, exit_code::kRuntime, "runtime", e.what());
    }
}
