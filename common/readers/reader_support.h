// Helpers shared by the readers: decoding input bytes to UTF-8, picking a title out of
// running text, and handing an article (and its live-blog entries) to the sink.
// Private to warsearch_common.
#pragma once

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/readers/article.h"
#include "common/readers/live_blog.h"
#include "common/readers/readers.h"

namespace warsearch::detail {

/// True when @a s is not UTF-8 but reads as Latin-1: it has high bytes and none of them
/// starts a well-formed UTF-8 sequence.
bool looks_latin1(std::string_view s);

/// Returns @a raw as clean UTF-8 (BOM dropped, CRLF -> LF, NUL and other controls
/// dropped).  Latin-1 input is decoded; other invalid sequences become U+FFFD.  Sets
/// @a warning to what was done when the input was not clean UTF-8 (CRLF and a BOM are
/// normal and give no warning).
std::string to_utf8(std::string_view raw, std::string& warning);

std::string_view trim(std::string_view s);

/// Non-empty, trimmed lines of @a text.
std::vector<std::string_view> nonblank_lines(std::string_view text);

/// A caption ("PHOTO: ...", "Image: ...") or a bare label ("LATEST", "BREAKING") that is
/// never a title.
bool is_caption_or_label(std::string_view line);

/// A photo caption: a caption label ("Image caption: ...", "Image source, ...",
/// "Photograph: ...") or a credit closing a line that is not a sentence ("... (Reuters)",
/// "... (File photo)", "... Photograph: Name/Agency").
bool is_photo_caption(std::string_view line);

/// A line that is only a date, possibly with a lead-in ("Published 13 December 2016",
/// "Last updated: 5 March 2022 14:00 GMT"); returns the date.
std::optional<Date> date_line(std::string_view line, DateOrder order);

/// "By Jane Smith" (short) -> "Jane Smith"; "" when the line is not a byline.
std::string byline_of(std::string_view line);

/// A title made from one line of text: the line itself when short, else its first
/// sentence, cut at a word boundary with "…" when still long.
std::string title_from_line(std::string_view line);

/// The first meaningful line of @a body (captions, labels and date lines skipped) as a
/// title; "" when there is none.
std::string title_from_text(std::string_view body, DateOrder order);

/// The first sentence of @a text (ends at ". ", "! ", "? " or the end).
std::string_view first_sentence(std::string_view text);

/// True when @a s has letters and none of them is lower case.
bool is_all_caps(std::string_view s);

/// Sentence case for all-caps text: "BAHIA COCOA REVIEW" -> "Bahia cocoa review";
/// abbreviations written with dots ("U.S.") and the word "I" stay upper case.
/// Text with lower-case letters is returned unchanged.
std::string readable_case(std::string_view s);

/// Title case for all-caps place names: "SAN SALVADOR" -> "San Salvador"
/// ("de", "la", "del" ... stay lower case inside a name).
std::string place_case(std::string_view s);

/// Gives @a a an id if needed and hands it to the sink; when live-blog splitting is on
/// and @a entries has enough entries, the article goes out as a live blog followed by
/// one article per entry.
void emit(Article&& a, std::vector<LiveBlogEntry> entries, const ReadOptions& options, const ReadSink& sink);

/// True for a MUC document id line: "DEV-MUC3-0001 (NOSC)", "TST4-MUC4-0100".
bool is_muc_id_line(std::string_view line);

/// Reads one line (up to '\n', which is dropped) from @a in into @a line, keeping at
/// most @a max_bytes of it: the rest of a longer line is read in blocks and dropped, so
/// a huge line never sits in memory.  @a length is the line's full length.  False at
/// the end of the input (no line read).
bool read_bounded_line(std::istream& in, std::string& line, std::uint64_t max_bytes, std::uint64_t& length);

/// Sends each warning for @a where to the sink.
void warn_all(const ReadSink& sink, const std::string& where, const std::vector<std::string>& warnings);

}  // namespace warsearch::detail
