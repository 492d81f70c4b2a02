// warsearch-index: reads articles and writes them into a Xapian database.
#include <unistd.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "common/entities/catalog.h"
#include "common/entities/entity_extractor.h"
#include "common/exit_codes.h"
#include "common/readers/readers.h"
#include "indexer/extract_json.h"
#include "indexer/indexer.h"

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

Exit codes: 0 all indexed, 1 usage or unusable catalog, 3 database/runtime error, 4 some inputs failed
(each reported on stderr as PATH[:LINE|#RECORD]: reason), 5 database locked.

Options)";

// Sums file sizes under the paths so the progress bar can show an ETA.
std::uint64_t total_bytes(const std::vector<std::string>& paths) {
    namespace fs = std::filesystem;
    std::uint64_t total = 0;
    for (const auto& p : paths) {
        std::error_code ec;
        if (fs::is_regular_file(p, ec)) {
            total += fs::file_size(p, ec);
        } else if (fs::is_directory(p, ec)) {
            for (fs::recursive_directory_iterator it(p, fs::directory_options::skip_permission_denied, ec), end;
                 it != end; it.increment(ec)) {
                if (ec) break;
                std::error_code fec;
                if (it->is_regular_file(fec)) total += it->file_size(fec);
            }
        }
    }
    return total;
}

class Progress {
  public:
    Progress(bool tty, std::uint64_t total_bytes) : tty_(tty), total_(total_bytes) {}
    void file_started(std::uint64_t bytes) {
        done_bytes_ += current_;
        current_ = bytes;
    }
    void document() {
        ++docs_;
        if (tty_ && (docs_ & 63) == 0) draw(false);
    }
    void finish() {
        done_bytes_ += current_;
        current_ = 0;
        if (tty_) draw(true);
    }
    double seconds() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(); }
    std::uint64_t bytes() const { return done_bytes_ + current_; }

  private:
    void draw(bool last) {
        auto now = std::chrono::steady_clock::now();
        if (!last && now - last_draw_ < std::chrono::milliseconds(200)) return;
        last_draw_ = now;
        double secs = seconds();
        double rate = secs > 0 ? docs_ / secs : 0;
        double frac = total_ ? static_cast<double>(done_bytes_) / static_cast<double>(total_) : 0;
        if (last) frac = 1;
        int filled = static_cast<int>(frac * 30);
        std::string bar(static_cast<size_t>(filled), '#');
        bar.resize(30, '.');
        double eta = frac > 0.01 ? secs / frac - secs : 0;
        std::fprintf(stderr, "\r[%s] %3d%% %llu docs %.0f docs/s ETA %d:%02d ", bar.c_str(),
                     static_cast<int>(frac * 100), static_cast<unsigned long long>(docs_), rate,
                     static_cast<int>(eta) / 60, static_cast<int>(eta) % 60);
        if (last) std::fputc('\n', stderr);
    }

    bool tty_;
    std::uint64_t total_;
    std::uint64_t done_bytes_ = 0, current_ = 0, docs_ = 0;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point last_draw_{};
};

