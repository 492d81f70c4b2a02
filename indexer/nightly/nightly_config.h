// The configuration of the nightly reindexing job (warsearch-nightly), read from a TOML
// file.  Every key is documented in scripts/nightly.example.toml and indexer/README.md.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/readers/readers.h"

namespace warsearch {

/// A configuration the job cannot run with; the message names the file, the key and
/// what to change.  warsearch-nightly exits with exit_code::kUsage.
class NightlyConfigError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// One folder newsrooms drop reports into.
struct NightlySource {
    /// Absolute, normalised folder (or single file) path; relative paths in the config
    /// file are resolved against the config file's directory.
    std::string path;
    /// How its files are read: format, --map style field mapping, date order, delimiter.
    ReadOptions read;
};

/// A saved query run against each night's new and changed documents.
struct NightlyAlert {
    std::string name;                  ///< shown in the report, e.g. "Darayya shelling"
    std::string query;                 ///< the warsearch-search query language; may be ""
    std::vector<std::string> filters;  ///< extra "field:value" filters, all must match
    std::size_t max_hits = 50;         ///< hits listed in the report (all are counted)
};

/// Everything one nightly run needs.  Defaults are what an empty [..] section means.
struct NightlyConfig {
    /// The file this came from (absolute), for messages.
    std::string config_path;
    /// Database directory (one database; sharded stubs are refused); created when missing.
    std::string database;
    /// Where the run reports (JSON and Markdown) are written; created when missing.
    std::string report_dir;
    /// Documents per commit.  Per-file state is committed right after its documents.
    std::size_t batch_size = 1000;
    /// Snowball stemmer language, or "none"; must match what searchers use.
    std::string stem_language = "english";
    /// Catalog directory for faction/place extraction; "" means default_catalog_dir().
    std::string catalog_dir;
    /// Extract factions and places (facets).  Off only for tests and odd corpora.
    bool extract_entities = true;
    /// Number of facet values per dimension shown in the report.
    std::size_t facet_top = 10;
    /// Keep this many runs' report files in report_dir (older ones are removed); 0 keeps all.
    std::size_t keep_reports = 60;
    /// A run that would delete more than this share of the index's documents (because
    /// their files are gone) refuses, unless run with --allow-mass-delete.  0..1.
    double max_delete_share = 0.2;
    std::vector<NightlySource> sources;
    std::vector<NightlyAlert> alerts;
};

/// Reads and checks a config file.
/// @throws NightlyConfigError for a missing or unreadable file, TOML syntax errors (with
///         line and column), unknown keys, wrong types, or invalid values.
NightlyConfig load_nightly_config(const std::string& path);

}  // namespace warsearch
