// What keeps a nightly run from making things worse: the database check before writing,
// the one revision number, and the mapping of a failure to its message and exit code.
#include <sstream>

#include "common/entities/catalog.h"
#include "common/exit_codes.h"
#include "common/index/database_layout.h"
#include "common/index/schema.h"
#include "indexer/lock_failure.h"
#include "indexer/nightly/nightly.h"
#include "indexer/nightly/nightly_config.h"

namespace warsearch {

void check_database(const std::string& db_path) {
    for (const auto& path : local_databases(db_path)) {
        std::ostringstream out;
        std::size_t errors = 0;
        std::string first;
        try {
            errors = Xapian::Database::check(path, 0, &out);
        } catch (const Xapian::DatabaseError& e) {
            // DatabaseCorruptError and friends: the check could not even read a table.
            errors = 1;
            first = e.get_description();
        }
        if (errors == 0) continue;
        if (first.empty()) {
            std::istringstream lines(out.str());
            std::string line;
            while (std::getline(lines, line) && first.empty())
                if (line.find_first_not_of(" \t") != std::string::npos) first = line;
        }
        throw NightlyDamagedError("database " + path + " is damaged (xapian-check finds " + std::to_string(errors) +
                                  " error" + (errors == 1 ? "" : "s") + (first.empty() ? "" : ": " + first) +
                                  "); nothing was written.  Restore it from a backup, or rebuild it with "
                                  "warsearch-index, then run again");
    }
}

std::uint64_t index_revision(const std::string& db_path) {
    std::uint64_t total = 0;
    for (const auto& path : local_databases(db_path)) {
        Xapian::Database db(path);
        std::string rev = db.get_metadata(std::string(schema::kMetaRevision));
        // Xapian's own revision only for a database warsearch never wrote (as the searcher).
        total += rev.empty() ? db.get_revision() : std::stoull(rev);
    }
    return total;
}

NightlyFailure describe_nightly_failure(const std::string& db_path) {
    try {
        throw;
    } catch (const NightlyConfigError& e) {
        return {e.what(), exit_code::kUsage};
    } catch (const CatalogError& e) {
        return {std::string("catalog: ") + e.what(), exit_code::kUsage};
    } catch (const NightlyLockedError& e) {
        return {e.what(), exit_code::kLocked};
    } catch (const NightlyRefusedError& e) {
        return {e.what(), kExitRefused};
    } catch (const NightlyDamagedError& e) {
        return {e.what(), exit_code::kRuntime};
    } catch (const Xapian::DatabaseLockError& e) {
        LockFailure failure = lock_failure(e, db_path);
        return {failure.message, failure.exit_code};
    } catch (const Xapian::DatabaseCorruptError& e) {
        return {"database " + db_path + " is damaged: " + e.get_description() +
                    "; restore it from a backup, or rebuild it with warsearch-index",
                exit_code::kRuntime};
    } catch (const Xapian::Error& e) {
        return {e.get_description(), exit_code::kRuntime};
    } catch (const std::exception& e) {
        return {e.what(), exit_code::kRuntime};
    } catch (...) {
        return {"unknown error", exit_code::kRuntime};
    }
}

}  // namespace warsearch
