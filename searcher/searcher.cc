#include "searcher/searcher.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "common/index/facet_slot.h"
#include "common/index/schema.h"
#include "common/index/stored_fields.h"
#include "common/text/text.h"
#include "searcher/facets/facet_threads.h"
#include "searcher/facets/facet_value_cache.h"
#include "searcher/highlighter.h"
#include "searcher/suggestion.h"

namespace warsearch {
namespace {

// Suggestions are looked for when a query has fewer matches than this.
constexpr Xapian::doccount kSuggestBelow = 5;

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

// "YYYY" of a packed year (kFacetYear, facet_value_cache.h).
std::string year_key(std::uint64_t packed_year) {
    std::string key;
    for (int shift = 40; shift >= 16; shift -= 8) key += static_cast<char>((packed_year >> shift) & 0xff);
    return key;
}

const char* dimension_name(const std::string& dim) {
    if (dim == kFacetFaction) return "faction";
    if (dim == kFacetSource) return "source";
    if (dim == kFacetMonth) return "month";
    if (dim == kFacetYear) return "year";
    return nullptr;
}

// Facet tallies keyed by packed values (facet_values.h): open addressing with linear
// probing in a power-of-two table, since a page counts ~15 values for each of up to
// 5,000 matches and a node-based map's allocations and divisions showed in the profile.
// A packed value is never 0 (its top byte is a dimension code), so 0 marks a free slot.
class FacetTallies {
  public:
    struct Tally {
        std::uint64_t packed = 0;
        Xapian::doccount count = 0;
        std::size_t last_story = static_cast<std::size_t>(-1);
    };
    FacetTallies() : slots_(1024) {}
    Tally& operator[](std::uint64_t packed) {
        if (2 * (used_ + 1) > slots_.size()) grow();
        std::size_t mask = slots_.size() - 1;
        for (std::size_t i = mix(packed) & mask;; i = (i + 1) & mask) {
            Tally& t = slots_[i];
            if (t.packed == packed) return t;
            if (t.packed == 0) {
                t.packed = packed;
                ++used_;
                return t;
            }
        }
    }
    template <class Fn>
    void for_each(Fn fn) const {
        for (const auto& t : slots_)
            if (t.packed) fn(t);
    }

