#include "indexer/indexer.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "common/entities/entity_terms.h"
#include "common/entities/thesaurus.h"
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

std::string shard_name(unsigned i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "shard-%02u", i);
    return buf;
}

// The shard directories a stub in DIR lists (our own stubs: "auto shard-NN" lines).
std::vector<std::string> stub_shards(const std::string& dir) {
    std::vector<std::string> out;
    std::ifstream in(dir + "/XAPIANDB");
    std::string kind, path;
    while (in >> kind >> path) out.push_back(path);
    return out;
}

bool has_database(const std::string& dir) {
    std::error_code ec;
    return fs::exists(dir + "/iamglass", ec) || fs::exists(dir + "/iamchert", ec) || fs::exists(dir + "/XAPIANDB", ec);
}

}  // namespace

unsigned shard_of(const std::string& id, unsigned shards) {
    return shards <= 1 ? 0 : static_cast<unsigned>(hash64(id) % shards);
}

Indexer::Indexer(IndexOptions options) : options_(std::move(options)) {
    std::string dir = options_.catalog_dir.empty() ? default_catalog_dir() : options_.catalog_dir;
    if (options_.extract_entities) {
        catalog_ = std::make_unique<Catalog>(load_catalog(dir));
        extractor_ = std::make_unique<EntityExtractor>(*catalog_);
    }
    // The search vocabulary travels with the index, whether or not entities are extracted.
    thesaurus_ = load_catalog_thesaurus(dir);
    open_outputs();
}

void Indexer::open_outputs() {
    const std::string& dir = options_.db_path;
    std::vector<std::string> existing_shards = stub_shards(dir);
    unsigned shards = options_.shards;
    if (!existing_shards.empty()) {
        if (shards > 1 && shards != existing_shards.size())
            throw std::runtime_error(dir + " has " + std::to_string(existing_shards.size()) + " shards, not " +
                                     std::to_string(shards) + " (re-index into a new directory to reshard)");
        if (shards == 1)
            throw std::runtime_error(dir + " is sharded; index it with --shards " +
                                     std::to_string(existing_shards.size()));
        shards = static_cast<unsigned>(existing_shards.size());
    } else if (shards > 1 && has_database(dir)) {
        throw std::runtime_error(dir + " is a single database; index into a new directory to shard it");
    }

    Xapian::Database existing;
    if (shards > 1) {
        fs::create_directories(dir);
        for (unsigned i = 0; i < shards; ++i)
            writers_.push_back(std::make_unique<ShardWriter>(dir + "/" + shard_name(i), in_place_batch_size(),
                                                             options_.stem_language));
        if (existing_shards.empty()) {
            // The stub is written last-to-appear: a searcher never sees a stub without shards.
            std::string tmp = dir + "/XAPIANDB.tmp";
            {
                std::ofstream stub(tmp);
                for (unsigned i = 0; i < shards; ++i) stub << "auto " << shard_name(i) << "\n";
            }
            fs::rename(tmp, dir + "/XAPIANDB");
        }
        for (unsigned i = 0; i < shards; ++i)
            if (writers_[i]->database().get_doccount() > 0)
                existing.add_database(Xapian::Database(writers_[i]->path()));
    } else {
        // Parallel parts only for a database that does not exist yet: an existing one
        // (even empty) may be held by another writer, whose lock must be respected.
        bool fresh = !has_database(dir);
        if (!fresh) {
            Xapian::Database current(dir);
            if (current.get_doccount() > 0) existing = current;
        }
        if (fresh && options_.parallel_parts > 1) {
            // A new database is written as parts in parallel and compacted into place.
            merge_target_ = dir;
            parts_dir_ = dir + ".parts";
            fs::remove_all(parts_dir_);
            fs::create_directories(parts_dir_);
            for (unsigned i = 0; i < options_.parallel_parts; ++i)
                writers_.push_back(std::make_unique<ShardWriter>(parts_dir_ + "/" + shard_name(i), part_batch_size(),
                                                                 options_.stem_language, options_.part_documents));
        } else {
            writers_.push_back(std::make_unique<ShardWriter>(dir, in_place_batch_size(), options_.stem_language));
        }
    }
    stats_.outputs = static_cast<unsigned>(writers_.size());
    stories_ = std::make_unique<StoryAssigner>(existing);
}

