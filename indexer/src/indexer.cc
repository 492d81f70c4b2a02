#include "warsearch/indexer.h"

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
}

Indexer::~Indexer() {
    // Xapian commits a WritableDatabase on destruction; finish() is the explicit path.
}

void Indexer::add(const Article& article) {
    Xapian::Document doc = builder_.build(article);
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
    commit();
}

}  // namespace warsearch
