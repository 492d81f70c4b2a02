#include "searcher/searcher.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <memory>
#include <optional>
#include <set>

#include "common/entities/source_names.h"
#include "common/index/facet_value_file.h"
#include "common/index/schema.h"
#include "common/index/stored_fields.h"
#include "common/text/text.h"
#include "searcher/highlighter.h"
#include "searcher/suggestion.h"

namespace warsearch {
std::string request_bounds_error(const SearchRequest& req) {
    const QueryLimits& l = req.limits;
    auto over = [](const char* what, auto value, auto most) {
        return std::string(what) + " " + std::to_string(value) + " is over the maximum of " + std::to_string(most);
    };
    if (req.limit > l.max_limit) return over("limit", req.limit, l.max_limit);
    if (req.offset > l.max_offset) return over("offset", req.offset, l.max_offset);
    if (req.facet_bound == 0 || req.facet_bound > l.max_facet_bound)
        return "facet bound " + std::to_string(req.facet_bound) + " is not between 1 and " +
               std::to_string(l.max_facet_bound);
    if (!(req.recency_half_life_days >= 0) || req.recency_half_life_days > 1e6)
        return "the recency half-life must be a number of days between 0 and 1000000";
    if (!(l.time_limit_seconds >= 0) || l.time_limit_seconds > l.max_time_limit_seconds)
        return "the time limit must be between 0 and " + std::to_string(int(l.max_time_limit_seconds)) + " seconds";
    if (l.wildcard_expansion > l.max_wildcard_expansion)
        return over("wildcard limit", l.wildcard_expansion, l.max_wildcard_expansion);
    return {};
}

namespace {

// Days since 0000-03-01 (civil calendar), for date arithmetic on "YYYYMMDD" strings.
long day_number(const std::string& yyyymmdd) {
    if (yyyymmdd.size() < 8) return 0;
    long y = std::stol(yyyymmdd.substr(0, 4)), m = std::stol(yyyymmdd.substr(4, 2)),
         d = std::stol(yyyymmdd.substr(6, 2));
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe;
}

// More-like-this keeps only words: no prefixed (boolean or title) terms, no numbers, no
// stop-words, nothing too short to mean anything.
class LikeTermDecider : public Xapian::ExpandDecider {
  public:
    bool operator()(const std::string& term) const override {
        if (term.size() < 3 || term.size() > 30) return false;
        unsigned char c = static_cast<unsigned char>(term[0]);
        if (c >= 'A' && c <= 'Z') return false;
        if (std::isdigit(c)) return false;
        static const std::set<std::string> kStop = {
            "the", "and",  "said", "was",  "for",   "that",  "with",  "have",  "has",   "had",   "from", "were",
            "are", "been", "this", "they", "their", "which", "its",   "also",  "who",   "after", "but",  "not",
            "one", "two",  "more", "than", "over",  "into",  "about", "would", "will",  "thi",   "wa",   "ha",
            "hi",  "her",  "him",  "his",  "she",   "our",   "out",   "all",   "there", "when"};
        return !kStop.count(term);
    }
};

// Sorts ties of relevance by document id as set_sort_by_relevance_then_value(kIdSlot)
// does, from the id order in the facet value file (a 4-byte big-endian place: the same
// order as the ids themselves) instead of reading each candidate's id value (a
// value-chunk block per candidate).  Only for one local database: the places of two
// databases do not compare.
class IdOrderKeyMaker : public Xapian::KeyMaker {
  public:
    explicit IdOrderKeyMaker(const FacetValueFile& file) : file_(file) {}
    std::string operator()(const Xapian::Document& doc) const override {
        std::uint32_t place = file_.id_order(doc.get_docid());
        const char key[4] = {static_cast<char>(place >> 24), static_cast<char>(place >> 16),
                             static_cast<char>(place >> 8), static_cast<char>(place)};
        return std::string(key, sizeof key);
    }