Indexer::~Indexer() {
    // Writers stop (their destructors drain and join); without finish() nothing more is
    // committed than the batches already written, which is what a crash would leave.
}

void Indexer::add(const Article& article) {
    WriteOp op;
    if (extractor_) op.entities = extractor_->extract(article.title, article.body, article.date.iso());

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
    if (catalog_) {
        for (const auto& id : op.entities.place_ids_with_ancestors()) {
            const Entity* place = catalog_->find(id);
            if (place) facets.push_back({std::string(kFacetPlacePrefix) + place_level(place->type), id});
        }
    }
    // Sources are counted by slug, so "Orontes Post" and "orontes-post" are one outlet.
    if (!article.source.empty()) facets.push_back({std::string(kFacetSource), slugify(article.source)});
    if (!article.date.empty()) {
        std::string d = article.date.sortable();
        facets.push_back({std::string(kFacetMonth), d.substr(0, 4) + "-" + d.substr(4, 2)});
    }
    op.facet_slot = encode_facet_slot(op.story, facets, &facet_names_);

    op.term = id_term(article.id);
    if (options_.delete_unseen) seen_id_terms_.insert(op.term);
    op.article = article;
    writers_[shard_of(article.id, static_cast<unsigned>(writers_.size()))]->put(std::move(op));
}

void Indexer::file_failed(const std::string& path) {
    failed_file_terms_.push_back(std::string(schema::kFilePrefix) + hex64(hash64(path)));
}

void Indexer::remove_documents_of_file(const std::string& path) {
    for (auto& w : writers_) {
        WriteOp op;
        op.kind = WriteOp::Kind::delete_term;
        op.term = std::string(schema::kFilePrefix) + hex64(hash64(path));
        w->put(std::move(op));
    }
}

void Indexer::delete_unseen_in(Xapian::WritableDatabase& db) {
    // Documents of files that failed this time are kept, as if seen.
    std::unordered_set<std::string> failed_ids;
    for (const auto& file_term : failed_file_terms_) {
        for (auto p = db.postlist_begin(file_term); p != db.postlist_end(file_term); ++p) {
            Xapian::Document d = db.get_document(*p);
            auto t = d.termlist_begin();
            t.skip_to(std::string(schema::kIdPrefix));
            if (t != d.termlist_end() && (*t).rfind(schema::kIdPrefix, 0) == 0) failed_ids.insert(*t);
        }
    }
    std::vector<std::string> doomed;
    std::string prefix(schema::kIdPrefix);
    for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t)
        if (!seen_id_terms_.count(*t) && !failed_ids.count(*t)) doomed.push_back(*t);
    for (const auto& term : doomed) db.delete_document(term);
    stats_.deleted += doomed.size();
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
        if (delete_unseen) delete_unseen_in(db);
        db.set_metadata(std::string(schema::kMetaSchemaVersion), std::string(schema::kSchemaVersion));
        std::string rev = db.get_metadata(std::string(schema::kMetaRevision));
        db.set_metadata(std::string(schema::kMetaRevision), std::to_string((rev.empty() ? 0 : std::stoull(rev)) + 1));
        // Searchers resolve faction:/location: names from this copy, on every shard.
        if (catalog_) store_catalog_metadata(db, *catalog_);
        // Searchers expand query words through the thesaurus stored here (thesaurus.h).
        store_thesaurus_metadata(db, thesaurus_);
        // The spelling vocabulary for "did you mean" grows with every run; every shard
        // gets the whole run's counts so suggestions do not depend on the sharding.
        vocabulary.write(db);
        // Names of the hashed facet keys this run stored (facet_values.h), in every
        // shard: a searcher resolves the few it shows from whichever shard has them.
        facet_names_.write(db);
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
        if (has_database(merge_target_))
            throw std::runtime_error(merge_target_ + " appeared while it was being built; the new index is in " +
                                     parts_dir_);
        fs::remove(merge_target_, ec);  // an empty directory is fine to replace
        // Only each writer's last part carries metadata, the same in each, so the
        // compactor's first-wins is exact.  One pass over all the parts: DBCOMPACT_MULTIPASS
        // (pairs of postlists merged into temporary files, then merged again) took the
        // 100k benchmark corpus's ten parts 8.3-8.5 s against 6.2-6.7 s.
        parts.compact(merge_target_);
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
