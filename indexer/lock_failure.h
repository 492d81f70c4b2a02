// What a front-end says, and with which exit code, when a database's write lock cannot be
// taken: the one mapping shared by warsearch-index and warsearch-nightly.
#pragma once

#include <xapian.h>

#include <string>

namespace warsearch {

/// A write lock that could not be taken, as a front-end reports it.
struct LockFailure {
    /// exit_code::kLocked when another writer holds the lock (try again later);
    /// exit_code::kRuntime when the lock file itself cannot be made (a read-only or full
    /// file system), which Xapian reports as a lock error too.
    int exit_code;
    /// One line naming @a db and the cause, without the program name or a newline.
    std::string message;
};

/// Maps @a error, raised while opening @a db for writing.
LockFailure lock_failure(const Xapian::DatabaseLockError& error, const std::string& db);

}  // namespace warsearch
