// One output database written by its own thread (internal to the indexer): documents
// arrive through a bounded queue, are built (term generation is the costly part, so it
// runs here, in parallel across shards) and written; commits are batched.
#pragma once

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_set>

#include <xapian.h>

#include "warsearch/article.h"
#include "warsearch/document_builder.h"
#include "warsearch/entity_extractor.h"

namespace warsearch {

/// A document ready to be built and written, or a deletion.
struct WriteOp {
    enum class Kind { put, delete_term } kind = Kind::put;
    Article article;
    Extraction entities;
    std::string fingerprint;   ///< serialised, "" when none
    std::vector<std::string> band_terms;
    std::string story;
    std::string facet_slot;
    std::string term;          ///< id term (put) or the term whose documents to delete
};

class ShardWriter {
public:
    /// Opens (creating when missing) @a path and starts the writer thread.
    /// @throws Xapian::Error when the database cannot be opened (locked, unwritable).
    ShardWriter(const std::string& path, std::size_t batch_size, const std::string& stem_language);
    ~ShardWriter();

    /// Queues an operation; blocks while the queue is full.  Rethrows a failure of the
    /// writer thread.
    void put(WriteOp&& op);

    /// Drains the queue and stops the thread; after it the database() may be used by the
    /// caller.  Rethrows a failure of the writer thread.
    void join();

    Xapian::WritableDatabase& database() { return db_; }
    const std::string& path() const { return path_; }
    std::uint64_t written() const { return written_; }
    std::uint64_t deleted() const { return deleted_; }
    std::uint64_t commits() const { return commits_; }
    /// Commits now (caller's thread, after join()).
    void commit();

private:
    void run();
    void apply(WriteOp& op);

    std::string path_;
    Xapian::WritableDatabase db_;
    std::size_t batch_size_;
    DocumentBuilder builder_;
    bool fresh_;  ///< the database was empty: ids not seen this run can be added without lookup
    std::unordered_set<std::string> added_terms_;
    std::size_t pending_ = 0;
    std::uint64_t written_ = 0, deleted_ = 0, commits_ = 0;

    std::mutex mutex_;
    std::condition_variable not_empty_, not_full_;
    std::deque<WriteOp> queue_;
    bool closing_ = false;
    std::exception_ptr failure_;
    std::thread thread_;
};

}  // namespace warsearch
