// Compaction into a fresh copy and the atomic swap, plus recovery from a swap that was
// killed part-way.  The order of steps is what makes recovery unambiguous:
//   1. compact DB into DB.new (DB untouched; a kill leaves a partial DB.new)
//   2. exchange DB and DB.new in one renameat2(RENAME_EXCHANGE) (DB is always present),
//      or, where unsupported: DB -> DB.old, then DB.new -> DB (DB.new is complete
//      before DB.old appears)
//   3. remove the old copy (now DB.new, or DB.old)
#include <fcntl.h>
#include <stdio.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string_view>
#include <system_error>

#include "common/index/database_layout.h"
#include "indexer/nightly/nightly.h"

namespace fs = std::filesystem;

namespace warsearch {
namespace {

// Test hook: WARSEARCH_NIGHTLY_CRASH_AT=<point> kills the process there, like kill -9.
void crash_point(std::string_view name) {
    const char* at = std::getenv("WARSEARCH_NIGHTLY_CRASH_AT");
    if (at && name == at) std::raise(SIGKILL);
}

}  // namespace

std::string recover_interrupted_compaction(const std::string& db) {
    std::error_code ec;
    const std::string fresh = db + ".new", old = db + ".old";
    bool have_db = fs::exists(db, ec), have_new = fs::exists(fresh, ec), have_old = fs::exists(old, ec);
    std::string did;
    if (have_db) {
        // DB is whole: DB.new is a partial compaction or, after the exchange, the old
        // copy; DB.old is the old copy.  Either way it is garbage.
        if (have_new) {
            fs::remove_all(fresh);
            did += "removed leftover " + fresh + "; ";
        }
        if (have_old) {
            fs::remove_all(old);
            did += "removed leftover " + old + "; ";
        }
    } else if (have_old) {
        // Killed between the two renames of the fallback: DB.new is complete.
        if (have_new && is_single_database(fresh)) {
            fs::rename(fresh, db);
            fs::remove_all(old);
            did += "finished the interrupted swap (" + fresh + " -> " + db + "); ";
        } else {
            fs::rename(old, db);
            if (have_new) fs::remove_all(fresh);
            did += "restored " + old + " -> " + db + "; ";
        }
    } else if (have_new) {
        // No DB and no old copy: nothing proves DB.new complete.
        fs::remove_all(fresh);
        did += "removed " + fresh + " (no database beside it); ";
    }
    if (did.size() >= 2) did.resize(did.size() - 2);
    return did;
}

// Test hook: WARSEARCH_NIGHTLY_FAIL_AT=<point> throws there, like a full disk.
void fail_point(std::string_view name) {
    const char* at = std::getenv("WARSEARCH_NIGHTLY_FAIL_AT");
    if (at && name == at)
        throw std::runtime_error("simulated failure at " + std::string(name) + ": No space left on device");
}

void compact_database(const std::string& db) {
    const std::string fresh = db + ".new", old = db + ".old";
    fs::remove_all(fresh);
    {
        // Holding the write lock means no other writer can commit into the copy we are
        // about to replace; its commit would be lost with it.
        Xapian::WritableDatabase guard(db, Xapian::DB_OPEN);
        try {
            Xapian::Database(db).compact(fresh);
            fail_point("compact");
        } catch (...) {
            // A failed compaction (a full disk, most likely) must not keep its half copy:
            // the disk would stay full.  The database itself is untouched.
            std::error_code ec;
            fs::remove_all(fresh, ec);
            throw;
        }
        crash_point("compact-before-swap");
        if (::renameat2(AT_FDCWD, fresh.c_str(), AT_FDCWD, db.c_str(), RENAME_EXCHANGE) == 0) {
            crash_point("compact-after-swap");
        } else if (errno == EINVAL || errno == ENOSYS || errno == ENOTSUP) {
            fs::rename(db, old);
            crash_point("compact-mid-rename");
            fs::rename(fresh, db);
        } else {
            throw fs::filesystem_error("cannot swap in the compacted copy", fresh, db,
                                       std::error_code(errno, std::generic_category()));
        }
    }
    // The guard is closed: the old copy can go.  Readers that still have its files open
    // keep reading them until they close or reopen.
    std::error_code ec;
    fs::remove_all(fresh, ec);
    fs::remove_all(old, ec);
}

}  // namespace warsearch
