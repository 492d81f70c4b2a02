// Exit codes shared by every warsearch program, documented in the README.
#pragma once

namespace warsearch::exit_code {

inline constexpr int kOk = 0;          ///< success (also: a search with zero hits)
inline constexpr int kUsage = 1;       ///< bad options or configuration
inline constexpr int kBadQuery = 2;    ///< the query could not be understood
inline constexpr int kRuntime = 3;     ///< database or other runtime failure
inline constexpr int kSomeFailed = 4;  ///< indexing finished, but some inputs failed
inline constexpr int kLocked = 5;      ///< another writer or nightly run holds the lock

}  // namespace warsearch::exit_code
