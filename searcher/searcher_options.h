// How a Searcher is set up: one plain struct, filled by each front-end and passed to the
// constructor.
#pragma once

#include <cstddef>
#include <string>

#include "searcher/database_parts.h"
#include "searcher/search_types.h"

namespace warsearch {

/// Everything a Searcher is configured with.  The defaults suit a long-running process
/// that searches one local database (the nightly job, tests); the CLI, the CGI page and
/// the FastCGI server each change what their process is like.
struct SearcherOptions {
    /// Snowball stemmer language of the index, or "none".
    std::string stem_language = "english";
    /// How the database (or the shards its stub lists) is opened.
    OpenOptions open;
    /// Keep the facet values of every document in memory, up to this many bytes (0:
    /// never), for parts without a current facet value file (use_facet_files).  Loaded
    /// at the first faceted or relevance-ordered search (the tie-break reads the id order
    /// from the values) and again after a reopen() that saw a change.  For long-running
    /// processes (the FastCGI server): the load reads the whole facet slot, which a
    /// process that runs one search never earns back.  Ignored when a shard is remote.
    std::size_t facet_cache_bytes = 0;
    /// Map the facet value files the indexer writes beside the databases
    /// (facet_value_file.h) when they are current.  Off, facet values are read from the
    /// index (or from memory, facet_cache_bytes).  Ignored when a shard is remote.
    bool use_facet_files = true;
    /// When a faceted search counts its facets on threads of its own while the page's
    /// pass, its snippets and the rest run (facet_threads.h): only when the facet values
    /// come from files or memory, and the counts are the same either way.  Threads lower
    /// one search's latency when a core is idle and cost CPU: heavy (the default) keeps
    /// them for counts that check positions on thousands of candidates, large also for
    /// counts of thousands of matches (a long-running searcher, whose threads' databases
    /// stay open).  A process that runs one search is faster with off: its threads would
    /// open their databases cold.
    FacetThreads facet_threads = FacetThreads::heavy;
    /// This process runs one search and exits (the CLI, a CGI request): facet counts of
    /// few matches read their records from the facet value file instead of mapping them
    /// in (FacetValueCache::set_reads_per_fault).  The counts are the same either way.
    bool single_search_process = false;
};

}  // namespace warsearch
