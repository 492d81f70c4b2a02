#include "indexer/indexer.h"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "common/entities/dateline_places.h"
#include "common/entities/entity_terms.h"
#include "common/entities/source_names.h"
#include "common/entities/thesaurus.h"
#include "common/index/database_layout.h"
#include "common/index/facet_slot.h"
#include "common/index/facet_value_file.h"
#include "common/index/schema.h"
#include "common/index/stored_fields.h"
#include "common/text/text.h"
#include "indexer/fingerprint.h"
#include "indexer/shard_writer.h"
#include "indexer/story_assigner.h"

namespace fs = std::filesystem;

namespace warsearch {
namespace {

// Facet dimension for a place type: the levels a user drills down through.
std::string place_level(const std::string& type) {
    if (type == "country" || type == "admin1") return type;
    if (type == "admin2" || type == "admin3") return "admin2";
    return "locality";
}

}  // namespace

std::string_view entity_text(std::string_view body) {
    if (body.size() <= IndexOptions::kEntityTextBytes) return body;
    std::size_t end = IndexOptions::kEntityTextBytes;
    while (end > 0 && (static_cast<unsigned char>(body[end]) & 0xC0) == 0x80) --end;
    return body.substr(0, end);
}

unsigned shard_of(const std::string& id, unsigned shards) {
    return shards <= 1 ? 0 : static_cast<unsigned>(hash64(id) % shards);
}

Indexer::Indexer(IndexOptions options) : options_(std::move(options)) {
    std::string dir = options_.catalog_dir;
    if (dir.empty() && options_.extract_entities) {
        dir = default_catalog_dir();
    } else if (dir.empty()) {
        try {
            dir = default_catalog_dir();  // for the thesaurus only, which may be absent
        } catch (const CatalogError&) {
        }
    }
    if (options_.extract_entities) {
        catalog_ = std::make_unique<Catalog>(load_catalog(dir));
        extractor_ = std::make_unique<EntityExtractor>(*catalog_);
    }
    // The search vocabulary travels with the index, whether or not entities are extracted.
    thesaurus_ = load_catalog_thesaurus(dir);
    source_names_ = load_catalog_source_names(dir);
    open_outputs();
}

void Indexer::open_outputs() {
    const std::string& dir = options_.db_path;
    const std::string stub = dir + "/" + std::string(kStubFileName);
    std::error_code ec;
    const bool has_stub = fs::is_regular_file(stub, ec);
    std::vector<std::string> existing_shards;  // the databases DIR's stub lists
    if (has_stub) existing_shards = local_databases(dir);
    unsigned shards = options_.shards;
    if (!existing_shards.empty()) {
        if (shards > 1 && shards != existing_shards.size())
            throw std::runtime_error(dir + " has " + std::to_string(existing_shards.size()) + " shards, not " +
                                     std::to_string(shards) + " (re-index into a new directory to reshard)");
        if (shards == 1)
            throw std::runtime_error(dir + " is sharded; index it with --shards " +
                                     std::to_string(existing_shards.size()));
        shards = static_cast<unsigned>(existing_shards.size());
    } else if (shards > 1 && holds_index(dir)) {
        throw std::runtime_error(dir + " is a single database; index it into a new directory to shard it");
    }

    if (shards > 1) {
        fs::create_directories(dir);
        if (existing_shards.empty())
            for (unsigned i = 0; i < shards; ++i) existing_shards.push_back(dir + "/" + shard_directory_name(i));
        for (const auto& path : existing_shards)
            writers_.push_back(std::make_unique<ShardWriter>(path, in_place_batch_size(), options_.stem_language));
        if (!has_stub) {
            // The stub is written last-to-appear: a searcher never sees a stub without shards.
            std::vector<StubEntry> entries;
            for (unsigned i = 0; i < shards; ++i) entries.push_back(StubEntry::local(shard_directory_name(i)));
            write_stub_file(stub, entries);
        }
    } else {
        // Parallel parts only for a database that does not exist yet: an existing one
        // (even empty) may be held by another writer, whose lock must be respected.
        bool fresh = !holds_index(dir);
        if (fresh && options_.parallel_parts > 1) {
            // A new database is written as parts in parallel and compacted into place.
            merge_target_ = dir;
            parts_dir_ = dir + ".parts";
            fs::remove_all(parts_dir_);
            fs::create_directories(parts_dir_);
            for (unsigned i = 0; i < options_.parallel_parts; ++i)
                writers_.push_back(std::make_unique<ShardWriter>(parts_dir_ + "/" + shard_directory_name(i),
                                                                 part_batch_size(), options_.stem_language,
                                                                 options_.part_documents));
        } else {
            writers_.push_back(std::make_unique<ShardWriter>(dir, in_place_batch_size(), options_.stem_language));
        }
    }
    stats_.outputs = static_cast<unsigned>(writers_.size());
    stories_ = std::make_unique<StoryAssigner>(committed_documents());
}

Xapian::Database Indexer::committed_documents() const {
    Xapian::Database existing;
    // Parts are new databases: nothing was in them before this run.
    if (!merge_target_.empty()) return existing;
    for (const auto& w : writers_) {
        Xapian::Database db(w->path());
        if (db.get_doccount() > 0) existing.add_database(db);
    }
    return existing;
}

Indexer::~Indexer() {
    // Writers stop (their destructors drain and join); without finish() or commit() no
    // run metadata is written for what came after the last commit.
    writers_.clear();
    if (merge_target_.empty() || stats_.merged || keep_parts_) return;
    // A new database that was never completed (a failure, a full disk): its scratch
    // parts and any half-merged copy go, or the disk stays full.  A new run starts over.
    std::error_code ec;
    fs::remove_all(parts_dir_, ec);
    if (merging_) fs::remove_all(merge_target_, ec);
}

ReadSink Indexer::index_sink(const IndexCallbacks& callbacks, std::uint64_t& documents, std::uint64_t& failures,
                             FileResult* file) {
    ReadSink sink;
    sink.article = [this, &callbacks, &documents, file](Article&& a) {
        add(a);
        ++documents;
        if (file) {
            ++file->documents;
            if (file_ids_.insert(a.id).second) file->ids.push_back(a.id);
        }
        if (callbacks.document) callbacks.document(a);
    };
    sink.failure = [this, &callbacks, &failures, file](const ReadFailure& f) {
        ++failures;
        if (f.whole_file) file_failed(f.where);
        if (file) {
            if (f.whole_file)
                file->whole_file_failed = true;
            else
                ++file->failed_records;
        }
        if (callbacks.failure) callbacks.failure(f);
    };
    sink.warning = callbacks.warning;
    sink.file_started = callbacks.file_started;
    sink.skipped = callbacks.skipped;
    return sink;
}

PathsResult Indexer::index_paths(const std::vector<std::string>& paths, const ReadOptions& read,
                                 const IndexCallbacks& callbacks) {
    PathsResult result;
    result.files = read_paths(paths, read, index_sink(callbacks, result.documents, result.failures, nullptr));
    return result;
}

FileResult Indexer::index_file(const std::string& path, const ReadOptions& read, const IndexCallbacks& callbacks) {
    FileResult result;
    std::uint64_t documents = 0, failures = 0;
    file_ids_.clear();
    read_file(path, read, index_sink(callbacks, documents, failures, &result));
    file_ids_.clear();
    return result;
}

void Indexer::add(const Article& article) {
    WriteOp op;
    if (extractor_) op.entities = extract_article_entities(*extractor_, article, entity_text(article.body));

    // Near-duplicates: the fingerprint finds the story this copy belongs to.
    Fingerprint fp = fingerprint_text(article.title + "\n" + article.body);
    op.story = stories_->assign(article.id, fp);
    if (!fp.empty) {
        op.fingerprint = fp.serialise();
        for (const auto& key : fp.band_keys()) op.band_terms.push_back(schema::make_term(schema::kBandPrefix, key));
    }

    // Every facet value, with the story, in one slot (see facet_values.h).
    std::vector<FacetValue> facets;
    for (const auto& id : op.entities.faction_ids_with_ancestors()) facets.push_back({std::string(kFacetFaction), id});
    for (const auto& id : op.entities.organisation_ids_with_ancestors())
        facets.push_back({std::string(kFacetOrganisation), id});
    if (catalog_) {
        for (const auto& id : op.entities.place_ids_with_ancestors()) {
            const Entity* place = catalog_->find(id);
            if (place) facets.push_back({std::string(kFacetPlacePrefix) + place_level(place->type), id});
        }
    }
    // Sources are counted by slug, so "Orontes Post" and "orontes-post" are one outlet.
    if (!article.source.empty()) facets.push_back({std::string(kFacetSource), slugify(article.source)});
    // Datelines are counted as the readers write them (capitals made title case), so the
    // facet shows "San Salvador" and its filter (dateline:) finds the same slug term.
    if (!article.dateline.empty()) facets.push_back({std::string(kFacetDateline), article.dateline});
    if (!article.date.empty()) {
        std::string d = article.date.sortable();
        facets.push_back({std::string(kFacetMonth), d.substr(0, 4) + "-" + d.substr(4, 2)});
    }
    op.facet_slot = encode_facet_slot(op.story, facets, &facet_names_);

    if (!run_ids_.insert(hash64(article.id)).second) ++stats_.replaced_in_run;
    op.term = id_term(article.id);
    if (options_.delete_unseen) seen_id_terms_.insert(op.term);
    op.article = article;
    writers_[shard_of(article.id, static_cast<unsigned>(writers_.size()))]->put(std::move(op));
    ++documents_since_commit_;
}

void Indexer::file_failed(const std::string& path) { failed_files_.push_back(path); }

void Indexer::remove_documents_of_file(const std::string& path) {
    for (auto& w : writers_) {
        WriteOp op;
        op.kind = WriteOp::Kind::delete_term;
        op.term = file_term(path);
        w->put(std::move(op));
    }
    ++other_since_commit_;
}

void Indexer::refuse_while_building_parts(const char* what) const {
    if (!merge_target_.empty())
        throw std::logic_error(std::string(what) + ": " + merge_target_ +
                               " is being built as parts; its documents are only in place after finish()");
}

void Indexer::delete_stale_documents(const std::string& path, const std::optional<std::vector<std::string>>& keep_ids,
                                     std::size_t max_ids) {
    refuse_while_building_parts("delete_stale_documents");
    std::shared_ptr<std::unordered_set<std::string>> keep;
    if (keep_ids) {
        keep = std::make_shared<std::unordered_set<std::string>>();
        for (const auto& id : *keep_ids) keep->insert(id_term(id));
    }
    for (auto& w : writers_) {
        WriteOp op;
        op.kind = WriteOp::Kind::delete_stale;
        op.term = path;
        op.keep = keep;
        op.max_ids = max_ids;
        op.request = stale_requests_;
        w->put(std::move(op));
    }
    ++stale_requests_;
    ++other_since_commit_;
}

void Indexer::set_metadata(const std::string& key, const std::string& value) {
    refuse_while_building_parts("set_metadata");
    for (auto& w : writers_) {
        WriteOp op;
        op.kind = WriteOp::Kind::set_metadata;
        op.term = key;
        op.value = value;
        w->put(std::move(op));
    }
    ++other_since_commit_;
}

void Indexer::bump_revision(Xapian::WritableDatabase& db) {
    std::string rev = db.get_metadata(std::string(schema::kMetaRevision));
    db.set_metadata(std::string(schema::kMetaRevision), std::to_string((rev.empty() ? 0 : std::stoull(rev)) + 1));
}

void Indexer::write_run_metadata(Xapian::WritableDatabase& db, const SpellingVocabulary& vocabulary) {
    db.set_metadata(std::string(schema::kMetaSchemaVersion), std::string(schema::kSchemaVersion));
    bump_revision(db);
    // Searchers resolve faction:/location: names from this copy, on every shard.
    if (catalog_) store_catalog_metadata(db, *catalog_);
    // Searchers expand query words through the thesaurus stored here (thesaurus.h).
    store_thesaurus_metadata(db, thesaurus_);
    // ...and label sources with the names stored here (source_names.h).
    store_source_names_metadata(db, source_names_);
    // The spelling vocabulary for "did you mean" grows with every run; every shard
    // gets the whole run's counts so suggestions do not depend on the sharding.
    vocabulary.write(db);
    // Names of the hashed facet keys this run stored (facet_values.h), in every
    // shard: a searcher resolves the few it shows from whichever shard has them.
    facet_names_.write(db);
}

CommitResult Indexer::commit() {
    CommitResult result;
    for (auto& w : writers_) w->drain();
    for (unsigned i = 0; i < writers_.size(); ++i)
        for (auto& [request, deleted] : writers_[i]->take_stale_deletions())
            result.deletions.push_back({request, i, std::move(deleted)});
    if (documents_since_commit_ == 0 && other_since_commit_ == 0) return result;
    // Parts get their metadata at finish(): the compactor keeps one part's.
    bool in_place = merge_target_.empty();
    bool with_metadata = documents_since_commit_ > 0 && in_place;
    SpellingVocabulary vocabulary;
    if (with_metadata)
        for (auto& w : writers_) vocabulary.merge(w->vocabulary());
    if (deleted_at_commit_.size() != writers_.size()) deleted_at_commit_.assign(writers_.size(), 0);
    for (std::size_t i = 0; i < writers_.size(); ++i) {
        auto& w = writers_[i];
        if (with_metadata) {
            write_run_metadata(w->database(), vocabulary);
            w->clear_vocabulary();
        } else if (in_place && w->deleted() != deleted_at_commit_[i]) {
            // Deletions change results as much as additions: searchers' permalinks and the
            // nightly report must see a new revision.
            bump_revision(w->database());
        }
        deleted_at_commit_[i] = w->deleted();
        w->commit();
        if (in_place) w->forget_written_ids();
    }
    if (with_metadata) facet_names_ = FacetNames();
    if (in_place) stories_ = std::make_unique<StoryAssigner>(committed_documents());
    documents_since_commit_ = other_since_commit_ = 0;
    stale_requests_ = 0;
    return result;
}

void Indexer::finish() {
    if (finished_) return;
    finished_ = true;
    for (auto& w : writers_) w->join();
    // Each writer counted the words of its documents; every output gets the whole run's.
    SpellingVocabulary vocabulary;
    for (auto& w : writers_) vocabulary.merge(w->vocabulary());
    // Parts are written only for a database that did not exist: every document in them
    // was seen by this run, so delete_unseen has nothing to do there.
    bool delete_unseen = options_.delete_unseen && merge_target_.empty();
    std::vector<std::string> outputs;  // the databases this run leaves
    for (auto& w : writers_) {
        w->finish_closed_parts();
        Xapian::WritableDatabase& db = w->database();
        if (delete_unseen) stats_.deleted += delete_unseen_documents(db, seen_id_terms_, failed_files_);
        write_run_metadata(db, vocabulary);
        w->commit();
        if (merge_target_.empty()) outputs.push_back(w->path());
        stats_.documents += w->written();
        stats_.deleted += w->deleted();
        stats_.commits += w->commits();
    }
    if (!merge_target_.empty()) {
        Xapian::Database parts;
        for (auto& w : writers_)
            for (const auto& path : w->paths()) parts.add_database(Xapian::Database(path));
        writers_.clear();  // release the parts' write locks
        std::error_code ec;
        // Another process may have created a database here meanwhile: never overwrite it.
        if (holds_index(merge_target_)) {
            keep_parts_ = true;
            throw std::runtime_error(merge_target_ + " appeared while it was being built; the new index is in " +
                                     parts_dir_);
        }
        fs::remove(merge_target_, ec);  // an empty directory is fine to replace
        // Only each writer's last part carries metadata, the same in each, so the
        // compactor's first-wins is exact.  One pass over all the parts: DBCOMPACT_MULTIPASS
        // (pairs of postlists merged into temporary files, then merged again) was slower.
        merging_ = true;
        parts.compact(merge_target_);
        // Test hook, like a disk that fills up during the merge.
        if (const char* at = std::getenv("WARSEARCH_INDEX_FAIL_AT"); at && std::string_view(at) == "merge")
            throw Xapian::DatabaseError("simulated failure during the merge: No space left on device");
        fs::remove_all(parts_dir_, ec);
        stats_.merged = true;
        outputs.push_back(merge_target_);
    }
    // The facet values of each output, in a file searchers map (facet_value_file.h).
    // Without it searches still work, reading the values from the index.
    if (!options_.write_facet_files) outputs.clear();
    for (const auto& dir : outputs) {
        std::string error;
        if (write_facet_value_file(dir, schema::kFacetSlot, &error))
            ++stats_.facet_files;
        else
            stats_.warnings.push_back("facet value file not written: " + error);
    }
}

}  // namespace warsearch
