#include "common/index/facet_value_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <limits>
#include <utility>
#include <vector>

#include "common/entities/entity_resolver.h"
#include "common/index/facet_slot.h"
#include "common/index/schema.h"
#include "common/text/text.h"

namespace warsearch {
namespace {

constexpr char kMagic[8] = {'w', 's', 'f', 'a', 'c', 'e', 't', '5'};
constexpr std::uint32_t kByteOrder = 0x01020304;

struct Header {
    char magic[8];
    std::uint32_t byte_order;
    std::uint32_t lastdocid;
    std::uint64_t revision;
    std::uint64_t word_count;         ///< record words, after the offsets
    std::uint64_t dictionary_offset;  ///< from the start of the file, a multiple of 8
    std::uint64_t dictionary_size;    ///< packed values
    std::uint64_t names_offset;       ///< right after the dictionary
    std::uint64_t name_count;
    std::uint64_t strings_bytes;    ///< right after the names
    char uuid[48];                  ///< NUL-padded
    std::uint64_t id_order_offset;  ///< uint32 id_order[lastdocid + 1], after the strings, a multiple of 8
    std::uint64_t checksum;         ///< XXH3-64 of the whole file with this field zero
};
static_assert(sizeof(Header) % 8 == 0);

struct Name {
    std::uint64_t packed;
    std::uint32_t key_offset, key_bytes;  ///< into the strings
    std::uint32_t label_offset, label_bytes;
};
static_assert(sizeof(Name) == 24);

std::string file_path(const std::string& db_dir) { return db_dir + "/" + std::string(kFacetValueFileName); }

std::size_t align8(std::size_t n) { return (n + 7) & ~static_cast<std::size_t>(7); }

// Writes every byte of @a pieces to @a fd, in as few writev() calls as the kernel allows
// (it takes at most IOV_MAX pieces and may write less than asked); false with errno set.
bool write_all(int fd, std::vector<iovec> pieces) {
    std::size_t first = 0;
    while (first < pieces.size()) {
        if (pieces[first].iov_len == 0) {
            ++first;
            continue;
        }
        int count = static_cast<int>(std::min<std::size_t>(pieces.size() - first, IOV_MAX));
        ssize_t wrote = ::writev(fd, pieces.data() + first, count);
        if (wrote < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        if (wrote == 0) {  // no progress and no error: give up rather than spin
            errno = EIO;
            return false;
        }
        auto left = static_cast<std::size_t>(wrote);
        while (first < pieces.size() && left >= pieces[first].iov_len) left -= pieces[first++].iov_len;
        if (left > 0) {
            pieces[first].iov_base = static_cast<char*>(pieces[first].iov_base) + left;
            pieces[first].iov_len -= left;
        }
    }
    return true;
}

// XXH3-64 of @a pieces (the header first, its checksum field zero).
std::uint64_t checksum_of(const std::vector<iovec>& pieces) {
    XXH3_state_t* state = XXH3_createState();
    XXH3_64bits_reset(state);
    for (const iovec& p : pieces) XXH3_64bits_update(state, p.iov_base, p.iov_len);
    std::uint64_t sum = XXH3_64bits_digest(state);
    XXH3_freeState(state);
    return sum;
}

// Whether the @a size bytes of @a fd hash to @a header.checksum.  Read with pread() in
// blocks rather than through the mapping, so that a process that reads a few records
// (a CGI request) does not fault the whole file into its address space.
bool checksum_matches(int fd, std::size_t size, Header header) {
    std::uint64_t expected = header.checksum;
    header.checksum = 0;
    XXH3_state_t* state = XXH3_createState();
    XXH3_64bits_reset(state);
    XXH3_64bits_update(state, &header, sizeof header);
    std::vector<char> block(1 << 20);
    bool ok = true;
    for (std::size_t at = sizeof header; ok && at < size;) {
        ssize_t got = ::pread(fd, block.data(), std::min(block.size(), size - at), static_cast<off_t>(at));
        if (got < 0 && errno == EINTR) continue;
        ok = got > 0;
        if (ok) XXH3_64bits_update(state, block.data(), static_cast<std::size_t>(got));
        at += ok ? static_cast<std::size_t>(got) : 0;
    }
    ok = ok && XXH3_64bits_digest(state) == expected;
    XXH3_freeState(state);
    return ok;
}

// The packed value a metadata key kMetaFacetNamePrefix + CODE + 12 hex digits names
// (the inverse of facet_name_metadata_key); 0 when it is not one.
std::uint64_t packed_of_metadata_key(std::string_view meta) {
    meta.remove_prefix(std::min(meta.size(), kMetaFacetNamePrefix.size()));
    if (meta.size() != 13) return 0;
    std::uint64_t packed = static_cast<unsigned char>(meta[0]);
    for (std::size_t i = 1; i < meta.size(); ++i) {
        // Lower-case digits only, as facet_name_metadata_key writes them.
        int d = meta[i] >= 'A' && meta[i] <= 'F' ? -1 : hex_digit_value(meta[i]);
        if (d < 0) return 0;
        packed = (packed << 4) | static_cast<std::uint64_t>(d);
    }
    return packed;
}

// Maps @a size bytes of @a fd read-only.  A file of 2 MiB or more is mapped at a 2 MiB
// boundary and marked MADV_HUGEPAGE, so that when this mapping is what reads it into
// the page cache (after a reboot, or once evicted) Linux reads it in 2 MiB folios, as
// write_facet_value_file() leaves it: each fault then maps a whole folio.  Read in by an
// ordinary mapping, the file stays in 4 KiB pages, and a count of matches spread over
// the collection takes a fault per 64 KiB.  Elsewhere (no THP, an older
// kernel) the advice does nothing.
void* map_in_large_folios(int fd, std::size_t size, bool& asked) {
    asked = false;
    auto anywhere = [&] { return ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0); };
    constexpr std::size_t kFolio = std::size_t{2} << 20;
    if (size < kFolio) return anywhere();
    void* reserved = ::mmap(nullptr, size + kFolio, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (reserved == MAP_FAILED) return anywhere();
    auto start = reinterpret_cast<std::uintptr_t>(reserved);
    std::uintptr_t aligned = (start + kFolio - 1) & ~static_cast<std::uintptr_t>(kFolio - 1);
    void* base = ::mmap(reinterpret_cast<void*>(aligned), size, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 0);
    // What the file does not cover of the reservation goes back (all of it on failure).
    if (base == MAP_FAILED) {
        ::munmap(reserved, size + kFolio);
        return anywhere();
    }
    if (aligned > start) ::munmap(reserved, aligned - start);
    std::uintptr_t end = aligned + size, reserved_end = start + size + kFolio;
    auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    std::uintptr_t page_end = (end + page - 1) & ~(page - 1);
    if (reserved_end > page_end) ::munmap(reinterpret_cast<void*>(page_end), reserved_end - page_end);
#ifdef MADV_HUGEPAGE
    asked = ::madvise(base, size, MADV_HUGEPAGE) == 0;
#endif
    return base;
}

}  // namespace

void FacetRecords::add(Xapian::docid did, std::string_view slot_value) {
    if (offsets.empty()) offsets.push_back(0);  // docid 0 does not exist
    while (offsets.size() <= did) offsets.push_back(static_cast<std::uint32_t>(words.size()));
    if (slot_value.empty()) return;
    std::string_view story;
    thread_local std::vector<FacetItem> items;
    if (!decode_facet_slot(slot_value, story, items)) {
        words.push_back(kRecordUndecodable);
        return;
    }
    words.push_back((story.empty() ? 0 : kRecordHasStory) | static_cast<std::uint32_t>(items.size()));
    if (!story.empty()) {
        std::uint32_t halves[2];
        std::memcpy(halves, story.data(), sizeof halves);
        words.push_back(halves[0]);
        words.push_back(halves[1]);
    }
    for (const FacetItem& item : items) {
        std::uint64_t packed = item.packed();
        auto [it, added] = ids_.try_emplace(packed, static_cast<std::uint32_t>(dictionary.size()));
        if (added) dictionary.push_back(packed);
        words.push_back(it->second);
    }
}

void FacetRecords::finish(Xapian::docid lastdocid) {
    if (offsets.empty()) offsets.push_back(0);
    while (offsets.size() < static_cast<std::size_t>(lastdocid) + 2)
        offsets.push_back(static_cast<std::uint32_t>(words.size()));
}

namespace {

// The facet names of a database, as the searcher would look them up: key from the
// metadata, label the entity's catalog name (the key itself when the catalog has none);
// sorted by packed value.
struct NameTable {
    std::vector<Name> names;
    std::string strings;  ///< the keys and labels the names slice
};

// False when the strings pass 4 GB (uint32 offsets).
bool read_names(const Xapian::Database& db, NameTable& out) {
    EntityResolver resolver(db);
    std::string prefix(kMetaFacetNamePrefix);
    for (auto k = db.metadata_keys_begin(prefix); k != db.metadata_keys_end(prefix); ++k) {
        std::uint64_t packed = packed_of_metadata_key(*k);
        if (packed == 0) continue;
        std::string key = db.get_metadata(*k);
        if (key.empty()) continue;
        std::string label = facet_code_is_entity(static_cast<char>(packed >> 48)) ? resolver.name(key) : key;
        if (label.empty()) label = key;
        Name n{packed, static_cast<std::uint32_t>(out.strings.size()), static_cast<std::uint32_t>(key.size()), 0, 0};
        out.strings += key;
        n.label_offset = static_cast<std::uint32_t>(out.strings.size());
        n.label_bytes = static_cast<std::uint32_t>(label.size());
        out.strings += label;
        if (out.strings.size() > std::numeric_limits<std::uint32_t>::max()) return false;
        out.names.push_back(n);
    }
    std::sort(out.names.begin(), out.names.end(), [](const Name& a, const Name& b) { return a.packed < b.packed; });
    return true;
}

// Each document's place in the order of the document ids (kIdSlot): 0 without one, 1
// for the smallest, equal ids equal places; indexed by docid up to @a lastdocid.
std::vector<std::uint32_t> id_order_of(const Xapian::Database& db, Xapian::docid lastdocid) {
    std::vector<std::uint32_t> id_order(static_cast<std::size_t>(lastdocid) + 1, 0);
    std::vector<std::pair<std::string, Xapian::docid>> ids;
    ids.reserve(db.get_doccount());
    for (auto v = db.valuestream_begin(schema::kIdSlot); v != db.valuestream_end(schema::kIdSlot); ++v)
        ids.emplace_back(*v, v.get_docid());
    std::sort(ids.begin(), ids.end());
    std::uint32_t place = 0;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i == 0 || ids[i].first != ids[i - 1].first) ++place;
        if (ids[i].second <= lastdocid) id_order[ids[i].second] = place;
    }
    return id_order;
}

// Writes @a pieces as @a target through a temporary file renamed into place; "" on
// success, else why not.  One writev() for the whole file: the page cache then holds it
// in large folios (2 MiB where the kernel and file system allow), so a searcher that
// maps it takes a page fault per folio instead of one per 64 KiB; written in small
// pieces (ofstream), it would stay in small pages.
std::string write_whole_file(const std::string& target, const std::vector<iovec>& pieces) {
    std::string tmp = target + ".tmp." + std::to_string(::getpid());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) return "cannot create " + tmp + ": " + std::strerror(errno);
    // Synced before the rename: after a crash the name holds the old file or the whole
    // new one, never a file whose blocks were not written yet.
    bool written = write_all(fd, pieces) && ::fsync(fd) == 0;
    int write_errno = errno;
    if (::close(fd) != 0 && written) {
        written = false;
        write_errno = errno;
    }
    if (!written) {
        std::remove(tmp.c_str());
        return "cannot write " + tmp + ": " + std::strerror(write_errno);
    }
    if (std::rename(tmp.c_str(), target.c_str()) != 0) {
        std::remove(tmp.c_str());
        return "cannot rename " + tmp + " into place";
    }
    // And the directory, so that the rename itself survives a crash.
    std::string dir = target.substr(0, target.find_last_of('/') + 1);
    int dir_fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd >= 0) {
        ::fsync(dir_fd);
        ::close(dir_fd);
    }
    return {};
}

}  // namespace

