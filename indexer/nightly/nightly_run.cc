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
#include "common/text/text.h"
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

// Test hook: WARSEARCH_NIGHTLY_SEGV_ON=<file name> dies of SIGSEGV reading that file,
// like a reader that overflows its stack.
void segv_hook(const std::string& path) {
    const char* name = std::getenv("WARSEARCH_NIGHTLY_SEGV_ON");
    if (name && *name && fs::path(path).filename() == name) std::raise(SIGSEGV);
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

enum class Change { unchanged, touched, added, changed, deleted, quarantined };

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
        case Change::quarantined:
            return "quarantined";
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
    std::vector<std::string> content_hashes;  ///< parallel to ids
    std::string quarantine;                   ///< why it is quarantined now ("" when not)
    std::uint64_t failed_records = 0;
    bool whole_file_failed = false;
    std::uint64_t stale_deleted = 0;
};

/// Lists the regular files of a source the way read_paths() walks: sorted, hidden
/// files and folders skipped, README/LICENSE skipped.  Returns false (and reports) when
/// the listing is incomplete, so nothing under it is taken as deleted.
/// @throws NightlyRefusedError when the source itself is missing or cannot be listed.
bool list_source(const NightlySource& source, std::vector<std::string>& files, std::vector<ReadFailure>& failures) {
    std::error_code ec;
    fs::file_status st = fs::status(source.path, ec);
    if (ec || !fs::exists(st))
        throw NightlyRefusedError("source " + source.path + " is missing" + (ec ? " (" + ec.message() + ")" : "") +
                                  ": a share that is not mounted or a mistyped path?  Nothing was deleted or "
                                  "written; fix the path (or mount the share) and run again");
    if (!fs::is_directory(st)) {
        files.push_back(source.path);
        return true;
    }
    fs::directory_iterator probe(source.path, ec);
    if (ec)
        throw NightlyRefusedError("source " + source.path + " cannot be listed (" + ec.message() +
                                  "); nothing was deleted or written");
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
    /// The run, once the lock is held.
    NightlyReport go_locked();
    /// The report written for a run that failed or refused (never throws).
    void write_failure_report(const NightlyFailure& failure) noexcept;

  private:
    void log(const std::string& line) const {
        if (options_.verbose) std::cerr << "warsearch-nightly: " << line << "\n";
    }
    /// Finishes or rolls back a compaction a killed run left; says what it did.
    std::string recover();
    /// The database's revision, size, file states and document content hashes.
    void load_state();
    void scan();
    /// Refuses (NightlyRefusedError) a source that is empty although it held files, and a
    /// deletion of more than config.max_delete_share of the index.
    void require_evidence_for_deletions(const std::vector<std::size_t>& files_per_source) const;
    /// Quarantines the file a crash marker blames, when it is still the same file.
    void apply_crash_marker(FileWork& w) const;
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
    /// Whether the alert (by @a alert_key) listed @a id in an earlier run (kMetaAlertPrefix).
    bool alerted_before(const Xapian::Database& db, const std::string& alert_key, const std::string& id) const;
    /// The ids written by this run whose content is new or changed, in order, once each.
    std::vector<std::string> new_or_changed_ids() const;
    /// The report's "quarantined" list: every quarantined file, old and new.
    json quarantine_report() const;
    void fill_report_header(std::chrono::system_clock::time_point started);

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
    std::chrono::system_clock::time_point started_ = std::chrono::system_clock::now();
    std::chrono::steady_clock::time_point t0_ = std::chrono::steady_clock::now();
    std::optional<CrashedFile> crashed_;                            ///< what the last run's crash marker blames
    std::unique_ptr<CrashMarker> marker_;                           ///< blames the file being read if this run crashes
    std::map<std::string, std::string> content_before_;             ///< id -> content hash, from the states
    std::uint64_t documents_unchanged_ = 0;                         ///< rewritten with the same content
    std::vector<std::pair<std::string, std::string>> alert_state_;  ///< kMetaAlertPrefix keys to set
    std::uint64_t warnings_ = 0;                                    ///< bad records, unreadable files, quarantines
    bool alert_failed_ = false;
    std::uint64_t scan_failures_ = 0;  ///< files or folders that could not be listed or read
};

