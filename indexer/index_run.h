// What warsearch-index does once its options are parsed: read files and directories and
// index them into a database (or print what would be indexed), reporting every bad record
// or file, the readers' warnings, progress and a summary.  The binary only parses options
// and maps the outcome to an exit code.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "common/readers/readers.h"
#include "indexer/indexer.h"

namespace warsearch {

/// One warsearch-index run.
struct IndexRunConfig {
    /// Files and directories to read (directories are walked as read_paths() walks them).
    std::vector<std::string> paths;
    /// How the files are read.
    ReadOptions read;
    /// Where and how to index.  With extract only extract_entities and catalog_dir count.
    IndexOptions index;
    /// Print one extract_json() object per document instead of indexing.
    bool extract = false;
    /// Keep warnings and the summary off the diagnostics stream (failures are still shown).
    bool quiet = false;
    /// Draw a progress bar on stderr; the caller checks that stderr is a terminal.
    bool progress_bar = false;
    /// When set, every failure is also written here as a JSON line {where, reason,
    /// whole_file}, and every file skipped as not an article as {where, reason,
    /// whole_file: true, skipped: true}.
    std::ostream* failures_jsonl = nullptr;
};

/// What a run did.
struct IndexRunResult {
    std::size_t files = 0;             ///< files read, at least partly
    std::uint64_t documents = 0;       ///< documents read (and handed to the indexer)
    std::uint64_t failures = 0;        ///< bad records and unreadable files
    std::uint64_t warnings = 0;        ///< readers' warnings
    std::uint64_t skipped = 0;         ///< files that are not articles (README*, word lists, ...)
    std::uint64_t unusable_paths = 0;  ///< paths given that do not exist or cannot be read
    IndexStats stats;                  ///< the indexer's counts (empty with extract)
};

/// Runs @a config.  Documents (extract) go to @a out, one line each; failures
/// ("WHERE: REASON"), warnings, the indexer's own warnings and, unless quiet, a summary
/// line go to @a err.  Bad input is reported and counted, never thrown.
/// @throws CatalogError when the catalog cannot be loaded, and what Indexer's constructor,
///         add() and finish() throw: Xapian::DatabaseLockError (see lock_failure()),
///         other Xapian::Error and std::runtime_error for database and runtime failures.
IndexRunResult run_index(const IndexRunConfig& config, std::ostream& out, std::ostream& err);

}  // namespace warsearch
