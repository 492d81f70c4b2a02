// warsearch-catalog: grows, checks and explains the place and faction catalogs.
#include <boost/program_options.hpp>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/entities/catalog.h"
#include "common/entities/catalog_import.h"
#include "common/entities/entity_extractor.h"
#include "common/exit_codes.h"
#include "common/readers/readers.h"

namespace po = boost::program_options;
using namespace warsearch;

namespace {

const char* kUsage = R"(Usage: warsearch-catalog COMMAND [options] ARG...

Commands:
  lookup NAME...          how a name resolves: normalised form, matched spelling,
                          entity, type/kind, ancestors, ambiguity rules
  check                   load and validate the catalogs, print counts
  import-wof PATH...      Who's On First GeoJSON (files, directories, .tar.xz bundles)
  import-geonames FILE    GeoNames dump (allCountries.txt or CC.txt)
  import-ucdp FILE        UCDP actor list CSV
  bench FILE              extraction throughput on a JSONL/CSV/... article file

Importers write catalog JSON Lines to stdout (or --out); save places as
corpus/catalogs/places-<source>.jsonl and factions as factions-<source>.jsonl to have
them loaded after the curated files.  With --catalogs, places the catalog already has
are not repeated and their children attach to the existing ids.

Examples:
  warsearch-catalog lookup Daraya
  warsearch-catalog import-wof --out places-wof-sy.jsonl whosonfirst-data-admin-sy.tar.xz
  warsearch-catalog import-ucdp ucdp-actor-221.csv > factions-ucdp.jsonl

Exit codes: 0 ok, 1 usage or unusable catalog, 3 runtime error, 4 some records skipped
with warnings (listed on stderr).

Options)";

// The command line, parsed.
struct CliArgs {
    std::string command;
    std::vector<std::string> args;
    std::string catalog_dir;  // --catalogs; "" for the default
    std::string out_path;     // --out; "" for stdout
    bool json = false;        // --json
    bool no_merge = false;    // --no-merge
    bool no_iso = false;      // --no-iso
};

// Parses the command line into @a cli.  Returns the exit code when the program
// is to stop here (--help, or a usage error already reported on stderr).
std::optional<int> parse_args(int argc, char** argv, CliArgs& cli) {
    po::options_description desc(kUsage);
    desc.add_options()("help,h", "show this help")(
        "catalogs", po::value(&cli.catalog_dir),
        "catalog directory (default: $WARSEARCH_CATALOGS or the installed one)")(
        "out,o", po::value(&cli.out_path), "write imported lines to FILE instead of stdout")(
        "json", "lookup: print JSON")("no-merge", "importers: do not consult the existing catalog")(
        "no-iso", "do not add the iso-codes base layer");
    po::options_description hidden;
    hidden.add_options()("command", po::value(&cli.command))("arg", po::value(&cli.args));
    po::options_description all;
    all.add(desc).add(hidden);
    po::positional_options_description pos;
    pos.add("command", 1).add("arg", -1);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(all).positional(pos).run(), vm);
        po::notify(vm);
        const std::string& command = cli.command;
        if (vm.count("help") || command.empty()) {
            std::cout << desc << "\n";
            return command.empty() && !vm.count("help") ? exit_code::kUsage : exit_code::kOk;
        }
        static const char* kCommands[] = {"lookup", "check", "import-wof", "import-geonames", "import-ucdp", "bench"};
        bool known = false;
        for (const char* c : kCommands) known = known || command == c;
        if (!known) throw po::error("unknown command '" + command + "'");
        if (command != "check" && cli.args.empty()) throw po::error(command + " needs an argument");
    } catch (const std::exception& e) {
        std::cerr << "warsearch-catalog: " << e.what() << "\nTry 'warsearch-catalog --help'.\n";
        return exit_code::kUsage;
    }
    cli.json = vm.count("json") > 0;
    cli.no_merge = vm.count("no-merge") > 0;
    cli.no_iso = vm.count("no-iso") > 0;
    return std::nullopt;
}

// The catalog the command works on.  Importers go on without it (null) under
// --no-merge or when it does not load (noted on stderr); other commands throw
// its CatalogError.
std::unique_ptr<Catalog> open_catalog(const CliArgs& cli, const CatalogOptions& copts) {
    bool importing = cli.command.rfind("import-", 0) == 0;
    if (importing && cli.no_merge) return nullptr;
    try {
        return std::make_unique<Catalog>(load_catalog(cli.catalog_dir, copts));
    } catch (const CatalogError& e) {
        if (!importing) throw;
        std::cerr << "warsearch-catalog: not merging: " << e.what() << "\n";
    }
    return nullptr;
}

