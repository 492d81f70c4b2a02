// Walking input paths, choosing a reader per file, and giving articles stable ids.
#include "common/readers/readers.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <system_error>

#include "common/index/database_layout.h"
#include "common/readers/reader_support.h"
#include "common/text/text.h"

namespace fs = std::filesystem;

namespace warsearch {

void parse_field_map(std::string_view spec, std::map<std::string, std::string>& field_map) {
    static const char* kFields[] = {"id", "title", "body", "date", "source", "url", "lang", "byline"};
    std::size_t start = 0;
    while (start <= spec.size()) {
        std::size_t comma = spec.find(',', start);
        std::string pair(spec.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
        if (!pair.empty()) {
            std::size_t eq = pair.find('=');
            if (eq == std::string::npos || eq == 0 || eq + 1 == pair.size())
                throw std::invalid_argument("wants FIELD=COLUMN pairs, got '" + pair + "'");
            std::string field = pair.substr(0, eq);
            bool known = false;
            for (const char* f : kFields) known = known || field == f;
            if (!known)
                throw std::invalid_argument("unknown field '" + field +
                                            "' (id, title, body, date, source, url, lang, byline)");
            field_map[field] = pair.substr(eq + 1);
        }
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
}

const char* format_name(Format f) {
    switch (f) {
        case Format::auto_detect:
            return "auto";
        case Format::jsonl:
            return "jsonl";
        case Format::json:
            return "json";
        case Format::csv:
            return "csv";
        case Format::text:
            return "text";
        case Format::html:
            return "html";
        case Format::muc:
            return "muc";
        case Format::reuters:
            return "reuters";
    }
    return "?";
}

Format parse_format(const std::string& name) {
    for (Format f : {Format::auto_detect, Format::jsonl, Format::json, Format::csv, Format::text, Format::html,
                     Format::muc, Format::reuters})
        if (name == format_name(f)) return f;
    throw std::invalid_argument("unknown format '" + name +
                                "' (one of auto, jsonl, json, csv, text, html, muc, reuters)");
}

Format detect_format(const std::string& path, std::string_view head) {
    std::string ext = fs::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    if (ext == ".jsonl" || ext == ".ndjson") return Format::jsonl;
    if (ext == ".json") return Format::json;
    if (ext == ".csv" || ext == ".tsv") return Format::csv;
    if (ext == ".html" || ext == ".htm" || ext == ".xhtml") return Format::html;
    if (ext == ".sgm" || ext == ".xml") {
        if (head.find("<REUTERS") != std::string_view::npos) return Format::reuters;
    }
    // Content sniffing for unhelpful extensions.
    size_t start = head.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
    if (start == std::string_view::npos) return Format::auto_detect;
    std::string_view body = head.substr(start);
    if (body.find("<REUTERS") != std::string_view::npos) return Format::reuters;
    if (detail::is_muc_id_line(body.substr(0, body.find('\n')))) return Format::muc;
    if (body.front() == '{') {
        // One object per line, or one pretty-printed object spanning lines.
        size_t nl = body.find('\n');
        std::string_view first = body.substr(0, nl);
        while (!first.empty() && (first.back() == '\r' || first.back() == ' ')) first.remove_suffix(1);
        if (!first.empty() && first.back() == '}') return Format::jsonl;
        return Format::json;
    }
    if (body.front() == '[') return Format::json;
    if (body.front() == '<') {
        std::string lower(body.substr(0, 512));
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
        if (lower.find("<html") != std::string::npos || lower.find("<!doctype html") != std::string::npos ||
            lower.find("<body") != std::string::npos || lower.find("<article") != std::string::npos)
            return Format::html;
    }
    if (ext == ".txt" || ext == ".text" || ext.empty()) return Format::text;
    return Format::auto_detect;
}

void ensure_id(Article& a) {
    if (!a.id.empty()) return;
    // The same spelling of the path as the file term (database_layout.h).
    std::string key =
        canonical_input_path(a.from.file) + "#" + std::to_string(a.from.record) + "#" + std::to_string(a.entry);
    a.id = "doc-" + hex64(hash64(key));
}

namespace {

std::string read_head(const std::string& path, size_t n) {
    std::ifstream in(path, std::ios::binary);
    std::string head(n, '\0');
    in.read(head.data(), static_cast<std::streamsize>(n));
    head.resize(static_cast<size_t>(in.gcount()));
    return head;
}

// Binary (or UTF-16, which we do not accept): a known magic number, or many NUL and
// other control bytes in the first block.  A text file with a stray NUL is not binary;
// the readers drop such bytes with a warning.
bool looks_binary(std::string_view head) {
    static const std::string_view kMagic[] = {std::string_view("\x89PNG", 4),
                                              std::string_view("%PDF", 4),
                                              std::string_view("\x1f\x8b", 2),
                                              std::string_view("PK\x03\x04", 4),
                                              std::string_view("\xFD"
                                                               "7zXZ",
                                                               5),
                                              std::string_view("\x7F"
                                                               "ELF",
                                                               4),
                                              std::string_view("\xFF\xD8\xFF", 3),
                                              std::string_view("GIF8", 4),
                                              std::string_view("BZh", 3),
                                              std::string_view("\xFF\xFE", 2),
                                              std::string_view("\xFE\xFF", 2)};
    for (std::string_view m : kMagic)
        if (head.substr(0, m.size()) == m) return true;
    std::size_t controls = 0;
    for (char ch : head) {
        unsigned char c = static_cast<unsigned char>(ch);
        if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') ++controls;
    }
    return controls > 8 && controls * 100 > head.size();
}

// Reads the whole file for the formats that need it, within the size cap.
bool read_whole(std::ifstream& in, const std::string& path, std::uint64_t size, const ReadOptions& options,
                const ReadSink& sink, std::string& out) {
    if (options.max_whole_file_bytes && size > options.max_whole_file_bytes) {
        sink.failure({path,
                      "file of " + std::to_string(size) + " bytes is over the " +
                          std::to_string(options.max_whole_file_bytes) + "-byte limit for whole-file formats, skipped",
                      true});
        return false;
    }
    std::string raw(static_cast<std::size_t>(size), '\0');
    in.read(raw.data(), static_cast<std::streamsize>(size));
    raw.resize(static_cast<std::size_t>(in.gcount()));
    std::string warning;
    out = detail::to_utf8(raw, warning);
    if (!warning.empty() && sink.warning) sink.warning({path, warning});
    return true;
}

}  // namespace

void read_file(const std::string& path, const ReadOptions& options, const ReadSink& sink) {
    std::error_code ec;
    auto size = fs::file_size(path, ec);
    if (ec) {
        sink.failure({path, "cannot read: " + ec.message(), true});
        return;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        sink.failure({path, std::string("cannot open: ") + std::strerror(errno), true});
        return;
    }
    if (sink.file_started) sink.file_started(path, size);
    if (size == 0) {
        sink.failure({path, "empty file, nothing to index", true});
        return;
    }
    std::string head = read_head(path, 8192);
    if (head.empty() && size > 0) {
        sink.failure({path, "cannot read (I/O error or not a regular file)", true});
        return;
    }
    if (looks_binary(head)) {
        sink.failure({path, "binary file (or UTF-16), skipped", true});
        return;
    }
    if (size <= head.size() && head.find_first_not_of(" \t\r\n\f\v") == std::string::npos) {
        sink.failure({path, "no text (only white space)", true});
        return;
    }
    Format format = options.format;
    if (format == Format::auto_detect) format = detect_format(path, head);
    switch (format) {
        case Format::jsonl:
            read_jsonl(in, path, options, sink);
            return;
        case Format::csv:
            read_csv(in, path, options, sink);
            return;
        case Format::muc:
            read_muc(in, path, options, sink);
            return;
        case Format::reuters:
            read_reuters(in, path, options, sink);
            return;
        case Format::json:
        case Format::text:
        case Format::html: {
            std::string content;
            if (!read_whole(in, path, size, options, sink, content)) return;
            if (format == Format::json)
                read_json(content, path, options, sink);
            else if (format == Format::html)
                read_html(content, path, options, sink);
            else
                read_text(content, path, options, sink);
            return;
        }
        case Format::auto_detect:
            if (sink.warning) sink.warning({path, "unknown format, skipped (name one with --format)"});
            return;
    }
}

std::string skipped_name_reason(const std::string& name) {
    if (!name.empty() && name[0] == '.') return "hidden, skipped";
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (lower.rfind("readme", 0) == 0 || lower.rfind("license", 0) == 0 || lower.rfind("licence", 0) == 0)
        return "documentation beside the corpus (README*, LICENSE*), not an article, skipped";
    if (fs::path(lower).extension() == ".dtd") return "a document type definition (*.dtd), not an article, skipped";
    return {};
}

bool list_input_files(const std::string& dir, std::vector<std::string>& files,
                      const std::function<void(const ReadFailure&)>& failure,
                      const std::function<void(const ReadFailure&)>& skipped) {
    std::error_code ec;
    bool complete = true;
    fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
    if (ec) {
        failure({dir, "cannot list: " + ec.message(), true});
        return false;
    }
    for (; it != end; it.increment(ec)) {
        if (ec) {
            failure({it->path().string(), "cannot list: " + ec.message(), true});
            complete = false;
            ec.clear();
            continue;
        }
        const fs::path& p = it->path();
        std::string name = p.filename().string();
        if (!name.empty() && name[0] == '.') {
            if (it->is_directory(ec)) it.disable_recursion_pending();
            if (skipped) skipped({p.string(), "hidden, skipped", true});
            continue;
        }
        std::error_code sec;
        fs::file_status fst = fs::status(p, sec);
        if (sec) {
            // Dangling links and symlink loops end here.
            failure({p.string(), "cannot follow: " + sec.message(), true});
            continue;
        }
        if (fs::is_regular_file(fst)) {
            // Prose that ships beside a corpus is not an input.
            if (std::string why = skipped_name_reason(name); !why.empty()) {
                if (skipped) skipped({p.string(), why, true});
                continue;
            }
            files.push_back(p.string());
        } else if (!fs::is_directory(fst)) {
            // FIFOs, sockets and devices: never opened (a FIFO would block the walk).
            failure({p.string(), "not a regular file (FIFO, socket or device), skipped", true});
        }
    }
    // Sorted, so runs are reproducible whatever the directory order.
    std::sort(files.begin(), files.end());
    return complete;
}

std::size_t read_paths(const std::vector<std::string>& paths, const ReadOptions& options, const ReadSink& sink) {
    std::size_t files = 0;
    for (const auto& root : paths) {
        std::error_code ec;
        fs::file_status st = fs::status(root, ec);
        if (ec || !fs::exists(st)) {
            sink.failure({root, ec ? "cannot access: " + ec.message() : "no such file or directory", true});
            continue;
        }
        if (!fs::is_directory(st)) {
            read_file(root, options, sink);
            ++files;
            continue;
        }
        std::vector<std::string> found;
        list_input_files(root, found, sink.failure, sink.skipped);
        for (const auto& f : found) {
            read_file(f, options, sink);
            ++files;
        }
    }
    return files;
}

}  // namespace warsearch
