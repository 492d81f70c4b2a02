#include "searcher/facets/facet_threads.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <utility>
#include <vector>

namespace warsearch {
namespace {

// Matches the documents whose docids lie in [first, last]: a filter that cuts one
// database's facet pass in two.  Once *stop is set it ends at once, and so does the match
// it filters (the first half found the bound alone: this half's count is not needed).
class DocidRangeSource : public Xapian::PostingSource {
  public:
    DocidRangeSource(Xapian::docid first, Xapian::docid last, const std::atomic<bool>* stop)
        : first_(first), last_(last), stop_(stop) {}
    void init(const Xapian::Database& db) override {
        end_ = std::min(last_, db.get_lastdocid());
        current_ = 0;
        stopped_ = false;
    }
    Xapian::doccount get_termfreq_min() const override { return 0; }
    Xapian::doccount get_termfreq_est() const override { return end_ >= first_ ? end_ - first_ + 1 : 0; }
    Xapian::doccount get_termfreq_max() const override { return get_termfreq_est(); }
    void next(double) override {
        current_ = current_ == 0 ? first_ : current_ + 1;
        check_stop();
    }
    void skip_to(Xapian::docid did, double) override {
        if (current_ == 0) current_ = first_;
        if (did > current_) current_ = did;
        check_stop();
    }
    bool at_end() const override { return stopped_ || current_ > end_; }
    Xapian::docid get_docid() const override { return current_; }
    Xapian::PostingSource* clone() const override { return new DocidRangeSource(first_, last_, stop_); }

  private:
    void check_stop() {
        if (stop_ && stop_->load(std::memory_order_relaxed)) stopped_ = true;
    }
    Xapian::docid first_, last_, end_ = 0, current_ = 0;
    const std::atomic<bool>* stop_;
    bool stopped_ = false;
};

// Below this many documents one database is counted on one thread.
constexpr Xapian::docid kSplitFrom = 2000;

// A positional subquery (phrase, NEAR) with at least this many candidates makes a heavy
// count (heavy_facet_count): checking their positions costs several times the threads'
// own work (starting, the range filter, the merge).
constexpr Xapian::doccount kHeavyPositionalCandidates = 2000;

// A count of at least this many matches is large (large_facet_count): matching them and
// copying their facet records outweighs the threads' own work.
constexpr Xapian::doccount kLargeMatches = 2000;

// heavy_facet_count for @a query, whose matches are checked only among at most @a within
// documents (those of the operators around it that every match must also match).
bool heavy_within(const Xapian::Database& db, const Xapian::Query& query, Xapian::doccount within) {
    using Q = Xapian::Query;
    Q::op type = query.get_type();
    std::size_t subqueries = query.get_num_subqueries();
    std::vector<Xapian::doccount> most;
    bool conjunctive = type == Q::OP_AND || type == Q::OP_FILTER || type == Q::OP_PHRASE || type == Q::OP_NEAR;
    bool left_first =
        type == Q::OP_AND_NOT || type == Q::OP_AND_MAYBE;  // the others are looked at only for the left's matches
    if (conjunctive || left_first)
        for (std::size_t i = 0; i < subqueries; ++i) most.push_back(matches_at_most(db, query.get_subquery(i)));
    if (type == Q::OP_PHRASE || type == Q::OP_NEAR) {
        Xapian::doccount candidates = within;
        for (auto m : most) candidates = std::min(candidates, m);
        if (candidates >= kHeavyPositionalCandidates) return true;
    }
    for (std::size_t i = 0; i < subqueries; ++i) {
        Xapian::doccount inner = within;
        if (conjunctive) {
            for (std::size_t j = 0; j < subqueries; ++j)
                if (j != i) inner = std::min(inner, most[j]);
        } else if (left_first && i > 0) {
            inner = std::min(inner, most[0]);
        }
        if (inner >= kHeavyPositionalCandidates && heavy_within(db, query.get_subquery(i), inner)) return true;
    }
    return false;
}

}  // namespace

Xapian::doccount matches_at_most(const Xapian::Database& db, const Xapian::Query& query) {
    using Q = Xapian::Query;
    Xapian::doccount all = db.get_doccount();
    switch (query.get_type()) {
        case Q::LEAF_TERM:
            return db.get_termfreq(*query.get_terms_begin());
        case Q::LEAF_MATCH_NOTHING:
            return 0;
        case Q::OP_AND:
        case Q::OP_FILTER:
        case Q::OP_PHRASE:
        case Q::OP_NEAR: {
            Xapian::doccount most = all;
            for (std::size_t i = 0; i < query.get_num_subqueries(); ++i)
                most = std::min(most, matches_at_most(db, query.get_subquery(i)));
            return most;
        }
        case Q::OP_OR:
        case Q::OP_XOR:
        case Q::OP_SYNONYM:
        case Q::OP_MAX:
        case Q::OP_ELITE_SET: {
            std::uint64_t sum = 0;
            for (std::size_t i = 0; i < query.get_num_subqueries(); ++i)
                sum += matches_at_most(db, query.get_subquery(i));
            return static_cast<Xapian::doccount>(std::min<std::uint64_t>(sum, all));
        }
        case Q::OP_AND_NOT:
        case Q::OP_AND_MAYBE:
        case Q::OP_SCALE_WEIGHT:
            return query.get_num_subqueries() ? matches_at_most(db, query.get_subquery(0)) : all;
        default:
            return all;  // value ranges, wildcards, posting sources, match-all
    }
}

bool heavy_facet_count(const Xapian::Database& db, const Xapian::Query& query) {
    return heavy_within(db, query, db.get_doccount());
}

bool large_facet_count(const Xapian::Database& db, const Xapian::Query& query) {
    return heavy_facet_count(db, query) || matches_at_most(db, query) >= kLargeMatches;
}

bool a_core_is_idle() {
    static const unsigned cores = std::thread::hardware_concurrency();
    if (cores < 2) return false;
    // /proc/loadavg: "0.52 0.58 0.59 2/611 12345": 2 runnable threads (this one too).
    std::FILE* f = std::fopen("/proc/loadavg", "r");
    if (!f) return true;
    double load1, load5, load15;
    unsigned running = 0, total = 0;
    int read = std::fscanf(f, "%lf %lf %lf %u/%u", &load1, &load5, &load15, &running, &total);
    std::fclose(f);
    return read != 5 || running < cores;
}

namespace {

struct DeadlinePassed {};

/// Hands every match to another spy, and ends the match (DeadlinePassed) once a deadline
/// has passed, looking at the clock every 64 matches.
class DeadlineSpy : public Xapian::MatchSpy {
  public:
    DeadlineSpy(Xapian::MatchSpy& inner, std::chrono::steady_clock::time_point deadline)
        : inner_(inner), deadline_(deadline) {}
    void operator()(const Xapian::Document& doc, double wt) override {
        inner_(doc, wt);
        if ((++seen_ & 63) == 0 && std::chrono::steady_clock::now() >= deadline_) throw DeadlinePassed{};
    }

