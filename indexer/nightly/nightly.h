// The nightly reindexing job: brings one database up to date with the configured source
// folders (incrementally, under a lock, crash-safe), optionally compacts it, and writes a
// run report with what came in.  warsearch-nightly is a thin front-end over run_nightly().
//
// Crash safety.  The state of every indexed file lives in the database's own metadata
// ("wsfile:" + absolute path -> FileState JSON).  A file's state is committed only after
// its documents were committed, in the same commit that deletes the documents the file
// no longer produces.  So after a crash at any point the state never claims more than the
// database holds: the next run sees the file as changed (or new) and indexes it again,
// replacing documents by their id term, never duplicating them.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "indexer/nightly/nightly_config.h"

namespace warsearch {

/// Metadata key prefix of per-file state: kMetaFilePrefix + absolute path.
inline constexpr std::string_view kMetaFilePrefix = "wsfile:";

/// What the last successful run knew about one input file.
struct FileState {
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;     ///< modification time, nanoseconds since the epoch
    std::string hash;              ///< XXH3-64 of the content, 16 hex digits
    std::vector<std::string> ids;  ///< document ids the file produced
    std::uint64_t failures = 0;    ///< bad records skipped in it (the file was still indexed)
    /// XXH3-64 (16 hex digits) of each document's content, parallel to ids; empty in
    /// states written before they were kept (every document then counts as changed once).
    std::vector<std::string> content_hashes;
    /// Why the file is quarantined ("" when it is not): it failed its reader or crashed
    /// the job.  Its documents stay as they were; it is read again only when it changes.
    std::string quarantined;

    std::string to_json() const;
    /// Parses what to_json() wrote; std::nullopt for anything else.
    static std::optional<FileState> from_json(const std::string& text);
};

/// XXH3-64 of a file's content as 16 hex digits.
/// @throws std::runtime_error when the file cannot be read.
std::string hash_file(const std::string& path);

/// Metadata key prefix of alert state: kMetaAlertPrefix + XXH3-64 hex of the alert's
/// name + ":" + document id -> the story key it had when the alert first listed it.  A
/// document an alert listed once is never news for that alert again.
inline constexpr std::string_view kMetaAlertPrefix = "wsalert:";

/// Exit code of a run that refused to write: a source without evidence (missing,
/// unreadable, or empty although it held files) or a mass deletion without
/// --allow-mass-delete.  Nothing was written or deleted.
inline constexpr int kExitRefused = 6;

/// Every file state stored in @a db, by absolute path.
std::map<std::string, FileState> load_file_states(const Xapian::Database& db);

/// The file a run was reading when it died of a signal (a crash in a reader: SIGSEGV,
/// SIGBUS, SIGFPE, SIGILL, SIGABRT), as its signal handler recorded it in
/// nightly_crash_path().  A kill -9 records nothing: the file is not to blame.
struct CrashedFile {
    std::string path;
    std::string hash;  ///< the file's content hash when it crashed the run
    int signal = 0;
};

/// DB (without trailing '/') + ".nightly.crash".
std::string nightly_crash_path(const std::string& db_path);

/// What the last run's signal handler recorded; std::nullopt when nothing (or garbage).
std::optional<CrashedFile> read_crash_marker(const std::string& db_path);

/// Records, for the next run, which file is being read if the process dies of a crash
/// signal.  One per process (it installs the signal handlers, on an alternate stack so
/// a stack overflow is caught too); the destructor restores the previous handlers.
class CrashMarker {
  public:
    /// @throws std::runtime_error when the marker file cannot be created.
    explicit CrashMarker(const std::string& db_path);
    ~CrashMarker();
    CrashMarker(const CrashMarker&) = delete;
    CrashMarker& operator=(const CrashMarker&) = delete;
    /// From now on a crash blames @a path (whose content hash is @a hash).
    void reading(const std::string& path, const std::string& hash);
    /// From now on a crash blames no file.
    void done();
    /// Empties the marker file (its crash was dealt with and committed).
    void clear();
};

/// How one run behaves beyond the config file (command-line flags).
struct NightlyOptions {
    /// Compact the database into a fresh copy and swap it in after indexing.
    bool compact = false;
    /// Scan and report what would change; write nothing (no report file either).
    bool dry_run = false;
    /// Progress lines on stderr.
    bool verbose = false;
    /// Delete even when the vanished files hold more than config.max_delete_share of the
    /// index's documents.
    bool allow_mass_delete = false;
    /// Exit kSomeFailed for any skipped record or quarantined file (else they are
    /// warnings: counted in the report, exit 0).
    bool strict = false;
};

/// A run that refused to write (kExitRefused); the message says why and what to do.
class NightlyRefusedError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// The database is damaged (Xapian::Database::check found errors); nothing was written.
class NightlyDamagedError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// Throws NightlyDamagedError when Xapian::Database::check() finds errors in any local
/// database of @a db_path (the message names the database and the first error).
void check_database(const std::string& db_path);

/// The one revision number of an index: the sum over its databases of our revision
/// counter (schema::kMetaRevision), as the searcher reports it; compaction keeps it.
std::uint64_t index_revision(const std::string& db_path);

/// A failure as warsearch-nightly reports it: the message and the exit code.
struct NightlyFailure {
    std::string message;
    int exit_code = 3;
};

/// Describes the exception in flight (call inside a catch block).
NightlyFailure describe_nightly_failure(const std::string& db_path);

/// Another run holds the nightly lock (exit_code::kLocked).
class NightlyLockedError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// An exclusive flock(2) on DB + ".nightly.lock", held for the object's lifetime.  The
/// kernel drops it when the process dies, however it dies, so a crash never leaves a
/// stale lock behind.
class NightlyLock {
  public:
    /// @throws NightlyLockedError when another process holds it (without waiting),
    ///         std::runtime_error when the lock file cannot be created.
    explicit NightlyLock(const std::string& db_path);
    ~NightlyLock();
    NightlyLock(const NightlyLock&) = delete;
    NightlyLock& operator=(const NightlyLock&) = delete;
    const std::string& path() const { return path_; }

