// warsearch-nightly: brings a database up to date with the configured source folders
// (run from cron or a systemd timer; see indexer/README.md, "The nightly job").
#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>

#include "common/entities/catalog.h"
#include "common/exit_codes.h"
#include "indexer/lock_failure.h"
#include "indexer/nightly/nightly.h"

namespace po = boost::program_options;
using namespace warsearch;

namespace {

const char* kUsage = R"(Usage: warsearch-nightly --config FILE [--compact] [--dry-run] [--quiet|--verbose]

Indexes what changed in the source folders listed in FILE since the last run (new and
changed files; documents of deleted files are removed), runs the saved alerts on the new
documents and writes a report (JSON and Markdown) into the report folder.  Searches keep
answering during the run.  One run at a time: a second one exits at once with code 5.

Example:
  warsearch-nightly --config /etc/warsearch/nightly.toml --compact

Exit codes: 0 done, 1 usage or configuration error, 3 database or runtime error,
4 done but some inputs (or alerts) failed (see the report), 5 another run holds the lock.

Options)";

}  // namespace

int main(int argc, char** argv) {
    std::string config_path;
    NightlyOptions options;
    po::options_description desc(kUsage);
    desc.add_options()("help,h", "show this help")("config,c", po::value(&config_path),
                                                   "the TOML configuration file (required)")(
        "compact", "compact the database into a fresh copy and swap it in after indexing")(
        "dry-run", "scan and print what would change; write nothing")("verbose,v",
                                                                      "one line per changed file on stderr")(
        "quiet,q", "print nothing on success (cron mails only when something went wrong)");
    po::variables_map vm;
    try {
        po::store(po::parse_command_line(argc, argv, desc), vm);
        po::notify(vm);
        if (vm.count("help")) {
            std::cout << desc << "\n";
            return exit_code::kOk;
        }
        if (config_path.empty()) throw po::error("--config FILE is required");
    } catch (const std::exception& e) {
        std::cerr << "warsearch-nightly: " << e.what() << "\nTry 'warsearch-nightly --help'.\n";
        return exit_code::kUsage;
    }
    options.compact = vm.count("compact") > 0;
    options.dry_run = vm.count("dry-run") > 0;
    options.verbose = vm.count("verbose") > 0;
    bool quiet = vm.count("quiet") > 0;

    NightlyConfig config;
    try {
        config = load_nightly_config(config_path);
        NightlyReport report = run_nightly(config, options);
        const auto& c = report.json["counts"];
        const auto& d = report.json["documents"];
        if (!quiet || report.exit_code != exit_code::kOk) {
            std::FILE* out = report.exit_code == exit_code::kOk ? stdout : stderr;
            std::fprintf(out,
                         "warsearch-nightly: %s files added, %s changed, %s deleted, %s failed, %s unchanged; "
                         "documents %s new, %s updated, %s deleted; revision %s -> %s in %.2f s%s%s\n",
                         c["added"].dump().c_str(), c["changed"].dump().c_str(), c["deleted"].dump().c_str(),
                         c["failed"].dump().c_str(), c["unchanged"].dump().c_str(), d["added"].dump().c_str(),
                         d["updated"].dump().c_str(), d["deleted"].dump().c_str(),
                         report.json["revision"]["before"].dump().c_str(),
                         report.json["revision"]["after"].dump().c_str(), report.json.value("duration_seconds", 0.0),
                         report.files.empty() ? "" : "; report ", report.files.empty() ? "" : report.files[0].c_str());
            if (report.exit_code != exit_code::kOk)
                for (const auto& f : report.json["failures"])
                    std::fprintf(stderr, "%s: %s\n", f.value("where", "").c_str(), f.value("reason", "").c_str());
        }
        return report.exit_code;
    } catch (const NightlyConfigError& e) {
        std::cerr << "warsearch-nightly: " << e.what() << "\n";
        return exit_code::kUsage;
    } catch (const CatalogError& e) {
        std::cerr << "warsearch-nightly: catalog: " << e.what() << "\n";
        return exit_code::kUsage;
    } catch (const NightlyLockedError& e) {
        std::cerr << "warsearch-nightly: " << e.what() << "\n";
        return exit_code::kLocked;
    } catch (const Xapian::DatabaseLockError& e) {
        LockFailure failure = lock_failure(e, config.database);
        std::cerr << "warsearch-nightly: " << failure.message << "\n";
        return failure.exit_code;
    } catch (const Xapian::Error& e) {
        std::cerr << "warsearch-nightly: " << e.get_description() << "\n";
        return exit_code::kRuntime;
    } catch (const std::exception& e) {
        std::cerr << "warsearch-nightly: " << e.what() << "\n";
        return exit_code::kRuntime;
    }
}
