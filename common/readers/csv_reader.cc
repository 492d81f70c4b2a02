// CSV with a header row, parsed by libcsv (RFC 4180: quoted fields may hold the
// delimiter, doubled quotes and newlines).  Streamed in blocks so memory stays bounded
// by the longest record, whatever the file size.
#include <csv.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <istream>

#include "common/readers/field_map.h"
#include "common/readers/reader_support.h"
#include "common/readers/readers.h"

namespace warsearch {
namespace {

// libcsv's parser states (ROW_NOT_BEGUN, FIELD_BEGUN in libcsv.c); its struct is public
// in csv.h and the values are stable across 3.x.  Used to know where rows start.
constexpr int kRowNotBegun = 0;
constexpr int kFieldBegun = 2;

int space_only(unsigned char c) { return c == ' '; }
int space_or_tab(unsigned char c) { return c == ' ' || c == '\t'; }

char sniff_delimiter(std::string_view first_line) {
    // The candidate seen most often outside quotes on the header line wins.
    std::array<std::pair<char, int>, 4> counts = {{{',', 0}, {';', 0}, {'\t', 0}, {'|', 0}}};
    bool quoted = false;
    for (char c : first_line) {
        if (c == '"') quoted = !quoted;
        if (quoted) continue;
        for (auto& [d, n] : counts)
            if (c == d) ++n;
    }
    auto best = std::max_element(counts.begin(), counts.end(),
                                 [](const auto& a, const auto& b) { return a.second < b.second; });
    return best->second > 0 ? best->first : ',';
}

// The fields of one CSV line read on its own (quotes honoured, starting outside them).
std::size_t fields_on_line(std::string_view line, char delim) {
    std::size_t fields = 1;
    bool quoted = false;
    for (char c : line) {
        if (c == '"') quoted = !quoted;
        if (!quoted && c == delim) ++fields;
    }
    return fields;
}

// "Id-like": no space, at most 64 bytes, a digit in it (an id, a number, a date).
bool id_like(std::string_view field) {
    field = detail::trim(field);
    if (field.empty() || field.size() > 64 || field.find(' ') != std::string_view::npos) return false;
    return std::any_of(field.begin(), field.end(), [](unsigned char c) { return std::isdigit(c); });
}

// True when a quoted field of @a raw holds a stray quote: one followed by neither a
// second quote, nor the delimiter, nor the end of the line (libcsv keeps it as text).
bool has_stray_quote(std::string_view raw, char delim) {
    bool quoted = false, field_start = true;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        char c = raw[i];
        if (!quoted) {
            if (c == '"' && field_start) {
                quoted = true;
            } else if (c == delim || c == '\n') {
                field_start = true;
            } else if (c != ' ' && c != '\t' && c != '\r') {
                field_start = false;
            }
            continue;
        }
        if (c != '"') continue;
        if (i + 1 < raw.size() && raw[i + 1] == '"') {
            ++i;  // a doubled quote
            continue;
        }
        std::size_t next = i + 1;
        while (next < raw.size() && (raw[next] == ' ' || raw[next] == '\t')) ++next;
        if (next < raw.size() && raw[next] != delim && raw[next] != '\n' && raw[next] != '\r') return true;
        quoted = false;
        field_start = false;
    }
    return false;
}

// The line (counted from 0 in @a raw, the text of one parsed row) at which a quoted
// field swallowed what looks like a record of its own: a later line with as many fields
// as the header, after a stray quote or starting with an id-like field as the row
// does.  0 when none: a quoted field may hold line breaks (RFC 4180).
std::size_t swallowed_line(std::string_view raw, std::size_t header_fields, char delim) {
    std::size_t first_nl = raw.find('\n');
    if (first_nl == std::string_view::npos || first_nl + 1 >= raw.size()) return 0;
    std::string_view first = raw.substr(0, raw.find(delim));
    bool stray = has_stray_quote(raw, delim);
    std::size_t index = 1;
    for (std::size_t at = first_nl + 1; at < raw.size(); ++index) {
        std::size_t nl = raw.find('\n', at);
        std::string_view line = raw.substr(at, nl == std::string_view::npos ? std::string_view::npos : nl - at);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (fields_on_line(line, delim) == header_fields && header_fields > 1) {
            std::string_view lead = line.substr(0, line.find(delim));
            if (stray || (id_like(first) && id_like(lead))) return index;
        }
        if (nl == std::string_view::npos) break;
        at = nl + 1;
    }
    return 0;
}

struct CsvState {
    const std::string* path = nullptr;
    const ReadOptions* options = nullptr;
    const ReadSink* sink = nullptr;
    std::vector<std::string> header;
    std::vector<std::string> row;
    std::uint64_t row_start_line = 1;
    std::uint64_t record = 0;
    std::uint64_t row_bytes = 0;
    std::string raw_row;  ///< the row's text as read (for swallowed_line())
    char delim = ',';
    bool header_done = false;
    bool header_ok = true;

