#include "facet_threads.h"

#include <algorithm>
#include <utility>

namespace warsearch {
namespace {

// Matches the documents whose docids lie in [first, last]: a filter that cuts one
// database's facet pass in two.
class DocidRangeSource : public Xapian::PostingSource {
public:
    DocidRangeSource(Xapian::docid first, Xapian::docid last) : first_(first), last_(last) {}
    void init(const Xapian::Database& db) override {
        end_ = std::min(last_, db.get_lastdocid());
        current_ = 0;
    }
    Xapian::doccount get_termfreq_min() const override { return 0; }
    Xapian::doccount get_termfreq_est() const override { return end_ >= first_ ? end_ - first_ + 1 : 0; }
    Xapian::doccount get_termfreq_max() const override { return get_termfreq_est(); }
    void next(double) override { current_ = current_ == 0 ? first_ : current_ + 1; }
    void skip_to(Xapian::docid did, double) override {
        if (current_ == 0) current_ = first_;
        if (did > current_) current_ = did;
    }
    bool at_end() const override { return current_ > end_; }
    Xapian::docid get_docid() const override { return current_; }
    Xapian::PostingSource* clone() const override { return new DocidRangeSource(first_, last_); }

private:
    Xapian::docid first_, last_, end_ = 0, current_ = 0;
};

// Below this many documents one database is counted on one thread.
constexpr Xapian::docid kSplitFrom = 2000;

}  // namespace

void run_facet_pass(const Xapian::Database& db, const Xapian::Query& query, Xapian::MatchSpy& spy,
                    Xapian::doccount bound, double time_limit_seconds) {
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    if (time_limit_seconds > 0) enquire.set_time_limit(time_limit_seconds);
    enquire.add_matchspy(&spy);
    enquire.get_mset(0, 0, bound);
}

void ConcurrentFacetCount::start(Request request) {
    wait();
    request_ = std::move(request);
    behind_ = false;
    error_ = nullptr;
    tally_ = FacetTally{};
    total_ = 0;
    jobs_.clear();
    thread_ = std::thread([this] { count(); });
}

void ConcurrentFacetCount::plan_jobs(const Xapian::Query& query) {
    std::size_t parts = request_.part_dirs.size();
    bool split = false;
    if (parts == 1 && request_.lastdocids[0] >= kSplitFrom) {
        // Cut in two only when the first half is unlikely to reach the bound alone: the
        // second half's count would then be thrown away (a CPU that a loaded server
        // needs).  The estimate comes from the posting lists' sizes (no match is run).
        Xapian::Enquire probe(databases_[0][0]);
        probe.set_query(query);
        probe.set_weighting_scheme(Xapian::BoolWeight());
        split = probe.get_mset(0, 0).get_matches_estimated() < 2 * request_.bound;
    }
    if (split) {
        Xapian::docid half = request_.lastdocids[0] / 2;
        jobs_.push_back({0, 1, half, nullptr});
        jobs_.push_back({0, half + 1, request_.lastdocids[0], nullptr});
    } else {
        for (std::size_t p = 0; p < parts; ++p) jobs_.push_back({p, 1, request_.lastdocids[p], nullptr});
    }
    for (auto& job : jobs_) job.spy = std::make_unique<CachedFacetSpy>(*request_.cache, request_.bound);
}

void ConcurrentFacetCount::wait() {
    if (thread_.joinable()) thread_.join();
}

bool ConcurrentFacetCount::finish(FacetTally& tally, Xapian::doccount& total) {
    wait();
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
    if (behind_) return false;
    tally = std::move(tally_);
    total = total_;
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
        if (job.first > 1 || job.last < request_.lastdocids[job.part])
            counted = Xapian::Query(Xapian::Query::OP_FILTER, query,
                                    Xapian::Query((new DocidRangeSource(job.first, job.last))->release()));
        job.spy->set_part(job.part);
        run_facet_pass(databases_[thread][job.part], counted, *job.spy, request_.bound, request_.time_limit_seconds);
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
        // The first `bound` matches in docid order: the jobs' matches, in job order.
        CachedFacetSpy all(*request_.cache, request_.bound);
        for (const auto& job : jobs_) {
            if (all.total() >= request_.bound) break;
            all.append(*job.spy, request_.bound - all.total());
        }
        tally_ = all.tally(request_.collapse);
        total_ = all.total();
    } catch (...) {
        error_ = std::current_exception();
    }
}

}  // namespace warsearch
