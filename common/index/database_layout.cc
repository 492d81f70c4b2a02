#include "common/index/database_layout.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "common/index/schema.h"
#include "common/index/stored_fields.h"
#include "common/text/text.h"

namespace fs = std::filesystem;

namespace warsearch {
namespace {

constexpr const char* kBlank = " \t\r\n\f\v";

std::string_view trim(std::string_view s) {
    std::size_t start = s.find_first_not_of(kBlank);
    if (start == std::string_view::npos) return {};
    return s.substr(start, s.find_last_not_of(kBlank) - start + 1);
}

[[noreturn]] void bad_line(const std::string& stub_file, std::size_t line, const std::string& why,
                           std::string_view text) {
    throw Xapian::DatabaseOpeningError(stub_file + ":" + std::to_string(line) + ": " + why + " ('" + std::string(text) +
                                       "')");
}

// "HOST:PORT" into @a entry; false when it is not one (Xapian's ":PROGRAM ARGS" form
// included: we only serve shards over TCP).
bool parse_host_port(std::string_view where, StubEntry& entry) {
    std::size_t colon = where.rfind(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == where.size()) return false;
    std::string_view port = where.substr(colon + 1);
    if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos) return false;
    unsigned value = static_cast<unsigned>(std::stoul(std::string(port)));
    if (value == 0 || value > 65535) return false;
    std::string_view host = where.substr(0, colon);
    if (host.find_first_of(kBlank) != std::string_view::npos) return false;
    entry.host = std::string(host);
    entry.port = value;
    return true;
}

}  // namespace

bool is_single_database(const std::string& dir) {
    std::error_code ec;
    return fs::exists(dir + "/iamglass", ec) || fs::exists(dir + "/iamchert", ec);
}

bool holds_index(const std::string& dir) {
    std::error_code ec;
    return is_single_database(dir) || fs::exists(dir + "/" + std::string(kStubFileName), ec);
}

std::string shard_directory_name(unsigned i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "shard-%02u", i);
    return buf;
}

StubEntry StubEntry::local(std::string location) {
    StubEntry e;
    e.kind = Kind::local;
    e.location = std::move(location);
    e.path = e.location;
    return e;
}

StubEntry StubEntry::remote(std::string host, unsigned port) {
    StubEntry e;
    e.kind = Kind::remote;
    e.location = host + ":" + std::to_string(port);
    e.host = std::move(host);
    e.port = port;
    return e;
}

std::string StubEntry::stub_line() const { return (kind == Kind::remote ? "remote " : "auto ") + location; }

std::string find_stub_file(const std::string& path) {
    std::error_code ec;
    if (fs::is_regular_file(path, ec)) return path;
    std::string inside = path + "/" + std::string(kStubFileName);
    if (fs::is_regular_file(inside, ec)) return inside;
    return {};
}

std::vector<StubEntry> read_stub_file(const std::string& stub_file) {
    std::ifstream in(stub_file);
    if (!in) throw Xapian::DatabaseOpeningError("cannot read the stub file " + stub_file);
    const fs::path base = fs::path(stub_file).parent_path();
    std::vector<StubEntry> entries;
    std::string raw;
    std::size_t line = 0;
    while (std::getline(in, raw)) {
        ++line;
        std::string_view text = trim(raw);
        if (text.empty() || text[0] == '#') continue;
        std::size_t space = text.find_first_of(kBlank);
        std::string_view kind = text.substr(0, space);
        std::string_view where = space == std::string_view::npos ? std::string_view() : trim(text.substr(space));
        StubEntry entry;
        entry.line = line;
        entry.location = std::string(where);
        if (kind == "auto" || kind == "glass" || kind == "chert") {
            if (where.empty()) bad_line(stub_file, line, "'" + std::string(kind) + "' needs a database path", text);
            fs::path p(entry.location);
            entry.path = p.is_relative() ? (base / p).string() : p.string();
        } else if (kind == "remote") {
            entry.kind = StubEntry::Kind::remote;
            if (!parse_host_port(where, entry))
                bad_line(stub_file, line, "a remote database is given as HOST:PORT", text);
        } else {
            bad_line(stub_file, line, "unknown kind '" + std::string(kind) + "' (auto PATH or remote HOST:PORT)", text);
        }
        entries.push_back(std::move(entry));
    }
    if (in.bad()) throw Xapian::DatabaseOpeningError("cannot read the stub file " + stub_file);
    return entries;
}

