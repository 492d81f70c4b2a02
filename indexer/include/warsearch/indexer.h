// Writing articles into a Xapian database: batched commits, replace-by-id, and the
// optional deletion of documents a complete walk did not see again.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include <xapian.h>

#include "warsearch/article.h"
#include "warsearch/catalog.h"
#include "warsearch/document_builder.h"
#include "warsearch/fingerprint.h"
#include "warsearch/spelling.h"

namespace warsearch {

/// How an index run behaves.
struct IndexOptions {
    /// Database directory; created when missing.
    std::string db_path;
    /// Documents per commit().  Around a thousand is fastest here (see scripts/bench);
    /// smaller batches lose less work on a crash, larger ones use more memory.
    std::size_t batch_size = 1000;
    /// Snowball stemmer language, or "none".
    std::string stem_language = "english";
    /// After the run, delete every document this run did not produce, except those from
    /// files that failed to read (a bad file never costs its already-indexed documents).
    bool delete_unseen = false;
    /// Extract catalog factions and places into facet terms and slots.
    bool extract_entities = true;
    /// Catalog directory (places.jsonl, factions.jsonl); "" means default_catalog_dir().
    std::string catalog_dir;
};

/// Counts of what a run did.
struct IndexStats {
    std::uint64_t documents = 0;  ///< documents written (added or replaced)
    std::uint64_t deleted = 0;    ///< documents removed by delete_unseen
    std::uint64_t commits = 0;
};

/// Writes articles to one database.  Not thread-safe.
class Indexer {
public:
    /// Opens or creates the database and, with extract_entities, loads the catalog and
    /// stores it in the database metadata when it changed (see entity_terms.h).
    /// @throws Xapian::DatabaseLockError when another writer holds it,
    ///         Xapian::DatabaseError (or a subclass) when it cannot be opened or created,
    ///         CatalogError when the catalog cannot be loaded.
    explicit Indexer(IndexOptions options);
    ~Indexer();

    Indexer(const Indexer&) = delete;
    Indexer& operator=(const Indexer&) = delete;

    /// Adds or replaces (by id) one article.  Commits when a batch is full.
    void add(const Article& article);

    /// Notes that a file could not be read, so delete_unseen keeps its documents.
    void file_failed(const std::string& path);

    /// Commits what is pending and, with delete_unseen, removes unseen documents.
    void finish();

    const IndexStats& stats() const { return stats_; }
    Xapian::WritableDatabase& database() { return db_; }

private:
    void commit();
    /// The story key for a document with this fingerprint: that of the most similar
    /// indexed copy (kSameStorySimilarity or more), else one derived from @a id.
    std::string assign_story(const std::string& id, const Fingerprint& fp);

    IndexOptions options_;
    Xapian::WritableDatabase db_;
    DocumentBuilder builder_;
    std::unique_ptr<Catalog> catalog_;
    std::unique_ptr<EntityExtractor> extractor_;
    IndexStats stats_;
    std::size_t pending_ = 0;
    std::unordered_set<std::string> seen_id_terms_;
    std::vector<std::string> failed_file_terms_;
    SpellingVocabulary vocabulary_;
};

}  // namespace warsearch
