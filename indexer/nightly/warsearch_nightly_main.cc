// warsearch-nightly: brings a database up to date with the configured source folders
// (run from cron or a systemd timer; see indexer/README.md, "The nightly job").
#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "common/exit_codes.h"
#include "indexer/nightly/nightly.h"

namespace po = boost::program_options;
using namespace warsearch;

namespace {

const char* kUsage = R"(Usage: warsearch-nightly --config FILE [--compact] [--dry-run] [--strict]
                         [--allow-mass-delete] [--json] [--quiet|--verbose]

Indexes what changed in the source folders listed in FILE since the last run (new and
changed files; documents of deleted files are removed), runs the saved alerts on the new
documents and writes a report (JSON and Markdown) into the report folder, failed runs
included.  Searches keep answering during the run.  One run at a time: a second one
exits at once with code 5.

Example:
  warsearch-nightly --config /etc/warsearch/nightly.toml --compact

Exit codes: 0 done (skipped records and quarantined files are warnings, counted in the
report), 1 usage or configuration error, 3 database or runtime error (also a damaged
database), 4 an alert failed, or with --strict any warning, 5 another run holds the
lock, 6 refused: a source is missing, unreadable or empty although it held files, or
the run would delete more than max_delete_share of the index (nothing was written).

Options)";

/// The one-line summary of a finished run.
void print_summary(const NightlyReport& report, std::FILE* out) {
    const auto& c = report.json["counts"];
    const auto& d = report.json["documents"];
    const auto& w = report.json["warnings"];
    std::fprintf(out,
                 "warsearch-nightly: %s files added, %s changed, %s deleted, %s failed, %s unchanged; "
                 "documents %s new, %s updated, %s unchanged, %s deleted; %s warnings; revision %s -> %s "
                 "in %.2f s%s%s\n",
                 c["added"].dump().c_str(), c["changed"].dump().c_str(), c["deleted"].dump().c_str(),
                 c["failed"].dump().c_str(), c["unchanged"].dump().c_str(), d["added"].dump().c_str(),
                 d["updated"].dump().c_str(), d["unchanged"].dump().c_str(), d["deleted"].dump().c_str(),
                 std::to_string(w.value("files", 0) + w.value("records", 0)).c_str(),
                 report.json["revision"]["before"].dump().c_str(), report.json["revision"]["after"].dump().c_str(),
                 report.json.value("duration_seconds", 0.0), report.files.empty() ? "" : "; report ",
                 report.files.empty() ? "" : report.files[0].c_str());
}

/// The error as the program reports it: one line on stderr, or a JSON object on stdout.
int report_error(const std::string& message, int code, bool as_json) {
    if (as_json)
        std::cout << nlohmann::json{{"error", message}, {"exit_code", code}}.dump(
                         -1, ' ', false, nlohmann::json::error_handler_t::replace)
                  << "\n";
    else
        std::cerr << "warsearch-nightly: " << message << "\n";
    return code;
}

}  // namespace

int main(int argc, char** argv) {
    std::string config_path;
    NightlyOptions options;
    po::options_description desc(kUsage);
    desc.add_options()("help,h", "show this help")("config,c", po::value(&config_path),
                                                   "the TOML configuration file (required)")(
        "compact", "compact the database into a fresh copy and swap it in after indexing")(
        "dry-run", "scan and print what would change; write nothing")(
        "strict", "exit 4 for any skipped record or quarantined file (default: warnings, exit 0)")(
        "allow-mass-delete", "delete even more than max_delete_share of the index (files really gone)")(
        "json", "print the run report (or {\"error\", \"exit_code\"}) as JSON on stdout")(
        "verbose,v", "one line per changed file on stderr")(
        "quiet,q", "print nothing on success (cron mails only when something went wrong)");
    po::variables_map vm;
    bool as_json = false;
    for (int i = 1; i < argc; ++i) as_json = as_json || std::string(argv[i]) == "--json";
    try {
        po::store(po::parse_command_line(argc, argv, desc), vm);
        po::notify(vm);
        if (vm.count("help")) {
            std::cout << desc << "\n";
            return exit_code::kOk;
        }
        if (config_path.empty()) throw po::error("--config FILE is required");
    } catch (const std::exception& e) {
        if (as_json) return report_error(e.what(), exit_code::kUsage, true);
        std::cerr << "warsearch-nightly: " << e.what() << "\nTry 'warsearch-nightly --help'.\n";
        return exit_code::kUsage;
    }
    options.compact = vm.count("compact") > 0;
    options.dry_run = vm.count("dry-run") > 0;
    options.verbose = vm.count("verbose") > 0;
    options.strict = vm.count("strict") > 0;
    options.allow_mass_delete = vm.count("allow-mass-delete") > 0;
    bool quiet = vm.count("quiet") > 0;

    NightlyConfig config;
    try {
        config = load_nightly_config(config_path);
        NightlyReport report = run_nightly(config, options);
        if (as_json) {
            std::cout << report.json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
        } else if (!quiet || report.exit_code != exit_code::kOk) {
            print_summary(report, report.exit_code == exit_code::kOk ? stdout : stderr);
            if (report.exit_code != exit_code::kOk)
                for (const auto& f : report.json["failures"])
                    std::fprintf(stderr, "%s: %s\n", f.value("where", "").c_str(), f.value("reason", "").c_str());
        }
        return report.exit_code;
    } catch (...) {
        NightlyFailure failure = describe_nightly_failure(config.database);
        return report_error(failure.message, failure.exit_code, as_json);
    }
}
