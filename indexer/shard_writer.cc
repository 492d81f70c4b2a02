#include "indexer/shard_writer.h"

#include <cstdio>
#include <filesystem>

#include "common/index/schema.h"
#include "common/text/text.h"

namespace warsearch {
namespace {
constexpr std::size_t kQueueLimit = 256;

std::string part_path(const std::string& dir, std::size_t i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "/part-%03zu", i);
    return dir + buf;
}
}  // namespace

ShardWriter::ShardWriter(const std::string& path, std::size_t batch_size, const std::string& stem_language,
                         std::size_t part_documents)
    : batch_size_(batch_size ? batch_size : 1),
      builder_(stem_language),
      rotation_dir_(part_documents ? path : std::string()),
      part_documents_(part_documents) {
    if (rotation_dir_.empty()) {
        paths_.push_back(path);
    } else {
        std::filesystem::create_directories(rotation_dir_);
        paths_.push_back(part_path(rotation_dir_, 0));
    }
    db_ = Xapian::WritableDatabase(paths_.back(), open_flags());
    fresh_ = db_.get_doccount() == 0;
    track_ids_ = fresh_;
    thread_ = std::thread([this] { run(); });
}

ShardWriter::~ShardWriter() {
    if (thread_.joinable()) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            closing_ = true;
        }
        not_empty_.notify_all();
        not_full_.notify_all();
        thread_.join();
    }
}

void ShardWriter::put(WriteOp&& op) {
    std::unique_lock<std::mutex> lock(mutex_);
    not_full_.wait(lock, [this] { return queue_.size() < kQueueLimit || failure_; });
    if (failure_) std::rethrow_exception(failure_);
    queue_.push_back(std::move(op));
    not_empty_.notify_one();
}

void ShardWriter::drain() {
    if (!thread_.joinable()) {  // after join(): nothing is queued
        if (failure_) std::rethrow_exception(failure_);
        return;
    }
    std::uint64_t target;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        target = ++barriers_queued_;
    }
    WriteOp barrier;
    barrier.kind = WriteOp::Kind::barrier;
    put(std::move(barrier));
    std::unique_lock<std::mutex> lock(mutex_);
    barrier_passed_.wait(lock, [&] { return barriers_passed_ >= target || failure_; });
    if (failure_) std::rethrow_exception(failure_);
}

void ShardWriter::forget_written_ids() {
    fresh_ = false;
    track_ids_ = false;
    part_of_id_.clear();
}

std::vector<std::pair<std::size_t, DeletedDocuments>> ShardWriter::take_stale_deletions() {
    return std::exchange(stale_deletions_, {});
}

void ShardWriter::join() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        closing_ = true;
    }
    not_empty_.notify_all();
    if (thread_.joinable()) thread_.join();
    if (failure_) std::rethrow_exception(failure_);
}

int ShardWriter::open_flags() const {
    // Parts are scratch: merged into the database the run leaves (which the compactor
    // writes to disk with fdatasync), then deleted, and a run that dies starts its parts
    // again.  Syncing their every commit would only make the writer threads wait.
    return Xapian::DB_CREATE_OR_OPEN | (rotation_dir_.empty() ? 0 : Xapian::DB_NO_SYNC);
}

void ShardWriter::commit() {
    // Explicitly commit so that we see any errors here rather than at destruction.
    db_.commit();
    ++commits_;
    pending_ = 0;
}

void ShardWriter::start_next_part() {
    if (pending_) commit();
    db_.close();
    closed_deletions_.emplace_back();
    paths_.push_back(part_path(rotation_dir_, paths_.size()));
    db_ = Xapian::WritableDatabase(paths_.back(), open_flags());
    part_written_ = 0;
    // The new part is empty and part_of_id_ knows which ids it gets, so adding without
    // a lookup is safe again even after a file removal.
    fresh_ = true;
}

