#include "indexer/lock_failure.h"

#include "common/exit_codes.h"

namespace warsearch {

LockFailure lock_failure(const Xapian::DatabaseLockError& error, const std::string& db) {
    // Xapian reports "already locked" when another process holds the lock; any other
    // lock error is about the lock file.
    if (error.get_msg().find("already locked") == std::string::npos)
        return {exit_code::kRuntime, db + ": cannot take the write lock: " + error.get_msg()};
    return {exit_code::kLocked, db + " is locked by another writer (" + error.get_msg() + ")"};
}

}  // namespace warsearch