  private:
    Xapian::MatchSpy& inner_;
    std::chrono::steady_clock::time_point deadline_;
    unsigned seen_ = 0;
};

}  // namespace

bool run_facet_pass(const Xapian::Database& db, const Xapian::Query& query, Xapian::MatchSpy& spy,
                    Xapian::doccount bound, double time_limit_seconds, bool remote_parts) {
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    auto start = std::chrono::steady_clock::now();
    bool timed = time_limit_seconds > 0;
    if (timed && remote_parts) {
        enquire.set_time_limit(time_limit_seconds);
        enquire.add_matchspy(&spy);
        enquire.get_mset(0, 0, bound);
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() <
               0.9 * time_limit_seconds;
    }
    DeadlineSpy limited(spy, start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                         std::chrono::duration<double>(std::min(time_limit_seconds, 1e6))));
    enquire.add_matchspy(timed ? static_cast<Xapian::MatchSpy*>(&limited) : &spy);
    try {
        enquire.get_mset(0, 0, bound);
    } catch (const DeadlinePassed&) {
        return false;
    }
    return true;
}

void ConcurrentFacetCount::start(Request request) {
    wait();
    request_ = std::move(request);
    behind_ = false;
    error_ = nullptr;
    tally_ = FacetTally{};
    total_ = 0;
    for (auto& job : jobs_)
        if (job.spy) spare_spies_.push_back(std::move(job.spy));
    jobs_.clear();
    stop_later_jobs_.store(false);
    cut_short_.store(false);
    thread_ = std::thread([this] { count(); });
}

