// One nightly run: scan the sources against the per-file state, index what changed in
// batches (documents first, then state plus stale-document deletions in one commit),
// delete what vanished, optionally compact, and describe it all in a report.
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <memory>
#include <set>
#include <unordered_set>

#include "common/exit_codes.h"
#include "common/index/database_layout.h"
#include "common/index/facet_value_file.h"
#include "common/index/schema.h"
#include "indexer/indexer.h"
#include "indexer/nightly/nightly.h"
#include "searcher/render.h"
#include "searcher/searcher.h"

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace warsearch {
namespace {

// Test hooks, both like a kill -9 at that point: WARSEARCH_NIGHTLY_CRASH_AFTER=N after the
// N-th document handed to the indexer, WARSEARCH_NIGHTLY_CRASH_AT=<point> at a named point.
void crash_point(std::string_view name) {
    const char* at = std::getenv("WARSEARCH_NIGHTLY_CRASH_AT");
    if (at && name == at) std::raise(SIGKILL);
}

std::uint64_t crash_after_documents() {
    const char* n = std::getenv("WARSEARCH_NIGHTLY_CRASH_AFTER");
    return n ? std::strtoull(n, nullptr, 10) : 0;
}

std::string iso_utc(std::chrono::system_clock::time_point t) {
    std::time_t tt = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::uint64_t total_revision(const std::string& db) {
    std::uint64_t total = 0;
    for (const auto& p : local_databases(db)) total += Xapian::Database(p).get_revision();
    return total;
}

enum class Change { unchanged, touched, added, changed, deleted };

const char* change_name(Change c) {
    switch (c) {
        case Change::unchanged:
            return "unchanged";
        case Change::touched:
            return "touched";
        case Change::added:
            return "added";
        case Change::changed:
            return "changed";
        case Change::deleted:
            return "deleted";
    }
    return "?";
}

/// One input file and what this run does with it.
struct FileWork {
    std::string path;
    const NightlySource* source = nullptr;
    Change change = Change::unchanged;
    FileState now;                      ///< size, mtime, hash as seen by this run
    const FileState* before = nullptr;  ///< the stored state, when there is one
    // Filled while indexing:
    std::vector<std::string> ids;
    std::uint64_t failed_records = 0;
    bool whole_file_failed = false;
    std::uint64_t stale_deleted = 0;
};

/// Lists the regular files of a source the way read_paths() walks: sorted, hidden
/// files and folders skipped, README/LICENSE skipped.  Returns false (and reports) when
/// the listing is incomplete, so nothing under it is taken as deleted.
bool list_source(const NightlySource& source, std::vector<std::string>& files, std::vector<ReadFailure>& failures) {
    std::error_code ec;
    fs::file_status st = fs::status(source.path, ec);
    if (ec || !fs::exists(st)) {
        failures.push_back(
            {source.path, "source folder missing or unreadable" + (ec ? ": " + ec.message() : std::string()), true});
        return false;
    }
    if (!fs::is_directory(st)) {
        files.push_back(source.path);
        return true;
    }
    return list_input_files(source.path, files, [&](const ReadFailure& f) { failures.push_back(f); });
}

bool under(const std::string& path, const std::string& root) {
    return path == root ||
           (path.size() > root.size() && path.compare(0, root.size(), root) == 0 && path[root.size()] == '/');
}

/// Deleted document ids listed in the report.
constexpr std::size_t kMaxDeletedIds = 1000;

class Run {
  public:
    Run(const NightlyConfig& config, const NightlyOptions& options) : config_(config), options_(options) {}
    NightlyReport go();

  private:
    void log(const std::string& line) const {
        if (options_.verbose) std::cerr << "warsearch-nightly: " << line << "\n";
    }
    /// Finishes or rolls back a compaction a killed run left; says what it did.
    std::string recover();
    void scan();
    /// The run's indexer, opened (and the catalog loaded) on first use.
    Indexer& indexer();
    void index_changes();
    void flush_batch(std::vector<FileWork*>& batch, bool last);
    std::vector<FileWork*> queue_file_states(const std::vector<FileWork*>& batch);
    void index_file(FileWork& work);
    /// Compacts when asked, then writes the facet value files that are not current; the
    /// report's "compaction" object.
    json compact_and_map_facets();
    /// The report's counts, documents, files, failures and deleted ids.
    void report_changes(std::map<Change, std::uint64_t>& files, std::uint64_t failed_files);
    void describe_new_documents();
    json alert_report(Searcher& searcher, const NightlyAlert& alert, const std::vector<std::string>& new_ids,
                      bool all_new);

    const NightlyConfig& config_;
    const NightlyOptions& options_;
    std::map<std::string, FileState> states_;
    std::vector<FileWork> work_;
    std::vector<ReadFailure> failures_;
    std::unique_ptr<Indexer> indexer_;
    std::uint64_t documents_handed_ = 0, crash_after_ = crash_after_documents();
    std::uint64_t batch_documents_ = 0;
    std::uint64_t documents_added_ = 0, documents_updated_ = 0, documents_deleted_ = 0;
    std::vector<std::string> written_ids_;  ///< new or changed documents, in order
    std::vector<std::string> deleted_ids_;  ///< for the report (capped at kMaxDeletedIds)
    Xapian::doccount docs_before_ = 0;
    std::uint64_t revision_before_ = 0;
    json report_;
    bool alert_failed_ = false;
    std::uint64_t scan_failures_ = 0;  ///< files or folders that could not be listed or read
};

void Run::scan() {
    std::set<std::string> seen;
    std::vector<std::string> incomplete_roots;
    for (const auto& source : config_.sources) {
        std::vector<std::string> files;
        if (!list_source(source, files, failures_)) incomplete_roots.push_back(source.path);
        for (const auto& path : files) {
            if (!seen.insert(path).second) continue;  // nested sources: the first one wins
            FileWork w;
            w.path = path;
            w.source = &source;
            struct stat st {};
            if (::stat(path.c_str(), &st) != 0) {
                failures_.push_back({path, "cannot stat", true});
                continue;
            }
            w.now.size = static_cast<std::uint64_t>(st.st_size);
            w.now.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
            auto s = states_.find(path);
            if (s != states_.end()) w.before = &s->second;
            if (w.before && w.before->size == w.now.size && w.before->mtime_ns == w.now.mtime_ns) {
                // Unchanged, cheaply: not even read.
                w.change = Change::unchanged;
                w.now = *w.before;
            } else {
                try {
                    w.now.hash = hash_file(path);
                } catch (const std::exception& e) {
                    failures_.push_back({path, e.what(), true});
                    continue;
                }
                if (!w.before)
                    w.change = Change::added;
                else if (w.before->hash == w.now.hash)
                    w.change = Change::touched;  // same bytes, new mtime
                else
                    w.change = Change::changed;
            }
            work_.push_back(std::move(w));
        }
    }
    // Files with state that the walk did not find are gone, unless their folder could
    // not be listed completely this time (an unmounted share must not empty the index).
    for (const auto& [known_path, state] : states_) {
        const std::string& path = known_path;  // clang 14 cannot capture a structured binding
        if (seen.count(path)) continue;
        bool unsure = std::any_of(incomplete_roots.begin(), incomplete_roots.end(),
                                  [&](const std::string& root) { return under(path, root); });
        if (unsure) continue;
        FileWork w;
        w.path = path;
        w.change = Change::deleted;
        w.before = &state;
        work_.push_back(std::move(w));
    }
}

Indexer& Run::indexer() {
    if (!indexer_) {
        IndexOptions o;
        o.db_path = config_.database;
        // The run commits each batch itself (documents, then the state): the indexer's own
        // commits only bound memory for files bigger than a batch.  Fewer commits in a
        // burst means fewer readers asked to reopen and retry.
        o.batch_size = config_.batch_size * 4;
        o.stem_language = config_.stem_language;
        o.extract_entities = config_.extract_entities;
        o.catalog_dir = config_.catalog_dir;
        o.shards = 0;                 // whatever the database already is: one, or the shards of its stub
        o.parallel_parts = 1;         // write in place: searchers keep seeing the database
        o.write_facet_files = false;  // once, at the end of the run (after any compaction)
        indexer_ = std::make_unique<Indexer>(o);
    }
    return *indexer_;
}

void Run::index_file(FileWork& work) {
    IndexCallbacks callbacks;
    callbacks.failure = [&](const ReadFailure& f) { failures_.push_back(f); };
    callbacks.warning = [&](const ReadWarning& w) { log(w.where + ": warning: " + w.message); };
    callbacks.document = [&](const Article&) {
        ++batch_documents_;
        if (crash_after_ && ++documents_handed_ == crash_after_) std::raise(SIGKILL);
    };
    FileResult result = indexer().index_file(work.path, work.source->read, callbacks);
    work.ids = std::move(result.ids);
    work.failed_records = result.failed_records;
    work.whole_file_failed = result.whole_file_failed;

    std::unordered_set<std::string> old_ids;
    if (work.before) old_ids.insert(work.before->ids.begin(), work.before->ids.end());
    for (const auto& id : work.ids) {
        if (old_ids.count(id))
            ++documents_updated_;
        else
            ++documents_added_;
        written_ids_.push_back(id);
    }
}

// The state of each file of @a batch, and the deletions its change calls for, queued
// in the indexer in batch order (every output database gets the same).  Returns the
// files whose deletions were queued, in request order.
std::vector<FileWork*> Run::queue_file_states(const std::vector<FileWork*>& batch) {
    std::vector<FileWork*> deleting;
    for (FileWork* w : batch) {
        std::string key = std::string(kMetaFilePrefix) + w->path;
        if (w->change == Change::deleted) {
            indexer().delete_stale_documents(w->path, std::nullopt, kMaxDeletedIds);
            deleting.push_back(w);
            indexer().set_metadata(key, "");  // removes the key
            continue;
        }
        if (w->change == Change::touched) {
            FileState s = *w->before;
            s.size = w->now.size;
            s.mtime_ns = w->now.mtime_ns;
            indexer().set_metadata(key, s.to_json());
            continue;
        }
        if (w->whole_file_failed) continue;  // tried again next run; its documents stay
        if (w->failed_records == 0) {
            // Documents this file produced before but not now.  Ids that moved to
            // another file carry that file's path term and are left alone.
            indexer().delete_stale_documents(w->path, w->ids, kMaxDeletedIds);
            deleting.push_back(w);
        }
        FileState s = w->now;
        s.ids = w->ids;
        s.failures = w->failed_records;
        indexer().set_metadata(key, s.to_json());
    }
    return deleting;
}

void Run::flush_batch(std::vector<FileWork*>& batch, bool last) {
    if (batch.empty() && !last) return;
    // The documents are committed before any state that names them.
    if (indexer_) indexer_->commit();
    crash_point("before-state");
    bool any = false;
    for (FileWork* w : batch) any = any || !(w->whole_file_failed && w->ids.empty());
    if (!any) {
        batch.clear();
        batch_documents_ = 0;
        return;
    }
    for (FileWork* w : batch) w->stale_deleted = 0;
    std::vector<FileWork*> deleting = queue_file_states(batch);
    // One commit per database: the state and the stale deletions together.
    CommitResult committed = indexer().commit();
    for (const auto& d : committed.deletions) {
        for (const auto& id : d.deleted.ids)
            if (deleted_ids_.size() < kMaxDeletedIds) deleted_ids_.push_back(id);
        deleting[d.request]->stale_deleted += d.deleted.count;
        documents_deleted_ += d.deleted.count;
    }
    batch.clear();
    batch_documents_ = 0;
}

void Run::index_changes() {
    std::vector<FileWork*> batch;
    for (auto& w : work_) {
        if (w.change != Change::added && w.change != Change::changed) continue;
        log(std::string(change_name(w.change)) + ": " + w.path);
        index_file(w);
        batch.push_back(&w);
        if (batch_documents_ >= config_.batch_size) flush_batch(batch, false);
    }
    // Touched files and vanished files change only state and deletions: one last commit.
    for (auto& w : work_)
        if (w.change == Change::touched || w.change == Change::deleted) batch.push_back(&w);
    crash_point("before-final");
    flush_batch(batch, true);
    // Closing the indexer releases the write lock (compaction takes it next).
    indexer_.reset();
}

json facet_json(const std::map<std::string, std::map<std::string, std::pair<std::string, Xapian::doccount>>>& facets,
                std::size_t top) {
    json out = json::array();
    for (const auto& [dim, values] : facets) {
        std::vector<std::pair<std::string, std::pair<std::string, Xapian::doccount>>> v(values.begin(), values.end());
        if (dim == "month") {
            std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        } else {
            std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
                return a.second.second != b.second.second ? a.second.second > b.second.second : a.first < b.first;
            });
            if (v.size() > top) v.resize(top);
        }
        json values_json = json::array();
        for (const auto& [key, lc] : v)
            values_json.push_back({{"key", key}, {"label", lc.first}, {"count", lc.second}});
        out.push_back({{"dimension", dim}, {"values", values_json}});
    }
    return out;
}

json Run::alert_report(Searcher& searcher, const NightlyAlert& alert, const std::vector<std::string>& new_ids,
                       bool all_new) {
    json a = {{"name", alert.name}, {"query", alert.query}, {"filters", alert.filters}};
    std::vector<json> hits;
    Xapian::doccount total = 0;
    try {
        // The alert's query over the new documents (on a first run, every document),
        // newest first.
        SearchRequest req;
        req.query = alert.query;
        req.filters = alert.filters;
        // An alert tells of reports with every word it names, not of any report with one
        // of them: the strict reading, not the ranked default.
        req.default_op = DefaultOperator::op_and;
        if (!all_new) req.ids = new_ids;
        req.sort = SortOrder::date_newest;
        req.collapse = false;
        req.facets = true;  // makes the match count exact
        req.facet_bound = searcher.database().get_doccount() + 1;
        req.limits.time_limit_seconds = 0;
        // The hits come a page at a time, up to max_hits; a first run lists one page at
        // most.
        std::size_t page = req.limits.max_limit;
        std::size_t wanted = all_new ? std::min(alert.max_hits, page) : alert.max_hits;
        while (hits.size() < wanted && req.offset <= req.limits.max_offset) {
            req.limit = static_cast<Xapian::doccount>(std::min(wanted - hits.size(), page));
            SearchResult r = searcher.search(req);
            if (req.facets) total = r.estimate;
            for (const auto& h : r.hits) {
                std::string snippet;
                for (const auto& seg : h.snippet) snippet += seg.text;
                json hit = {{"id", h.fields.id},         {"title", h.fields.title}, {"date", h.fields.date},
                            {"source", h.fields.source}, {"url", h.fields.url},     {"snippet", snippet}};
                if (!h.fields.parent.empty()) {
                    hit["parent"] = h.fields.parent;
                    hit["parent_title"] = h.fields.parent_title;
                    hit["time"] = h.fields.time;
                    hit["time_label"] = entry_time_label(h.fields);
                }
                hits.push_back(std::move(hit));
            }
            if (r.hits.size() < req.limit) break;
            req.offset += req.limit;
            req.facets = false;  // counted with the first page
        }
    } catch (const QueryError& e) {
        a["error"] = e.what();
        alert_failed_ = true;
        std::cerr << "warsearch-nightly: alert '" << alert.name << "': " << e.what() << "\n";
    }
    std::stable_sort(hits.begin(), hits.end(), [](const json& x, const json& y) {
        return x["date"].get<std::string>() > y["date"].get<std::string>();
    });
    if (hits.size() > alert.max_hits) hits.resize(alert.max_hits);
    a["total"] = total;
    a["hits"] = hits;
    return a;
}

void Run::describe_new_documents() {
    json facets = json::array();
    json alerts = json::array();
    if (written_ids_.empty()) {
        for (const auto& alert : config_.alerts)
            alerts.push_back({{"name", alert.name},
                              {"query", alert.query},
                              {"filters", alert.filters},
                              {"total", 0},
                              {"hits", json::array()}});
        report_["new_documents"] = {{"count", 0}, {"facets", facets}};
        report_["alerts"] = alerts;
        return;
    }
    SearcherOptions searcher_options;
    searcher_options.stem_language = config_.stem_language;
    Searcher searcher(config_.database, searcher_options);
    // On a first run everything is new and no restriction is needed; otherwise the
    // searches are kept to the new documents by their ids.
    bool all_new = docs_before_ == 0;
    std::set<std::string> unique(written_ids_.begin(), written_ids_.end());
    std::vector<std::string> new_ids;
    if (!all_new) new_ids.assign(unique.begin(), unique.end());
    // Counted per document (a syndicated story counts once per copy): "reports that came in".
    std::map<std::string, std::map<std::string, std::pair<std::string, Xapian::doccount>>> counts;
    SearchRequest req;
    req.ids = new_ids;
    req.limit = 0;
    req.snippets = false;
    req.collapse = false;
    req.facets = true;
    req.facet_bound = searcher.database().get_doccount() + 1;
    req.facet_top = 1000000;
    req.limits.time_limit_seconds = 0;
    SearchResult r = searcher.search(req);
    for (const auto& f : r.facets)
        for (const auto& v : f.values) counts[f.dimension][v.key] = {v.label, v.count};
    report_["new_documents"] = {{"count", unique.size()}, {"facets", facet_json(counts, config_.facet_top)}};
    for (const auto& alert : config_.alerts) alerts.push_back(alert_report(searcher, alert, new_ids, all_new));
    report_["alerts"] = alerts;
}

std::string Run::recover() {
    std::string recovered;
    for (const auto& path : local_databases(config_.database)) {
        std::string note = options_.dry_run ? "" : recover_interrupted_compaction(path);
        if (!note.empty()) std::cerr << "warsearch-nightly: " << note << "\n";
        recovered += (recovered.empty() || note.empty() ? "" : "; ") + note;
    }
    return recovered;
}

json Run::compact_and_map_facets() {
    const std::string& db = config_.database;
    bool compacted = false;
    double compact_seconds = 0;
    if (options_.compact && !options_.dry_run && holds_index(db)) {
        auto c0 = std::chrono::steady_clock::now();
        for (const auto& path : local_databases(db)) compact_database(path);
        compacted = true;
        compact_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - c0).count();
    }
    // Searchers map each database's facet values from a file that must name its current
    // revision (facet_value_file.h): the state commits and the compaction above made any
    // older one stale.  A run that changed nothing leaves a current file alone.
    if (!options_.dry_run && holds_index(db)) {
        for (const auto& path : local_databases(db)) {
            if (FacetValueFile::map(path, Xapian::Database(path))) continue;
            std::string error;
            if (write_facet_value_file(path, schema::kFacetSlot, &error))
                log("facet values: wrote " + path + "/" + std::string(kFacetValueFileName));
            else
                log("warning: " + error + " (searches read the values from the index instead)");
        }
    }
    return {{"requested", options_.compact}, {"done", compacted}, {"seconds", compact_seconds}};
}

