#include "indexer/index_run.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <ostream>

#include "common/entities/catalog.h"
#include "common/entities/dateline_places.h"
#include "common/entities/entity_extractor.h"
#include "indexer/extract_json.h"
#include "indexer/progress.h"

namespace warsearch {
namespace {

// Failures and warnings as the run reports them, counted.
class Diagnostics {
  public:
    Diagnostics(const IndexRunConfig& config, std::ostream& err) : config_(config), err_(err) {}

    void failure(const ReadFailure& f) {
        ++failures;
        // A path given that cannot be read at all is the operator's mistake, not bad input.
        if (f.whole_file && std::find(config_.paths.begin(), config_.paths.end(), f.where) != config_.paths.end() &&
            (f.reason.rfind("no such", 0) == 0 || f.reason.rfind("cannot", 0) == 0))
            ++unusable_paths;
        err_ << f.where << ": " << f.reason << "\n";
        if (config_.failures_jsonl) {
            nlohmann::json j = {{"where", f.where}, {"reason", f.reason}, {"whole_file", f.whole_file}};
            *config_.failures_jsonl << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
        }
    }
    void skip(const ReadFailure& f) {
        ++skipped;
        if (!config_.quiet) err_ << f.where << ": " << f.reason << "\n";
        if (config_.failures_jsonl) {
            nlohmann::json j = {{"where", f.where}, {"reason", f.reason}, {"whole_file", true}, {"skipped", true}};
            *config_.failures_jsonl << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
        }
    }
    void warning(const ReadWarning& w) {
        ++warnings;
        if (!config_.quiet) err_ << w.where << ": warning: " << w.message << "\n";
    }

    std::uint64_t failures = 0, warnings = 0, skipped = 0, unusable_paths = 0;

  private:
    const IndexRunConfig& config_;
    std::ostream& err_;
};

void extract(const IndexRunConfig& config, std::ostream& out, Diagnostics& diagnostics, IndexRunResult& result) {
    std::unique_ptr<Catalog> catalog;
    std::unique_ptr<EntityExtractor> extractor;
    if (config.index.extract_entities) {
        catalog = std::make_unique<Catalog>(
            load_catalog(config.index.catalog_dir.empty() ? default_catalog_dir() : config.index.catalog_dir));
        extractor = std::make_unique<EntityExtractor>(*catalog);
    }
    ReadSink sink;
    sink.article = [&](Article&& a) {
        if (extractor) {
            Extraction entities = extract_article_entities(*extractor, a, entity_text(a.body));
            out << extract_json(a, &entities) << "\n";
        } else {
            out << extract_json(a) << "\n";
        }
        ++result.documents;
    };
    sink.failure = [&](const ReadFailure& f) { diagnostics.failure(f); };
    sink.warning = [&](const ReadWarning& w) { diagnostics.warning(w); };
    sink.skipped = [&](const ReadFailure& f) { diagnostics.skip(f); };
    result.files = read_paths(config.paths, config.read, sink);
}

void index(const IndexRunConfig& config, std::ostream& err, Diagnostics& diagnostics, IndexRunResult& result) {
    Indexer indexer(config.index);
    ProgressBar progress(config.progress_bar, config.progress_bar ? total_input_bytes(config.paths) : 0);
    IndexCallbacks callbacks;
    callbacks.failure = [&](const ReadFailure& f) { diagnostics.failure(f); };
    callbacks.warning = [&](const ReadWarning& w) { diagnostics.warning(w); };
    callbacks.skipped = [&](const ReadFailure& f) { diagnostics.skip(f); };
    callbacks.file_started = [&](const std::string&, std::uint64_t bytes) { progress.file_started(bytes); };
    callbacks.document = [&](const Article&) { progress.document(); };
    PathsResult read = indexer.index_paths(config.paths, config.read, callbacks);
    indexer.finish();
    progress.finish();
    result.files = read.files;
    result.documents = read.documents;
    result.stats = indexer.stats();
    for (const auto& w : result.stats.warnings) err << "warsearch-index: warning: " << w << "\n";
    if (config.quiet) return;
    const IndexStats& s = result.stats;
    double secs = progress.seconds();
    char line[512];
    std::snprintf(
        line, sizeof line,
        "indexed %llu documents (%llu replaced one read earlier in this run) from %zu files in %.2f s "
        "(%.0f docs/s, %.1f MB/s); %llu deleted, %llu failed, %llu warnings, %llu skipped\n",
        static_cast<unsigned long long>(s.documents), static_cast<unsigned long long>(s.replaced_in_run), result.files,
        secs, secs > 0 ? s.documents / secs : 0.0, secs > 0 ? progress.bytes() / secs / 1e6 : 0.0,
        static_cast<unsigned long long>(s.deleted), static_cast<unsigned long long>(diagnostics.failures),
        static_cast<unsigned long long>(diagnostics.warnings), static_cast<unsigned long long>(diagnostics.skipped));
    err << line;
}

}  // namespace

IndexRunResult run_index(const IndexRunConfig& config, std::ostream& out, std::ostream& err) {
    IndexRunResult result;
    Diagnostics diagnostics(config, err);
    if (config.extract)
        extract(config, out, diagnostics, result);
    else
        index(config, err, diagnostics, result);
    result.failures = diagnostics.failures;
    result.warnings = diagnostics.warnings;
    result.skipped = diagnostics.skipped;
    result.unusable_paths = diagnostics.unusable_paths;
    return result;
}

}  // namespace warsearch
