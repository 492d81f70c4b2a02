#include "warsearch/highlighter.h"

#include <xapian.h>

#include <algorithm>
#include <map>

#include "warsearch/text.h"

namespace warsearch {

Highlighter::Highlighter(const std::vector<std::string>& terms, const Xapian::Stem& stemmer)
    : stemmer_(stemmer) {
    for (const auto& t : terms) {
        if (t.empty()) continue;
        if (t[0] >= 'A' && t[0] <= 'Z') {
            if (t[0] == 'S' && t.size() > 1 && !(t[1] >= 'A' && t[1] <= 'Z')) stems_.insert(t.substr(1));
            continue;
        }
        stems_.insert(t);
    }
    for (const auto& stem : stems_) first_bytes_[static_cast<unsigned char>(stem[0])] = true;
}

std::vector<Highlighter::Word> Highlighter::words(const std::string& text, std::size_t max_bytes) const {
    std::vector<Word> out;
    std::map<std::string, std::size_t> seen;
    Xapian::Utf8Iterator it(text), end;
    std::size_t limit = std::min(text.size(), max_bytes);
    const char* base = text.data();
    while (it != end) {
        if (static_cast<std::size_t>(it.raw() - base) >= limit) break;
        if (!Xapian::Unicode::is_wordchar(*it)) {
            ++it;
            continue;
        }
        std::size_t begin = static_cast<std::size_t>(it.raw() - base);
        while (it != end) {
            if (Xapian::Unicode::is_wordchar(*it)) {
                ++it;
                continue;
            }
            // Keep an apostrophe between letters (Zelensky's) inside the word.
            if (*it == '\'' || *it == 0x2019) {
                Xapian::Utf8Iterator next = it;
                ++next;
                if (next != end && Xapian::Unicode::is_wordchar(*next)) {
                    it = next;
                    continue;
                }
            }
            break;
        }
        std::size_t stop = it == end ? text.size() : static_cast<std::size_t>(it.raw() - base);
        Word w{begin, stop, false, 0};
        // Stemming is the costly part; a word whose folded first letter starts no stem
        // cannot match, and most words are such.
        unsigned first = Xapian::Unicode::tolower(*Xapian::Utf8Iterator(text.data() + begin, stop - begin));
        bool maybe = first >= 0x80 || first_bytes_[first];
        if (!stems_.empty() && maybe) {
            std::string word = Xapian::Unicode::tolower(fold_for_matching(text.substr(begin, stop - begin)));
            size_t apos = word.find('\'');
            if (apos != std::string::npos) word.resize(apos);
            std::string stem = stemmer_(word);
            if (stems_.count(stem) || stems_.count(word)) {
                w.match = true;
                w.term = seen.emplace(stem, seen.size()).first->second;
            }
        }
        out.push_back(w);
    }
    return out;
}

namespace {

void append(std::vector<SnippetSegment>& out, const std::string& text, bool match) {
    if (text.empty()) return;
    if (!out.empty() && out.back().match == match) {
        out.back().text += text;
    } else {
        out.push_back({text, match});
    }
}

}  // namespace

std::vector<SnippetSegment> Highlighter::highlight(const std::string& text) const {
    std::vector<SnippetSegment> out;
    std::size_t pos = 0;
    for (const Word& w : words(text, text.size())) {
        if (!w.match) continue;
        append(out, text.substr(pos, w.begin - pos), false);
        append(out, text.substr(w.begin, w.end - w.begin), true);
        pos = w.end;
    }
    append(out, text.substr(pos), false);
    return out;
}

std::vector<SnippetSegment> Highlighter::snippet(const std::string& raw, std::size_t bytes) const {
    std::string text = squeeze_space(raw);
    // Scanning is bounded so a huge document costs no more than its first 16 KiB.
    std::vector<Word> ws = words(text, 16384);
    if (ws.empty()) return {};
    // Best window: most distinct matched terms, then most matches, then earliest.
    std::size_t best_start = 0, best_distinct = 0, best_matches = 0;
    std::size_t j = 0, matches = 0;
    std::map<std::size_t, int> counts;
    for (std::size_t i = 0; i < ws.size(); ++i) {
        while (j < ws.size() && ws[j].end - ws[i].begin <= bytes) {
            if (ws[j].match) {
                ++matches;
                ++counts[ws[j].term];
            }
            ++j;
        }
        if (counts.size() > best_distinct || (counts.size() == best_distinct && matches > best_matches)) {
            best_distinct = counts.size();
            best_matches = matches;
            best_start = i;
        }
        if (ws[i].match) {
            --matches;
            if (--counts[ws[i].term] == 0) counts.erase(ws[i].term);
        }
    }
    // The window from best_start; then spend the room left after its last match on
    // starting at a sentence start (or a little earlier), and the rest on what follows.
    std::size_t first = best_start, last = best_start;
    while (last + 1 < ws.size() && ws[last + 1].end - ws[first].begin <= bytes) ++last;
    if (best_distinct > 0) {
        std::size_t last_match = last;
        while (last_match > first && !ws[last_match].match) --last_match;
        std::size_t back = first;
        while (back > 0 && ws[last_match].end - ws[back - 1].begin <= bytes &&
               ws[first].begin - ws[back - 1].begin < bytes / 3) {
            --back;
            char prev = ws[back].begin >= 2 ? text[ws[back].begin - 2] : '.';
            if (prev == '.' || prev == '!' || prev == '?') break;
        }
        first = back;
        last = last_match;
        while (last + 1 < ws.size() && ws[last + 1].end - ws[first].begin <= bytes) ++last;
    }

    std::vector<SnippetSegment> out;
    std::size_t begin = ws[first].begin;
    // Include the punctuation that ends the last word's sentence.
    std::size_t stop = ws[last].end;
    if (stop < text.size() && (text[stop] == '.' || text[stop] == '!' || text[stop] == '?')) ++stop;
    bool cut_front = first > 0;
    bool cut_back = stop < text.size();
    if (cut_front) append(out, "\xE2\x80\xA6", false);
    std::size_t pos = begin;
    for (std::size_t k = first; k <= last; ++k) {
        if (!ws[k].match) continue;
        append(out, text.substr(pos, ws[k].begin - pos), false);
        append(out, text.substr(ws[k].begin, ws[k].end - ws[k].begin), true);
        pos = ws[k].end;
    }
    append(out, text.substr(pos, stop - pos), false);
    if (cut_back) append(out, "\xE2\x80\xA6", false);
    return out;
}

std::string join_segments(const std::vector<SnippetSegment>& segments, const std::string& open,
                          const std::string& close) {
    std::string out;
    for (const auto& s : segments) {
        if (s.match) out += open;
        out += s.text;
        if (s.match) out += close;
    }
    return out;
}

}  // namespace warsearch
