// Plain-text articles: one article per file.  The first meaningful line is the title;
// a date line and a byline near the top are metadata; live blogs are split.
#include <algorithm>

#include "common/readers/live_blog.h"
#include "common/readers/reader_support.h"
#include "common/readers/readers.h"
#include "common/text/text.h"

namespace warsearch {
namespace {

// How far down a date line or byline may sit and still describe the article.
constexpr std::size_t kHeaderLines = 8;

// Why @a lines are not an article, or empty: a word list (nearly every line one to
// three words, none ending a sentence) or a format description (BNF rules).
std::string not_an_article(const std::vector<std::string_view>& lines) {
    std::size_t short_lines = 0, rules = 0;
    for (std::string_view line : lines) {
        std::string_view t = detail::trim(line);
        std::size_t words = 1 + static_cast<std::size_t>(std::count(t.begin(), t.end(), ' '));
        char last = t.empty() ? ' ' : t.back();
        if (words <= 3 && last != '.' && last != '?' && last != '!' && last != '"') ++short_lines;
        if (t.find("::=") != std::string_view::npos) ++rules;
    }
    if (lines.size() >= 10 && short_lines * 10 >= lines.size() * 9)
        return "a word list (one short entry a line), not an article, skipped";
    if (rules >= 5) return "a format description (BNF rules), not an article, skipped";
    return {};
}

}  // namespace

void read_text(std::string_view content, const std::string& path, const ReadOptions& options, const ReadSink& sink) {
    std::vector<std::string_view> lines = detail::nonblank_lines(content);
    if (std::string why = not_an_article(lines); !why.empty()) {
        if (sink.skipped) sink.skipped({path, why, true});
        return;
    }
    Article a;
    a.from = Provenance{path, 0, 0};
    std::size_t title_line = lines.size();
    std::vector<bool> drop(lines.size(), false);  // header lines kept out of the body
    for (std::size_t i = 0; i < lines.size() && i < kHeaderLines + 1; ++i) {
        std::string_view line = lines[i];
        if (auto d = detail::date_line(line, options.date_order)) {
            if (a.date.empty()) a.date = *d;
            // "3 Nov 2023 - 16:05 GMT" dates the page and opens its first entry.
            drop[i] = !is_timed_marker(line);
            continue;
        }
        if (std::string by = detail::byline_of(line); !by.empty()) {
            if (a.byline.empty()) a.byline = by;
            drop[i] = true;
            continue;
        }
        if (title_line == lines.size()) {
            if (detail::is_caption_or_label(line) || detail::is_photo_caption(line)) {
                drop[i] = true;
                continue;
            }
            title_line = i;
            a.title = detail::title_from_line(line);
            // A long first paragraph gives a title but stays in the body.
            drop[i] = a.title == squeeze_space(line);
            // A page that opens with its first entry ("UPDATE 1445 GMT: Aid convoy
            // reaches Madaya") is titled by that entry's headline and keeps the line.
            EntryTime when;
            std::string written;
            if (auto rest = read_entry_marker(line, when, written)) {
                if (!rest->empty()) a.title = detail::title_from_line(detail::first_sentence(*rest));
                drop[i] = false;
            }
            continue;
        }
        // Stop looking for header lines once the body has started.
        if (i > title_line + 2) break;
    }
    if (title_line == lines.size()) {
        sink.failure({path, "no text (only blank lines, captions or dates)", true});
        return;
    }
    // The body is the text as written (hard-wrapped lines stay together, paragraphs
    // keep one blank line between them) without the header lines used above.
    std::string body;
    std::size_t blank_run = 0, next_drop = 0;
    std::size_t start = 0;
    while (start <= content.size()) {
        std::size_t nl = content.find('\n', start);
        std::string_view raw =
            content.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
        std::string_view line = detail::trim(raw);
        bool dropped = false;
        if (!line.empty()) {
            // nonblank_lines() returned views into content in order: match by address.
            while (next_drop < lines.size() && lines[next_drop].data() < line.data()) ++next_drop;
            dropped = next_drop < lines.size() && lines[next_drop].data() == line.data() && drop[next_drop];
        }
        if (line.empty()) {
            ++blank_run;
        } else if (!dropped) {
            if (!body.empty()) body += blank_run ? "\n\n" : "\n";
            body += line;
            blank_run = 0;
        }
        if (nl == std::string_view::npos) break;
        start = nl + 1;
    }
    a.body = std::move(body);
    std::vector<LiveBlogEntry> entries;
    if (options.split_live_blogs) entries = find_live_blog_entries(a.body, a.title);
    detail::emit(std::move(a), std::move(entries), options, sink);
}

}  // namespace warsearch
