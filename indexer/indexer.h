// Writing articles into a Xapian database, or into N shard databases behind a stub:
// a pipeline (reading, entity extraction and fingerprints on the caller's thread; term
// generation, spelling vocabulary and writing on one thread per output database),
// batched commits, replace-by-id, near-duplicate stories, and the optional deletion of
// documents a complete walk did not see again.  A new single database is written as
// parallel parts (each writer starting a fresh one every part_documents) that are
// compacted into place at the end.
//
// One Indexer serves one run: warsearch-index reads its paths through index_paths() and
// ends with finish(); the nightly job reads changed files through index_file(), and
// commits each batch itself (commit()), queueing per-file state and stale-document
// deletions so they reach the same databases through the same writers.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "common/entities/catalog.h"
#include "common/entities/entity_extractor.h"
#include "common/entities/source_names.h"
#include "common/entities/thesaurus.h"
#include "common/index/database_layout.h"
#include "common/index/facet_slot.h"
#include "common/index/spelling.h"
#include "common/readers/article.h"
#include "common/readers/readers.h"

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
    /// fdatasync, where small batches keep Xapian's inverter small (measured faster than
    /// larger ones; the figures are in the commit that set it).
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
    /// Entities are extracted from at most this many bytes of a body (cut at a UTF-8
    /// boundary): the extractor keeps about 8 bytes of tokens per byte of text, so a
    /// 10 MB body cost 70 MB more for its entities; an article is far shorter.
    static constexpr std::size_t kEntityTextBytes = std::size_t{1} << 20;
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
    /// At finish(), write each output's facet value file (facet_value_file.h).  Off for a
    /// caller that writes the files itself once it is done with the database.
    bool write_facet_files = true;
};

/// Counts of what a run did.
struct IndexStats {
    std::uint64_t documents = 0;  ///< documents written (added or replaced)
    /// Documents whose id a document read earlier in this run had: each replaced that
    /// one, so the index holds documents - replaced_in_run of them more at most.
    std::uint64_t replaced_in_run = 0;
    std::uint64_t deleted = 0;  ///< documents removed (delete_unseen, removed files, stale ones)
    std::uint64_t commits = 0;
    unsigned outputs = 1;               ///< databases written (shards or parallel parts)
    bool merged = false;                ///< parallel parts were compacted into one database
    unsigned facet_files = 0;           ///< facet value files written (facet_value_file.h)
    std::vector<std::string> warnings;  ///< what went wrong without failing the run
};

/// What index_file() and index_paths() report while they read; any may be empty.  Called
/// on the caller's thread.
struct IndexCallbacks {
    /// A record, or a whole file (ReadFailure::whole_file), that could not be read.
    std::function<void(const ReadFailure&)> failure;
    /// Something odd in a record that was still indexed.
    std::function<void(const ReadWarning&)> warning;
    /// A file is about to be read: its path and size in bytes.
    std::function<void(const std::string& path, std::uint64_t bytes)> file_started;
    /// A document was handed to the writers (it is committed later).
    std::function<void(const Article&)> document;
    /// A file that is not an article was not read (ReadSink::skipped).
    std::function<void(const ReadFailure&)> skipped;
};

/// What index_file() did with one file.
struct FileResult {
    std::vector<std::string> ids;      ///< the distinct ids of its documents, in the order read
    std::uint64_t documents = 0;       ///< documents handed to the writers (a repeated id counts again)
    std::uint64_t failed_records = 0;  ///< bad records skipped
    bool whole_file_failed = false;    ///< the file (or all that was left of it) could not be read
};

/// What index_paths() read.
struct PathsResult {
    std::size_t files = 0;        ///< files read, at least partly
    std::uint64_t documents = 0;  ///< documents handed to the writers
    std::uint64_t failures = 0;   ///< failures reported: bad records and unreadable files
};

/// What one delete_stale_documents() request removed from one output database.
struct StaleDeletion {
    std::size_t request = 0;  ///< which request since the previous commit (0-based, in call order)
    unsigned output = 0;      ///< which output database (stub order)
    DeletedDocuments deleted;
};

/// What a commit() applied besides documents.
struct CommitResult {
    /// The queued deletions, output by output, each output's in request order.
    std::vector<StaleDeletion> deletions;
};

/// The part of @a body entities are extracted from: at most IndexOptions::kEntityTextBytes,
/// cut before a UTF-8 continuation byte.
std::string_view entity_text(std::string_view body);

/// The shard (0..shards-1) a document id belongs to: stable across runs and machines.
unsigned shard_of(const std::string& id, unsigned shards);

/// Writes articles.  Call everything from one thread; end with finish(), or, for a caller
/// that commits itself and needs none of finish()'s run-level steps, with commit().
/// Destroying it without either keeps only what was committed (and what Xapian commits
/// when it closes a database).
class Indexer {
  public:
    /// Opens or creates the output database(s) and, with extract_entities, loads the
    /// catalog (once: every file of the run is read with it).
    /// @throws Xapian::DatabaseLockError when another writer holds a database,
    ///         Xapian::DatabaseError (or a subclass) when it cannot be opened or created,
    ///         or DIR's stub is malformed or lists a remote database, CatalogError when
    ///         the catalog cannot be loaded, std::runtime_error when --shards disagrees
    ///         with what DIR already holds.
    explicit Indexer(IndexOptions options);
    ~Indexer();

