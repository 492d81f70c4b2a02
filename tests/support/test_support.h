// Helpers for tests that run the real binaries or need scratch directories.
#pragma once

#include <string>
#include <vector>

namespace warsearch::testing {

/// What a finished command printed and returned.
struct CommandResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

/// Runs @a argv (no shell) with optional extra environment "NAME=VALUE" entries and
/// optional standard input; captures stdout and stderr.
CommandResult run_command(const std::vector<std::string>& argv, const std::vector<std::string>& env = {},
                          const std::string& stdin_text = "");

/// A fresh directory under the system temp dir, removed with everything in it on
/// destruction.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }
    /// path() + "/" + name
    std::string operator/(const std::string& name) const { return path_ + "/" + name; }

  private:
    std::string path_;
};

/// Writes @a content to @a path (binary).
void write_file(const std::string& path, const std::string& content);
/// Reads a whole file.
std::string read_file(const std::string& path);

/// The source tree (for corpus/ and fixtures).
std::string source_dir();
/// The shared third-party corpus, or "" when it is absent (tests then skip).
std::string shared_corpus_dir();

/// Paths of the built programs.
std::string index_bin();
std::string search_bin();
std::string cgi_bin();

}  // namespace warsearch::testing
