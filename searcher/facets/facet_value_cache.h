// The facet values of every document, mapped from the facet value file the indexer
// writes beside the database (any searcher, when the file is current) or held in memory
// by a long-running searcher (the FastCGI server), so that counting facets reads no
// value from the index and decodes none: a document is a record of ids into a
// dictionary (FacetRecords, facet_value_file.h), counted by array increments.
//
// A faceted search counts up to facet_bound matches spread over the collection; reading
// their facet values from Xapian costs one pread per value-chunk block they fall in, and
// the kernel copying those blocks dominates a long-running server's work.  Held in
// memory, the values are loaded once per database revision, read sequentially (a value
// stream per shard), capped by a byte limit.
// Local databases only: a remote shard's values stay on its server.
#pragma once

#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/index/facet_value_file.h"

namespace warsearch {

/// What a facet count found: per packed facet value (FacetItem::packed; years too, code
/// 'y', tallied from the months) how many stories (or documents) have it.
struct FacetTally {
    std::vector<std::pair<std::uint64_t, Xapian::doccount>> counts;
    Xapian::doccount stories = 0;      ///< distinct stories (documents without one: each its own)
    Xapian::doccount undecodable = 0;  ///< matches whose value is not in this schema's format
};

/// The code of a year: years are tallied from the months, never stored, so the code is
/// the searcher's own.
inline constexpr std::string_view kFacetYear = "y";

/// The packed year value (kFacetYear: the year in the key's first four bytes) of a
/// packed month value ("YYYYMM").
std::uint64_t facet_year_of_month(std::uint64_t packed_month);

/// Asks the CPU to bring the cache line of @a p closer; never faults.  Not
/// __builtin_prefetch: GCC 12 drops it (no instruction at all) when the address was
/// loaded from memory behind a bounds check, as in prefetch_record().
inline void prefetch_line(const void* p) {
#if defined(__x86_64__) || defined(__i386__)
    asm volatile("prefetcht0 %0" : : "m"(*static_cast<const char*>(p)));
#else
    __builtin_prefetch(p);
#endif
}

class FacetValueCache {
  public:
    /// Gets the facet values (slot @a slot) of every document of @a parts, the
    /// sub-databases of one combined Database in order: for each part, its facet value
    /// file mapped (facet_value_file.h; @a part_dirs[p] is its directory, "" for none)
    /// when the file describes the part as it is now; otherwise, with a @a load_limit,
    /// its values read into memory (all parts together at most @a load_limit bytes).
    /// Returns false, holding nothing, when some part has neither.
    bool open(const std::vector<Xapian::Database>& parts, const std::vector<std::string>& part_dirs,
              Xapian::valueno slot, std::size_t load_limit);
    bool loaded() const { return loaded_; }
    /// The damaged facet value files the last open() found and ignored (one message
    /// each, FacetValueFile::map), whether or not it succeeded.
    const std::vector<std::string>& damaged_files() const { return damaged_; }
    void clear();
    /// For a process that answers one search (CGI, CLI) and exits: a count of up to
    /// @a per_fault records per fault's worth of a mapped file's records reads them with
    /// pread() (read_record()), a larger one maps them (0, the default: never read).  Through the
    /// mapping, such a process pays a page fault per 64 KiB its records fall in (Linux
    /// maps that much around each fault) and the unmapping at exit, so a few hundred
    /// records spread over the file map nearly all of it.  kReadsPerFault: a fault and
    /// its unmapping cost about as much as ten preads.  Where the file is in 2 MiB page-cache
    /// folios (FacetValueFile::bytes_per_fault), a fault maps 2 MiB, and only counts of a
    /// few dozen records are read.  A long-running process keeps its pages mapped: leave
    /// it off.
    void set_reads_per_fault(std::size_t per_fault) { reads_per_fault_ = per_fault; }
    static constexpr std::size_t kReadsPerFault = 10;
    /// Whether a count of @a count records of part @a part reads them (set_reads_per_fault()
    /// and the part is mapped from a file).
    bool reads_records(std::size_t part, std::size_t count) const;
    /// Document @a did's record of part @a part, read with one pread() into @a out; empty
    /// when it has no value, or cannot be read (it then counts nowhere, as a damaged
    /// file's record does).
    void read_record(std::size_t part, Xapian::docid did, std::vector<std::uint32_t>& out) const;
    /// Asks the CPU to fetch document @a did's entry in the record offsets of part
    /// @a part (then its record, prefetch_record) before record() reads it.
    void prefetch_offset(std::size_t part, Xapian::docid did) const {
        const View& v = views_[part];
        if (did <= v.lastdocid) prefetch_line(v.offsets + did);
    }
    void prefetch_record(std::size_t part, Xapian::docid did) const {
        const View& v = views_[part];
        if (did > v.lastdocid) return;
        std::uint32_t begin = v.offsets[did], end = v.offsets[did + 1];
        if (begin >= end || end > v.word_count) return;
        prefetch_line(v.words + begin);
        prefetch_line(v.words + end - 1);  // a record often ends in the next cache line
    }
    /// The record of document @a did of part @a part (empty when it has no value).
    std::pair<const std::uint32_t*, const std::uint32_t*> record(std::size_t part, Xapian::docid did) const {
        if (part >= views_.size()) return {};
        const View& v = views_[part];
        if (did == 0 || did > v.lastdocid) return {};
        std::uint32_t begin = v.offsets[did], end = v.offsets[did + 1];
        if (begin > end || end > v.word_count) return {};  // a damaged file reads as no value
        return {v.words + begin, v.words + end};
    }
    std::size_t parts() const { return views_.size(); }
    /// Bytes held in memory (records, offsets, dictionaries; mapped files not counted).
    std::size_t bytes() const;
    /// How many parts are served from a mapped file.
    std::size_t mapped_parts() const;
    /// Part @a part's mapped file; null when its values are in memory (or none).
    const FacetValueFile* file(std::size_t part) const {
        return part < held_.size() ? held_[part].file.get() : nullptr;
    }
    /// The key and label of a packed facet value, from the first mapped file that names
    /// it; false when none does (look in the database's metadata instead).
    bool name(std::uint64_t packed, std::string_view& key, std::string_view& label) const;

