// Progress of an index run on a terminal: a bar with documents, rate and ETA, redrawn at
// most five times a second, and the input size it measures against.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace warsearch {

/// The bytes of the regular files under @a paths (files, or directories walked
/// recursively), for a progress bar's ETA.  Unreadable entries count nothing; never throws.
std::uint64_t total_input_bytes(const std::vector<std::string>& paths);

/// Counts a run's files, bytes and documents, and draws the bar when asked to.
class ProgressBar {
  public:
    /// @param draw draw on @a out (give false unless @a out is a terminal)
    /// @param total_bytes what the run will read (total_input_bytes()); 0 when unknown
    ProgressBar(bool draw, std::uint64_t total_bytes, std::FILE* out = stderr);

    /// A file of @a bytes is being read (the previous one is done).
    void file_started(std::uint64_t bytes);
    /// One more document.
    void document();
    /// The run is over: the last file is done; the bar is drawn full and ended.
    void finish();

    /// Seconds since construction.
    double seconds() const;
    /// Bytes of the files done and of the one being read.
    std::uint64_t bytes() const { return done_bytes_ + current_; }

  private:
    void draw(bool last);

    bool draw_;
    std::uint64_t total_;
    std::FILE* out_;
    std::uint64_t done_bytes_ = 0, current_ = 0, docs_ = 0;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace warsearch
