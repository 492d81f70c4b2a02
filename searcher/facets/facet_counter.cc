#include "searcher/facets/facet_counter.h"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/index/facet_slot.h"
#include "common/index/schema.h"
#include "searcher/facets/facet_threads.h"
#include "searcher/searcher_options.h"

namespace warsearch {
namespace {

// Facet tallies keyed by packed values (facet_values.h): open addressing with linear
// probing in a power-of-two table, since a page counts ~15 values for each of thousands
// of matches and a node-based map's allocations and divisions showed in the profile.
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

// Accepts the documents of a sorted list of docids: the page's pass kept to the matches
// the facet count already found (PositionsOnceCount).  A decider, not a filter in the
// query: a filter changes the percentages Xapian gives the hits.
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

// The values are read from the facet slot by Xapian's own spy: one pass over the
// combined database (remote shards included), before the page's pass.  It has a pass of
// its own (unweighted, uncollapsed, unsorted, no page, stopping at the bound) rather than
// counting in the page's pass, which would weigh, collapse and sort-key every match
// counted; over remote shards Xapian 1.4 also miscounts a spy's values when the page is
// shorter than the match set.
class IndexCount : public FacetCounter {
  public:
    IndexCount(const DatabaseParts& db, const Xapian::Query& query, const FacetCountRequest& request)
        : spy_(schema::kFacetSlot), collapse_(request.collapse) {
        cut_short_ = !run_facet_pass(db.db, query, spy_, request.bound, request.time_limit_seconds, db.has_remote);
    }
    CountedFacets finish() override {
        std::vector<std::pair<std::string, Xapian::doccount>> values;
        for (auto v = spy_.values_begin(); v != spy_.values_end(); ++v) values.emplace_back(*v, v.get_termfreq());
        return {tally_facet_slots(values, collapse_), static_cast<Xapian::doccount>(spy_.get_total()), cut_short_};
    }

  private:
    Xapian::ValueCountMatchSpy spy_;
    bool collapse_;
    bool cut_short_ = false;
};

// The values come from files or memory (CachedFacetSpy).  A spy sees each part's own
// docids, so each part has a pass of its own, in order, each up to what the bound leaves:
// the same matches as one pass over the combined database, which runs its parts in turn.
class SerialCount : public FacetCounter {
  public:
    SerialCount(const FacetValueCache& values, const DatabaseParts& db, const Xapian::Query& query,
                const FacetCountRequest& request)
        : db_(db), query_(query), request_(request), spy_(values, request.bound) {}
    CountedFacets finish() override { return {spy_.tally(request_.collapse), spy_.total(), cut_short_}; }

    /// The passes, on this thread.
    void count() {
        for (std::size_t p = 0; p < db_.parts.size() && spy_.total() < request_.bound; ++p) {
            spy_.set_part(p);
            if (!run_facet_pass(db_.parts[p], query_, spy_, request_.bound - spy_.total(), request_.time_limit_seconds))
                cut_short_ = true;
        }
    }

  protected:
    const DatabaseParts& db_;
    Xapian::Query query_;
    FacetCountRequest request_;
    CachedFacetSpy spy_;
    bool cut_short_ = false;
};

// Serial, counted first, keeping the matches' docids: the page's pass then runs
// @a page_query (the query without its required positions) kept to those documents.
// The page's pass is mostly weighing and collapsing the candidates, so the gain is
// small; one local database only (the docids are its own).
class PositionsOnceCount : public SerialCount {
  public:
    PositionsOnceCount(const FacetValueCache& values, const DatabaseParts& db, const Xapian::Query& query,
                       const FacetCountRequest& request, Xapian::Query page_query)
        : SerialCount(values, db, query, request) {
        spy_.keep_docids();
        count();
        std::vector<Xapian::docid> docids = spy_.docids();
        // A pass the time limit ended saw some of the matches only: the page must not be
        // kept to them.
        if (!cut_short_ && docids.size() < request.bound) {
            decider_.emplace(std::move(docids));
            page_ = PagePass{std::move(page_query), &*decider_};
        }
    }
    const PagePass* page_pass() const override { return decider_ ? &page_ : nullptr; }

  private:
    std::optional<DocidListDecider> decider_;
    PagePass page_;
};

// Counted on the facet threads beside the page's pass.  When their databases could not
// be brought to the searcher's revision, counted serially after the page instead.
class ThreadedCount : public FacetCounter {
  public:
    ThreadedCount(ConcurrentFacetCount& threads, const FacetValueCache& values, const DatabaseParts& db,
                  const Xapian::Query& query, const FacetCountRequest& request)
        : threads_(threads), values_(values), db_(db), query_(query), request_(request) {
        ConcurrentFacetCount::Request count;
        count.cache = &values;
        count.part_dirs = db.part_dirs;
        for (const auto& part : db.parts) {
            count.revisions.push_back(part.get_revision());
            count.lastdocids.push_back(part.get_lastdocid());
        }
        count.query = query.serialise();
        count.bound = request.bound;
        count.time_limit_seconds = request.time_limit_seconds;
        count.collapse = request.collapse;
        threads_.start(std::move(count));
    }
    ~ThreadedCount() override { threads_.wait(); }
    CountedFacets finish() override {
        CountedFacets out;
        if (threads_.finish(out.tally, out.matches, out.cut_short)) return out;
        SerialCount here(values_, db_, query_, request_);
        here.count();
        return here.finish();
    }