bool write_facet_value_file(const std::string& db_dir, Xapian::valueno slot, std::string* error) {
    auto fail = [&](const std::string& why) {
        if (error) *error = file_path(db_dir) + ": " + why;
        return false;
    };
    try {
        Xapian::Database db(db_dir);
        Header header{};
        std::memcpy(header.magic, kMagic, sizeof kMagic);
        header.byte_order = kByteOrder;
        header.lastdocid = db.get_lastdocid();
        header.revision = db.get_revision();
        std::string uuid = db.get_uuid();
        if (uuid.size() >= sizeof header.uuid) return fail("database UUID too long");
        std::memcpy(header.uuid, uuid.data(), uuid.size());
        if (header.lastdocid >= std::numeric_limits<std::uint32_t>::max() - 1) return fail("too many documents");

        FacetRecords records;
        for (auto v = db.valuestream_begin(slot); v != db.valuestream_end(slot); ++v) {
            records.add(v.get_docid(), *v);
            if (records.words.size() > std::numeric_limits<std::uint32_t>::max() - 3)
                return fail("over 16 GB of facet records");
        }
        records.finish(header.lastdocid);
        header.word_count = records.words.size();
        header.dictionary_size = records.dictionary.size();
        NameTable names;
        if (!read_names(db, names)) return fail("over 4 GB of facet names");
        std::vector<std::uint32_t> id_order = id_order_of(db, header.lastdocid);

        std::size_t before_dictionary =
            sizeof header + (records.offsets.size() + records.words.size()) * sizeof(std::uint32_t);
        header.dictionary_offset = align8(before_dictionary);
        header.names_offset = header.dictionary_offset + records.dictionary.size() * sizeof(std::uint64_t);
        header.name_count = names.names.size();
        header.strings_bytes = names.strings.size();
        std::size_t after_strings = header.names_offset + names.names.size() * sizeof(Name) + names.strings.size();
        header.id_order_offset = align8(after_strings);
        static const char zeros[8] = {};
        auto piece = [](const void* data, std::size_t bytes) { return iovec{const_cast<void*>(data), bytes}; };
        std::vector<iovec> pieces = {
            piece(&header, sizeof header),
            piece(records.offsets.data(), records.offsets.size() * sizeof(std::uint32_t)),
            piece(records.words.data(), records.words.size() * sizeof(std::uint32_t)),
            piece(zeros, header.dictionary_offset - before_dictionary),
            piece(records.dictionary.data(), records.dictionary.size() * sizeof(std::uint64_t)),
            piece(names.names.data(), names.names.size() * sizeof(Name)),
            piece(names.strings.data(), names.strings.size()),
            piece(zeros, header.id_order_offset - after_strings),
            piece(id_order.data(), id_order.size() * sizeof(std::uint32_t)),
        };
        header.checksum = checksum_of(pieces);  // pieces[0] points at the header
        std::string why = write_whole_file(file_path(db_dir), pieces);
        return why.empty() ? true : fail(why);
    } catch (const Xapian::Error& e) {
        return fail(e.get_description());
    }
}

