#include "searcher/database_parts.h"

#include <chrono>
#include <exception>
#include <filesystem>
#include <thread>

#include "common/index/database_layout.h"

namespace warsearch {

DatabaseParts open_database(const std::string& path, const OpenOptions& options) {
    DatabaseParts out;
    std::string stub = find_stub_file(path);
    if (stub.empty()) {
        // The nightly job's compaction swaps a new copy in (an atomic exchange of two
        // directories); an open that straddles it can find tables of both and fail once.
        // A missing database is reported at once; anything else is tried three times.
        for (int attempt = 0;; ++attempt) {
            try {
                Xapian::Database single(path);
                out.parts.push_back(single);
                out.part_dirs.push_back(path);
                out.db = single;
                return out;
            } catch (const Xapian::DatabaseNotFoundError&) {
                throw;
            } catch (const Xapian::DatabaseError&) {
                if (attempt >= 2) throw;
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
        }
    }

    // The shared stub parser (a malformed line is an error naming FILE:LINE); each shard
    // is opened here, so one that is down can be left out.
    std::vector<StubEntry> entries = read_stub_file(stub);
    unsigned opened = 0;
    std::size_t listed = entries.size();
    std::string first_error;
    for (const auto& entry : entries) {
        try {
            if (entry.kind == StubEntry::Kind::remote) {
                out.has_remote = true;
                Xapian::Database shard =
                    Xapian::Remote::open(entry.host, entry.port, options.remote_timeout_ms, options.remote_timeout_ms);
                out.db.add_database(shard);
                out.parts.push_back(shard);
                out.part_dirs.push_back({});
            } else {
                Xapian::Database shard(entry.path);
                out.db.add_database(shard);
                out.parts.push_back(shard);
                out.part_dirs.push_back(entry.path);
            }
            ++opened;
        } catch (const Xapian::Error& e) {
            std::string why = entry.stub_line() + ": " + e.get_msg();
            if (!options.allow_partial) throw Xapian::DatabaseOpeningError("shard " + why);
            out.missing.push_back(entry.stub_line());
            if (first_error.empty()) first_error = why;
        }
    }
    if (listed == 0) throw Xapian::DatabaseOpeningError(stub + " lists no databases");
    if (opened == 0) throw Xapian::DatabaseOpeningError("no shard could be opened (" + first_error + ")");
    return out;
}

}  // namespace warsearch