void ShardWriter::finish_closed_parts() {
    for (std::size_t i = 0; i < closed_deletions_.size(); ++i) {
        if (closed_deletions_[i].empty()) continue;
        Xapian::WritableDatabase part(paths_[i], Xapian::DB_OPEN | Xapian::DB_NO_SYNC);
        for (const Deletion& d : closed_deletions_[i]) {
            if (d.removal) deleted_ += part.get_termfreq(d.term);
            part.delete_document(d.term);
        }
        part.commit();
    }
    closed_deletions_.clear();
}

void ShardWriter::apply(WriteOp& op) {
    if (op.kind == WriteOp::Kind::set_metadata) {
        db_.set_metadata(op.term, op.value);
        return;
    }
    if (op.kind == WriteOp::Kind::delete_stale) {
        DeletedDocuments deleted = delete_documents_of_file(db_, op.term, op.keep.get(), op.max_ids);
        deleted_ += deleted.count;
        stale_deletions_.emplace_back(op.request, std::move(deleted));
        fresh_ = false;  // as for delete_term
        return;
    }
    if (op.kind == WriteOp::Kind::delete_term) {
        // Closed parts hold documents written before this removal: they lose theirs at
        // the end, before anything written after it could be in them.
        for (auto& deletions : closed_deletions_) deletions.push_back(Deletion{op.term, true});
        Xapian::doccount before = db_.get_termfreq(op.term);
        if (before) {
            db_.delete_document(op.term);
            deleted_ += before;
        }
        // A deleted id may come back later in the run: it must be replaced, not added.
        fresh_ = false;
        return;
    }
    if (!rotation_dir_.empty() && part_written_ >= part_documents_) start_next_part();
    // Folded once, for the terms and the spelling vocabulary.
    std::string title = fold_for_matching(op.article.title);
    std::string body = fold_for_matching(op.article.body);
    vocabulary_.add_folded_text(title);
    vocabulary_.add_folded_text(body);
    Xapian::Document doc = builder_.build_folded(op.article, title, body, op.entities);
    if (!op.fingerprint.empty()) {
        doc.add_value(schema::kFingerprintSlot, op.fingerprint);
        for (const auto& t : op.band_terms) doc.add_boolean_term(t);
    }
    doc.add_value(schema::kStorySlot, op.story);
    doc.add_boolean_term(schema::make_term(schema::kStoryPrefix, op.story));
    doc.add_value(schema::kFacetSlot, op.facet_slot);
    // In a database that started empty, an id not yet written this run cannot exist, so
    // the unique-term lookup of replace_document can be skipped.  An id written to a
    // closed part is added here and its older copy deleted there at the end.
    bool maybe_here = true;
    if (track_ids_) {
        auto current = static_cast<std::uint32_t>(paths_.size() - 1);
        auto [found, is_new] = part_of_id_.try_emplace(op.term, current);
        maybe_here = !is_new && found->second == current;
        if (!is_new && found->second != current) {
            closed_deletions_[found->second].push_back(Deletion{op.term, false});
            found->second = current;
        }
    }
    if (fresh_ && !maybe_here)
        db_.add_document(doc);
    else
        db_.replace_document(op.term, doc);
    ++written_;
    ++part_written_;
    if (++pending_ >= batch_size_) commit();
}

void ShardWriter::run() {
    try {
        for (;;) {
            WriteOp op;
            {
                std::unique_lock<std::mutex> lock(mutex_);
                not_empty_.wait(lock, [this] { return !queue_.empty() || closing_; });
                if (queue_.empty()) break;
                op = std::move(queue_.front());
                queue_.pop_front();
                not_full_.notify_one();
                if (op.kind == WriteOp::Kind::barrier) {
                    // Everything queued before it is applied: drain() may go on.
                    ++barriers_passed_;
                    barrier_passed_.notify_all();
                    continue;
                }
            }
            apply(op);
        }
    } catch (...) {
        std::lock_guard<std::mutex> lock(mutex_);
        failure_ = std::current_exception();
        queue_.clear();
        not_full_.notify_all();
        barrier_passed_.notify_all();
    }
}

}  // namespace warsearch
