// Readers turn input files into Articles.  One entry point walks files and directories,
// picks a reader per file (by --format, extension, then content sniffing) and reports
// every bad record or file without stopping.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/readers/article.h"
#include "common/text/dates.h"

namespace warsearch {

/// The input formats warsearch reads.
enum class Format { auto_detect, jsonl, json, csv, text, html, muc, reuters };

/// "jsonl", "json", ... ; "auto" for auto_detect.
const char* format_name(Format f);
/// Parses a --format value; throws std::invalid_argument naming the valid ones.
Format parse_format(const std::string& name);

/// A record or file that could not be read, for stderr and the failure report.
struct ReadFailure {
    std::string where;        ///< "PATH", "PATH:LINE" or "PATH#RECORD"
    std::string reason;       ///< what is wrong, in words a user can act on
    bool whole_file = false;  ///< true when nothing of the file could be read
};

/// A warning that did not cost the record (e.g. an unreadable date).
struct ReadWarning {
    std::string where;
    std::string message;
};

/// Options for every reader.  Defaults read our own JSONL schema.
struct ReadOptions {
    /// The format of every file; auto_detect decides per file.
    Format format = Format::auto_detect;
    /// Our field name -> the input's column/key ("title" -> "article_title").
    /// Fields not listed are looked up under their own name.
    std::map<std::string, std::string> field_map;
    /// How ambiguous numeric dates such as 4/5/17 are read.
    DateOrder date_order = DateOrder::mdy;
    /// CSV delimiter; 0 means detect from the header line (, ; tab |).
    char csv_delimiter = 0;
    /// Split live blogs into one document per entry (plus the whole page).
    bool split_live_blogs = true;
    /// Files larger than this are refused (bytes); 0 means no limit.  Line-based
    /// formats are streamed, so the limit only guards whole-file formats.
    std::uint64_t max_whole_file_bytes = 256ull << 20;
    /// Largest single record (a JSONL line, a CSV row) in bytes; longer ones fail.
    std::uint64_t max_record_bytes = 64ull << 20;
};

/// Adds one "FIELD=COLUMN[,FIELD=COLUMN...]" mapping ("title=headline,body=text") to
/// @a field_map, as warsearch-index --map and the nightly job's `map` key take it.
/// Fields: id, title, body, date, source, url, lang, byline.
/// @throws std::invalid_argument naming the bad pair or the unknown field.
void parse_field_map(std::string_view spec, std::map<std::string, std::string>& field_map);

/// Receives what readers produce.  Callbacks may be called many times per file.
struct ReadSink {
    std::function<void(Article&&)> article;
    std::function<void(const ReadFailure&)> failure;
    std::function<void(const ReadWarning&)> warning;
    /// Called once per regular file before it is read (for progress and --full bookkeeping).
    std::function<void(const std::string& path, std::uint64_t bytes)> file_started;
    /// A file (or hidden folder) that is not an article and was not read: README*,
    /// LICENSE*, *.dtd, hidden names, or what a reader recognises (a word list, a format
    /// description).  Not a failure; optional (unset: skipped silently).
    std::function<void(const ReadFailure&)> skipped;
};

/// Reads every file under @a paths (files, or directories walked recursively in sorted
/// order, following no symlink loops; hidden files are skipped).  Never throws for bad
/// input: each problem goes to sink.failure and reading goes on.
/// @return the number of files that were read (at least partly).
std::size_t read_paths(const std::vector<std::string>& paths, const ReadOptions& options, const ReadSink& sink);

/// Lists the input files under the directory @a dir the way read_paths() reads them:
/// recursively, sorted; hidden files and folders, README*, LICENSE* and *.dtd are not
/// listed but reported to @a skipped (when given), each once (a hidden folder once).
/// Entries that cannot be listed or followed (dangling links, symlink loops) and FIFOs,
/// sockets and devices are reported to @a failure and never opened.
/// @return false when part of the tree could not be listed (so callers must not take a
///         missing file as deleted).
bool list_input_files(const std::string& dir, std::vector<std::string>& files,
                      const std::function<void(const ReadFailure&)>& failure,
                      const std::function<void(const ReadFailure&)>& skipped = {});

/// Why a file named @a name (no directory) is not an input, or empty: README*, LICENSE*
/// (any case), *.dtd, and hidden names.
std::string skipped_name_reason(const std::string& name);

/// Reads one file with the given (or detected) format.
void read_file(const std::string& path, const ReadOptions& options, const ReadSink& sink);

/// Picks a format for @a path from its extension, then from its first bytes.
/// Returns auto_detect when it cannot tell.
Format detect_format(const std::string& path, std::string_view head);

// ---- individual readers (used by read_file; public for tests and fuzzing) ----

/// Reads JSON Lines from @a in: one object per line; blank lines are skipped.
void read_jsonl(std::istream& in, const std::string& path, const ReadOptions& options, const ReadSink& sink);

/// Reads CSV with a header row from @a in, streamed (memory bounded by the longest row).
/// Columns map to fields through options.field_map or the default names (see
/// record_fields.h); the delimiter is options.csv_delimiter or detected from the header.
/// Quoted fields may hold delimiters, doubled quotes and newlines (RFC 4180).
/// Failures: a --map column missing from the header (whole file), a row with more
/// fields than the header, a row over max_record_bytes, an unclosed quote at the end.
void read_csv(std::istream& in, const std::string& path, const ReadOptions& options, const ReadSink& sink);

/// Reads a JSON document already decoded to UTF-8: an array of objects (each a record,
/// "PATH#N" in messages), one object, or an object wrapping one array of objects.
/// JSON Lines saved as .json is read as JSON Lines.
void read_json(std::string_view content, const std::string& path, const ReadOptions& options, const ReadSink& sink);

/// Reads one HTML page (UTF-8) with Gumbo: title, date, byline, canonical URL and the
/// article text without page furniture; live blogs are split into entries.
/// Failure (whole file): markup nested deeper than detail::kMaxHtmlNesting elements
/// (html_nesting.h), refused before parsing so that it costs neither minutes nor memory.
void read_html(std::string_view content, const std::string& path, const ReadOptions& options, const ReadSink& sink);

/// Reads one plain-text article (UTF-8): the first meaningful line is the title, a date
/// line or byline near the top is metadata; live blogs are split into entries.  A word
/// list (nearly every line a short entry) or a format description (BNF "::=" lines) is
/// not an article: reported to sink.skipped, not read.
void read_text(std::string_view content, const std::string& path, const ReadOptions& options, const ReadSink& sink);

/// Reads MUC-3/MUC-4 newswire texts: documents open with an id line
/// ("DEV-MUC3-0001 (NOSC)") and a dateline ("SAN SALVADOR, 3 JAN 90 -- ..."); streamed.
void read_muc(std::istream& in, const std::string& path, const ReadOptions& options, const ReadSink& sink);

/// Reads Reuters-21578 SGML/XML (<REUTERS NEWID=...> records with DATE, PLACES, TITLE,
/// DATELINE, BODY); ids are "reuters-<NEWID>"; streamed, tolerant of bad bytes.
void read_reuters(std::istream& in, const std::string& path, const ReadOptions& options, const ReadSink& sink);

/// Fills the article fields from one JSON object's text; returns "" on success or the
/// reason the record was rejected.  Shared by the JSONL and JSON readers.
std::string article_from_json(std::string_view json, const ReadOptions& options, Article& out,
                              std::vector<std::string>& warnings);

/// Gives @a a an id when the input had none: "PREFIX-" + hash of file path and record
/// position, stable across runs over the same file.
void ensure_id(Article& a);

}  // namespace warsearch