  private:
    static std::size_t mix(std::uint64_t v) {  // splitmix64's finaliser
        v ^= v >> 30;
        v *= 0xbf58476d1ce4e5b9ULL;
        v ^= v >> 27;
        v *= 0x94d049bb133111ebULL;
        return static_cast<std::size_t>(v ^ (v >> 31));
    }
    void grow() {
        std::vector<Tally> old(slots_.size() * 2);
        old.swap(slots_);
        used_ = 0;
        for (const auto& t : old)
            if (t.packed) (*this)[t.packed] = t;
    }
    std::vector<Tally> slots_;
    std::size_t used_ = 0;
};

FacetTally tally_facet_slots(const std::vector<std::pair<std::string, Xapian::doccount>>& values, bool collapse) {
    // Each spy value is one (story, facet set) pair; a story counts once per facet value
    // however many of its copies matched.  Without collapsing, documents are counted.
    // The spy hands its values out sorted, and every value starts with its story, so all
    // pairs of one story are adjacent: a facet value counts a story when that story is
    // not the last one it counted.  Values are tallied by their packed 7-byte code+key
    // (facet_values.h).  (CachedFacetSpy::tally counts the same from the facet value
    // file's records.)
    FacetTally out;
    FacetTallies tallies;
    std::size_t story_index = 0;
    std::string previous_story;
    std::string_view story;
    std::vector<FacetItem> items;
    bool first = true;
    for (const auto& value_and_freq : values) {
        // Not a structured binding: Debian's clang 14 (scripts/fuzz) cannot capture one.
        const std::string& value = value_and_freq.first;
        const Xapian::doccount freq = value_and_freq.second;
        if (!decode_facet_slot(value, story, items)) {  // schema 1 text, or not ours
            out.undecodable += freq;
            continue;
        }
        // Documents without a story are never collapsed: each is its own.
        bool own = story.empty();
        if (own) {
            story_index += 1;
            out.stories += freq;
        } else if (first || story != previous_story) {
            story_index += 1;
            out.stories += 1;
            previous_story.assign(story);
        }
        first = false;
        auto tally = [&](std::uint64_t packed) {
            FacetTallies::Tally& t = tallies[packed];
            if (!collapse || own)
                t.count += freq;
            else if (t.last_story != story_index) {
                t.count += 1;
                t.last_story = story_index;
            }
        };
        for (const FacetItem& item : items) {
            std::uint64_t packed = item.packed();
            tally(packed);
            // Years from months, counted the same way (a story once per year, not once
            // per month of the year): a histogram of a long span is by year.
            if (item.code == kFacetMonth[0]) tally(facet_year_of_month(packed));
        }
    }
    tallies.for_each([&out](const FacetTallies::Tally& t) { out.counts.emplace_back(t.packed, t.count); });
    return out;
}

// Sorts ties of relevance by document id as set_sort_by_relevance_then_value(kIdSlot)
// does, from the id order in the facet value file (a 4-byte big-endian place: the same
// order as the ids themselves) instead of reading each candidate's id value (one
// value-chunk block per candidate: ~0.1 ms of a 0.7 ms search on the 100k benchmark
// corpus).  Only for one local database: the places of two databases do not compare.
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

// Accepts the documents of a sorted list of docids: the page's pass kept to the matches
// the facet count already found (see positions_once in Searcher::run).  A decider, not a
// filter in the query: a filter changes the percentages Xapian gives the hits.
class DocidListDecider : public Xapian::MatchDecider {
  public:
    explicit DocidListDecider(std::vector<Xapian::docid> docids) : docids_(std::move(docids)) {
        std::sort(docids_.begin(), docids_.end());
    }
    bool operator()(const Xapian::Document& doc) const override {
        return std::binary_search(docids_.begin(), docids_.end(), doc.get_docid());
    }

