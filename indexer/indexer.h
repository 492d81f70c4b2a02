// Writing articles into a Xapian database, or into N shard databases behind a stub:
// a pipeline (reading, entity extraction and fingerprints on the caller's thread; term
// generation, spelling vocabulary and writing on one thread per output database),
// batched commits, replace-by-id, near-duplicate stories, and the optional deletion of
// documents a complete walk did not see again.  A new single database is written as
// parallel parts (each writer starting a fresh one every part_documents) that are
// compacted into place at the end.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "common/entities/catalog.h"
#include "common/entities/entity_extractor.h"
#include "common/entities/thesaurus.h"
#include "common/index/facet_slot.h"
#include "common/index/spelling.h"
#include "common/readers/article.h"

namespace warsearch {

class ShardWriter;
class StoryAssigner;

/// How an index run behaves.
struct IndexOptions {
    /// Database directory; created when missing.  With shards > 1 it holds shard-NN
    /// databases and a stub file (XAPIANDB) that lists them, so searchers open DIR as one.
    std::string db_path;
    /// Documents per commit, per output database; 0 for the defaults below.  Smaller
    /// batches lose less work on a crash, larger use more memory.
    std::size_t batch_size = 0;
    /// The default for the parts of a parallel build: scratch databases written without
    /// fdatasync, where small batches keep Xapian's inverter small (100k corpus, three
    /// alternating runs: 75.2 s with 1,000, 62.3 s with 250; 100 as fast, 50 slower).
    static constexpr std::size_t kPartBatchSize = 250;
    /// The default for a database written in place (a sharded or an existing one),
    /// whose every commit is synced to disk.
    static constexpr std::size_t kInPlaceBatchSize = 1000;
    /// Snowball stemmer language, or "none".
    std::string stem_language = "english";
    /// After the run, delete every document this run did not produce, except those from
    /// files that failed to read (a bad file never costs its already-indexed documents).
    bool delete_unseen = false;
    /// Extract catalog factions and places into facet terms and slots.
    bool extract_entities = true;
    /// Catalog directory (places.jsonl, factions.jsonl, and the optional thesaurus.jsonl,
    /// which is stored in the index for searches); "" means default_catalog_dir().
    std::string catalog_dir;
    /// Split the index into this many shards (routed by a stable hash of the id).  0 keeps
    /// what DIR already is (one database, or its existing shards); 1 is one database.
    unsigned shards = 0;
    /// When building a new single database, write this many parts in parallel and merge
    /// them with Xapian's compactor at the end (faster on several cores).  1 disables it.
    unsigned parallel_parts = 2;
    /// With parallel_parts > 1, each writer starts a fresh part database every this many
    /// documents: Xapian's writes get dearer as a database grows, and the compactor merges
    /// any number of parts in one pass.  0 keeps one part per writer.
    std::size_t part_documents = 10000;
    /// After the run, write each output's facet value file (facet_value_file.h).  Off for
    /// a caller that commits again afterwards and writes the files itself (the nightly job
    /// runs an Indexer per batch).
    bool write_facet_files = true;
};

/// Counts of what a run did.
struct IndexStats {
    std::uint64_t documents = 0;  ///< documents written (added or replaced)
    std::uint64_t deleted = 0;    ///< documents removed (delete_unseen, removed files)
    std::uint64_t commits = 0;
    unsigned outputs = 1;               ///< databases written (shards or parallel parts)
    bool merged = false;                ///< parallel parts were compacted into one database
    unsigned facet_files = 0;           ///< facet value files written (facet_value_file.h)
    std::vector<std::string> warnings;  ///< what went wrong without failing the run
};

/// The shard (0..shards-1) a document id belongs to: stable across runs and machines.
unsigned shard_of(const std::string& id, unsigned shards);

/// Writes articles.  Call add() from one thread; finish() once at the end.
class Indexer {
  public:
    /// Opens or creates the output database(s) and, with extract_entities, loads the
    /// catalog.
    /// @throws Xapian::DatabaseLockError when another writer holds a database,
    ///         Xapian::DatabaseError (or a subclass) when it cannot be opened or created,
    ///         CatalogError when the catalog cannot be loaded, std::runtime_error when
    ///         --shards disagrees with what DIR already holds.
    explicit Indexer(IndexOptions options);
    ~Indexer();

    Indexer(const Indexer&) = delete;
    Indexer& operator=(const Indexer&) = delete;

    /// Adds or replaces (by id) one article.
    void add(const Article& article);

    /// Notes that a file could not be read, so delete_unseen keeps its documents.
    void file_failed(const std::string& path);

    /// Deletes every document read from @a path (Provenance::file as given) in every
    /// output database; ordered with add() (a file removed then re-added ends up added).
    void remove_documents_of_file(const std::string& path);

    /// Writes what is pending, applies delete_unseen, stores the catalog and spelling
    /// vocabulary in every output database, commits, and merges parallel parts.
    void finish();

    const IndexStats& stats() const { return stats_; }

  private:
    void open_outputs();
    void delete_unseen_in(Xapian::WritableDatabase& db);
    /// The batch size asked for, or the default for what is written (IndexOptions).
    std::size_t part_batch_size() const {
        return options_.batch_size ? options_.batch_size : IndexOptions::kPartBatchSize;
    }
    std::size_t in_place_batch_size() const {
        return options_.batch_size ? options_.batch_size : IndexOptions::kInPlaceBatchSize;
    }

    IndexOptions options_;
    std::unique_ptr<Catalog> catalog_;
    std::unique_ptr<EntityExtractor> extractor_;
    Thesaurus thesaurus_;  ///< stored in every output (empty: none in the catalog directory)
    std::vector<std::unique_ptr<ShardWriter>> writers_;
    std::unique_ptr<StoryAssigner> stories_;
    std::string merge_target_;  ///< set when writing parallel parts of a new database
    std::string parts_dir_;
    IndexStats stats_;
    std::unordered_set<std::string> seen_id_terms_;
    std::vector<std::string> failed_file_terms_;
    FacetNames facet_names_;
    bool finished_ = false;
};

}  // namespace warsearch
