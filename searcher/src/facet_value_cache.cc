#include "facet_value_cache.h"

#include <algorithm>
#include <limits>

namespace warsearch {

void FacetValueCache::clear() {
    loaded_ = false;
    std::string().swap(blob_);
    std::vector<std::vector<std::uint32_t>>().swap(offsets_);
}

bool FacetValueCache::load(const std::vector<Xapian::Database>& parts, Xapian::valueno slot,
                           std::size_t limit_bytes) {
    clear();
    std::size_t limit = std::min<std::size_t>(limit_bytes, std::numeric_limits<std::uint32_t>::max());
    std::size_t offset_bytes = 0;
    for (const auto& part : parts) offset_bytes += (static_cast<std::size_t>(part.get_lastdocid()) + 2) * 4;
    if (parts.empty() || offset_bytes > limit) return false;
    offsets_.resize(parts.size());
    for (std::size_t p = 0; p < parts.size(); ++p) {
        const Xapian::Database& part = parts[p];
        Xapian::docid last = part.get_lastdocid();
        std::vector<std::uint32_t>& offsets = offsets_[p];
        offsets.reserve(static_cast<std::size_t>(last) + 2);
        offsets.push_back(0);  // docid 0 does not exist
        for (auto v = part.valuestream_begin(slot); v != part.valuestream_end(slot); ++v) {
            Xapian::docid did = v.get_docid();
            while (offsets.size() <= did) offsets.push_back(static_cast<std::uint32_t>(blob_.size()));
            const std::string value = *v;
            if (blob_.size() + value.size() + offset_bytes > limit) {
                clear();
                return false;
            }
            blob_ += value;
        }
        while (offsets.size() < static_cast<std::size_t>(last) + 2) offsets.push_back(static_cast<std::uint32_t>(blob_.size()));
    }
    loaded_ = true;
    return true;
}

std::string_view FacetValueCache::value(std::size_t part, Xapian::docid did) const {
    if (!loaded_ || part >= offsets_.size()) return {};
    const std::vector<std::uint32_t>& offsets = offsets_[part];
    if (did == 0 || static_cast<std::size_t>(did) + 1 >= offsets.size()) return {};
    return std::string_view(blob_).substr(offsets[did], offsets[did + 1] - offsets[did]);
}

std::size_t FacetValueCache::bytes() const {
    std::size_t total = blob_.size();
    for (const auto& o : offsets_) total += o.size() * sizeof(std::uint32_t);
    return total;
}

void CachedFacetSpy::operator()(const Xapian::Document& doc, double) {
    ++total_;
    std::string_view v = cache_.value(part_, doc.get_docid());
    if (!v.empty()) seen_.push_back(v);
}

std::vector<std::pair<std::string_view, Xapian::doccount>> CachedFacetSpy::counts() {
    std::sort(seen_.begin(), seen_.end());
    std::vector<std::pair<std::string_view, Xapian::doccount>> out;
    for (std::string_view v : seen_) {
        if (!out.empty() && out.back().first == v) ++out.back().second;
        else out.emplace_back(v, 1);
    }
    return out;
}

}  // namespace warsearch