  private:
    const FacetValueFile& file_;
};

// Refuses a request whose page or boost is out of bounds.
void check_bounds(const SearchRequest& req) {
    if (std::string why = request_bounds_error(req); !why.empty()) throw QueryError(why);
}

// The page's pass: @a query in the request's order, collapsed on the story unless told
// not to.  @a id_order: the ties' order from the facet value file (null: the id slot).
void set_up_enquire(Xapian::Enquire& enquire, const Xapian::Query& query, const SearchRequest& req,
                    IdOrderKeyMaker* id_order) {
    enquire.set_query(query);
    // Ties are broken by document id, not by docid, so one database and any number of
    // shards order equal scores (and pick the same copy of a story) identically.  Plain
    // value sorts, because the remote backend supports no KeyMaker.
    switch (req.sort) {
        case SortOrder::relevance:
            if (id_order)
                enquire.set_sort_by_relevance_then_key(id_order, false);
            else
                enquire.set_sort_by_relevance_then_value(schema::kIdSlot, false);
            break;
        case SortOrder::date_newest:
            enquire.set_sort_by_value_then_relevance(schema::kDateSortSlot, true);
            break;
        case SortOrder::date_oldest:
            enquire.set_sort_by_value_then_relevance(schema::kDateSortSlot, false);
            break;
    }
    if (req.collapse) enquire.set_collapse_key(schema::kStorySlot);
    // No time limit on the page's pass: Xapian 1.4 applies one only to a pass asked to
    // look past its page (check_at_least), which this one never is, and arming it costs
    // a CGI request a thread (glibc's timer thread) for nothing.  The facet passes are
    // limited (run_facet_pass).
}

FacetCountRequest facet_count_request(const SearchRequest& req) {
    FacetCountRequest count;
    count.bound = req.facet_bound;
    count.time_limit_seconds = req.limits.time_limit_seconds;
    count.collapse = req.collapse;
    return count;
}

}  // namespace

Searcher::Searcher(const std::string& db_path, const SearcherOptions& options)
    : path_(db_path),
      db_(open_database(db_path, options.open)),
      builder_(db_.db, options.stem_language),
      resolver_(db_.db),
      spelling_(db_.db),
      facet_reporter_(resolver_),
      facets_(options) {}

Searcher::~Searcher() = default;

std::size_t Searcher::facet_cache_bytes() const { return facets_.bytes(); }

std::size_t Searcher::facet_files_mapped() const { return facets_.files_mapped(); }

std::uint64_t Searcher::revision() {
    // A sharded index's revision is the sum of its shards': it grows whenever any does.
    // Our own counter (metadata, so remote shards can report it too); Xapian's revision
    // for a database warsearch did not write.
    std::uint64_t total = 0;
    for (auto& part : db_.parts) {
        std::string rev = part.get_metadata(std::string(schema::kMetaRevision));
        if (!rev.empty())
            total += std::stoull(rev);
        else {
            try {
                total += part.get_revision();
            } catch (const Xapian::UnimplementedError&) {
            }
        }
    }
    return total;
}

bool Searcher::reopen() {
    // Xapian's reopen() says false only when certainly nothing changed; the caches then
    // stay (a FastCGI process reopens before every request, and refilling them costs
    // metadata look-ups on every faceted page).
    facets_.wait();  // the threads read the facet values dropped below
    bool changed = db_.db.reopen();
    for (auto& part : db_.parts) changed = part.reopen() || changed;
    if (!changed) return false;
    facets_.clear();
    facet_reporter_.clear();
    spelling_.clear();
    return true;
}

SearchResult Searcher::search(const SearchRequest& request) {
    // A writer may commit while we read; Xapian then asks us to reopen and retry.
    for (int attempt = 0;; ++attempt) {
        try {
            return run(request);
        } catch (const Xapian::DatabaseModifiedError&) {
            // Each retry starts from the newest revision; only a writer committing twice
            // during every attempt (a slow search on a loaded machine) exhausts them.
            if (attempt >= 9) throw;
            reopen();
        }
    }
}

Xapian::Query Searcher::recency_boost(double half_life_days, double weight) {
    // Weights per day, from the index's own day terms: a built-in posting source, so the
    // boost also works on remote shards.
    std::string prefix(schema::kDayPrefix);
    std::vector<std::string> days;
    for (auto t = db_.db.allterms_begin(prefix); t != db_.db.allterms_end(prefix); ++t)
        days.push_back((*t).substr(prefix.size()));
    if (days.empty()) return Xapian::Query();
    long newest = day_number(days.back());
    auto* source = new Xapian::ValueMapPostingSource(schema::kDaySlot);
    for (const auto& day : days) {
        double age = static_cast<double>(newest - day_number(day));
        source->add_mapping(day, weight * std::exp2(-age / half_life_days));
    }
    source->set_default_weight(0);
    return Xapian::Query(source->release());
}

Xapian::Query Searcher::with_recency(const Xapian::Query& query, const SearchRequest& req) {
    bool boosted = req.recency_half_life_days > 0 && req.sort == SortOrder::relevance;
    if (!boosted) return query;
    Xapian::Query boost = recency_boost(req.recency_half_life_days, req.recency_weight);
    return boost.empty() ? query : Xapian::Query(Xapian::Query::OP_AND_MAYBE, query, boost);
}

BuiltQuery Searcher::like_query(const SearchRequest& req, Xapian::Enquire& enquire) {
    // The document's most significant words become an OR query.
    Xapian::PostingIterator p = db_.db.postlist_begin(id_term(req.like_id));
    if (p == db_.db.postlist_end(id_term(req.like_id)))
        throw QueryError("no document with id '" + req.like_id + "' to find reports like");
    Xapian::docid source_doc = *p;
    Xapian::RSet rset;
    rset.add_document(source_doc);
    LikeTermDecider decider;
    Xapian::ESet eset = enquire.get_eset(25, rset, &decider);
    BuiltQuery built;
    std::vector<Xapian::Query> terms;
    for (auto e = eset.begin(); e != eset.end(); ++e) {
        terms.emplace_back(*e);
        built.reasons[*e] = MatchReason{*e, "text", "like", req.like_id};
    }
    Xapian::Query like(Xapian::Query::OP_OR, terms.begin(), terms.end());
    like = Xapian::Query(Xapian::Query::OP_AND_NOT, like, Xapian::Query(id_term(req.like_id)));
    if (!req.query.empty() || !req.filters.empty() || req.dates || !req.ids.empty()) {
        BuiltQuery extra = builder_.build(req);
        like = Xapian::Query(Xapian::Query::OP_FILTER, like, extra.query);
        built.reasons.insert(extra.reasons.begin(), extra.reasons.end());
    }
    built.query = like;
    return built;
}

Xapian::Query Searcher::query_for(const SearchRequest& request) {
    check_bounds(request);
    return builder_.build(request).query;
}

BuiltQuery Searcher::build_query(const SearchRequest& req, Xapian::Enquire& enquire) {
    if (!req.like_id.empty()) return like_query(req, enquire);
    return builder_.build(req);
}

SearchResult Searcher::run(const SearchRequest& req) {
    auto start = std::chrono::steady_clock::now();
    check_bounds(req);
    SearchResult result;
    result.query = req.query;

    // The facet values (and the id order) from files or memory: for facets, and for the
    // relevance order's tie-break.
    bool values_ready = (req.facets || req.sort == SortOrder::relevance) && facets_.values_ready(db_);
    const FacetValueFile* id_order_file = values_ready ? facets_.id_order_file(db_) : nullptr;
    for (std::string& w : facets_.take_warnings()) result.warnings.push_back(std::move(w));
    std::optional<IdOrderKeyMaker> id_order;  // outlives the Enquire using it
    if (id_order_file) id_order.emplace(*id_order_file);

    Xapian::Enquire enquire(db_.db);
    BuiltQuery built = build_query(req, enquire);
    Xapian::Query query = with_recency(built.query, req);
    result.parsed = built.query.get_description();
    result.notices = built.notices;
    set_up_enquire(enquire, query, req, id_order ? &*id_order : nullptr);
    result.collapsed = req.collapse;

    std::unique_ptr<FacetCounter> facets;  // waits for its threads when destroyed
    if (req.facets) facets = facets_.start(db_, query, facet_count_request(req));
    const PagePass* page = facets ? facets->page_pass() : nullptr;
    if (page) enquire.set_query(page->query);
    // The count is exact up to kExactCountBound matches.  Without facets the page's pass
    // looks at that many before it may stop; with them the facet count sees every match
    // up to its bound and sets the count, so the page's pass stops as soon as the page is
    // known, and exact_count() counts only when the facet count stopped short of it.
    Xapian::doccount check_at_least = facets ? 0 : kExactCountBound;
    Xapian::MSet mset =
        enquire.get_mset(req.offset, req.limit, check_at_least, nullptr, page ? page->decider : nullptr);

    describe_matches(mset, req, result);
    // Asked of every query: the ranked default finds reports for a misspelled word's
    // neighbours, so a result count does not show the slip.
    if (req.like_id.empty() && !req.query.empty())
        result.suggestion = suggest_query(db_.db, resolver_, builder_, req.query, &spelling_);
    fill_hits(enquire, query, built, mset, req, result);
    if (facets) {
        facet_reporter_.report(facets->finish(), req, facets_.values(), db_.parts, result);
        if (!result.facets_exact) exact_count(enquire, query, result);
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

void Searcher::exact_count(Xapian::Enquire& enquire, const Xapian::Query& query, SearchResult& result) {
    if (result.lower_bound == result.upper_bound || result.lower_bound >= kExactCountBound) return;
    enquire.set_query(query);
    Xapian::MSet counted = enquire.get_mset(0, 0, kExactCountBound);
    result.estimate = counted.get_matches_estimated();
    result.lower_bound = counted.get_matches_lower_bound();
    result.upper_bound = counted.get_matches_upper_bound();
}

void Searcher::describe_matches(const Xapian::MSet& mset, const SearchRequest& req, SearchResult& result) {
    result.estimate = mset.get_matches_estimated();
    result.lower_bound = mset.get_matches_lower_bound();
    result.upper_bound = mset.get_matches_upper_bound();
    result.offset = req.offset;
    result.limit = req.limit;
    result.index_uuid = db_.db.get_uuid();
    result.index_revision = revision();
    result.index_documents = db_.db.get_doccount();
    if (!db_.missing.empty()) {
        result.partial = true;
        result.missing_shards = db_.missing;
        std::string list;
        for (const auto& m : db_.missing) list += (list.empty() ? "" : ", ") + m;
        result.warnings.push_back("results are partial: shards not answering: " + list);
    }
    if (req.at_revision && req.at_revision != result.index_revision)
        result.warnings.push_back("the index has changed since revision " + std::to_string(req.at_revision) + " (now " +
                                  std::to_string(result.index_revision) +
                                  "): results may differ from the pinned search");
}

void Searcher::fill_hits(const Xapian::Enquire& enquire, const Xapian::Query& query, const BuiltQuery& built,
                         const Xapian::MSet& mset, const SearchRequest& req, SearchResult& result) {
    if (!mset.empty()) mset.fetch(mset.begin(), mset.end());  // not fetch(): it crashes for offset > 0 in 1.4.22
    std::vector<std::vector<std::string>> page_terms = matching_terms(enquire, query, mset);
    Xapian::doccount rank = req.offset;
    std::size_t page_index = 0;
    Highlighter::WordCache word_cache;
    for (auto it = mset.begin(); it != mset.end(); ++it, ++page_index) {
        Hit hit;
        hit.rank = ++rank;
        hit.docid = *it;
        hit.score = it.get_weight();
        hit.percent = it.get_percent();
        Xapian::Document doc = it.get_document();
        hit.fields = parse_stored_fields(doc.get_data());
        hit.source_name = source_display_name(db_.db, hit.fields.source);
        if (hit.source_name.empty()) hit.source_name = hit.fields.source;
        // Collapsing, Xapian has read the story for the page already (the collapse key);
        // reading it from the document again cost a value-chunk read per hit.
        hit.story = req.collapse ? it.get_collapse_key() : doc.get_value(schema::kStorySlot);
        const std::vector<std::string>& terms = page_terms[page_index];
        for (const auto& t : terms) {
            auto r = built.reasons.find(t);
            if (r != built.reasons.end())
                hit.reasons.push_back(r->second);
            else
                hit.reasons.push_back(MatchReason{t, "text", "word", t});
        }
        if (req.snippets) {
            // A term that is in the query only inside phrases is marked only where its
            // whole phrase is (BuiltQuery::phrases).
            std::vector<std::vector<std::string>> phrases = built.phrases;
            std::vector<std::string> marked;
            for (const auto& t : terms) {
                auto also = built.highlight_with.find(t);
                if (also != built.highlight_with.end())
                    phrases.insert(phrases.end(), also->second.begin(), also->second.end());
                if (!built.phrase_only.count(t)) marked.push_back(t);
            }
            Highlighter hl(marked, builder_.stemmer(), &word_cache, phrases);
            hit.snippet = hl.snippet(hit.fields.body, req.snippet_bytes);
            hit.title_marked = hl.highlight(hit.fields.title);
            if (req.full_text) {
                hit.fields.body += doc.get_value(schema::kBodyTailSlot);
                hit.text_marked = hl.highlight(hit.fields.body);
            }
        }
        if (!req.full_text) hit.fields.body.clear();
        if (req.collapse && !hit.story.empty()) list_copies(hit, *it);
        result.hits.push_back(std::move(hit));
    }
}

std::vector<std::vector<std::string>> Searcher::matching_terms(const Xapian::Enquire& enquire,
                                                               const Xapian::Query& query, const Xapian::MSet& mset) {
    std::vector<std::vector<std::string>> out(mset.size());
    if (db_.has_remote) {
        // A remote posting list travels whole; Xapian's per-document way is cheaper there.
        std::size_t i = 0;
        for (auto it = mset.begin(); it != mset.end(); ++it, ++i)
            out[i].assign(enquire.get_matching_terms_begin(it), enquire.get_matching_terms_end(it));
        return out;
    }
    // Enquire::get_matching_terms decodes each hit's whole term list, a visible part of
    // a search.  The same answer, in the same order (query order, each term once), from one
    // posting list per query term skipped through the page's documents in docid order.
    std::vector<std::pair<Xapian::docid, std::size_t>> docs;
    std::size_t i = 0;
    for (auto it = mset.begin(); it != mset.end(); ++it, ++i) docs.emplace_back(*it, i);
    std::sort(docs.begin(), docs.end());
    std::set<std::string> done;
    for (auto t = query.get_terms_begin(); t != query.get_terms_end(); ++t) {
        const std::string& term = *t;
        if (!done.insert(term).second) continue;
        Xapian::PostingIterator p = db_.db.postlist_begin(term), end = db_.db.postlist_end(term);
        for (const auto& [docid, index] : docs) {
            p.skip_to(docid);
            if (p == end) break;
            if (*p == docid) out[index].push_back(term);
        }
    }
    return out;
}

void Searcher::list_copies(Hit& hit, Xapian::docid self) {
    // The story's other documents, whether or not they match: exact whatever part of the
    // matches the page's pass looked at.  The sources are read from the source value slot
    // of the first kCopySourcesRead of them.
    constexpr Xapian::doccount kCopySourcesRead = 50;
    std::string term = schema::make_term(schema::kStoryPrefix, hit.story);
    Xapian::doccount in_story = db_.db.get_termfreq(term);
    hit.copies = in_story > 1 ? in_story - 1 : 0;
    if (hit.copies == 0) return;
    std::set<std::string> sources;
    Xapian::doccount read = 0;
    for (auto p = db_.db.postlist_begin(term); p != db_.db.postlist_end(term) && read < kCopySourcesRead; ++p) {
        if (*p == self) continue;
        ++read;
        std::string source = db_.db.get_document(*p).get_value(schema::kSourceSlot);
        if (!source.empty()) sources.insert(source);
        if (sources.size() >= 20) break;
    }
    hit.copy_sources.assign(sources.begin(), sources.end());
}

}  // namespace warsearch
