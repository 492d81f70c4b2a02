#include "warsearch/indexer.h"

#include "warsearch/entity_terms.h"
#include "warsearch/facet_values.h"
#include "warsearch/fingerprint.h"
#include "warsearch/schema.h"
#include "warsearch/stored_fields.h"
#include "warsearch/text.h"

namespace warsearch {

Indexer::Indexer(IndexOptions options)
    : options_(std::move(options)),
      db_(options_.db_path, Xapian::DB_CREATE_OR_OPEN),
      builder_(options_.stem_language) {
    if (options_.batch_size == 0) options_.batch_size = 1;
    db_.set_metadata(std::string(schema::kMetaSchemaVersion), std::string(schema::kSchemaVersion));
    if (options_.extract_entities) {
        std::string dir = options_.catalog_dir.empty() ? default_catalog_dir() : options_.catalog_dir;
        catalog_ = std::make_unique<Catalog>(load_catalog(dir));
        extractor_ = std::make_unique<EntityExtractor>(*catalog_);
        // Searchers resolve faction:/location: names from this copy.
        store_catalog_metadata(db_, *catalog_);
    }
}

Indexer::~Indexer() {
    // Xapian commits a WritableDatabase on destruction; finish() is the explicit path.
}

namespace {

// Facet dimension for a place type: the levels a user drills down through.
std::string place_level(const std::string& type) {
    if (type == "country" || type == "admin1") return type;
    if (type == "admin2" || type == "admin3") return "admin2";
    return "locality";
}

}  // namespace

std::string Indexer::assign_story(const std::string& id, const Fingerprint& fp) {
    // Candidates share an LSH band with us; the best one similar enough gives its story.
    // A re-indexed document finds its own previous version and keeps its story.
    std::string best_story;
    double best = kSameStorySimilarity;
    std::unordered_set<Xapian::docid> seen;
    for (const auto& key : fp.band_keys()) {
        std::string term = schema::make_term(schema::kBandPrefix, key);
        int looked = 0;
        for (auto p = db_.postlist_begin(term); p != db_.postlist_end(term) && looked < 50; ++p, ++looked) {
            if (!seen.insert(*p).second) continue;
            Xapian::Document other = db_.get_document(*p);
            double sim = fp.similarity(Fingerprint::unserialise(other.get_value(schema::kFingerprintSlot)));
            if (sim >= best) {
                std::string story = other.get_value(schema::kStorySlot);
                if (story.empty()) continue;
                // Prefer the more similar copy; on a tie the older story key, for stability.
                if (sim > best || best_story.empty() || story < best_story) best_story = story;
                best = sim;
            }
        }
    }
    return best_story.empty() ? hex64(hash64(id)) : best_story;
}

void Indexer::add(const Article& article) {
    Extraction entities;
    if (extractor_) entities = extractor_->extract(article.title, article.body);
    Xapian::Document doc = builder_.build(article, entities);

    // Near-duplicates: the fingerprint finds the story this copy belongs to.
    Fingerprint fp = fingerprint_text(article.title + "\n" + article.body);
    std::string story = fp.empty ? hex64(hash64(article.id)) : assign_story(article.id, fp);
    if (!fp.empty) {
        doc.add_value(schema::kFingerprintSlot, fp.serialise());
        for (const auto& key : fp.band_keys()) doc.add_boolean_term(schema::make_term(schema::kBandPrefix, key));
    }
    doc.add_value(schema::kStorySlot, story);
    doc.add_boolean_term(schema::make_term(schema::kStoryPrefix, story));

    // Every facet value, with the story, in one slot (see facet_values.h).
    std::vector<FacetValue> facets;
    for (const auto& id : entities.faction_ids_with_ancestors()) facets.push_back({std::string(kFacetFaction), id});
    if (catalog_) {
        for (const auto& id : entities.place_ids_with_ancestors()) {
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
    doc.add_value(schema::kFacetSlot, encode_facet_slot(story, facets));

    vocabulary_.add_text(article.title);
    vocabulary_.add_text(article.body);

    std::string term = id_term(article.id);
    db_.replace_document(term, doc);
    if (options_.delete_unseen) seen_id_terms_.insert(term);
    ++stats_.documents;
    if (++pending_ >= options_.batch_size) commit();
}

void Indexer::file_failed(const std::string& path) {
    failed_file_terms_.push_back(std::string(schema::kFilePrefix) + hex64(hash64(path)));
}

void Indexer::commit() {
    // Explicitly commit so that we see any errors here rather than at destruction.
    db_.commit();
    ++stats_.commits;
    pending_ = 0;
}

void Indexer::finish() {
    if (options_.delete_unseen) {
        // Documents of files that failed this time are kept, as if seen.
        for (const auto& file_term : failed_file_terms_) {
            for (auto p = db_.postlist_begin(file_term); p != db_.postlist_end(file_term); ++p) {
                Xapian::Document d = db_.get_document(*p);
                for (auto t = d.termlist_begin(); t != d.termlist_end(); ++t) {
                    t.skip_to(std::string(schema::kIdPrefix));
                    if (t != d.termlist_end() && (*t).rfind(schema::kIdPrefix, 0) == 0)
                        seen_id_terms_.insert(*t);
                    break;
                }
            }
        }
        std::vector<std::string> doomed;
        std::string prefix(schema::kIdPrefix);
        for (auto t = db_.allterms_begin(prefix); t != db_.allterms_end(prefix); ++t)
            if (!seen_id_terms_.count(*t)) doomed.push_back(*t);
        for (const auto& term : doomed) {
            db_.delete_document(term);
            ++stats_.deleted;
            if (++pending_ >= options_.batch_size) commit();
        }
    }
    // The spelling vocabulary for "did you mean" grows with every run.
    vocabulary_.write(db_);
    commit();
}

}  // namespace warsearch
