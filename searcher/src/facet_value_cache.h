// The facet slot of every document, held in memory by a long-running searcher (the
// FastCGI server), so that counting facets reads no value from disk.
//
// A faceted search counts up to 5,000 matches spread over the collection; reading their
// facet values from Xapian costs one 8 KB pread per value-chunk block they fall in (660
// preads per faceted query against 150 without facets on the 100k benchmark corpus), and
// the kernel copying those blocks was the largest single item of a FastCGI server's
// profile.  Loaded once per database revision, read sequentially (a value stream per
// shard), ~90 bytes a document: 9 MB at 100k, 90 MB at 1M, capped by a byte limit.
// Local databases only: a remote shard's values stay on its server.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

namespace warsearch {

class FacetValueCache {
public:
    /// Reads value slot @a slot of every document of @a parts, the sub-databases of one
    /// combined Database in order.  Returns false, holding nothing, when the values would
    /// take more than @a limit_bytes.
    bool load(const std::vector<Xapian::Database>& parts, Xapian::valueno slot, std::size_t limit_bytes);
    bool loaded() const { return loaded_; }
    void clear();
    /// The value of document @a did of part @a part ("" when it has none).
    std::string_view value(std::size_t part, Xapian::docid did) const;
    std::size_t parts() const { return offsets_.size(); }
    /// Bytes held (values and offsets).
    std::size_t bytes() const;

private:
    bool loaded_ = false;
    std::string blob_;
    /// Per part, by local docid: where its value starts in blob_ (size lastdocid + 2, so
    /// a value ends where the next docid's starts).
    std::vector<std::vector<std::uint32_t>> offsets_;
};

/// A match spy that only notes which cached values the matches have (no value read).
/// Call counts() after the match: the distinct values, sorted, with their frequencies,
/// as Xapian::ValueCountMatchSpy would give them.
///
/// A spy sees each sub-database's own docids (Xapian 1.4 runs them one after another),
/// not the combined ones, so it cannot tell the parts apart: match each part in a pass
/// of its own, naming it with set_part() first.
class CachedFacetSpy : public Xapian::MatchSpy {
public:
    explicit CachedFacetSpy(const FacetValueCache& cache) : cache_(cache) {}
    void set_part(std::size_t part) { part_ = part; }
    void operator()(const Xapian::Document& doc, double weight) override;
    Xapian::doccount total() const { return total_; }
    std::vector<std::pair<std::string_view, Xapian::doccount>> counts();

private:
    const FacetValueCache& cache_;
    std::size_t part_ = 0;
    std::vector<std::string_view> seen_;
    Xapian::doccount total_ = 0;
};

}  // namespace warsearch