void Run::report_changes(std::map<Change, std::uint64_t>& files, std::uint64_t failed_files) {
    report_["counts"] = {{"added", files[Change::added]},
                         {"changed", files[Change::changed]},
                         {"deleted", files[Change::deleted]},
                         {"failed", failed_files},
                         {"unchanged", files[Change::unchanged] + files[Change::touched]},
                         {"touched", files[Change::touched]}};
    report_["documents"] = {
        {"added", documents_added_}, {"updated", documents_updated_}, {"deleted", documents_deleted_}};
    json changed = json::array();
    for (const auto& w : work_) {
        if (w.change == Change::unchanged) continue;
        if (changed.size() >= 5000) {
            report_["files_truncated"] = true;
            break;
        }
        json c = {{"path", w.path}, {"change", change_name(w.change)}};
        if (w.change == Change::added || w.change == Change::changed) c["documents"] = w.ids.size();
        if (w.stale_deleted) c["deleted_documents"] = w.stale_deleted;
        if (w.failed_records) c["failed_records"] = w.failed_records;
        if (w.whole_file_failed) c["failed"] = true;
        changed.push_back(c);
    }
    report_["files"] = changed;
    json fails = json::array();
    for (const auto& f : failures_) {
        if (fails.size() >= 1000) break;
        fails.push_back({{"where", f.where}, {"reason", f.reason}, {"whole_file", f.whole_file}});
    }
    report_["failures"] = fails;
    report_["deleted_ids"] = deleted_ids_;
}

