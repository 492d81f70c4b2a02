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

    std::string to_json() const;
    /// Parses what to_json() wrote; std::nullopt for anything else.
    static std::optional<FileState> from_json(const std::string& text);
};

/// XXH3-64 of a file's content as 16 hex digits.
/// @throws std::runtime_error when the file cannot be read.
std::string hash_file(const std::string& path);

/// Every file state stored in @a db, by absolute path.
std::map<std::string, FileState> load_file_states(const Xapian::Database& db);

/// How one run behaves beyond the config file (command-line flags).
struct NightlyOptions {
    /// Compact the database into a fresh copy and swap it in after indexing.
    bool compact = false;
    /// Scan and report what would change; write nothing (no report file either).
    bool dry_run = false;
    /// Progress lines on stderr.
    bool verbose = false;
};

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

/// Runs the job once: lock, recover, scan, index, delete, (compact), report.
/// Writes the reports into config.report_dir unless options.dry_run.
/// @throws NightlyLockedError when another run (or writer) holds the database,
///         Xapian::Error and std::exception for database and runtime failures.
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
