#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <xxhash.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "common/text/text.h"
#include "indexer/nightly/nightly.h"

namespace warsearch {

std::string FileState::to_json() const {
    nlohmann::json j = {{"size", size}, {"mtime_ns", mtime_ns}, {"hash", hash}, {"ids", ids}};
    if (failures) j["failures"] = failures;
    if (!content_hashes.empty()) j["content"] = content_hashes;
    if (!quarantined.empty()) j["quarantined"] = quarantined;
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
        s.content_hashes = j.value("content", std::vector<std::string>{});
        if (s.content_hashes.size() != s.ids.size()) s.content_hashes.clear();
        s.quarantined = j.value("quarantined", std::string());
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

std::string nightly_crash_path(const std::string& db_path) {
    std::string p = db_path;
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    return p + ".nightly.crash";
}

std::optional<CrashedFile> read_crash_marker(const std::string& db_path) {
    std::ifstream in(nightly_crash_path(db_path));
    CrashedFile c;
    std::string signal;
    if (!std::getline(in, c.hash) || !std::getline(in, c.path) || !std::getline(in, signal)) return std::nullopt;
    if (c.hash.size() != 16 || c.path.empty() || signal.empty()) return std::nullopt;
    c.signal = std::atoi(signal.c_str());
    return c;
}

namespace {

// The signal handler may only use what is async-signal-safe: the buffer is filled
// before each file, and the handler writes it as it is.
constexpr std::size_t kCrashBufferSize = 8192;
int g_crash_fd = -1;
char g_crash_buffer[kCrashBufferSize];
volatile std::sig_atomic_t g_crash_length = 0;
constexpr int kCrashSignals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
struct sigaction g_previous[sizeof kCrashSignals / sizeof kCrashSignals[0]];
std::vector<char> g_alt_stack;

void on_crash_signal(int sig) {
    std::sig_atomic_t n = g_crash_length;
    if (g_crash_fd >= 0 && n > 0) {
        char digits[12];
        int d = 0;
        for (int v = sig; v > 0 && d < 11; v /= 10) digits[d++] = static_cast<char>('0' + v % 10);
        char line[13];
        for (int i = 0; i < d; ++i) line[i] = digits[d - 1 - i];
        line[d] = '\n';
        if (::ftruncate(g_crash_fd, 0) == 0 &&
            ::pwrite(g_crash_fd, g_crash_buffer, static_cast<std::size_t>(n), 0) == static_cast<ssize_t>(n)) {
            ssize_t w = ::pwrite(g_crash_fd, line, static_cast<std::size_t>(d + 1), n);
            (void)w;
            ::fsync(g_crash_fd);
        }
    }
    // SA_RESETHAND restored the default action; the signal, raised again, is delivered
    // when the handler returns, so the process dies of it as it would have (a fault
    // would repeat anyway; a raise() or kill would not).
    ::raise(sig);
}

}  // namespace

CrashMarker::CrashMarker(const std::string& db_path) {
    std::string path = nightly_crash_path(db_path);
    g_crash_fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (g_crash_fd < 0) throw std::runtime_error("cannot create " + path + ": " + std::strerror(errno));
    g_alt_stack.resize(1 << 16);
    stack_t ss{};
    ss.ss_sp = g_alt_stack.data();
    ss.ss_size = g_alt_stack.size();
    ::sigaltstack(&ss, nullptr);
    struct sigaction sa {};
    sa.sa_handler = on_crash_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_ONSTACK | SA_RESETHAND;
    for (std::size_t i = 0; i < sizeof kCrashSignals / sizeof kCrashSignals[0]; ++i)
        ::sigaction(kCrashSignals[i], &sa, &g_previous[i]);
}

CrashMarker::~CrashMarker() {
    for (std::size_t i = 0; i < sizeof kCrashSignals / sizeof kCrashSignals[0]; ++i)
        ::sigaction(kCrashSignals[i], &g_previous[i], nullptr);
    g_crash_length = 0;
    if (g_crash_fd >= 0) ::close(g_crash_fd);
    g_crash_fd = -1;
}

void CrashMarker::reading(const std::string& path, const std::string& hash) {
    g_crash_length = 0;
    std::string text = hash + "\n" + path + "\n";
    if (text.size() > kCrashBufferSize) return;  // a path that long is blamed on no one
    std::memcpy(g_crash_buffer, text.data(), text.size());
    std::atomic_signal_fence(std::memory_order_seq_cst);
    g_crash_length = static_cast<std::sig_atomic_t>(text.size());
}

void CrashMarker::done() { g_crash_length = 0; }

void CrashMarker::clear() {
    if (g_crash_fd >= 0 && ::ftruncate(g_crash_fd, 0) != 0) {
        // Harmless: the next run finds the crash already dealt with in the file's state.
    }
}

}  // namespace warsearch