  private:
    std::vector<Xapian::docid> docids_;
};

// @a query with the phrases and NEARs that every match must satisfy (those on its
// conjunctive spine: the query itself, AND, FILTER, and the left of AND_NOT and AND_MAYBE)
// made plain ANDs of their words; @a changed is set when there was one.  On the documents
// that match @a query it weighs each exactly as @a query does: Xapian weighs a phrase as
// the AND of its words, the positions only decide whether it matches.
Xapian::Query without_required_positions(const Xapian::Query& query, bool& changed) {
    using Q = Xapian::Query;
    Q::op type = query.get_type();
    std::size_t n = query.get_num_subqueries();
    std::vector<Q> subs;
    for (std::size_t i = 0; i < n; ++i) subs.push_back(query.get_subquery(i));
    switch (type) {
        case Q::OP_PHRASE:
        case Q::OP_NEAR:
            changed = true;
            return Q(Q::OP_AND, subs.begin(), subs.end());
        case Q::OP_AND:
        case Q::OP_FILTER:
            for (auto& sub : subs) sub = without_required_positions(sub, changed);
            return Q(type, subs.begin(), subs.end());
        case Q::OP_AND_NOT:
        case Q::OP_AND_MAYBE:
            if (n == 0) return query;
            subs[0] = without_required_positions(subs[0], changed);
            return Q(type, subs.begin(), subs.end());
        default:
            return query;
    }
}

// What the facet threads need to count @a query's facets for @a req on @a parts.
ConcurrentFacetCount::Request facet_count_request(const FacetValueCache& cache,
                                                  const std::vector<std::string>& part_dirs,
                                                  std::vector<Xapian::Database>& parts, const Xapian::Query& query,
                                                  const SearchRequest& req) {
    ConcurrentFacetCount::Request count;
    count.cache = &cache;
    count.part_dirs = part_dirs;
    for (auto& part : parts) {
        count.revisions.push_back(part.get_revision());
        count.lastdocids.push_back(part.get_lastdocid());
    }
    count.query = query.serialise();
    count.bound = req.facet_bound;
    count.time_limit_seconds = req.limits.time_limit_seconds;
    count.collapse = req.collapse;
    return count;
}

}  // namespace

Xapian::Database open_database(const std::string& path, const OpenOptions& options, std::vector<std::string>* missing,
                               std::vector<Xapian::Database>* parts, bool* has_remote,
                               std::vector<std::string>* part_dirs) {
    namespace fs = std::filesystem;
    std::error_code ec;
    std::string stub;
    if (fs::is_regular_file(path, ec))
        stub = path;
    else if (fs::is_regular_file(path + "/XAPIANDB", ec))
        stub = path + "/XAPIANDB";
    if (stub.empty()) {
        // The nightly job's compaction swaps a new copy in (an atomic exchange of two
        // directories); an open that straddles it can find tables of both and fail once.
        // A missing database is reported at once; anything else is tried three times.
        for (int attempt = 0;; ++attempt) {
            try {
                Xapian::Database single(path);
                if (parts) parts->push_back(single);
                if (part_dirs) part_dirs->push_back(path);
                return single;
            } catch (const Xapian::DatabaseNotFoundError&) {
                throw;
            } catch (const Xapian::DatabaseError&) {
                if (attempt >= 2) throw;
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
        }
    }

    // Our own reading of the stub, so one shard that is down can be left out.
    std::ifstream in(stub);
    fs::path base = fs::path(stub).parent_path();
    Xapian::Database db;
    std::string line;
    unsigned opened = 0, listed = 0;
    std::string first_error;
    while (std::getline(in, line)) {
        std::istringstream words(line);
        std::string kind, where;
        if (!(words >> kind >> where) || kind[0] == '#') continue;
        ++listed;
        try {
            if (kind == "remote") {
                if (has_remote) *has_remote = true;
                std::size_t colon = where.rfind(':');
                if (colon == std::string::npos || where[0] == ':')
                    throw Xapian::DatabaseOpeningError("only remote HOST:PORT shards are supported: " + where);
                std::string host = where.substr(0, colon);
                unsigned port = static_cast<unsigned>(std::stoul(where.substr(colon + 1)));
                Xapian::Database shard =
                    Xapian::Remote::open(host, port, options.remote_timeout_ms, options.remote_timeout_ms);
                db.add_database(shard);
                if (parts) parts->push_back(shard);
                if (part_dirs) part_dirs->push_back({});
            } else {
                fs::path p(where);
                if (p.is_relative()) p = base / p;
                Xapian::Database shard(p.string());
                db.add_database(shard);
                if (parts) parts->push_back(shard);
                if (part_dirs) part_dirs->push_back(p.string());
            }
            ++opened;
        } catch (const Xapian::Error& e) {
            std::string why = kind + " " + where + ": " + e.get_msg();
            if (!options.allow_partial) throw Xapian::DatabaseOpeningError("shard " + why);
            if (missing) missing->push_back(kind + " " + where);
            if (first_error.empty()) first_error = why;
        } catch (const std::exception& e) {
            throw Xapian::DatabaseOpeningError("bad stub line '" + line + "' in " + stub);
        }
    }
    if (listed == 0) throw Xapian::DatabaseOpeningError(stub + " lists no databases");
    if (opened == 0) throw Xapian::DatabaseOpeningError("no shard could be opened (" + first_error + ")");
    return db;
}

Searcher::Searcher(const std::string& db_path, const std::string& stem_language, const OpenOptions& open)
    : path_(db_path),
      db_(open_database(db_path, open, &missing_, &parts_, &has_remote_, &part_dirs_)),
      builder_(db_, stem_language),
      resolver_(db_),
      spelling_(db_),
      facet_threads_(FacetThreads::heavy) {}

Searcher::~Searcher() = default;

bool Searcher::use_facet_threads(const Xapian::Query& query) const {
    switch (facet_threads_) {
        case FacetThreads::off:
            return false;
        case FacetThreads::always:
            return true;
        case FacetThreads::heavy:
            return heavy_facet_count(db_, query) && a_core_is_idle();
        case FacetThreads::large:
            return large_facet_count(db_, query) && a_core_is_idle();
    }
    return false;
}

std::size_t Searcher::facet_cache_bytes() const { return facet_cache_ ? facet_cache_->bytes() : 0; }

std::size_t Searcher::facet_files_mapped() const { return facet_cache_ ? facet_cache_->mapped_parts() : 0; }

bool Searcher::facet_values_ready() {
    if ((facet_cache_limit_ == 0 && !use_facet_files_) || has_remote_) return false;
    auto new_cache = [this] {
        auto cache = std::make_unique<FacetValueCache>();
        cache->set_reads_per_fault(single_search_process_ ? FacetValueCache::kReadsPerFault : 0);
        return cache;
    };
    if (!facet_cache_) facet_cache_ = new_cache();
    bool loaded = facet_cache_->loaded();
    bool all_mapped = loaded && facet_cache_->mapped_parts() == parts_.size();
    if (all_mapped || (loaded && !use_facet_files_) || (facet_cache_refused_ && !use_facet_files_)) return loaded;
    // The first look at this revision may read the values into memory.  After it, some
    // part had no current file (the indexer writes it just after its commit, so a
    // long-running process that reopened in between saw a stale one): look again at
    // most once a second (an open and a header read per part), for files only.
    auto now = std::chrono::steady_clock::now();
    bool first = !loaded && !facet_cache_refused_;
    if (!first && now - facet_files_checked_ < std::chrono::seconds(1)) return loaded;
    facet_files_checked_ = now;
    static const std::vector<std::string> no_files;
    auto fresh = new_cache();
    if (fresh->open(parts_, use_facet_files_ ? part_dirs_ : no_files, schema::kFacetSlot,
                    first ? facet_cache_limit_ : 0)) {
        facet_cache_ = std::move(fresh);
        facet_cache_refused_ = false;
    } else if (!loaded) {
        facet_cache_refused_ = true;
    }
    return facet_cache_->loaded();
}

std::uint64_t Searcher::revision() {
    // A sharded index's revision is the sum of its shards': it grows whenever any does.
    // Our own counter (metadata, so remote shards can report it too); Xapian's revision
    // for a database warsearch did not write.
    std::uint64_t total = 0;
    for (auto& part : parts_) {
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
    // stay (a FastCGI process reopens before every request: clearing them each time cost
    // ~80 metadata look-ups per faceted page).
    if (facet_count_) facet_count_->wait();  // it reads the facet values dropped below
    bool changed = db_.reopen();
    for (auto& part : parts_) changed = part.reopen() || changed;
    if (!changed) return false;
    if (facet_cache_) facet_cache_->clear();
    facet_cache_refused_ = false;
    label_cache_.clear();
    facet_key_cache_.clear();
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
    for (auto t = db_.allterms_begin(prefix); t != db_.allterms_end(prefix); ++t)
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
    if (req.recency_half_life_days < 0) throw QueryError("the recency half-life must be positive");

    // The facet values (and the id order) from files or memory: for facets, and for the
    // relevance order's tie-break.
    bool values_ready = (req.facets || req.sort == SortOrder::relevance) && facet_values_ready();
    const FacetValueFile* id_order_file =
        values_ready && parts_.size() == 1 && !has_remote_ ? facet_cache_->file(0) : nullptr;
    std::optional<IdOrderKeyMaker> id_order;  // outlives the Enquire using it
    if (id_order_file) id_order.emplace(*id_order_file);
    Xapian::Enquire enquire(db_);
    BuiltQuery built;
    if (!req.like_id.empty()) {
        // More like this: the document's most significant words become an OR query.
        Xapian::PostingIterator p = db_.postlist_begin(id_term(req.like_id));
        if (p == db_.postlist_end(id_term(req.like_id)))
            throw QueryError("no document with id '" + req.like_id + "' to find reports like");
        Xapian::docid source_doc = *p;
        Xapian::RSet rset;
        rset.add_document(source_doc);
        LikeTermDecider decider;
        Xapian::ESet eset = enquire.get_eset(25, rset, &decider);
        std::vector<Xapian::Query> terms;
        for (auto e = eset.begin(); e != eset.end(); ++e) {
            terms.emplace_back(*e);
            built.reasons[*e] = MatchReason{*e, "text", "like", req.like_id};
        }
        Xapian::Query like(Xapian::Query::OP_OR, terms.begin(), terms.end());
        like = Xapian::Query(Xapian::Query::OP_AND_NOT, like, Xapian::Query(id_term(req.like_id)));
        if (!req.query.empty() || !req.filters.empty()) {
            BuiltQuery extra = builder_.build(req.query, req.filters, req.default_op, req.limits);
            like = Xapian::Query(Xapian::Query::OP_FILTER, like, extra.query);
            built.reasons.insert(extra.reasons.begin(), extra.reasons.end());
        }
        built.query = like;
    } else {
        built = builder_.build(req.query, req.filters, req.default_op, req.limits);
    }
    Xapian::Query query = built.query;
    if (req.recency_half_life_days > 0 && req.sort == SortOrder::relevance) {
        Xapian::Query boost = recency_boost(req.recency_half_life_days, req.recency_weight);
        if (!boost.empty()) query = Xapian::Query(Xapian::Query::OP_AND_MAYBE, query, boost);
    }
    result.parsed = built.query.get_description();

    enquire.set_query(query);
    // Ties are broken by document id, not by docid, so one database and any number of
    // shards order equal scores (and pick the same copy of a story) identically.  Plain
    // value sorts, because the remote backend supports no KeyMaker.
    switch (req.sort) {
        case SortOrder::relevance:
            if (id_order)
                enquire.set_sort_by_relevance_then_key(&*id_order, false);
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
    result.collapsed = req.collapse;
    // No time limit on the page's pass: Xapian 1.4 applies one only to a pass asked to
    // look past its page (check_at_least), which this one never is, and arming it cost
    // every CGI request a thread (glibc's timer thread) for nothing.  The facet passes
    // are limited (run_facet_pass).
    Xapian::ValueCountMatchSpy spy(schema::kFacetSlot);
    bool cached_facets = req.facets && values_ready;
    std::optional<CachedFacetSpy> cached_spy;
    if (cached_facets) cached_spy.emplace(*facet_cache_, req.facet_bound);
    // Facets get a pass of their own: unweighted (BoolWeight), uncollapsed, unsorted, no
    // page, stopping after facet_bound matches.  Counting them in the page's own pass made
    // the matcher weigh, collapse and sort-key every one of those matches: on the 100k
    // benchmark corpus the two passes take half the time of one (mean 4.1 -> 1.9 ms, p95
    // 13.5 -> 4.7 ms).  Remote shards need it too: over them Xapian 1.4 miscounts a spy's
    // values when the page is shorter than the match set (run_facet_pass).
    //
    // With the values in files or memory: a pass per part, in order, each up to what the
    // bound leaves (the same matches as one pass over the combined database, which runs
    // its parts in turn: see CachedFacetSpy).
    bool facets_cut_short = false;  ///< a facet pass may have been ended by the time limit
    auto cached_facet_passes = [&] {
        for (std::size_t p = 0; p < parts_.size() && cached_spy->total() < req.facet_bound; ++p) {
            cached_spy->set_part(p);
            if (!run_facet_pass(parts_[p], query, *cached_spy, req.facet_bound - cached_spy->total(),
                                req.limits.time_limit_seconds))
                facets_cut_short = true;
        }
    };
    // The concurrent facet count (set_concurrent_facets, facet_threads.h); waited for
    // before anything leaves this function, so it never outlives the values it reads.
    struct Waiter {
        ConcurrentFacetCount* count;  ///< the count running, or null
        ~Waiter() {
            if (count) count->wait();
        }
    } counting{nullptr};
    // Positions checked once: when all the matches of a query with a required phrase will
    // fit in the facet bound and the facets are counted on this thread, they are counted
    // first, keeping the matches' docids, and the page's pass then runs on the same words
    // ANDed, kept to those documents: the same matches, weighed the same, without checking
    // positions a second time.  A small gain: the page's pass is mostly weighing and
    // collapsing the candidates ("farabundo marti national liberation front", ~4,100
    // candidates, threads off: 5.48 -> 5.28 ms, the 14 heaviest phrase queries 32.6 -> 31.7
    // ms, medians of alternating runs).  Not with the facet threads: the page's pass would
    // then wait for the count instead of running beside it (4.25 -> 5.15 ms).  One local
    // database only: the docids are its own.
    FacetTally counted;
    Xapian::doccount counted_matches = 0;
    bool tallied = false, counted_first = false;
    bool facet_threads = req.facets && cached_facets && use_facet_threads(query);
    bool positions_once = false;
    std::optional<DocidListDecider> page_matches;  ///< with positions_once: the page's pass keeps to these
    Xapian::Query page_query = req.facets && cached_facets && !facet_threads && parts_.size() == 1 && !has_remote_
                                   ? without_required_positions(query, positions_once)
                                   : query;
    positions_once = positions_once && matches_at_most(db_, query) < req.facet_bound;
    if (req.facets && !cached_facets) {
        facets_cut_short =
            !run_facet_pass(db_, query, spy, req.facet_bound, req.limits.time_limit_seconds, has_remote_);
    } else if (positions_once) {
        cached_spy->keep_docids();
        cached_facet_passes();
        std::vector<Xapian::docid> docids = cached_spy->docids();
        counted_first = true;
        // A pass the time limit ended saw some of the matches only: the page must not be
        // kept to them.
        if (!facets_cut_short && docids.size() < req.facet_bound) {
            enquire.set_query(page_query);
            page_matches.emplace(std::move(docids));
        }
    } else if (facet_threads) {
        if (!facet_count_) facet_count_ = std::make_unique<ConcurrentFacetCount>();
        facet_count_->start(facet_count_request(*facet_cache_, part_dirs_, parts_, query, req));
        counting.count = facet_count_.get();
    } else if (req.facets) {
        cached_facet_passes();
    }
    Xapian::MSet mset = enquire.get_mset(req.offset, req.limit, 0, nullptr, page_matches ? &*page_matches : nullptr);
    result.estimate = mset.get_matches_estimated();
    result.lower_bound = mset.get_matches_lower_bound();
    result.upper_bound = mset.get_matches_upper_bound();
    result.offset = req.offset;
    result.limit = req.limit;
    result.index_uuid = db_.get_uuid();
    result.index_revision = revision();
    result.index_documents = db_.get_doccount();
    if (!missing_.empty()) {
        result.partial = true;
        result.missing_shards = missing_;
        std::string list;
        for (const auto& m : missing_) list += (list.empty() ? "" : ", ") + m;
        result.warnings.push_back("results are partial: shards not answering: " + list);
    }
    if (req.at_revision && req.at_revision != result.index_revision)
        result.warnings.push_back("the index has changed since revision " + std::to_string(req.at_revision) + " (now " +
                                  std::to_string(result.index_revision) +
                                  "): results may differ from the pinned search");

    // "Did you mean" is for queries that found little: a misspelled word in an AND query
    // finds nothing, and looking up every word of a successful query costs time.
    if (req.like_id.empty() && !req.query.empty() && result.lower_bound < kSuggestBelow)
        result.suggestion = suggest_query(db_, resolver_, builder_.stemmer(), req.query, &spelling_);

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
        }
        hit.fields.body.clear();
        if (req.collapse && !hit.story.empty()) {
            hit.copies = it.get_collapse_count();
            if (hit.copies > 0) list_copies(hit, *it);
        }
        result.hits.push_back(std::move(hit));
    }

    if (!counted_first) {
        bool threads_cut_short = false;
        tallied = counting.count && counting.count->finish(counted, counted_matches, threads_cut_short);
        if (tallied && threads_cut_short) facets_cut_short = true;
        if (counting.count && !tallied) cached_facet_passes();  // its databases were behind ours
    }
    if (req.facets && cached_facets && tallied) {
        report_facets(counted, counted_matches, req, result, facets_cut_short);
    } else if (req.facets && cached_facets) {
        report_facets(cached_spy->tally(req.collapse), cached_spy->total(), req, result, facets_cut_short);
    } else if (req.facets) {
        std::vector<std::pair<std::string, Xapian::doccount>> values;
        for (auto v = spy.values_begin(); v != spy.values_end(); ++v) values.emplace_back(*v, v.get_termfreq());
        report_facets(tally_facet_slots(values, req.collapse), spy.get_total(), req, result, facets_cut_short);
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

std::vector<std::vector<std::string>> Searcher::matching_terms(const Xapian::Enquire& enquire,
                                                               const Xapian::Query& query, const Xapian::MSet& mset) {
    std::vector<std::vector<std::string>> out(mset.size());
    if (has_remote_) {
        // A remote posting list travels whole; Xapian's per-document way is cheaper there.
        std::size_t i = 0;
        for (auto it = mset.begin(); it != mset.end(); ++it, ++i)
            out[i].assign(enquire.get_matching_terms_begin(it), enquire.get_matching_terms_end(it));
        return out;
    }
    // Enquire::get_matching_terms decodes each hit's whole term list (callgrind: 9% of a
    // search).  The same answer, in the same order (query order, each term once), from one
    // posting list per query term skipped through the page's documents in docid order.
    std::vector<std::pair<Xapian::docid, std::size_t>> docs;
    std::size_t i = 0;
    for (auto it = mset.begin(); it != mset.end(); ++it, ++i) docs.emplace_back(*it, i);
    std::sort(docs.begin(), docs.end());
    std::set<std::string> done;
    for (auto t = query.get_terms_begin(); t != query.get_terms_end(); ++t) {
        const std::string& term = *t;
        if (!done.insert(term).second) continue;
        Xapian::PostingIterator p = db_.postlist_begin(term), end = db_.postlist_end(term);
        for (const auto& [docid, index] : docs) {
            p.skip_to(docid);
            if (p == end) break;
            if (*p == docid) out[index].push_back(term);
        }
    }
    return out;
}

void Searcher::list_copies(Hit& hit, Xapian::docid self) {
    // The copies of a story are few; their sources come from the source value slot.
    std::string term = schema::make_term(schema::kStoryPrefix, hit.story);
    std::set<std::string> sources;
    Xapian::doccount total = 0;
    for (auto p = db_.postlist_begin(term); p != db_.postlist_end(term); ++p) {
        if (*p == self) continue;
        ++total;
        if (sources.size() < 20) {
            std::string source = db_.get_document(*p).get_value(schema::kSourceSlot);
            if (!source.empty()) sources.insert(source);
        }
    }
    hit.copy_sources.assign(sources.begin(), sources.end());
    // The collapse count can be an estimate; the posting list is exact.
    if (total > hit.copies) hit.copies = total;
}

void Searcher::report_facets(const FacetTally& tally, Xapian::doccount total, const SearchRequest& req,
                             SearchResult& result, bool cut_short) {
    // Only the keys shown are named, from the facet value files or the database's metadata.
    if (tally.undecodable)
        result.warnings.push_back(std::to_string(tally.undecodable) +
                                  " matching documents were indexed by an older warsearch (schema 1) and are left out "
                                  "of the facet counts: index their files again with warsearch-index");
    result.facet_documents = total;
    // The matcher stops early once it has seen facet_bound documents, or when the time
    // limit ends the pass (cut_short).
    result.facets_exact = total < req.facet_bound && !cut_short;
    if (result.facets_exact) {
        // The spy saw every match, so the count is known exactly: stories when collapsing.
        Xapian::doccount exact = req.collapse ? tally.stories : total;
        result.estimate = result.lower_bound = result.upper_bound = exact;
    }

    // Dimensions in the order of their internal names ("f", "l.admin1", ..., "m", "s").
    struct Counted {
        std::uint64_t packed;
        Xapian::doccount count;
    };
    std::map<std::string_view, std::vector<Counted>> by_dimension;
    for (const auto& [packed, count] : tally.counts) {
        char code = static_cast<char>(packed >> 48);
        std::string_view dim = code == kFacetYear[0] ? kFacetYear : facet_dimension(code);
        if (!dim.empty()) by_dimension[dim].push_back({packed, count});
    }
    for (auto& [dim, counted] : by_dimension) {
        Facet facet;
        const char* name = dimension_name(std::string(dim));
        if (name)
            facet.dimension = name;
        else if (dim.substr(0, kFacetPlacePrefix.size()) == kFacetPlacePrefix)
            facet.dimension = "location." + std::string(dim.substr(kFacetPlacePrefix.size()));
        else
            continue;
        if (dim == kFacetMonth || dim == kFacetYear) {
            // Every month (year), in order: the key is the month (year) itself.
            for (const auto& c : counted) {
                std::string key = dim == kFacetYear ? year_key(c.packed) : facet_month_key(c.packed);
                facet.values.push_back(FacetCount{std::move(key), "", c.count});
            }
            std::sort(facet.values.begin(), facet.values.end(),
                      [](const FacetCount& a, const FacetCount& b) { return a.key < b.key; });
        } else {
            // The top values by count, ties by key: name only the values that can make it,
            // those counted at least as often as the facet_top-th.
            std::sort(counted.begin(), counted.end(),
                      [](const Counted& a, const Counted& b) { return a.count > b.count; });
            if (req.facet_top == 0) counted.clear();
            Xapian::doccount cutoff = counted.size() > req.facet_top ? counted[req.facet_top - 1].count : 0;
            for (const auto& c : counted) {
                if (c.count < cutoff) break;
                std::string key = facet_key(c.packed);
                if (!key.empty()) facet.values.push_back(FacetCount{std::move(key), "", c.count});
            }
            auto order = [](const FacetCount& a, const FacetCount& b) {
                return a.count != b.count ? a.count > b.count : a.key < b.key;
            };
            std::sort(facet.values.begin(), facet.values.end(), order);
            if (facet.values.size() > req.facet_top) facet.values.resize(req.facet_top);
        }
        for (auto& fc : facet.values) fc.label = facet_label(facet.dimension, fc.key);
        result.facets.push_back(std::move(facet));
    }
}

std::string Searcher::facet_key(std::uint64_t packed) {
    // Cached until the database is reopened; looked up in each shard in turn, so shards
    // written by separate runs still name their own keys.
    auto cached = facet_key_cache_.find(packed);
    if (cached != facet_key_cache_.end()) return cached->second;
    // The facet value files name the keys and their labels (~70 metadata reads a page).
    std::string_view file_key, file_label;
    if (facet_cache_ && facet_cache_->loaded() && facet_cache_->name(packed, file_key, file_label)) {
        std::string key(file_key);
        if (facet_code_is_entity(static_cast<char>(packed >> 48)))
            label_cache_.emplace(key, std::string(file_label));  // what facet_label() would read
        facet_key_cache_.emplace(packed, key);
        return key;
    }
    std::string meta = facet_name_metadata_key(packed);
    std::string key;
    for (auto& part : parts_) {
        key = part.get_metadata(meta);
        if (!key.empty()) break;
    }
    facet_key_cache_.emplace(packed, key);
    return key;
}

std::string Searcher::facet_label(const std::string& dimension, const std::string& key) {
    if (dimension == "faction" || dimension.rfind("location.", 0) == 0) {
        // Entity names come from the catalog the indexer stored in the database; they are
        // cached until the database is reopened (a reindex may bring a new catalog).
        auto cached = label_cache_.find(key);
        if (cached != label_cache_.end()) return cached->second;
        std::string label = resolver_.name(key);
        if (label.empty()) label = key;
        label_cache_.emplace(key, label);
        return label;
    }
    return key;
}

}  // namespace warsearch