  private:
    std::string path_;
    int fd_ = -1;
};

/// The lock file guarding @a db_path: db_path (without trailing '/') + ".nightly.lock".
std::string nightly_lock_path(const std::string& db_path);

/// Finishes or rolls back a compaction that was killed part-way (leftover DB.new and
/// DB.old directories); call with the lock held.  Returns what it did, "" when nothing.
std::string recover_interrupted_compaction(const std::string& db_path);

/// Compacts @a db_path into DB.new and swaps it in atomically (renameat2 RENAME_EXCHANGE
/// where the file system supports it, else DB -> DB.old, DB.new -> DB), then removes the
/// old copy.  Holds the database's write lock throughout so no other writer's commit is
/// lost.  Readers that have the old copy open keep reading it.
/// @throws Xapian::Error or std::filesystem::filesystem_error.
void compact_database(const std::string& db_path);

/// What a run did; written as the JSON run report (and rendered as Markdown).
struct NightlyReport {
    nlohmann::json json;             ///< the whole report; its fields: indexer/README.md
    int exit_code = 0;               ///< exit_code::kOk, or kSomeFailed when some inputs failed
    std::vector<std::string> files;  ///< the report files written (JSON, Markdown)
};

/// Runs the job once: lock, recover, scan, check, index, delete, alert, (compact), report.
/// Writes the reports into config.report_dir unless options.dry_run; a run that fails
/// (other than on the lock) writes a report with status "failed" or "refused" before
/// it rethrows.
/// @throws NightlyLockedError when another run (or writer) holds the database,
///         NightlyRefusedError, NightlyDamagedError, Xapian::Error and std::exception for database and runtime
///         failures.
NightlyReport run_nightly(const NightlyConfig& config, const NightlyOptions& options);

/// Writes @a report as report_dir/nightly-YYYYMMDDTHHMMSSZ.{json,md} and as latest.json
/// and latest.md (each written to a temporary name and renamed, so a reader never sees
/// half a report), then removes all but the newest @a keep runs (0 keeps all).
/// @return the paths written.  @throws std::runtime_error when the folder is unwritable.
std::vector<std::string> write_nightly_report(const std::string& report_dir, const nlohmann::json& report,
                                              std::size_t keep);

/// The Markdown summary of a report (what analysts read in the morning).
std::string render_nightly_markdown(const nlohmann::json& report);

}  // namespace warsearch
