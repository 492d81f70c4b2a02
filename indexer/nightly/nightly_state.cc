#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <xxhash.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "common/text/text.h"
#include "indexer/nightly/nightly.h"

namespace warsearch {

std::string FileState::to_json() const {
    nlohmann::json j = {{"size", size}, {"mtime_ns", mtime_ns}, {"hash", hash}, {"ids", ids}};
    if (failures) j["failures"] = failures;
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<FileState> FileState::from_json(const std::string& text) {
    nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (!j.is_object()) return std::nullopt;
    try {
        FileState s;
        s.size = j.at("size").get<std::uint64_t>();
        s.mtime_ns = j.at("mtime_ns").get<std::int64_t>();
        s.hash = j.at("hash").get<std::string>();
        s.ids = j.value("ids", std::vector<std::string>{});
        s.failures = j.value("failures", std::uint64_t{0});
        return s;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
}

std::string hash_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open: " + std::string(std::strerror(errno)));
    XXH3_state_t* state = XXH3_createState();
    if (!state) throw std::bad_alloc();
    XXH3_64bits_reset(state);
    std::string buf(1 << 16, '\0');
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        std::streamsize got = in.gcount();
        if (got > 0) XXH3_64bits_update(state, buf.data(), static_cast<std::size_t>(got));
    }
    bool bad = in.bad();
    unsigned long long h = XXH3_64bits_digest(state);
    XXH3_freeState(state);
    if (bad) throw std::runtime_error("read error");
    return hex64(h);
}

std::map<std::string, FileState> load_file_states(const Xapian::Database& db) {
    std::map<std::string, FileState> out;
    std::string prefix(kMetaFilePrefix);
    for (auto k = db.metadata_keys_begin(prefix); k != db.metadata_keys_end(prefix); ++k) {
        // A damaged entry reads as "never indexed": the file is indexed again.
        if (auto s = FileState::from_json(db.get_metadata(*k))) out.emplace((*k).substr(prefix.size()), std::move(*s));
    }
    return out;
}

std::string nightly_lock_path(const std::string& db_path) {
    std::string p = db_path;
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    return p + ".nightly.lock";
}

NightlyLock::NightlyLock(const std::string& db_path) : path_(nightly_lock_path(db_path)) {
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) throw std::runtime_error("cannot create lock file " + path_ + ": " + std::strerror(errno));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        int err = errno;
        // Say who holds it, when the holder wrote its pid.
        char buf[32] = {0};
        ssize_t n = ::pread(fd_, buf, sizeof buf - 1, 0);
        std::string holder = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "";
        while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
        ::close(fd_);
        fd_ = -1;
        if (err == EWOULDBLOCK)
            throw NightlyLockedError("another nightly run holds " + path_ +
                                     (holder.empty() ? std::string() : " (pid " + holder + ")") +
                                     "; not starting a second one");
        throw std::runtime_error("cannot lock " + path_ + ": " + std::strerror(err));
    }
    std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd_, 0) == 0) {
        ssize_t w = ::pwrite(fd_, pid.data(), pid.size(), 0);
        (void)w;  // the pid is only a hint for the message above
    }
}

NightlyLock::~NightlyLock() {
    if (fd_ >= 0) ::close(fd_);  // closing drops the flock
}

}  // namespace warsearch