void write_stub_file(const std::string& stub_file, const std::vector<StubEntry>& entries) {
    std::string tmp = stub_file + ".tmp";
    {
        std::ofstream out(tmp);
        for (const auto& e : entries) out << e.stub_line() << "\n";
        out.close();
        if (!out) throw std::runtime_error("cannot write the stub file " + tmp);
    }
    fs::rename(tmp, stub_file);
}

std::vector<std::string> local_databases(const std::string& dir) {
    std::string stub = dir + "/" + std::string(kStubFileName);
    std::error_code ec;
    if (!fs::is_regular_file(stub, ec)) return {dir};
    std::vector<std::string> out;
    for (const auto& e : read_stub_file(stub)) {
        if (e.kind == StubEntry::Kind::remote)
            throw Xapian::DatabaseOpeningError(stub + ":" + std::to_string(e.line) + ": " + e.stub_line() +
                                               " is on another machine; write it there");
        out.push_back(e.path);
    }
    if (out.empty()) throw Xapian::DatabaseOpeningError(stub + " lists no databases");
    return out;
}

std::string canonical_input_path(std::string_view path) {
    thread_local std::string last_given, last_canonical;
    if (!last_given.empty() && path == last_given) return last_canonical;
    std::error_code ec;
    fs::path p{std::string(path)};
    fs::path canonical = fs::weakly_canonical(p, ec);
    if (ec) {
        fs::path abs = fs::absolute(p, ec);
        canonical = (ec ? p : abs).lexically_normal();
    }
    last_given = std::string(path);
    last_canonical = canonical.string();
    return last_canonical;
}

std::string file_term(std::string_view path) { return file_term_as_given(canonical_input_path(path)); }

std::string file_term_as_given(std::string_view path) { return std::string(schema::kFilePrefix) + hex64(hash64(path)); }

namespace {

/// The documents carrying either term of @a path, in docid order, each once.
std::vector<Xapian::docid> documents_of_file(const Xapian::Database& db, std::string_view path) {
    std::vector<Xapian::docid> out;
    std::string terms[2] = {file_term(path), file_term_as_given(path)};
    for (const auto& term : terms) {
        if (&term != &terms[0] && term == terms[0]) break;
        for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) out.push_back(*p);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

}  // namespace

std::string document_id_term(const Xapian::Document& doc) {
    auto t = doc.termlist_begin();
    t.skip_to(std::string(schema::kIdPrefix));
    if (t != doc.termlist_end() && (*t).rfind(schema::kIdPrefix, 0) == 0) return *t;
    return {};
}

std::vector<std::string> id_terms_of_file(const Xapian::Database& db, std::string_view path) {
    std::vector<std::string> out;
    for (Xapian::docid d : documents_of_file(db, path)) {
        std::string id = document_id_term(db.get_document(d));
        if (!id.empty()) out.push_back(std::move(id));
    }
    return out;
}

DeletedDocuments delete_documents_of_file(Xapian::WritableDatabase& db, std::string_view path,
                                          const std::unordered_set<std::string>* keep_id_terms, std::size_t max_ids) {
    std::vector<Xapian::docid> doomed;
    for (Xapian::docid d : documents_of_file(db, path)) {
        if (keep_id_terms) {
            std::string id = document_id_term(db.get_document(d));
            if (!id.empty() && keep_id_terms->count(id)) continue;
        }
        doomed.push_back(d);
    }
    DeletedDocuments out;
    for (Xapian::docid d : doomed) {
        if (out.ids.size() < max_ids) out.ids.push_back(parse_stored_fields(db.get_document(d).get_data()).id);
        db.delete_document(d);
    }
    out.count = doomed.size();
    return out;
}

std::uint64_t delete_unseen_documents(Xapian::WritableDatabase& db,
                                      const std::unordered_set<std::string>& seen_id_terms,
                                      const std::vector<std::string>& kept_files) {
    std::unordered_set<std::string> kept_ids;
    for (const auto& path : kept_files)
        for (auto& id : id_terms_of_file(db, path)) kept_ids.insert(std::move(id));
    std::vector<std::string> doomed;
    std::string prefix(schema::kIdPrefix);
    for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t)
        if (!seen_id_terms.count(*t) && !kept_ids.count(*t)) doomed.push_back(*t);
    for (const auto& term : doomed) db.delete_document(term);
    return doomed.size();
}

}  // namespace warsearch
