// Opening what a searcher searches: one database directory, or a stub that lists local
// or remote shards, kept as the combined database and its parts.
#pragma once

#include <xapian.h>

#include <string>
#include <vector>

namespace warsearch {

/// How a Searcher opens its database.
struct OpenOptions {
    /// With a stub listing several shards: search the shards that answer and mark the
    /// results partial, instead of failing when one is down.
    bool allow_partial = false;
    /// Milliseconds to wait for a remote shard to connect and to answer.
    unsigned remote_timeout_ms = 10000;
};

/// An opened database and the parts it combines.
struct DatabaseParts {
    Xapian::Database db;                  ///< all the parts, as one database
    std::vector<Xapian::Database> parts;  ///< the shards (or the one database), in order
    std::vector<std::string> part_dirs;   ///< their directories ("" for a remote shard)
    std::vector<std::string> missing;     ///< shards that could not be opened (allow_partial)
    bool has_remote = false;              ///< some shard is served by xapian-tcpsrv
};

/// Opens @a path: a database directory, or a stub (a file, or a directory holding a
/// XAPIANDB file) whose lines are "auto PATH" (relative to the stub) or "remote HOST:PORT"
/// (a xapian-tcpsrv).  Shards that cannot be opened are named in DatabaseParts::missing
/// when allow_partial is set; otherwise the first one throws, naming the shard.
/// @throws Xapian::DatabaseNotFoundError when @a path is no database;
///         Xapian::DatabaseOpeningError (or another Xapian::Error) when nothing can be
///         opened, a stub line is malformed, or a shard fails without allow_partial.
DatabaseParts open_database(const std::string& path, const OpenOptions& options);

}  // namespace warsearch