std::unique_ptr<FacetValueFile> FacetValueFile::map(const std::string& db_dir, const Xapian::Database& db,
                                                    std::string* damage) {
    int fd = ::open(file_path(db_dir).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return nullptr;
    struct stat st {};
    void* base = MAP_FAILED;
    bool large_folios_asked = false;
    if (::fstat(fd, &st) == 0 && static_cast<std::size_t>(st.st_size) >= sizeof(Header))
        base = map_in_large_folios(fd, static_cast<std::size_t>(st.st_size), large_folios_asked);
    if (base == MAP_FAILED) {
        ::close(fd);
        return nullptr;
    }
    std::unique_ptr<FacetValueFile> file(new FacetValueFile());
    file->base_ = base;
    file->size_ = static_cast<std::size_t>(st.st_size);
    file->fd_ = fd;
    file->large_folios_asked_ = large_folios_asked;

    Header header;
    std::memcpy(&header, base, sizeof header);
    header.uuid[sizeof header.uuid - 1] = '\0';
    try {
        if (std::memcmp(header.magic, kMagic, sizeof kMagic) != 0 || header.byte_order != kByteOrder ||
            header.lastdocid != db.get_lastdocid() || header.revision != db.get_revision() ||
            db.get_uuid() != header.uuid)
            return nullptr;
    } catch (const Xapian::Error&) {
        return nullptr;  // e.g. a remote database: no revision to compare
    }
    // A current file (it names this database at this revision) that is not whole is
    // damaged: said once to the caller, and ignored.
    auto damaged = [&](const char* why) -> std::unique_ptr<FacetValueFile> {
        if (damage) *damage = file_path(db_dir) + ": damaged (" + why + "), ignored; facets are counted from the index";
        return nullptr;
    };
    // Every section must lie where the header says, and end where the file does.
    std::size_t offset_words = static_cast<std::size_t>(header.lastdocid) + 2;
    std::size_t words_end = sizeof header + (offset_words + header.word_count) * sizeof(std::uint32_t);
    if (header.word_count > file->size_ / sizeof(std::uint32_t) ||
        header.dictionary_size > file->size_ / sizeof(std::uint64_t) || header.dictionary_offset != align8(words_end) ||
        header.names_offset != header.dictionary_offset + header.dictionary_size * sizeof(std::uint64_t) ||
        header.name_count > file->size_ / sizeof(Name) || header.strings_bytes > file->size_ ||
        header.id_order_offset !=
            align8(header.names_offset + header.name_count * sizeof(Name) + header.strings_bytes) ||
        file->size_ != header.id_order_offset + offset_words * sizeof(std::uint32_t) - sizeof(std::uint32_t))
        return damaged("its sections do not fit its size");
    if (!checksum_matches(fd, file->size_, header)) return damaged("checksum mismatch");
    const char* bytes = static_cast<const char*>(base);
    file->offsets_ = reinterpret_cast<const std::uint32_t*>(bytes + sizeof header);
    file->words_ = file->offsets_ + offset_words;
    file->words_offset_ = sizeof header + offset_words * sizeof(std::uint32_t);
    file->word_count_ = header.word_count;
    file->dictionary_ = reinterpret_cast<const std::uint64_t*>(bytes + header.dictionary_offset);
    file->dictionary_size_ = header.dictionary_size;
    file->lastdocid_ = header.lastdocid;
    if (file->offsets_[header.lastdocid + 1] != header.word_count) return damaged("its offsets do not end its records");
    file->names_ = reinterpret_cast<const unsigned char*>(bytes + header.names_offset);
    file->name_count_ = header.name_count;
    file->strings_ = bytes + header.names_offset + header.name_count * sizeof(Name);
    file->strings_bytes_ = header.strings_bytes;
    file->id_order_ = reinterpret_cast<const std::uint32_t*>(bytes + header.id_order_offset);
    return file;
}

bool FacetValueFile::name(std::uint64_t packed, std::string_view& key, std::string_view& label) const {
    std::size_t lo = 0, hi = name_count_;
    while (lo < hi) {
        std::size_t mid = lo + (hi - lo) / 2;
        Name n;
        std::memcpy(&n, names_ + mid * sizeof(Name), sizeof n);
        if (n.packed < packed) {
            lo = mid + 1;
        } else if (n.packed > packed) {
            hi = mid;
        } else {
            // A damaged file names nothing rather than reading past its strings.
            if (n.key_offset > strings_bytes_ || n.key_bytes > strings_bytes_ - n.key_offset ||
                n.label_offset > strings_bytes_ || n.label_bytes > strings_bytes_ - n.label_offset)
                return false;
            key = std::string_view(strings_ + n.key_offset, n.key_bytes);
            label = std::string_view(strings_ + n.label_offset, n.label_bytes);
            return true;
        }
    }
    return false;
}

std::size_t FacetValueFile::bytes_per_fault() const {
    constexpr std::size_t kFaultAround = 64 * 1024, kFolio = std::size_t{2} << 20, kProbe = 512 * 1024;
    std::size_t known = bytes_per_fault_.load(std::memory_order_relaxed);
    if (known) return known;
    std::size_t found = kFaultAround;
    if (large_folios_asked_ && size_ >= kFolio) {
        // The header's page is mapped (map() read it); a page 512 KiB on is in the same
        // 2 MiB folio when there are such, and a fault away otherwise.
        rusage before{}, after{};
        if (::getrusage(RUSAGE_THREAD, &before) == 0) {
            [[maybe_unused]] volatile char touched = static_cast<const volatile char*>(base_)[kProbe];
            if (::getrusage(RUSAGE_THREAD, &after) == 0 && after.ru_minflt == before.ru_minflt &&
                after.ru_majflt == before.ru_majflt)
                found = kFolio;
        }
    }
    bytes_per_fault_.store(found, std::memory_order_relaxed);
    return found;
}

bool FacetValueFile::read_words(std::uint32_t begin, std::uint32_t end, std::uint32_t* out) const {
    if (begin > end || end > word_count_) return false;
    std::size_t bytes = std::size_t{end - begin} * sizeof(std::uint32_t);
    std::size_t done = 0;
    while (done < bytes) {
        ssize_t got = ::pread(fd_, reinterpret_cast<char*>(out) + done, bytes - done,
                              static_cast<off_t>(words_offset_ + std::size_t{begin} * sizeof(std::uint32_t) + done));
        if (got <= 0) {
            if (got < 0 && errno == EINTR) continue;
            return false;
        }
        done += static_cast<std::size_t>(got);
    }
    return true;
}

FacetValueFile::~FacetValueFile() {
    if (base_) ::munmap(base_, size_);
    if (fd_ >= 0) ::close(fd_);
}

}  // namespace warsearch