NightlyReport Run::go() {
    auto started = std::chrono::system_clock::now();
    auto t0 = std::chrono::steady_clock::now();
    const std::string& db = config_.database;

    fs::path parent = fs::path(db).parent_path();
    if (!parent.empty()) fs::create_directories(parent);
    NightlyLock lock(db);
    std::string recovered = recover();

    if (holds_index(db)) {
        Xapian::Database before(db);
        revision_before_ = total_revision(db);
        docs_before_ = before.get_doccount();
        states_ = load_file_states(before);
    }
    scan();
    scan_failures_ = failures_.size();

    std::map<Change, std::uint64_t> files;
    for (const auto& w : work_) ++files[w.change];
    bool work_to_do =
        std::any_of(work_.begin(), work_.end(), [](const FileWork& w) { return w.change != Change::unchanged; });
    log("scan: " + std::to_string(work_.size()) + " files, " + std::to_string(files[Change::added]) + " new, " +
        std::to_string(files[Change::changed]) + " changed, " + std::to_string(files[Change::deleted]) + " gone");

    // Only a run with something to do opens a writer: a run with no changes keeps the
    // revision, so pinned searches stay valid.
    if (work_to_do && !options_.dry_run) {
        index_changes();
    }

    std::uint64_t failed_files = scan_failures_;
    for (const auto& w : work_) failed_files += (w.whole_file_failed || w.failed_records) ? 1 : 0;
    json compaction = compact_and_map_facets();

    std::uint64_t revision_after = revision_before_;
    Xapian::doccount docs_after = docs_before_;
    if (holds_index(db)) {
        Xapian::Database after(db);
        revision_after = total_revision(db);
        docs_after = after.get_doccount();
    }

    report_["tool"] = "warsearch-nightly";
    report_["report_version"] = 1;
    report_["config"] = config_.config_path;
    report_["database"] = db;
    report_["dry_run"] = options_.dry_run;
    report_["started"] = iso_utc(started);
    report_["revision"] = {{"before", revision_before_}, {"after", revision_after}};
    report_["index_documents"] = {{"before", docs_before_}, {"after", docs_after}};
    report_changes(files, failed_files);
    report_["compaction"] = compaction;
    if (!recovered.empty()) report_["recovered"] = recovered;

    if (!options_.dry_run) {
        describe_new_documents();
    } else {
        report_["new_documents"] = {{"count", 0}, {"facets", json::array()}};
        report_["alerts"] = json::array();
    }

    auto finished = std::chrono::system_clock::now();
    report_["finished"] = iso_utc(finished);
    report_["duration_seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    bool some_failed = failed_files > 0 || alert_failed_;
    report_["status"] = some_failed ? "some_failed" : "ok";
    NightlyReport out;
    out.json = std::move(report_);
    out.exit_code = some_failed ? exit_code::kSomeFailed : exit_code::kOk;
    if (!options_.dry_run) out.files = write_nightly_report(config_.report_dir, out.json, config_.keep_reports);
    return out;
}

}  // namespace

NightlyReport run_nightly(const NightlyConfig& config, const NightlyOptions& options) {
    Run run(config, options);
    return run.go();
}

}  // namespace warsearch
