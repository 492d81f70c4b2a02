#include "searcher/database_parts.h"

#include <chrono>
#include <exception>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace warsearch {

DatabaseParts open_database(const std::string& path, const OpenOptions& options) {
    namespace fs = std::filesystem;
    DatabaseParts out;
    std::error_code ec;
    std::string stub;
    if (fs::is_regular_file(path, ec))
        stub = path;
    else if (fs::is_regular_file(path + "/XAPIANDB", ec))
        stub = path + "/XAPIANDB";
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

    // Our own reading of the stub, so one shard that is down can be left out.
    std::ifstream in(stub);
    fs::path base = fs::path(stub).parent_path();
    std::string line;
    unsigned opened = 0, listed = 0;
    std::string first_error;
    while (std::getline(in, line)) {
        std::istringstream words(line);
        std::string kind, where;
        if (!(words >> kind >> where) || kind[0] == '#') continue;
        ++listed;
        try {
            if (kind == "remote") {
                out.has_remote = true;
                std::size_t colon = where.rfind(':');
                if (colon == std::string::npos || where[0] == ':')
                    throw Xapian::DatabaseOpeningError("only remote HOST:PORT shards are supported: " + where);
                std::string host = where.substr(0, colon);
                unsigned port = static_cast<unsigned>(std::stoul(where.substr(colon + 1)));
                Xapian::Database shard =
                    Xapian::Remote::open(host, port, options.remote_timeout_ms, options.remote_timeout_ms);
                out.db.add_database(shard);
                out.parts.push_back(shard);
                out.part_dirs.push_back({});
            } else {
                fs::path p(where);
                if (p.is_relative()) p = base / p;
                Xapian::Database shard(p.string());
                out.db.add_database(shard);
                out.parts.push_back(shard);
                out.part_dirs.push_back(p.string());
            }
            ++opened;
        } catch (const Xapian::Error& e) {
            std::string why = kind + " " + where + ": " + e.get_msg();
            if (!options.allow_partial) throw Xapian::DatabaseOpeningError("shard " + why);
            out.missing.push_back(kind + " " + where);
            if (first_error.empty()) first_error = why;
        } catch (const std::exception& e) {
            throw Xapian::DatabaseOpeningError("bad stub line '" + line + "' in " + stub);
        }
    }
    if (listed == 0) throw Xapian::DatabaseOpeningError(stub + " lists no databases");
    if (opened == 0) throw Xapian::DatabaseOpeningError("no shard could be opened (" + first_error + ")");
    return out;
}

}  // namespace warsearch
