#include "shard_writer.h"

#include "warsearch/schema.h"

namespace warsearch {
namespace {
constexpr std::size_t kQueueLimit = 256;
}

ShardWriter::ShardWriter(const std::string& path, std::size_t batch_size, const std::string& stem_language)
    : path_(path),
      db_(path, Xapian::DB_CREATE_OR_OPEN),
      batch_size_(batch_size ? batch_size : 1),
      builder_(stem_language),
      fresh_(db_.get_doccount() == 0) {
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

void ShardWriter::join() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        closing_ = true;
    }
    not_empty_.notify_all();
    if (thread_.joinable()) thread_.join();
    if (failure_) std::rethrow_exception(failure_);
}

void ShardWriter::commit() {
    // Explicitly commit so that we see any errors here rather than at destruction.
    db_.commit();
    ++commits_;
    pending_ = 0;
}

void ShardWriter::apply(WriteOp& op) {
    if (op.kind == WriteOp::Kind::delete_term) {
        Xapian::doccount before = db_.get_termfreq(op.term);
        if (before) {
            db_.delete_document(op.term);
            deleted_ += before;
        }
        // A deleted id may come back later in the run: it must be replaced, not added.
        fresh_ = false;
        return;
    }
    Xapian::Document doc = builder_.build(op.article, op.entities);
    if (!op.fingerprint.empty()) {
        doc.add_value(schema::kFingerprintSlot, op.fingerprint);
        for (const auto& t : op.band_terms) doc.add_boolean_term(t);
    }
    doc.add_value(schema::kStorySlot, op.story);
    doc.add_boolean_term(schema::make_term(schema::kStoryPrefix, op.story));
    doc.add_value(schema::kFacetSlot, op.facet_slot);
    // In a database that started empty, an id not yet written this run cannot exist, so
    // the unique-term lookup of replace_document can be skipped.
    if (fresh_ && added_terms_.insert(op.term).second) db_.add_document(doc);
    else db_.replace_document(op.term, doc);
    ++written_;
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
            }
            apply(op);
        }
    } catch (...) {
        std::lock_guard<std::mutex> lock(mutex_);
        failure_ = std::current_exception();
        queue_.clear();
        not_full_.notify_all();
    }
}

}  // namespace warsearch