    /// The ids of all parts in one numbering: global id of part @a part's id @a id
    /// (kNoId for an id out of range: a damaged file).
    static constexpr std::uint32_t kNoId = 0xffffffffu;
    std::uint32_t global_id(std::size_t part, std::uint32_t id) const {
        const auto& ids = global_ids_[part];
        return id < ids.size() ? ids[id] : kNoId;
    }
    std::size_t global_count() const { return packed_.size(); }
    std::uint64_t packed(std::uint32_t global) const { return packed_[global]; }
    /// The global id of the year of a month's global id (kNoId for other values).
    std::uint32_t year_of(std::uint32_t global) const { return year_of_[global]; }

  private:
    struct View {
        const std::uint32_t* offsets = nullptr;  ///< lastdocid + 2 of them
        const std::uint32_t* words = nullptr;
        std::size_t word_count = 0;
        Xapian::docid lastdocid = 0;
    };
    struct Held {
        std::unique_ptr<FacetValueFile> file;
        FacetRecords records;  ///< when read into memory
    };
    bool loaded_ = false;
    std::size_t reads_per_fault_ = 0;
    std::vector<std::string> damaged_;
    std::vector<View> views_;
    std::vector<Held> held_;
    std::vector<std::vector<std::uint32_t>> global_ids_;  ///< per part: id -> global id
    std::vector<std::uint64_t> packed_;                   ///< global id -> packed value
    std::vector<std::uint32_t> year_of_;                  ///< global id -> its year's, or kNoId
};

/// A match spy that copies each match's facet values (global ids, years added) and story
/// from the cache into arrays of its own, so that tally() reads compact memory instead of
/// records spread over the file (reading those dominated a count of many matches).
/// Call tally() after the match.
///
/// During the match it only notes docids; their records are copied in batches (by
/// set_part(), keep_first(), absorb(), docids() and tally()), several documents ahead of
/// each other with prefetches.
/// Reading a record per match inside the matcher cost two dependent cache misses each
/// (the offset, then the record), which the matcher's own work between matches kept from
/// overlapping, a large part of the heaviest phrase queries.
///
/// A spy sees each sub-database's own docids (Xapian 1.4 runs them one after another),
/// not the combined ones, so it cannot tell the parts apart: match each part in a pass
/// of its own, naming it with set_part() first.
class CachedFacetSpy : public Xapian::MatchSpy {
  public:
    /// @a expected: the most matches it will see (the facet bound), for room reserved
    /// at once: memory of that size is mapped, not touched, until used, and growing it
    /// by copies cost a one-search process (CGI) a page fault per page copied.
    explicit CachedFacetSpy(const FacetValueCache& cache, Xapian::doccount expected = 0) : cache_(&cache) {
        pending_.reserve(expected);
        seen_.reserve(expected);
        ids_.reserve(std::size_t{expected} * 24);
    }
    /// Forgets the matches seen, to count again from @a cache (the memory reserved is
    /// kept: a spy reused by the facet threads touches no fresh pages).
    void reset(const FacetValueCache& cache) {
        cache_ = &cache;
        part_ = 0;
        pending_.clear();
        seen_.clear();
        ids_.clear();
        docids_.clear();
        keep_docids_ = false;
        total_ = 0;
    }
    /// Also keep every match's docid, in match order (docids()).
    void keep_docids() { keep_docids_ = true; }
    /// The docids of the matches seen, with keep_docids() (one database's: one part).
    const std::vector<Xapian::docid>& docids() {
        resolve();
        return docids_;
    }
    void set_part(std::size_t part) {
        resolve();
        part_ = part;
    }
    void operator()(const Xapian::Document& doc, double) override {
        pending_.push_back(doc.get_docid());
        ++total_;
    }
    Xapian::doccount total() const { return total_; }
    /// Keeps only the first @a matches matches.
    void keep_first(Xapian::doccount matches);
    /// Adds the first @a matches matches @a other saw (its part's, after this one's);
    /// @a other is left empty.
    void absorb(CachedFacetSpy& other, Xapian::doccount matches);
    /// Counts the facet values of the matches: with @a collapse a story once per value
    /// however many of its copies matched, otherwise every document (exactly what
    /// Searcher counts from Xapian's ValueCountMatchSpy).
    FacetTally tally(bool collapse);