    void finish_row();
};

void CsvState::finish_row() {
    std::vector<std::string> fields = std::move(row);
    row.clear();
    row_bytes = 0;
    Provenance from{*path, row_start_line, 0};
    if (!header_done) {
        header_done = true;
        std::string warning;
        for (auto& f : fields) header.push_back(std::string(detail::trim(detail::to_utf8(f, warning))));
        // Every column --map names must exist, or each row would silently lose it.
        for (const auto& [field, column] : options->field_map) {
            bool found = false;
            for (const auto& h : header) {
                found = found || std::equal(h.begin(), h.end(), column.begin(), column.end(), [](char a, char b) {
                            return std::tolower(static_cast<unsigned char>(a)) ==
                                   std::tolower(static_cast<unsigned char>(b));
                        });
            }
            if (!found) {
                std::string names;
                for (const auto& h : header) names += (names.empty() ? "" : ", ") + h;
                sink->failure(
                    {*path, "--map " + field + "=" + column + ": no such column in the header (" + names + ")", true});
                header_ok = false;
                return;
            }
        }
        return;
    }
    if (!header_ok) return;
    ++record;
    from.record = record;
    // A blank line inside the data is not a record.
    if (fields.size() == 1 && detail::trim(fields[0]).empty()) {
        --record;
        return;
    }
    if (std::size_t at = swallowed_line(raw_row, header.size(), delim)) {
        std::uint64_t last =
            row_start_line + static_cast<std::uint64_t>(std::count(raw_row.begin(), raw_row.end(), '\n'));
        if (!raw_row.empty() && raw_row.back() == '\n') --last;
        sink->failure({from.where(), "a quoted field runs over the line break into line " +
                                         std::to_string(row_start_line + at) +
                                         ", which looks like a record of its own (unbalanced quote?); lines " +
                                         std::to_string(row_start_line) + "-" + std::to_string(last) + " skipped"});
        return;
    }
    if (fields.size() > header.size()) {
        sink->failure({from.where(), "row has " + std::to_string(fields.size()) + " fields but the header has " +
                                         std::to_string(header.size()) + " (unquoted delimiter or quote?)"});
        return;
    }
    RecordFields values;
    std::vector<std::string> warnings;
    std::string decode_warning;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        std::string w;
        values[header[i]] = detail::to_utf8(fields[i], w);
        if (!w.empty()) decode_warning = w;
    }
    if (!decode_warning.empty()) warnings.push_back(decode_warning);
    if (fields.size() < header.size())
        warnings.push_back("row has " + std::to_string(fields.size()) + " of " + std::to_string(header.size()) +
                           " fields; the rest are empty");
    Article a;
    std::string reason = article_from_record(values, *options, a, warnings);
    if (!reason.empty()) {
        sink->failure({from.where(), reason});
        return;
    }
    detail::warn_all(*sink, from.where(), warnings);
    a.from = from;
    detail::emit(std::move(a), {}, *options, *sink);
}

void on_field(void* data, std::size_t len, void* state) {
    auto* s = static_cast<CsvState*>(state);
    s->row.emplace_back(static_cast<const char*>(data), len);
}

void on_row(int, void* state) { static_cast<CsvState*>(state)->finish_row(); }

}  // namespace

void read_csv(std::istream& in, const std::string& path, const ReadOptions& options, const ReadSink& sink) {
    CsvState state;
    state.path = &path;
    state.options = &options;
    state.sink = &sink;

    csv_parser parser;
    if (csv_init(&parser, 0) != 0) {
        sink.failure({path, "cannot start the CSV parser", true});
        return;
    }
    std::string block(1 << 16, '\0');
    std::uint64_t line = 1;
    bool first_block = true;
    while (in) {
        in.read(block.data(), static_cast<std::streamsize>(block.size()));
        std::size_t got = static_cast<std::size_t>(in.gcount());
        if (got == 0) break;
        std::string_view data(block.data(), got);
        if (first_block) {
            first_block = false;
            if (data.substr(0, 3) == "\xEF\xBB\xBF") data.remove_prefix(3);
            char delim =
                options.csv_delimiter ? options.csv_delimiter : sniff_delimiter(data.substr(0, data.find('\n')));
            csv_set_delim(&parser, static_cast<unsigned char>(delim));
            csv_set_space_func(&parser, delim == '\t' ? space_only : space_or_tab);
            state.delim = delim;
        }
        // Feed line by line so each row knows the line it started on.
        while (!data.empty()) {
            std::size_t nl = data.find('\n');
            std::size_t len = nl == std::string_view::npos ? data.size() : nl + 1;
            state.row_bytes += len;
            if (state.raw_row.size() <= options.max_record_bytes) state.raw_row.append(data.data(), len);
            if (csv_parse(&parser, data.data(), len, on_field, on_row, &state) != len) {
                sink.failure({Provenance{path, state.row_start_line, 0}.where(),
                              std::string("CSV error: ") + csv_strerror(csv_error(&parser)), true});
                csv_free(&parser);
                return;
            }
            if (state.row_bytes > options.max_record_bytes) {
                // An unbalanced quote swallows the rest of the file into one field: cut
                // it off here and go on from the next line.
                sink.failure({Provenance{path, state.row_start_line, 0}.where(),
                              "record is over " + std::to_string(options.max_record_bytes) +
                                  " bytes (unbalanced quote?), skipped"});
                unsigned char delim = csv_get_delim(&parser);
                csv_free(&parser);
                csv_init(&parser, 0);
                csv_set_delim(&parser, delim);
                csv_set_space_func(&parser, delim == '\t' ? space_only : space_or_tab);
                state.row.clear();
                state.raw_row.clear();
                state.row_bytes = 0;
                state.row_start_line = line + 1;
            }
            if (nl != std::string_view::npos) {
                if (parser.pstate == kRowNotBegun) {
                    state.row_start_line = line + 1;
                    state.raw_row.clear();
                }
                ++line;
            }
            data.remove_prefix(len);
        }
    }
    if (parser.pstate == kFieldBegun && parser.quoted) {
        sink.failure({Provenance{path, state.row_start_line, 0}.where(),
                      "quoted field never closed before the end of the file"});
    } else {
        csv_fini(&parser, on_field, on_row, &state);
    }
    csv_free(&parser);
    if (!state.header_done) sink.failure({path, "no header row", true});
}

}  // namespace warsearch