void Run::scan() {
    std::set<std::string> seen;
    std::vector<std::string> incomplete_roots;
    std::vector<std::size_t> files_per_source;
    for (const auto& source : config_.sources) {
        std::vector<std::string> files;
        if (!list_source(source, files, failures_)) incomplete_roots.push_back(source.path);
        files_per_source.push_back(files.size());
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
                // Unchanged, cheaply: not even read.  A quarantined file stays so.
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
                apply_crash_marker(w);
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
    require_evidence_for_deletions(files_per_source);
}

void Run::apply_crash_marker(FileWork& w) const {
    if (!crashed_ || crashed_->path != w.path || crashed_->hash != w.now.hash) return;
    w.change = Change::quarantined;
    w.quarantine = "crashed the nightly job (signal " + std::to_string(crashed_->signal) +
                   ") while it was read (quarantined until the file changes)";
}

void Run::require_evidence_for_deletions(const std::vector<std::size_t>& files_per_source) const {
    // An empty folder that held files is a share that is not mounted more often than a
    // newsroom that deleted everything.
    for (std::size_t i = 0; i < config_.sources.size(); ++i) {
        if (files_per_source[i] > 0) continue;
        const std::string& root = config_.sources[i].path;
        bool held = std::any_of(states_.begin(), states_.end(), [&](const auto& kv) { return under(kv.first, root); });
        if (held)
            throw NightlyRefusedError("source " + root +
                                      " is empty but held indexed files: a share that is not mounted?  Nothing "
                                      "was deleted or written; mount it and run again (to drop its documents "
                                      "on purpose, remove the source from the configuration and reindex)");
    }
    std::uint64_t doomed = 0, files = 0;
    for (const auto& w : work_)
        if (w.change == Change::deleted) {
            doomed += w.before->ids.size();
            ++files;
        }
    if (options_.allow_mass_delete || docs_before_ == 0 || doomed == 0) return;
    double share = static_cast<double>(doomed) / static_cast<double>(docs_before_);
    if (share <= config_.max_delete_share) return;
    char pct[32], max_pct[32];
    std::snprintf(pct, sizeof pct, "%.1f%%", 100 * share);
    std::snprintf(max_pct, sizeof max_pct, "%.1f%%", 100 * config_.max_delete_share);
    throw NightlyRefusedError("the files that are gone (" + std::to_string(files) + ") hold " + std::to_string(doomed) +
                              " of the index's " + std::to_string(docs_before_) + " documents (" + pct +
                              ", more than max_delete_share " + max_pct +
                              "); nothing was deleted or written.  If that is meant, run once with "
                              "--allow-mass-delete");
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

/// A document's content as the index holds it, hashed: a rewritten file's unchanged
/// documents are not news.
std::string content_hash(const Article& a) {
    std::string text;
    for (const std::string* f : {&a.id, &a.title, &a.body, &a.source, &a.url, &a.lang, &a.byline, &a.dateline,
                                 &a.parent, &a.parent_title, &a.time})
        text += *f + '\x1f';
    text += a.date.iso();
    return hex64(hash64(text));
}

void Run::index_file(FileWork& work) {
    std::map<std::string, std::string> hashes;
    IndexCallbacks callbacks;
    callbacks.failure = [&](const ReadFailure& f) { failures_.push_back(f); };
    callbacks.warning = [&](const ReadWarning& w) { log(w.where + ": warning: " + w.message); };
    callbacks.document = [&](const Article& a) {
        ++batch_documents_;
        hashes[a.id] = content_hash(a);
        if (crash_after_ && ++documents_handed_ == crash_after_) std::raise(SIGKILL);
    };
    marker_->reading(work.path, work.now.hash);
    segv_hook(work.path);
    FileResult result = indexer().index_file(work.path, work.source->read, callbacks);
    marker_->done();
    work.ids = std::move(result.ids);
    work.failed_records = result.failed_records;
    work.whole_file_failed = result.whole_file_failed;

    std::unordered_set<std::string> old_ids;
    if (work.before) old_ids.insert(work.before->ids.begin(), work.before->ids.end());
    for (const auto& id : work.ids) {
        work.content_hashes.push_back(hashes[id]);
        auto before = content_before_.find(id);
        if (before != content_before_.end() && before->second == hashes[id])
            ++documents_unchanged_;
        else if (old_ids.count(id) || before != content_before_.end())
            ++documents_updated_;
        else
            ++documents_added_;
        written_ids_.push_back(id);
    }
    if (work.whole_file_failed) {
        std::string reason = "could not be read";
        for (auto f = failures_.rbegin(); f != failures_.rend(); ++f)
            if (f->whole_file && f->where.rfind(work.path, 0) == 0) {
                reason = f->reason;
                break;
            }
        work.quarantine = reason + " (quarantined until the file changes)";
    }
}

std::vector<std::string> Run::new_or_changed_ids() const {
    std::vector<std::string> out;
    std::unordered_set<std::string> done;
    for (const auto& w : work_)
        for (std::size_t i = 0; i < w.ids.size() && i < w.content_hashes.size(); ++i) {
            auto before = content_before_.find(w.ids[i]);
            if (before != content_before_.end() && before->second == w.content_hashes[i]) continue;
            if (done.insert(w.ids[i]).second) out.push_back(w.ids[i]);
        }
    return out;
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
        if (!w->quarantine.empty()) {
            // Its documents stay as they were (with any it produced before failing); it is
            // read again when its size, time or content changes.
            FileState s = w->now;
            if (w->before) {
                s.ids = w->before->ids;
                s.content_hashes = w->before->content_hashes;
            }
            for (std::size_t i = 0; i < w->ids.size(); ++i)
                if (std::find(s.ids.begin(), s.ids.end(), w->ids[i]) == s.ids.end()) {
                    s.ids.push_back(w->ids[i]);
                    if (i < w->content_hashes.size()) s.content_hashes.push_back(w->content_hashes[i]);
                }
            s.quarantined = w->quarantine;
            indexer().set_metadata(key, s.to_json());
            continue;
        }
        if (w->failed_records == 0) {
            // Documents this file produced before but not now.  Ids that moved to
            // another file carry that file's path term and are left alone.
            indexer().delete_stale_documents(w->path, w->ids, kMaxDeletedIds);
            deleting.push_back(w);
        }
        FileState s = w->now;
        s.ids = w->ids;
        s.content_hashes = w->content_hashes;
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
    // The alerts search the documents just committed; what they listed is remembered in
    // the same commit as the file states, so a crash before it alerts them again.
    if (last && !options_.dry_run) describe_new_documents();
    if (batch.empty() && alert_state_.empty()) return;
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
    // Touched, quarantined and vanished files change only state and deletions: one last
    // commit.
    for (auto& w : work_)
        if (w.change == Change::touched || w.change == Change::deleted || w.change == Change::quarantined)
            batch.push_back(&w);
    crash_point("before-final");
    flush_batch(batch, true);
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

bool Run::alerted_before(const Xapian::Database& db, const std::string& alert_key, const std::string& id) const {
    return !db.get_metadata(std::string(kMetaAlertPrefix) + alert_key + ":" + id).empty();
}

json Run::alert_report(Searcher& searcher, const NightlyAlert& alert, const std::vector<std::string>& new_ids,
                       bool all_new) {
    json a = {{"name", alert.name}, {"query", alert.query}, {"filters", alert.filters}};
    std::vector<json> hits;
    std::uint64_t total = 0, old = 0;
    const std::string alert_key = hex64(hash64(alert.name));
    try {
        // The alert's query over the new or changed documents (on a first run, every
        // document), newest first, every page: a report it listed before (by id) is not
        // news again, whatever happened to its file since.
        SearchRequest req;
        req.query = alert.query;
        req.filters = alert.filters;
        // An alert tells of reports with every word it names, not of any report with one
        // of them: the strict reading, not the ranked default.
        req.default_op = DefaultOperator::op_and;
        if (!all_new) req.ids = new_ids;
        req.sort = SortOrder::date_newest;
        req.collapse = false;
        req.facets = false;
        req.limits.time_limit_seconds = 0;
        req.limit = req.limits.max_limit;
        while (req.offset <= req.limits.max_offset) {
            req.snippets = hits.size() < alert.max_hits;
            SearchResult r = searcher.search(req);
            for (const auto& h : r.hits) {
                if (alerted_before(searcher.database(), alert_key, h.fields.id)) {
                    ++old;
                    continue;
                }
                ++total;
                alert_state_.emplace_back(std::string(kMetaAlertPrefix) + alert_key + ":" + h.fields.id,
                                          h.story.empty() ? "-" : h.story);
                if (hits.size() >= alert.max_hits) continue;
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
        }
    } catch (const QueryError& e) {
        a["error"] = e.what();
        alert_failed_ = true;
        std::cerr << "warsearch-nightly: alert '" << alert.name << "': " << e.what() << "\n";
    }
    std::stable_sort(hits.begin(), hits.end(), [](const json& x, const json& y) {
        return x["date"].get<std::string>() > y["date"].get<std::string>();
    });
    a["total"] = total;
    a["alerted_before"] = old;
    a["hits"] = hits;
    return a;
}

void Run::describe_new_documents() {
    json facets = json::array();
    json alerts = json::array();
    std::vector<std::string> new_ids = new_or_changed_ids();
    if (new_ids.empty()) {
        for (const auto& alert : config_.alerts)
            alerts.push_back({{"name", alert.name},
                              {"query", alert.query},
                              {"filters", alert.filters},
                              {"total", 0},
                              {"alerted_before", 0},
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
    std::size_t count = new_ids.size();
    if (all_new) new_ids.clear();
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
    report_["new_documents"] = {{"count", count}, {"facets", facet_json(counts, config_.facet_top)}};
    for (const auto& alert : config_.alerts) alerts.push_back(alert_report(searcher, alert, new_ids, all_new));
    report_["alerts"] = alerts;
    for (const auto& [key, story] : alert_state_) indexer().set_metadata(key, story);
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
                         {"quarantined", files[Change::quarantined]},
                         {"unchanged", files[Change::unchanged] + files[Change::touched]},
                         {"touched", files[Change::touched]}};
    report_["documents"] = {{"added", documents_added_},
                            {"updated", documents_updated_},
                            {"unchanged", documents_unchanged_},
                            {"deleted", documents_deleted_}};
    json changed = json::array();
    json deleted_files = json::array();
    for (const auto& w : work_) {
        if (w.change == Change::deleted) deleted_files.push_back({{"path", w.path}, {"documents", w.stale_deleted}});
        if (w.change == Change::unchanged) continue;
        if (changed.size() >= 5000) {
            report_["files_truncated"] = true;
            continue;
        }
        json c = {{"path", w.path}, {"change", change_name(w.change)}};
        if (w.change == Change::added || w.change == Change::changed) c["documents"] = w.ids.size();
        if (w.stale_deleted) c["deleted_documents"] = w.stale_deleted;
        if (w.failed_records) c["failed_records"] = w.failed_records;
        if (w.whole_file_failed) c["failed"] = true;
        if (!w.quarantine.empty()) c["quarantined"] = w.quarantine;
        changed.push_back(c);
    }
    report_["files"] = changed;
    report_["deleted_files"] = deleted_files;
    json fails = json::array();
    for (const auto& f : failures_) {
        if (fails.size() >= 1000) break;
        fails.push_back({{"where", f.where}, {"reason", f.reason}, {"whole_file", f.whole_file}});
    }
    report_["failures"] = fails;
    report_["deleted_ids"] = deleted_ids_;
    report_["deleted_ids_truncated"] = documents_deleted_ > deleted_ids_.size();
    report_["quarantined"] = quarantine_report();
}

json Run::quarantine_report() const {
    json out = json::array();
    std::set<std::string> listed;
    for (const auto& w : work_)
        if (!w.quarantine.empty() && listed.insert(w.path).second)
            out.push_back({{"path", w.path}, {"reason", w.quarantine}, {"new", true}});
    for (const auto& w : work_)
        if (w.change == Change::unchanged || w.change == Change::touched)
            if (w.before && !w.before->quarantined.empty() && listed.insert(w.path).second)
                out.push_back({{"path", w.path}, {"reason", w.before->quarantined}, {"new", false}});
    return out;
}

void Run::fill_report_header(std::chrono::system_clock::time_point started) {
    report_["tool"] = "warsearch-nightly";
    report_["report_version"] = 2;
    report_["config"] = config_.config_path;
    report_["database"] = config_.database;
    report_["dry_run"] = options_.dry_run;
    report_["started"] = iso_utc(started);
}

void Run::write_failure_report(const NightlyFailure& failure) noexcept {
    if (options_.dry_run) return;
    try {
        report_ = json::object();
        fill_report_header(started_);
        std::uint64_t revision_now = revision_before_;
        Xapian::doccount docs_now = docs_before_;
        try {
            if (holds_index(config_.database)) {
                revision_now = index_revision(config_.database);
                docs_now = Xapian::Database(config_.database).get_doccount();
            }
        } catch (...) {
            // A damaged database (Xapian::Error is no std::exception): what was known
            // before the run stands.
        }
        report_["revision"] = {{"before", revision_before_}, {"after", revision_now}};
        report_["index_documents"] = {{"before", docs_before_}, {"after", docs_now}};
        report_["counts"] = json::object();
        report_["documents"] = {{"added", documents_added_},
                                {"updated", documents_updated_},
                                {"unchanged", documents_unchanged_},
                                {"deleted", documents_deleted_}};
        report_["new_documents"] = {{"count", 0}, {"facets", json::array()}};
        report_["alerts"] = json::array();
        json fails = json::array();
        for (const auto& f : failures_)
            if (fails.size() < 1000)
                fails.push_back({{"where", f.where}, {"reason", f.reason}, {"whole_file", f.whole_file}});
        report_["failures"] = fails;
        report_["deleted_ids"] = deleted_ids_;
        report_["compaction"] = {{"requested", options_.compact}, {"done", false}, {"seconds", 0}};
        report_["finished"] = iso_utc(std::chrono::system_clock::now());
        report_["duration_seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
        report_["status"] = failure.exit_code == kExitRefused ? "refused" : "failed";
        report_["error"] = failure.message;
        report_["exit_code"] = failure.exit_code;
        write_nightly_report(config_.report_dir, report_, config_.keep_reports);
    } catch (const std::exception& e) {
        std::cerr << "warsearch-nightly: could not write the report of the failed run: " << e.what() << "\n";
    } catch (...) {
        std::cerr << "warsearch-nightly: could not write the report of the failed run\n";
    }
}

void Run::load_state() {
    const std::string& db = config_.database;
    if (!holds_index(db)) return;
    Xapian::Database before(db);
    revision_before_ = index_revision(db);
    docs_before_ = before.get_doccount();
    states_ = load_file_states(before);
    for (const auto& [path, state] : states_)
        for (std::size_t i = 0; i < state.content_hashes.size(); ++i)
            content_before_[state.ids[i]] = state.content_hashes[i];
}

NightlyReport Run::go() {
    const std::string& db = config_.database;
    fs::path parent = fs::path(db).parent_path();
    if (!parent.empty()) fs::create_directories(parent);
    NightlyLock lock(db);
    try {
        return go_locked();
    } catch (...) {
        // Every run leaves a report, so latest.json never says "ok" after a failure; a run
        // that found the lock taken leaves the holder's report alone.
        write_failure_report(describe_nightly_failure(db));
        throw;
    }
}

NightlyReport Run::go_locked() {
    const std::string& db = config_.database;
    std::string recovered = recover();
    crashed_ = read_crash_marker(db);
    load_state();
    // A damaged database is neither written into nor compacted (nor reported on as ok).
    if (holds_index(db)) check_database(db);
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
    if (!options_.dry_run) marker_ = std::make_unique<CrashMarker>(db);
    if (work_to_do && !options_.dry_run) index_changes();
    // The crash the marker told of is dealt with in the state just committed.
    if (crashed_ && marker_) marker_->clear();
    if (!options_.dry_run) {
        if (!report_.contains("alerts")) describe_new_documents();
    } else {
        report_["new_documents"] = {{"count", 0}, {"facets", json::array()}};
        report_["alerts"] = json::array();
    }
    // Closing the indexer releases the write lock (compaction takes it next).
    indexer_.reset();

    std::uint64_t failed_files = scan_failures_;
    for (const auto& w : work_) failed_files += (w.whole_file_failed || w.failed_records) ? 1 : 0;
    failed_files += files[Change::quarantined];
    json compaction = compact_and_map_facets();

    std::uint64_t revision_after = revision_before_;
    Xapian::doccount docs_after = docs_before_;
    if (holds_index(db)) {
        revision_after = index_revision(db);
        docs_after = Xapian::Database(db).get_doccount();
    }
    fill_report_header(started_);
    report_["revision"] = {{"before", revision_before_}, {"after", revision_after}};
    report_["index_documents"] = {{"before", docs_before_}, {"after", docs_after}};
    report_changes(files, failed_files);
    report_["compaction"] = compaction;
    if (!recovered.empty()) report_["recovered"] = recovered;
    if (crashed_) report_["crashed_last_run"] = {{"path", crashed_->path}, {"signal", crashed_->signal}};

    report_["finished"] = iso_utc(std::chrono::system_clock::now());
    report_["duration_seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
    std::uint64_t skipped_records = 0, lost_files = scan_failures_ + files[Change::quarantined];
    for (const auto& w : work_) {
        skipped_records += w.failed_records;
        lost_files += w.whole_file_failed ? 1 : 0;
    }
    report_["warnings"] = {{"files", lost_files}, {"records", skipped_records}};
    NightlyReport out;
    bool warned = lost_files > 0 || skipped_records > 0;
    out.exit_code = alert_failed_ || (warned && options_.strict) ? exit_code::kSomeFailed : exit_code::kOk;
    report_["status"] = out.exit_code != exit_code::kOk ? "some_failed" : warned ? "warnings" : "ok";
    report_["exit_code"] = out.exit_code;
    out.json = std::move(report_);
    if (!options_.dry_run) out.files = write_nightly_report(config_.report_dir, out.json, config_.keep_reports);
    return out;
}

}  // namespace

NightlyReport run_nightly(const NightlyConfig& config, const NightlyOptions& options) {
    Run run(config, options);
    return run.go();
}

}  // namespace warsearch