  private:
    enum Kind : std::uint8_t { kOwn, kStoried, kUndecodable };
    struct Seen {
        std::uint64_t story;     ///< with kStoried
        std::uint32_t first;     ///< its ids: ids_[first .. the next match's first)
        Xapian::doccount match;  ///< how many matches the spy had seen before this one
        Kind kind;
    };
    /// Copies the records of the pending docids (of part_), the first @a limit matches'
    /// only (the others are dropped).
    void resolve(Xapian::doccount limit = ~Xapian::doccount{0});
    /// Copies the record [@a begin, @a end) (empty: no value); @a match: the matches
    /// seen before it.
    void copy_record(const std::uint32_t* begin, const std::uint32_t* end, Xapian::doccount match);

    const FacetValueCache* cache_;
    std::size_t part_ = 0;
    std::vector<Xapian::docid> pending_;  ///< matches whose records are not copied yet
    std::vector<Seen> seen_;              ///< the matches with a record, in match order
    std::vector<std::uint32_t> ids_;
    std::vector<Xapian::docid> docids_;  ///< with keep_docids_: every resolved match's
    std::vector<std::uint32_t> read_;    ///< a record read from the file (reads_records())
    bool keep_docids_ = false;
    Xapian::doccount total_ = 0;  ///< matches seen (copied or pending)
};

}  // namespace warsearch