void ConcurrentFacetCount::plan_jobs(const Xapian::Query& query) {
    std::size_t parts = request_.part_dirs.size();
    bool split = false;
    if (parts == 1 && request_.lastdocids[0] >= kSplitFrom) {
        // Cut in two only when the first half is unlikely to reach the bound alone: the
        // second half's count would then be thrown away (a CPU that a loaded server
        // needs; the first half stops it when it does: DocidRangeSource).  The bound
        // comes from the posting lists' sizes (no match is run): all the matches fit in
        // two facet bounds.  Not the estimate: for a phrase it is half the candidates,
        // and "san salvador" (13,457 candidates, 8,469 matches, estimated 4,000-odd) was
        // cut in halves that each counted ~4,200 where one pass stops at 5,000.
        Xapian::Enquire probe(databases_[0][0]);
        probe.set_query(query);
        probe.set_weighting_scheme(Xapian::BoolWeight());
        split = probe.get_mset(0, 0).get_matches_upper_bound() < 2 * request_.bound;
    }
    if (split) {
        Xapian::docid half = request_.lastdocids[0] / 2;
        jobs_.push_back({0, 1, half, nullptr});
        jobs_.push_back({0, half + 1, request_.lastdocids[0], nullptr});
    } else {
        for (std::size_t p = 0; p < parts; ++p) jobs_.push_back({p, 1, request_.lastdocids[p], nullptr});
    }
    for (auto& job : jobs_) {
        if (spare_spies_.empty()) {
            job.spy = std::make_unique<CachedFacetSpy>(*request_.cache, request_.bound);
        } else {
            job.spy = std::move(spare_spies_.back());
            spare_spies_.pop_back();
            job.spy->reset(*request_.cache);
        }
    }
}

void ConcurrentFacetCount::wait() {
    if (thread_.joinable()) thread_.join();
}

bool ConcurrentFacetCount::finish(FacetTally& tally, Xapian::doccount& total, bool& cut_short) {
    wait();
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
    if (behind_) return false;
    tally = std::move(tally_);
    total = total_;
    cut_short = cut_short_.load();
    return true;
}

bool ConcurrentFacetCount::bring_up(std::size_t thread) {
    auto& databases = databases_[thread];
    std::size_t parts = request_.part_dirs.size();
    try {
        if (databases.size() != parts) {
            databases.clear();
            for (const auto& dir : request_.part_dirs) databases.emplace_back(dir);
        }
        for (std::size_t p = 0; p < parts; ++p) {
            if (databases[p].get_revision() != request_.revisions[p]) databases[p].reopen();
            if (databases[p].get_revision() != request_.revisions[p]) return false;
        }
    } catch (const Xapian::DatabaseError&) {  // e.g. an open during the nightly job's swap
        databases.clear();
        return false;
    }
    return true;
}

void ConcurrentFacetCount::run_jobs(std::size_t thread, std::size_t threads, const Xapian::Query& query) {
    for (std::size_t j = thread; j < jobs_.size(); j += threads) {
        Job& job = jobs_[j];
        Xapian::Query counted = query;
        if (j > 0 && stop_later_jobs_.load()) return;
        if (job.first > 1 || job.last < request_.lastdocids[job.part])
            counted = Xapian::Query(
                Xapian::Query::OP_FILTER, query,
                Xapian::Query(
                    (new DocidRangeSource(job.first, job.last, j > 0 ? &stop_later_jobs_ : nullptr))->release()));
        job.spy->set_part(job.part);
        if (!run_facet_pass(databases_[thread][job.part], counted, *job.spy, request_.bound,
                            request_.time_limit_seconds))
            cut_short_.store(true);
        // The first job found the bound alone: the others' matches come after it.
        if (j == 0 && job.spy->total() >= request_.bound) stop_later_jobs_.store(true);
    }
}

void ConcurrentFacetCount::count() {
    try {
        if (!bring_up(0)) {
            behind_ = true;
            return;
        }
        Xapian::Query query = Xapian::Query::unserialise(request_.query);
        plan_jobs(query);
        std::size_t threads = std::min<std::size_t>(2, jobs_.size());
        std::thread helper;
        bool helper_current = true;
        std::exception_ptr helper_error;
        if (threads > 1) {
            helper = std::thread([this, threads, &helper_current, &helper_error] {
                try {
                    helper_current = bring_up(1);
                    if (helper_current) run_jobs(1, threads, Xapian::Query::unserialise(request_.query));
                } catch (...) {
                    helper_error = std::current_exception();
                }
            });
        }
        try {
            run_jobs(0, threads, query);
        } catch (...) {
            if (helper.joinable()) helper.join();
            throw;
        }
        if (helper.joinable()) helper.join();
        if (helper_error) std::rethrow_exception(helper_error);
        if (!helper_current) {
            behind_ = true;
            return;
        }
        // The first `bound` matches in docid order: the jobs' matches, in job order,
        // gathered into the first job's spy (not copied into a fresh one: most of a copy's
        // cost is page faults on fresh memory).
        CachedFacetSpy& all = *jobs_[0].spy;
        all.keep_first(request_.bound);
        for (std::size_t j = 1; j < jobs_.size() && all.total() < request_.bound; ++j)
            all.absorb(*jobs_[j].spy, request_.bound - all.total());
        tally_ = all.tally(request_.collapse);
        total_ = all.total();
    } catch (...) {
        error_ = std::current_exception();
    }
}

}  // namespace warsearch