// bench: extraction throughput over the articles of @a paths, on stdout.
int run_bench(const Catalog& catalog, const std::vector<std::string>& paths) {
    EntityExtractor extractor(catalog);
    std::vector<Article> articles;
    ReadSink sink;
    sink.article = [&](Article&& a) { articles.push_back(std::move(a)); };
    sink.failure = [](const ReadFailure& f) { std::cerr << f.where << ": " << f.reason << "\n"; };
    sink.warning = [](const ReadWarning&) {};
    sink.file_started = [](const std::string&, std::uint64_t) {};
    read_paths(paths, ReadOptions{}, sink);
    std::uint64_t bytes = 0, found = 0;
    for (const auto& a : articles) bytes += a.title.size() + a.body.size();
    // CPU time, not wall time: on a shared machine the wall clock measures the
    // neighbours.
    std::clock_t start = std::clock();
    int rounds = 0;
    double secs = 0;
    do {
        for (const auto& a : articles) {
            Extraction x = extractor.extract(a.title, a.body, a.date.iso());
            found += x.places.size() + x.factions.size();
        }
        ++rounds;
        secs = static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
    } while (secs < 2.0 && !articles.empty());
    std::printf(
        "%zu articles, %.0f bytes/article, %zu names; %d rounds in %.2f s CPU: %.1f MB/s, %.0f articles/s, "
        "%.1f entities/article\n",
        articles.size(), articles.empty() ? 0.0 : static_cast<double>(bytes) / articles.size(), extractor.name_count(),
        rounds, secs, static_cast<double>(bytes) * rounds / secs / 1e6,
        static_cast<double>(articles.size()) * rounds / secs,
        articles.empty() ? 0.0 : static_cast<double>(found) / rounds / articles.size());
    return exit_code::kOk;
}

// import-*: writes the imported lines to --out or stdout, warnings and counts to
// stderr.  @a catalog (may be null) is merged with; import-ucdp without it takes
// country names from the iso-codes layer.
int run_import(const CliArgs& cli, const Catalog* catalog, const CatalogOptions& copts) {
    std::ofstream file;
    if (!cli.out_path.empty()) {
        file.open(cli.out_path);
        if (!file) {
            std::cerr << "warsearch-catalog: cannot write " << cli.out_path << "\n";
            return exit_code::kUsage;
        }
    }
    std::ostream& out = cli.out_path.empty() ? std::cout : file;
    ImportStats stats;
    PlaceImportOptions popts;
    popts.existing = catalog;
    const std::vector<std::string>& args = cli.args;
    if (cli.command == "import-wof") {
        import_wof(args, out, stats, popts);
    } else {
        std::ifstream in(args[0], std::ios::binary);
        if (!in) {
            std::cerr << "warsearch-catalog: cannot read " << args[0] << "\n";
            return exit_code::kUsage;
        }
        if (cli.command == "import-geonames") {
            import_geonames(in, args[0], out, stats, popts);
        } else {
            Catalog iso;
            if (!catalog) iso.add_iso_base_layer(copts.iso_codes_dir);
            import_ucdp(in, args[0], out, stats, catalog ? catalog : &iso);
        }
    }
    out.flush();
    for (const auto& w : stats.warnings) std::cerr << w << "\n";
    std::cerr << cli.command << ": " << stats.read << " records read, " << stats.written << " written, " << stats.merged
              << " already in the catalog, " << stats.skipped << " skipped\n";
    return stats.warnings.empty() ? exit_code::kOk : exit_code::kSomeFailed;
}

// Runs the parsed command; the exit code.
int run(CliArgs& cli) {
    CatalogOptions copts;
    copts.iso_base_layer = !cli.no_iso;
    try {
        if (cli.catalog_dir.empty()) cli.catalog_dir = default_catalog_dir();
    } catch (const CatalogError& e) {
        std::cerr << "warsearch-catalog: " << e.what() << "\n";
        return exit_code::kUsage;
    }
    try {
        std::unique_ptr<Catalog> catalog = open_catalog(cli, copts);
        if (cli.command == "lookup") {
            for (const auto& name : cli.args) std::cout << explain_lookup(*catalog, name, cli.json);
            return exit_code::kOk;
        }
        if (cli.command == "check") {
            std::cout << cli.catalog_dir << ": " << catalog->count(EntityClass::place) << " places, "
                      << catalog->count(EntityClass::faction) << " factions, version " << catalog->content_hash()
                      << "\n";
            return exit_code::kOk;
        }
        if (cli.command == "bench") return run_bench(*catalog, cli.args);
        return run_import(cli, catalog.get(), copts);
    } catch (const CatalogError& e) {
        std::cerr << "warsearch-catalog: " << e.what() << "\n";
        return exit_code::kUsage;
    } catch (const std::exception& e) {
        std::cerr << "warsearch-catalog: " << e.what() << "\n";
        return exit_code::kRuntime;
    }
}

}  // namespace

int main(int argc, char** argv) {
    CliArgs cli;
    if (std::optional<int> stop = parse_args(argc, argv, cli)) return *stop;
    return run(cli);
}
