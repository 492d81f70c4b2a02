// One output database written by its own thread (internal to the indexer): documents
// arrive through a bounded queue, are built (term generation is the costly part, so it
// runs here, in parallel across shards) and written; commits are batched.  A writer of
// parts of a new database may rotate: it starts a fresh part every so many documents,
// because Xapian's B-tree writes get dearer as a database grows, and compacting small
// parts together is cheap.
#pragma once

#include <xapian.h>

#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "common/entities/entity_extractor.h"
#include "common/index/database_layout.h"
#include "common/index/spelling.h"
#include "common/readers/article.h"
#include "indexer/document_builder.h"

namespace warsearch {

/// A document ready to be built and written, a deletion, a metadata change, or a
/// barrier (drain()).
struct WriteOp {
    enum class Kind { put, delete_term, delete_stale, set_metadata, barrier } kind = Kind::put;
    Article article;
    Extraction entities;
    std::string fingerprint;  ///< serialised, "" when none
    std::vector<std::string> band_terms;
    std::string story;
    std::string facet_slot;
    /// put: the id term; delete_term: the term whose documents to delete; delete_stale:
    /// the file path (delete_documents_of_file()); set_metadata: the key.
    std::string term;
    std::string value;                                            ///< set_metadata: the value ("" removes)
    std::shared_ptr<const std::unordered_set<std::string>> keep;  ///< delete_stale: id terms kept (null: none)
    std::size_t max_ids = 0;                                      ///< delete_stale: ids to report
    std::size_t request = 0;                                      ///< delete_stale: the caller's number
};

class ShardWriter {
  public:
    /// Opens (creating when missing) @a path and starts the writer thread.  With
    /// @a part_documents > 0, @a path is a new directory and the writer fills the parts
    /// @a path/part-000, part-001, ..., starting the next one every @a part_documents
    /// documents; a document replaced or a file removed later in the run is deleted from
    /// its closed part by finish_closed_parts().
    /// @throws Xapian::Error when the database cannot be opened (locked, unwritable).
    ShardWriter(const std::string& path, std::size_t batch_size, const std::string& stem_language,
                std::size_t part_documents = 0);
    ~ShardWriter();

    /// Queues an operation; blocks while the queue is full.  Rethrows a failure of the
    /// writer thread.
    void put(WriteOp&& op);

    /// Drains the queue and stops the thread; after it the database() may be used by the
    /// caller.  Rethrows a failure of the writer thread.
    void join();

    /// Waits until everything queued so far is applied; until the next put() the caller
    /// may use database() (the thread is idle).  Rethrows a failure of the writer thread.
    void drain();

    /// After the caller's commit of a database written in place: later documents are
    /// looked up by id before they are written, as in a database that was not empty
    /// when opened, and the ids written so far are forgotten.
    void forget_written_ids();

    /// What the delete_stale operations applied since the last call removed, in order,
    /// with each operation's request number.  Call after drain() or join().
    std::vector<std::pair<std::size_t, DeletedDocuments>> take_stale_deletions();

    /// The database written last (the current part when rotating).
    Xapian::WritableDatabase& database() { return db_; }
    /// The database written last: @a path, or the current part.
    const std::string& path() const { return paths_.back(); }
    /// Every database written: the closed parts, then the current one.
    const std::vector<std::string>& paths() const { return paths_; }
    /// After join(): applies to each closed part the deletions recorded for it and
    /// commits it.  Closed parts are held by no writer.
    void finish_closed_parts();
    /// The words of the text this writer indexed (SpellingVocabulary::add_text) since the
    /// vocabulary was last cleared.
    const SpellingVocabulary& vocabulary() const { return vocabulary_; }
    /// Forgets the vocabulary (after the caller wrote it).  Call after drain() or join().
    void clear_vocabulary() { vocabulary_.clear(); }
    std::uint64_t written() const { return written_; }
    std::uint64_t deleted() const { return deleted_; }
    std::uint64_t commits() const { return commits_; }
    /// Commits now (caller's thread, after join()).
    void commit();

  private:
    /// A deletion to apply to a closed part at the end, in the order recorded.
    struct Deletion {
        std::string term;
        bool removal;  ///< a removed file (counted as deleted), not a replaced document
    };

    void run();
    void apply(WriteOp& op);
    void start_next_part();
    /// How the writer opens its databases: parts (rotation) without syncing.
    int open_flags() const;

    std::vector<std::string> paths_;
    Xapian::WritableDatabase db_;
    std::size_t batch_size_;
    DocumentBuilder builder_;
    SpellingVocabulary vocabulary_;
    std::string rotation_dir_;  ///< "" when not rotating
    std::size_t part_documents_;
    std::size_t part_written_ = 0;  ///< documents written into the current part
    bool fresh_ = false;            ///< the database was empty: ids not seen this run can be added without lookup
    bool track_ids_ = false;        ///< every database started empty, so part_of_id_ knows each written id
    std::unordered_map<std::string, std::uint32_t> part_of_id_;  ///< id term -> index in paths_
    std::vector<std::vector<Deletion>> closed_deletions_;        ///< per closed part
    std::vector<std::pair<std::size_t, DeletedDocuments>> stale_deletions_;
    std::size_t pending_ = 0;
    std::uint64_t written_ = 0, deleted_ = 0, commits_ = 0;

    std::mutex mutex_;
    std::condition_variable not_empty_, not_full_, barrier_passed_;
    std::deque<WriteOp> queue_;
    std::uint64_t barriers_queued_ = 0, barriers_passed_ = 0;
    bool closing_ = false;
    std::exception_ptr failure_;
    std::thread thread_;
};

}  // namespace warsearch
