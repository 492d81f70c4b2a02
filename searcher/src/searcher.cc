#include "warsearch/searcher.h"

#include <chrono>

#include "warsearch/highlighter.h"
#include "warsearch/schema.h"

namespace warsearch {

Searcher::Searcher(const std::string& db_path, const std::string& stem_language)
    : path_(db_path), db_(db_path), builder_(db_, stem_language) {}

void Searcher::reopen() { db_.reopen(); }

SearchResult Searcher::search(const SearchRequest& request) {
    // A writer may commit while we read; Xapian then asks us to reopen and retry.
    for (int attempt = 0;; ++attempt) {
        try {
            return run(request);
        } catch (const Xapian::DatabaseModifiedError&) {
            if (attempt >= 3) throw;
            db_.reopen();
        }
    }
}

SearchResult Searcher::run(const SearchRequest& req) {
    auto start = std::chrono::steady_clock::now();
    SearchResult result;
    result.query = req.query;
    if (req.limit > req.limits.max_limit)
        throw QueryError("limit " + std::to_string(req.limit) + " is over the maximum of " +
                         std::to_string(req.limits.max_limit));
    if (req.offset > req.limits.max_offset)
        throw QueryError("offset " + std::to_string(req.offset) + " is over the maximum of " +
                         std::to_string(req.limits.max_offset));

    Xapian::Query query = builder_.build(req.query, req.filters, req.default_op, req.limits);
    result.parsed = query.get_description();

    Xapian::Enquire enquire(db_);
    enquire.set_query(query);
    switch (req.sort) {
        case SortOrder::relevance: break;
        case SortOrder::date_newest: enquire.set_sort_by_value_then_relevance(schema::kDateSlot, true); break;
        case SortOrder::date_oldest: enquire.set_sort_by_value_then_relevance(schema::kDateSlot, false); break;
    }
    if (req.limits.time_limit_seconds > 0) enquire.set_time_limit(req.limits.time_limit_seconds);

    Xapian::MSet mset = enquire.get_mset(req.offset, req.limit);
    result.estimate = mset.get_matches_estimated();
    result.lower_bound = mset.get_matches_lower_bound();
    result.upper_bound = mset.get_matches_upper_bound();
    result.offset = req.offset;
    result.limit = req.limit;
    result.index_uuid = db_.get_uuid();
    result.index_revision = db_.get_revision();
    result.index_documents = db_.get_doccount();

    mset.fetch();
    Xapian::doccount rank = req.offset;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        Hit hit;
        hit.rank = ++rank;
        hit.docid = *it;
        hit.score = it.get_weight();
        hit.percent = it.get_percent();
        Xapian::Document doc = it.get_document();
        hit.fields = parse_stored_fields(doc.get_data());
        if (req.snippets) {
            std::vector<std::string> terms(enquire.get_matching_terms_begin(it),
                                           enquire.get_matching_terms_end(it));
            Highlighter hl(terms, builder_.stemmer());
            hit.snippet = hl.snippet(hit.fields.body, req.snippet_bytes);
        }
        hit.fields.body.clear();
        result.hits.push_back(std::move(hit));
    }
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

}  // namespace warsearch
