// The facet value file: the facet slot (schema::kFacetSlot, facet_values.h) of every
// document of one database, in docid order, written beside the database's tables as
// DB/warsearch-facets so that a searcher can map it instead of reading value chunks.
//
// Why: a faceted search counts matches spread over the whole collection, and Xapian
// reads their values one value-chunk block at a time, most of a faceted request's
// reads.  A process that answers one request cannot keep them in memory; a mapped file
// costs it page faults on pages the kernel already holds, shared by every process.
//
// The file names the database's UUID, revision and last docid; a searcher uses it only
// when all three are the database's own, so a file left by an older revision (a writer
// committed since, a copy made by xapian-compact) is never read, only ignored.  The
// indexer writes it after every run and the nightly job after compacting; without a
// current file, searches read the values from the index itself.
//
// The values are stored as the searcher counts them, not as the slot holds them: each
// document is a record of 32-bit words (its story, then its facet values as indexes into
// the file's dictionary of packed values, FacetItem::packed), so a count is array
// increments, not decoding 6-byte keys and hashing them.  The file also names the facet
// keys: for each packed value the database's metadata names (kMetaFacetNamePrefix), its
// key (entity id or source slug) and the label a facet shows (the entity's catalog
// name), so that a page names the facet values it shows without a metadata read each.
//
// A checksum (XXH3-64 of the whole file) is verified when the file is mapped: a damaged
// file is ignored (with one warning from the searcher) as a stale one is.
//
// Layout (native byte order and alignment, checked by a marker):
//   Header | uint32 offsets[lastdocid + 2] | uint32 words[] | padding to 8 |
//   uint64 dictionary[] | Name[] | strings | padding to 8 | uint32 id_order[lastdocid + 1]
// Document D's record is words[offsets[D] .. offsets[D + 1]) (FacetRecords below); names
// are sorted by packed value, their key and label slices of the strings.  id_order[D] is
// D's place among the document ids (schema::kIdSlot, the ranking tie-break): a searcher
// sorts by it instead of reading each candidate's id value (Searcher, IdOrderKeyMaker).
#pragma once

#include <xapian.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace warsearch {

/// Facet values as the searcher counts them.  A document's record is 32-bit words:
///   word 0       kRecordHasStory | kRecordUndecodable | the number of ids (kRecordCountMask)
///   words 1, 2   the story's 8 bytes (only with kRecordHasStory)
///   then         the ids: indexes into the dictionary of packed values
/// A document without a facet value has an empty record; one whose value is not in this
/// schema's format (schema 1) has kRecordUndecodable and no ids.
inline constexpr std::uint32_t kRecordHasStory = 1u << 31;
inline constexpr std::uint32_t kRecordUndecodable = 1u << 30;
inline constexpr std::uint32_t kRecordCountMask = kRecordUndecodable - 1;

struct FacetRecords {
    std::vector<std::uint32_t> offsets;  ///< by docid, lastdocid + 2 of them, in words
    std::vector<std::uint32_t> words;
    std::vector<std::uint64_t> dictionary;  ///< id -> packed value

    /// Appends document @a did's facet slot value; docids ascending (the ones skipped get
    /// empty records).
    void add(Xapian::docid did, std::string_view slot_value);
    /// Ends the table at @a lastdocid.
    void finish(Xapian::docid lastdocid);
    std::size_t bytes() const {
        return (offsets.size() + words.size()) * sizeof(std::uint32_t) + dictionary.size() * sizeof(std::uint64_t);
    }

  private:
    std::unordered_map<std::uint64_t, std::uint32_t> ids_;
};

/// The file's name inside a database directory.
inline constexpr std::string_view kFacetValueFileName = "warsearch-facets";

/// Writes @a db_dir/warsearch-facets for the database in @a db_dir at its current
/// revision (a temporary file, synced, then renamed into place and the directory synced,
/// so a reader sees a whole file or none, also after a crash).
/// Returns false with @a error set when it cannot (not writable, over 16 GB of records).
bool write_facet_value_file(const std::string& db_dir, Xapian::valueno slot, std::string* error);

/// A facet value file mapped into memory.
class FacetValueFile {
  public:
    /// Maps @a db_dir/warsearch-facets if it exists and describes @a db as it is now
    /// (same UUID, revision and last docid) and is whole: its sections fit its size and
    /// its XXH3-64 checksum (over the whole file, read once with pread()) matches.  Null
    /// otherwise; a file that is current but not whole also sets @a damage (when given)
    /// to a one-line message naming it, for the caller to warn once.
    static std::unique_ptr<FacetValueFile> map(const std::string& db_dir, const Xapian::Database& db,
                                               std::string* damage = nullptr);
    ~FacetValueFile();
    FacetValueFile(const FacetValueFile&) = delete;
    FacetValueFile& operator=(const FacetValueFile&) = delete;

    /// The key and label of packed facet value @a packed (FacetItem::packed); false when
    /// the file does not name it.
    bool name(std::uint64_t packed, std::string_view& key, std::string_view& label) const;

    /// Offsets by docid, lastdocid() + 2 of them, into words(); the dictionary.
    const std::uint32_t* offsets() const { return offsets_; }
    const std::uint32_t* words() const { return words_; }
    /// Copies words [@a begin, @a end) into @a out with one pread(), without touching the
    /// mapping; false when they cannot be read.  A process that reads a few records once
    /// (a CGI request) saves the page faults that would map most of the file: Linux maps
    /// 64 KiB around each faulting page ("fault-around"), so records spread over the
    /// file map most of it.  Thread-safe.
    bool read_words(std::uint32_t begin, std::uint32_t end, std::uint32_t* out) const;
    /// The bytes of the words section.
    std::size_t words_bytes() const { return word_count_ * sizeof(std::uint32_t); }
    /// How much of this mapping a page fault maps, found once by a probe: 2 MiB when the
    /// page cache holds the file in 2 MiB folios (write_facet_value_file() and map() see
    /// to that where Linux can), otherwise 64 KiB (Linux's fault-around).  The probe
    /// touches one page 512 KiB into the file and counts this thread's page faults.
    std::size_t bytes_per_fault() const;
    std::size_t word_count() const { return word_count_; }
    const std::uint64_t* dictionary() const { return dictionary_; }
    std::size_t dictionary_size() const { return dictionary_size_; }
    Xapian::docid lastdocid() const { return lastdocid_; }
    /// Document @a did's place in the order of the document ids (0: no id, or out of
    /// range); documents with equal ids have equal places.
    std::uint32_t id_order(Xapian::docid did) const { return did <= lastdocid_ ? id_order_[did] : 0; }

  private:
    FacetValueFile() = default;
    void* base_ = nullptr;
    std::size_t size_ = 0;
    int fd_ = -1;                                          ///< kept open for read_words()
    bool large_folios_asked_ = false;                      ///< mapped at 2 MiB with MADV_HUGEPAGE
    mutable std::atomic<std::size_t> bytes_per_fault_{0};  ///< 0: not probed yet
    std::size_t words_offset_ = 0;                         ///< where the words start in the file
    const std::uint32_t* offsets_ = nullptr;
    const std::uint32_t* words_ = nullptr;
    std::size_t word_count_ = 0;
    const std::uint64_t* dictionary_ = nullptr;
    std::size_t dictionary_size_ = 0;
    Xapian::docid lastdocid_ = 0;
    const unsigned char* names_ = nullptr;  ///< Name records (see the .cc)
    std::size_t name_count_ = 0;
    const char* strings_ = nullptr;
    std::size_t strings_bytes_ = 0;
    const std::uint32_t* id_order_ = nullptr;
};

}  // namespace warsearch
