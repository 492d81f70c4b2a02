#include "searcher/facets/facet_value_cache.h"

#include <algorithm>
#include <limits>
#include <unordered_map>

#include "common/index/facet_slot.h"

namespace warsearch {

std::uint64_t facet_year_of_month(std::uint64_t packed_month) {
    return (std::uint64_t{static_cast<unsigned char>(kFacetYear[0])} << 48) | (packed_month & 0x0000FFFFFFFF0000ull);
}

void FacetValueCache::clear() {
    loaded_ = false;
    std::vector<View>().swap(views_);
    std::vector<Held>().swap(held_);
    std::vector<std::vector<std::uint32_t>>().swap(global_ids_);
    std::vector<std::uint64_t>().swap(packed_);
    std::vector<std::uint32_t>().swap(year_of_);
}

bool FacetValueCache::open(const std::vector<Xapian::Database>& parts, const std::vector<std::string>& part_dirs,
                           Xapian::valueno slot, std::size_t load_limit) {
    clear();
    damaged_.clear();
    if (parts.empty()) return false;
    std::size_t in_memory = 0;
    views_.resize(parts.size());
    held_.resize(parts.size());
    global_ids_.resize(parts.size());
    // One numbering for all parts.  With one part (the usual case, and every CGI request
    // pays for this) it is the part's own: no hashing of its ~2,000 values.
    std::unordered_map<std::uint64_t, std::uint32_t> global;  // packed -> global id
    auto number = [&](std::size_t part, const std::uint64_t* dictionary, std::size_t size) {
        std::vector<std::uint32_t>& ids = global_ids_[part];
        ids.resize(size);
        if (parts.size() == 1) {
            for (std::size_t i = 0; i < size; ++i) ids[i] = static_cast<std::uint32_t>(i);
            packed_.assign(dictionary, dictionary + size);
            return;
        }
        for (std::size_t i = 0; i < size; ++i) {
            auto [it, added] = global.try_emplace(dictionary[i], static_cast<std::uint32_t>(packed_.size()));
            if (added) packed_.push_back(dictionary[i]);
            ids[i] = it->second;
        }
    };
    for (std::size_t p = 0; p < parts.size(); ++p) {
        View& view = views_[p];
        Held& held = held_[p];
        if (p < part_dirs.size() && !part_dirs[p].empty()) {
            std::string damage;
            held.file = FacetValueFile::map(part_dirs[p], parts[p], &damage);
            if (!damage.empty()) damaged_.push_back(std::move(damage));
        }
        if (held.file) {
            view.offsets = held.file->offsets();
            view.words = held.file->words();
            view.word_count = held.file->word_count();
            view.lastdocid = held.file->lastdocid();
            number(p, held.file->dictionary(), held.file->dictionary_size());
            continue;
        }
        // No current file: read the part's value stream, if memory is allowed for it.
        const Xapian::Database& part = parts[p];
        Xapian::docid last = part.get_lastdocid();
        FacetRecords& records = held.records;
        std::size_t before = in_memory;
        auto over = [&] { return before + records.bytes() + (static_cast<std::size_t>(last) + 2) * 4 > load_limit; };
        if (over()) {
            clear();
            return false;
        }
        for (auto v = part.valuestream_begin(slot); v != part.valuestream_end(slot); ++v) {
            records.add(v.get_docid(), *v);
            if (over() || records.words.size() > std::numeric_limits<std::uint32_t>::max() - 3) {
                clear();
                return false;
            }
        }
        records.finish(last);
        in_memory = before + records.bytes();
        view.offsets = records.offsets.data();
        view.words = records.words.data();
        view.word_count = records.words.size();
        view.lastdocid = last;
        number(p, records.dictionary.data(), records.dictionary.size());
    }
    // Years are tallied from the months: every month's year gets a global id too (after
    // the values; a few dozen, found by a linear search).
    std::size_t values = packed_.size();
    year_of_.assign(values, kNoId);
    std::vector<std::pair<std::uint64_t, std::uint32_t>> years;
    for (std::size_t g = 0; g < values; ++g) {
        if (static_cast<char>(packed_[g] >> 48) != kFacetMonth[0]) continue;
        std::uint64_t year = facet_year_of_month(packed_[g]);
        auto it = std::find_if(years.begin(), years.end(), [year](const auto& y) { return y.first == year; });
        if (it == years.end()) {
            years.emplace_back(year, static_cast<std::uint32_t>(packed_.size()));
            packed_.push_back(year);
            year_of_.push_back(kNoId);
            it = years.end() - 1;
        }
        year_of_[g] = it->second;
    }
    loaded_ = true;
    return true;
}

bool FacetValueCache::reads_records(std::size_t part, std::size_t count) const {
    if (reads_per_fault_ == 0 || part >= held_.size() || !held_[part].file) return false;
    const FacetValueFile& file = *held_[part].file;
    std::size_t chunks = std::max<std::size_t>(1, file.words_bytes() / file.bytes_per_fault());
    return count / reads_per_fault_ < chunks;
}

void FacetValueCache::read_record(std::size_t part, Xapian::docid did, std::vector<std::uint32_t>& out) const {
    out.clear();
    auto [begin, end] = record(part, did);  // bounds checked; not dereferenced
    if (begin == end || !held_[part].file) return;
    const std::uint32_t* words = views_[part].words;
    out.resize(static_cast<std::size_t>(end - begin));
    if (!held_[part].file->read_words(static_cast<std::uint32_t>(begin - words),
                                      static_cast<std::uint32_t>(end - words), out.data()))
        out.clear();
}

std::size_t FacetValueCache::bytes() const {
    std::size_t total = 0;
    for (const auto& h : held_) total += h.records.bytes();
    return total;
}

std::size_t FacetValueCache::mapped_parts() const {
    std::size_t n = 0;
    for (const auto& h : held_) n += h.file != nullptr;
    return n;
}

bool FacetValueCache::name(std::uint64_t packed, std::string_view& key, std::string_view& label) const {
    for (const auto& h : held_)
        if (h.file && h.file->name(packed, key, label)) return true;
    return false;
}

void CachedFacetSpy::resolve(Xapian::doccount limit) {
    if (pending_.empty()) return;
    const Xapian::doccount first_match = total_ - static_cast<Xapian::doccount>(pending_.size());
    if (limit < total_) {
        pending_.resize(limit > first_match ? limit - first_match : 0);
        total_ = std::max(limit, first_match);
    }
    if (keep_docids_) docids_.insert(docids_.end(), pending_.begin(), pending_.end());
    if (part_ >= cache_->parts()) {  // no values for this part: the matches count nowhere
        pending_.clear();
        return;
    }
    const std::size_t n = pending_.size();
    if (cache_->reads_records(part_, n)) {
        for (std::size_t i = 0; i < n; ++i) {
            cache_->read_record(part_, pending_[i], read_);
            copy_record(read_.data(), read_.data() + read_.size(), first_match + static_cast<Xapian::doccount>(i));
        }
        pending_.clear();
        return;
    }
    // Offsets are fetched 2 x kAhead documents ahead, records kAhead ahead (their offsets
    // have arrived by then), so that several documents' misses overlap.
    constexpr std::size_t kAhead = 16;
    for (std::size_t i = 0; i < std::min(n, 2 * kAhead); ++i) cache_->prefetch_offset(part_, pending_[i]);
    for (std::size_t i = 0; i < std::min(n, kAhead); ++i) cache_->prefetch_record(part_, pending_[i]);
    for (std::size_t i = 0; i < n; ++i) {
        if (i + 2 * kAhead < n) cache_->prefetch_offset(part_, pending_[i + 2 * kAhead]);
        if (i + kAhead < n) cache_->prefetch_record(part_, pending_[i + kAhead]);
        auto [begin, end] = cache_->record(part_, pending_[i]);
        copy_record(begin, end, first_match + static_cast<Xapian::doccount>(i));
    }
    pending_.clear();
}

void CachedFacetSpy::copy_record(const std::uint32_t* begin, const std::uint32_t* end, Xapian::doccount match) {
    constexpr std::uint32_t kNone = FacetValueCache::kNoId;
    if (begin == end) return;
    Seen seen{0, static_cast<std::uint32_t>(ids_.size()), match, kOwn};
    std::uint32_t head = begin[0];
    if (head & kRecordUndecodable) {
        seen.kind = kUndecodable;
        seen_.push_back(seen);
        return;
    }
    const std::uint32_t* id = begin + 1;
    if (head & kRecordHasStory) {
        if (end - begin < 3) return;  // damaged: counts nowhere
        seen.story = begin[1] | (std::uint64_t{begin[2]} << 32);
        seen.kind = kStoried;
        id = begin + 3;
    }
    end = std::min(end, id + (head & kRecordCountMask));
    for (; id < end; ++id) {
        std::uint32_t g = cache_->global_id(part_, *id);
        if (g == kNone) continue;  // damaged
        ids_.push_back(g);
        std::uint32_t year = cache_->year_of(g);
        if (year != kNone) ids_.push_back(year);
    }
    seen_.push_back(seen);
}

void CachedFacetSpy::keep_first(Xapian::doccount matches) {
    resolve(matches);
    if (docids_.size() > matches) docids_.resize(matches);
    if (total_ <= matches) return;
    std::size_t kept = 0;
    while (kept < seen_.size() && seen_[kept].match < matches) ++kept;
    if (kept < seen_.size()) ids_.resize(seen_[kept].first);
    seen_.resize(kept);
    total_ = matches;
}

void CachedFacetSpy::absorb(CachedFacetSpy& other, Xapian::doccount matches) {
    resolve();
    other.keep_first(matches);
    auto base = static_cast<std::uint32_t>(ids_.size());
    ids_.insert(ids_.end(), other.ids_.begin(), other.ids_.end());
    for (Seen s : other.seen_) {
        s.first += base;
        s.match += total_;
        seen_.push_back(s);
    }
    docids_.insert(docids_.end(), other.docids_.begin(), other.docids_.end());
    total_ += other.total_;
    other.reset(*other.cache_);
}

FacetTally CachedFacetSpy::tally(bool collapse) {
    resolve();
    constexpr std::uint32_t kNone = FacetValueCache::kNoId;
    FacetTally out;
    // Each match gets a group: its story's (copies of one story share it) or its own.
    // Stories are looked up in an open-addressing table, not sorted.
    std::vector<std::uint32_t> group(seen_.size(), kNone);
    std::size_t capacity = 16;
    while (capacity < 2 * seen_.size()) capacity *= 2;
    std::vector<std::uint64_t> story_keys(capacity);
    std::vector<std::uint32_t> story_groups(capacity, kNone);
    std::uint32_t groups = 0;
    for (std::size_t i = 0; i < seen_.size(); ++i) {
        const Seen& s = seen_[i];
        if (s.kind == kUndecodable) {
            ++out.undecodable;
            continue;
        }
        if (s.kind == kOwn) {
            group[i] = groups++;
            ++out.stories;
            continue;
        }
        std::size_t mask = capacity - 1;
        std::size_t at = static_cast<std::size_t>((s.story ^ (s.story >> 29)) * 0x9E3779B97F4A7C15ull >> 20) & mask;
        while (story_groups[at] != kNone && story_keys[at] != s.story) at = (at + 1) & mask;
        if (story_groups[at] == kNone) {
            story_keys[at] = s.story;
            story_groups[at] = groups++;
            ++out.stories;
        }
        group[i] = story_groups[at];
    }

    // The matches in group order (a counting sort: groups are numbered densely), so that
    // the copies of a story come one after another.
    std::vector<std::uint32_t> start(groups + 1, 0);
    for (std::uint32_t g : group)
        if (g != kNone) ++start[g + 1];
    for (std::size_t g = 0; g < groups; ++g) start[g + 1] += start[g];
    std::vector<std::uint32_t> order(start[groups]);
    for (std::size_t i = 0; i < seen_.size(); ++i)
        if (group[i] != kNone) order[start[group[i]]++] = static_cast<std::uint32_t>(i);

    // A value counts a story once (the last group it counted is remembered), a document
    // without a story each time, and every document when not collapsing.
    std::size_t values = cache_->global_count();
    std::vector<Xapian::doccount> count(values, 0);
    std::vector<std::uint32_t> last(values, kNone);
    for (std::uint32_t i : order) {
        const std::uint32_t* id = ids_.data() + seen_[i].first;
        const std::uint32_t* end = ids_.data() + (i + 1 < seen_.size() ? seen_[i + 1].first : ids_.size());
        if (!collapse || seen_[i].kind == kOwn) {
            for (; id < end; ++id) ++count[*id];
        } else {
            for (; id < end; ++id) {
                if (last[*id] == group[i]) continue;
                last[*id] = group[i];
                ++count[*id];
            }
        }
    }
    for (std::size_t g = 0; g < values; ++g)
        if (count[g]) out.counts.emplace_back(cache_->packed(static_cast<std::uint32_t>(g)), count[g]);
    return out;
}

}  // namespace warsearch