    Indexer(const Indexer&) = delete;
    Indexer& operator=(const Indexer&) = delete;

    /// Reads every file under @a paths (as read_paths() walks them) and adds their
    /// documents.  A file that cannot be read is reported, and with delete_unseen keeps
    /// its documents (file_failed()).  Never throws for bad input.
    /// @throws what add() throws (a writer's failure).
    PathsResult index_paths(const std::vector<std::string>& paths, const ReadOptions& read,
                            const IndexCallbacks& callbacks = {});

    /// As index_paths() for one file, and says which ids it produced.
    FileResult index_file(const std::string& path, const ReadOptions& read, const IndexCallbacks& callbacks = {});

    /// Adds or replaces (by id) one article.
    /// @throws Xapian::Error (or another exception) when a writer failed.
    void add(const Article& article);

    /// Notes that a file could not be read, so delete_unseen keeps its documents.
    void file_failed(const std::string& path);

    /// Deletes every document read from @a path (Provenance::file as given) in every
    /// output database; ordered with add() (a file removed then re-added ends up added).
    void remove_documents_of_file(const std::string& path);

    /// Queues, in every output database and in order with add(), the deletion of the
    /// documents read from @a path except those whose id is in @a keep_ids (all of them
    /// when std::nullopt): see delete_documents_of_file().  The next commit() says what
    /// each deleted, with up to @a max_ids of their ids.
    /// @throws std::logic_error while building the parts of a new database (its
    ///         documents are only in place after finish()).
    void delete_stale_documents(const std::string& path, const std::optional<std::vector<std::string>>& keep_ids,
                                std::size_t max_ids);

    /// Queues, in every output database and in order with add(), set_metadata(@a key,
    /// @a value); an empty value removes the key.  Committed by the next commit().
    /// @throws std::logic_error while building the parts of a new database.
    void set_metadata(const std::string& key, const std::string& value);

    /// Writes everything queued so far and commits every output database, in stub order,
    /// when anything was queued since the last commit.  When documents were added since,
    /// the same commit carries the run's metadata (schema version, revision, catalog,
    /// their spelling vocabulary and facet names).  The writers keep running: index on,
    /// commit again, or finish().  A commit that only deleted documents adds one to the
    /// revision (schema::kMetaRevision) of each database it deleted from.  Parts of a new database are committed as
    /// parts; they become the database at finish().  After a commit, stories are found for later documents in the
    /// committed databases rather than in memory, so a long run's memory stays bounded.
    /// @throws Xapian::Error when a write or the commit fails.
    CommitResult commit();

    /// Writes what is pending, applies delete_unseen, stores the catalog and spelling
    /// vocabulary in every output database, commits, merges parallel parts and writes the
    /// facet value files.  Deletions queued since the last commit() are applied but not
    /// reported.
    void finish();

    const IndexStats& stats() const { return stats_; }

  private:
    void open_outputs();
    /// A read-only view of what the outputs held at the last commit (empty when nothing).
    Xapian::Database committed_documents() const;
    /// Adds one to schema::kMetaRevision of @a db (every commit that changes documents).
    static void bump_revision(Xapian::WritableDatabase& db);
    /// The run's metadata, written with the documents it describes.
    void write_run_metadata(Xapian::WritableDatabase& db, const SpellingVocabulary& vocabulary);
    /// The sink that adds what a reader produces; fills @a file when given.
    ReadSink index_sink(const IndexCallbacks& callbacks, std::uint64_t& documents, std::uint64_t& failures,
                        FileResult* file);
    void refuse_while_building_parts(const char* what) const;
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
    Thesaurus thesaurus_;       ///< stored in every output (empty: none in the catalog directory)
    SourceNames source_names_;  ///< stored in every output (empty: none in the catalog directory)
    std::vector<std::unique_ptr<ShardWriter>> writers_;
    std::unique_ptr<StoryAssigner> stories_;
    std::string merge_target_;  ///< set when writing parallel parts of a new database
    std::string parts_dir_;
    bool merging_ = false;     ///< the parts' merge into merge_target_ has begun
    bool keep_parts_ = false;  ///< the parts are the only copy of the new index: keep them
    IndexStats stats_;
    std::unordered_set<std::string> seen_id_terms_;
    std::unordered_set<std::uint64_t> run_ids_;  ///< hash64 of every id added in this run
    std::vector<std::string> failed_files_;
    std::unordered_set<std::string> file_ids_;  ///< index_file(): the ids seen in the file so far
    FacetNames facet_names_;
    std::uint64_t documents_since_commit_ = 0;      ///< documents queued since the last commit
    std::uint64_t other_since_commit_ = 0;          ///< deletions and metadata queued since then
    std::size_t stale_requests_ = 0;                ///< delete_stale_documents() calls since then
    std::vector<std::uint64_t> deleted_at_commit_;  ///< each writer's deleted() at the last commit
    bool finished_ = false;
};

}  // namespace warsearch
