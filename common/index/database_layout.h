// How an index lies on disk, and which documents belong to which input file, defined once
// for the indexer, the nightly job and the searcher.
//
// An index directory is either one Xapian database (its backend files), or a sharded
// index: a stub file DIR/XAPIANDB listing the databases it is made of, which Xapian and
// our searcher open as one.  Every document carries file_term() of the file it was read
// from, so the documents of a file can be found and deleted when the file changes or goes.
#pragma once

#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace warsearch {

// ---- directories ----

/// The stub file's name inside a sharded index directory.
inline constexpr std::string_view kStubFileName = "XAPIANDB";

/// True when @a dir holds one Xapian database (glass or chert backend files).  A stub
/// alone is not one.  Never throws: an unreadable directory holds none.
bool is_single_database(const std::string& dir);

/// True when @a dir holds an index: one database or a stub file.  Never throws.
bool holds_index(const std::string& dir);

/// The directory name of shard @a i (0-based) inside a sharded index: "shard-NN".
std::string shard_directory_name(unsigned i);

// ---- the stub file ----

/// One database a stub file lists.
struct StubEntry {
    enum class Kind { local, remote };
    Kind kind = Kind::local;
    /// What the line names, as written: a path (local) or HOST:PORT (remote).
    std::string location;
    /// Local: the database directory; a relative location is taken relative to the
    /// stub file's folder.  "" for a remote entry.
    std::string path;
    /// Remote: where xapian-tcpsrv serves the database.
    std::string host;
    unsigned port = 0;
    /// The stub file's line it was read from (1-based); 0 for an entry made to be written.
    std::size_t line = 0;

    /// A local entry to write: "auto LOCATION" (relative to the stub's folder, or absolute).
    static StubEntry local(std::string location);
    /// A remote entry to write: "remote HOST:PORT".
    static StubEntry remote(std::string host, unsigned port);
    /// The entry as a stub line, without the newline: "auto shard-00", "remote h:33333".
    std::string stub_line() const;
};

/// The stub file an index path names: PATH itself when it is a regular file, else
/// PATH/XAPIANDB when that is one, else "" (PATH is a single database, or nothing).
std::string find_stub_file(const std::string& path);

/// Reads a stub file.  A line is "auto PATH" (Xapian's "glass PATH" and "chert PATH" are
/// read the same) or "remote HOST:PORT"; PATH is the rest of the line, so it may hold
/// spaces.  Blank lines and lines whose first non-blank character is '#' are skipped.
/// A file listing nothing gives an empty vector (the caller decides what that means).
/// @throws Xapian::DatabaseOpeningError when the file cannot be read, or naming
///         "FILE:LINE" for a malformed line (an unknown kind, a missing location, a
///         remote entry that is not HOST:PORT with a port 1..65535).
std::vector<StubEntry> read_stub_file(const std::string& stub_file);

/// Writes @a entries as a stub file (one stub_line() each), atomically: to a temporary
/// file beside it that is then renamed, so a reader never sees part of a stub.
/// @throws std::runtime_error (naming the file) when it cannot be written.
void write_stub_file(const std::string& stub_file, const std::vector<StubEntry>& entries);

/// The databases a local index directory is made of: the ones its stub lists (in stub
/// order), or DIR itself when it has no stub.  For writers, which need every part on
/// this machine.
/// @throws Xapian::DatabaseOpeningError for a malformed stub, or one that lists no
///         database or a remote one.
std::vector<std::string> local_databases(const std::string& dir);

// ---- the documents of an input file ----

/// The one spelling of an input file's path that ids and file terms are made from, in
/// warsearch-index and the nightly job alike: absolute, with symbolic links, "." and ".."
/// resolved as far as the path exists (std::filesystem::weakly_canonical), else absolute
/// and lexically normal.  "inbox/a.jsonl" run from /data and "/data/inbox/a.jsonl" are
/// one file.  Remembers the last path per thread (callers ask for one file many times).
std::string canonical_input_path(std::string_view path);

/// The boolean term every document read from @a path carries: schema::kFilePrefix and a
/// hash of canonical_input_path(@a path).
std::string file_term(std::string_view path);

/// The term earlier versions made from the path byte for byte as given.  Lookups and
/// deletions by file match it too, so documents indexed before still go with their file.
std::string file_term_as_given(std::string_view path);

/// The id term (schema::kIdPrefix + ...) of @a doc; "" when it has none.
std::string document_id_term(const Xapian::Document& doc);

/// The id terms of the documents in @a db read from @a path (either file term).
std::vector<std::string> id_terms_of_file(const Xapian::Database& db, std::string_view path);

/// What a deletion removed.
struct DeletedDocuments {
    std::uint64_t count = 0;
    std::vector<std::string> ids;  ///< ids (stored fields) of the first max_ids deleted, in docid order
};

/// Deletes from @a db the documents read from @a path, except those whose id term is in
/// @a keep_id_terms (when not null).  Given the id terms a file produces now, this
/// deletes what it produced before and no longer does; a document whose id moved to
/// another file carries that file's term and is left alone.  A document without an id
/// term is always deleted.  Does not commit.
DeletedDocuments delete_documents_of_file(Xapian::WritableDatabase& db, std::string_view path,
                                          const std::unordered_set<std::string>* keep_id_terms, std::size_t max_ids);

/// Deletes every document of @a db whose id term is not in @a seen_id_terms, except the
/// documents read from one of @a kept_files (files that failed to read this time keep
/// what they had).  Call only after a complete walk.  Does not commit.
/// @return the number of id terms deleted.
std::uint64_t delete_unseen_documents(Xapian::WritableDatabase& db,
                                      const std::unordered_set<std::string>& seen_id_terms,
                                      const std::vector<std::string>& kept_files);

}  // namespace warsearch