  private:
    ConcurrentFacetCount& threads_;
    const FacetValueCache& values_;
    const DatabaseParts& db_;
    Xapian::Query query_;
    FacetCountRequest request_;
};

}  // namespace

FacetCounting::FacetCounting(const SearcherOptions& options)
    : memory_limit_(options.facet_cache_bytes),
      use_files_(options.use_facet_files),
      single_search_process_(options.single_search_process),
      threads_when_(options.facet_threads) {}

FacetCounting::~FacetCounting() = default;

std::unique_ptr<FacetValueCache> FacetCounting::new_cache() const {
    auto cache = std::make_unique<FacetValueCache>();
    cache->set_reads_per_fault(single_search_process_ ? FacetValueCache::kReadsPerFault : 0);
    return cache;
}

bool FacetCounting::values_ready(const DatabaseParts& db) {
    if ((memory_limit_ == 0 && !use_files_) || db.has_remote) return false;
    if (!cache_) cache_ = new_cache();
    bool loaded = cache_->loaded();
    bool all_mapped = loaded && cache_->mapped_parts() == db.parts.size();
    if (all_mapped || (loaded && !use_files_) || (refused_ && !use_files_)) return loaded;
    // The first look at this revision may read the values into memory.  After it, some
    // part had no current file (the indexer writes it just after its commit, so a
    // long-running process that reopened in between saw a stale one): look again at
    // most once a second (an open and a header read per part), for files only.
    auto now = std::chrono::steady_clock::now();
    bool first = !loaded && !refused_;
    if (!first && now - files_checked_ < std::chrono::seconds(1)) return loaded;
    files_checked_ = now;
    static const std::vector<std::string> no_files;
    auto fresh = new_cache();
    bool opened =
        fresh->open(db.parts, use_files_ ? db.part_dirs : no_files, schema::kFacetSlot, first ? memory_limit_ : 0);
    for (const std::string& d : fresh->damaged_files())
        if (warned_.insert(d).second) warnings_.push_back(d);
    if (opened) {
        cache_ = std::move(fresh);
        refused_ = false;
    } else if (!loaded) {
        refused_ = true;
    }
    return cache_->loaded();
}

std::vector<std::string> FacetCounting::take_warnings() { return std::exchange(warnings_, {}); }

const FacetValueFile* FacetCounting::id_order_file(const DatabaseParts& db) const {
    const FacetValueCache* values = this->values();
    return values && db.parts.size() == 1 && !db.has_remote ? values->file(0) : nullptr;
}

const FacetValueCache* FacetCounting::values() const { return cache_ && cache_->loaded() ? cache_.get() : nullptr; }

bool FacetCounting::use_threads(const Xapian::Database& db, const Xapian::Query& query) const {
    switch (threads_when_) {
        case FacetThreads::off:
            return false;
        case FacetThreads::always:
            return true;
        case FacetThreads::heavy:
            return heavy_facet_count(db, query) && a_core_is_idle();
        case FacetThreads::large:
            return large_facet_count(db, query) && a_core_is_idle();
    }
    return false;
}

std::unique_ptr<FacetCounter> FacetCounting::start(const DatabaseParts& db, const Xapian::Query& query,
                                                   const FacetCountRequest& request) {
    const FacetValueCache* values = this->values();
    if (!values) return std::make_unique<IndexCount>(db, query, request);
    if (use_threads(db.db, query)) {
        if (!threads_) threads_ = std::make_unique<ConcurrentFacetCount>();
        return std::make_unique<ThreadedCount>(*threads_, *values, db, query, request);
    }
    if (db.parts.size() == 1 && !db.has_remote) {
        bool has_required_positions = false;
        Xapian::Query page_query = without_required_positions(query, has_required_positions);
        // Not with the facet threads: the page's pass would then wait for the count
        // instead of running beside it.
        if (has_required_positions && matches_at_most(db.db, query) < request.bound)
            return std::make_unique<PositionsOnceCount>(*values, db, query, request, std::move(page_query));
    }
    auto serial = std::make_unique<SerialCount>(*values, db, query, request);
    serial->count();
    return serial;
}

void FacetCounting::wait() {
    if (threads_) threads_->wait();
}

void FacetCounting::clear() {
    if (cache_) cache_->clear();
    refused_ = false;
}

std::size_t FacetCounting::bytes() const { return cache_ ? cache_->bytes() : 0; }

std::size_t FacetCounting::files_mapped() const { return cache_ ? cache_->mapped_parts() : 0; }

}  // namespace warsearch
