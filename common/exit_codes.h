// Exit codes shared by every warsearch program, documented in the README.
#pragma once

#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace warsearch::exit_code {

inline constexpr int kOk = 0;          ///< success (also: a search with zero hits)
inline constexpr int kUsage = 1;       ///< bad options or configuration
inline constexpr int kBadQuery = 2;    ///< the query could not be understood
inline constexpr int kRuntime = 3;     ///< database or other runtime failure
inline constexpr int kSomeFailed = 4;  ///< indexing finished, but some inputs failed
inline constexpr int kLocked = 5;      ///< another writer or nightly run holds the lock

/// A program's error, the one way every front-end reports it: "PROGRAM: MESSAGE" on
/// stderr and, with @a json, {"error": {"exit_code", "kind", "message"}} on stdout.
/// Returns @a code, the exit code.
inline int report_error(std::string_view program, bool json, int code, const char* kind, const std::string& message) {
    std::cerr << program << ": " << message << "\n";
    if (json) {
        nlohmann::json j = {{"error", {{"exit_code", code}, {"kind", kind}, {"message", message}}}};
        std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    }
    return code;
}

}  // namespace warsearch::exit_code