void parse_map(const std::vector<std::string>& specs, ReadOptions& read) {
    for (const auto& spec : specs) {
        try {
            parse_field_map(spec, read.field_map);
        } catch (const std::invalid_argument& e) {
            throw po::error(std::string("--map: ") + e.what());
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    std::string db, format = "auto", date_order = "mdy", failures_path, delimiter;
    std::vector<std::string> paths, maps;
    IndexOptions options;
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
        "no-entities", "do not extract factions and locations")("quiet,q", "no progress bar or summary");
    po::options_description hidden;
    hidden.add_options()("path", po::value(&paths));
    po::options_description all;
    all.add(desc).add(hidden);
    po::positional_options_description pos;
    pos.add("path", -1);
    po::variables_map vm;
    ReadOptions read;
    try {
        po::store(po::command_line_parser(argc, argv).options(all).positional(pos).run(), vm);
        po::notify(vm);
        if (vm.count("help")) {
            std::cout << desc << "\n";
            return exit_code::kOk;
        }
        if (paths.empty()) throw po::error("no input PATH given");
        if (!vm.count("extract") && db.empty()) throw po::error("--db DIR is required (or --extract)");
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
    } catch (const std::exception& e) {
        std::cerr << "warsearch-index: " << e.what() << "\nTry 'warsearch-index --help'.\n";
        return exit_code::kUsage;
    }
    bool quiet = vm.count("quiet") > 0;
    bool extract = vm.count("extract") > 0;

    std::ofstream failures;
    if (!failures_path.empty()) {
        failures.open(failures_path);
        if (!failures) {
            std::cerr << "warsearch-index: cannot write " << failures_path << "\n";
            return exit_code::kUsage;
        }
    }
    std::uint64_t failed = 0, warnings = 0;
    auto report_failure = [&](const ReadFailure& f) {
        ++failed;
        std::cerr << f.where << ": " << f.reason << "\n";
        if (failures.is_open()) {
            nlohmann::json j = {{"where", f.where}, {"reason", f.reason}, {"whole_file", f.whole_file}};
            failures << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
        }
    };

    options.extract_entities = vm.count("no-entities") == 0;
    std::unique_ptr<Catalog> catalog;
    std::unique_ptr<EntityExtractor> extractor;
    try {
        if (extract && options.extract_entities) {
            catalog = std::make_unique<Catalog>(
                load_catalog(options.catalog_dir.empty() ? default_catalog_dir() : options.catalog_dir));
            extractor = std::make_unique<EntityExtractor>(*catalog);
        }
    } catch (const CatalogError& e) {
        std::cerr << "warsearch-index: catalog: " << e.what() << "\n";
        return exit_code::kUsage;
    }

    try {
        std::unique_ptr<Indexer> indexer;
        if (!extract) {
            options.db_path = db;
            options.delete_unseen = vm.count("full") > 0;
            indexer = std::make_unique<Indexer>(options);
        }
        bool tty = !quiet && !extract && isatty(STDERR_FILENO);
        Progress progress(tty, tty ? total_bytes(paths) : 0);
        ReadSink sink;
        sink.article = [&](Article&& a) {
            if (extract) {
                if (extractor) {
                    Extraction entities = extractor->extract(a.title, a.body, a.date.iso());
                    std::cout << extract_json(a, &entities) << "\n";
                } else {
                    std::cout << extract_json(a) << "\n";
                }
            } else {
                indexer->add(a);
            }
            progress.document();
        };
        sink.failure = [&](const ReadFailure& f) {
            report_failure(f);
            if (indexer && f.whole_file) indexer->file_failed(f.where);
        };
        sink.warning = [&](const ReadWarning& w) {
            ++warnings;
            if (!quiet) std::cerr << w.where << ": warning: " << w.message << "\n";
        };
        sink.file_started = [&](const std::string&, std::uint64_t bytes) { progress.file_started(bytes); };
        std::size_t files = read_paths(paths, read, sink);
        if (indexer) indexer->finish();
        progress.finish();
        if (indexer)
            for (const auto& w : indexer->stats().warnings) std::cerr << "warsearch-index: warning: " << w << "\n";
        if (!quiet && !extract) {
            const IndexStats& s = indexer->stats();
            double secs = progress.seconds();
            std::fprintf(stderr,
                         "indexed %llu documents from %zu files in %.2f s (%.0f docs/s, %.1f MB/s); "
                         "%llu deleted, %llu failed, %llu warnings\n",
                         static_cast<unsigned long long>(s.documents), files, secs, secs > 0 ? s.documents / secs : 0.0,
                         secs > 0 ? progress.bytes() / secs / 1e6 : 0.0, static_cast<unsigned long long>(s.deleted),
                         static_cast<unsigned long long>(failed), static_cast<unsigned long long>(warnings));
        }
    } catch (const CatalogError& e) {
        std::cerr << "warsearch-index: catalog: " << e.what() << "\n";
        return exit_code::kUsage;
    } catch (const Xapian::DatabaseLockError& e) {
        // Xapian also reports a lock file it cannot create (read-only or full
        // filesystem) as a lock error; only "already locked" means another writer.
        if (e.get_msg().find("already locked") == std::string::npos) {
            std::cerr << "warsearch-index: " << db << ": cannot take the write lock: " << e.get_msg() << "\n";
            return exit_code::kRuntime;
        }
        std::cerr << "warsearch-index: " << db << " is locked by another writer (" << e.get_msg() << ")\n";
        return exit_code::kLocked;
    } catch (const Xapian::Error& e) {
        std::cerr << "warsearch-index: " << db << ": " << e.get_description() << "\n";
        return exit_code::kRuntime;
    } catch (const std::exception& e) {
        std::cerr << "warsearch-index: " << e.what() << "\n";
        return exit_code::kRuntime;
    }
    return failed ? exit_code::kSomeFailed : exit_code::kOk;
}
