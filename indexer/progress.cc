#include "indexer/progress.h"

#include <filesystem>

namespace warsearch {

std::uint64_t total_input_bytes(const std::vector<std::string>& paths) {
    namespace fs = std::filesystem;
    std::uint64_t total = 0;
    for (const auto& p : paths) {
        std::error_code ec;
        if (fs::is_regular_file(p, ec)) {
            total += fs::file_size(p, ec);
        } else if (fs::is_directory(p, ec)) {
            for (fs::recursive_directory_iterator it(p, fs::directory_options::skip_permission_denied, ec), end;
                 it != end; it.increment(ec)) {
                if (ec) break;
                std::error_code fec;
                if (it->is_regular_file(fec)) total += it->file_size(fec);
            }
        }
    }
    return total;
}

ProgressBar::ProgressBar(bool draw, std::uint64_t total_bytes, std::FILE* out)
    : draw_(draw), total_(total_bytes), out_(out) {}

void ProgressBar::file_started(std::uint64_t bytes) {
    done_bytes_ += current_;
    current_ = bytes;
}

void ProgressBar::document() {
    ++docs_;
    if (draw_ && (docs_ & 63) == 0) draw(false);
}

void ProgressBar::finish() {
    done_bytes_ += current_;
    current_ = 0;
    if (draw_) draw(true);
}

double ProgressBar::seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void ProgressBar::draw(bool last) {
    auto now = std::chrono::steady_clock::now();
    if (!last && now - last_draw_ < std::chrono::milliseconds(200)) return;
    last_draw_ = now;
    double secs = seconds();
    double rate = secs > 0 ? docs_ / secs : 0;
    double frac = total_ ? static_cast<double>(done_bytes_) / static_cast<double>(total_) : 0;
    if (last) frac = 1;
    int filled = static_cast<int>(frac * 30);
    std::string bar(static_cast<size_t>(filled), '#');
    bar.resize(30, '.');
    double eta = frac > 0.01 ? secs / frac - secs : 0;
    std::fprintf(out_, "\r[%s] %3d%% %llu docs %.0f docs/s ETA %d:%02d ", bar.c_str(), static_cast<int>(frac * 100),
                 static_cast<unsigned long long>(docs_), rate, static_cast<int>(eta) / 60, static_cast<int>(eta) % 60);
    if (last) std::fputc('\n', out_);
}

}  // namespace warsearch
