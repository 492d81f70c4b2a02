#include "searcher/highlighter.h"

#include <xapian.h>

#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "common/index/schema.h"
#include "common/text/text.h"

namespace warsearch {

Highlighter::Highlighter(const std::vector<std::string>& terms, const Xapian::Stem& stemmer, WordCache* cache,
                         const std::vector<std::vector<std::string>>& phrases)
    : stemmer_(stemmer), cache_(cache) {
    // English stemming keeps a word's first two letters but for three words (below);
    // other languages' stemmers may cut prefixes too (Indonesian "menyerang" -> "serang"),
    // so with them every word is stemmed.
    std::string language = stemmer.get_description();
    by_leads_ =
        language == "Xapian::Stem(english)" || language == "Xapian::Stem(porter)" || language == "Xapian::Stem(none)";
    for (const auto& phrase : phrases) {
        if (phrase.empty() || std::any_of(phrase.begin(), phrase.end(), [](const std::string& w) { return w.empty(); }))
            continue;
        if (phrase.size() == 1) {
            stems_.insert(phrase[0]);
            continue;
        }
        std::vector<int> ids;
        for (const auto& w : phrase) {
            ids.push_back(phrase_stems_.emplace(w, static_cast<int>(phrase_stems_.size())).first->second);
            note_lead(w);
        }
        phrases_.push_back(std::move(ids));
    }
    for (const auto& t : terms) {
        std::string stem = highlight_stem(t, stemmer);
        if (!stem.empty()) stems_.insert(std::move(stem));
    }
    for (const auto& stem : stems_) note_lead(stem);
}

std::string highlight_stem(const std::string& term, const Xapian::Stem& stemmer) {
    auto capital = [](char c) { return c >= 'A' && c <= 'Z'; };
    if (term.empty()) return term;
    if (!capital(term[0])) return stemmer(term);  // a word as written (or, in an old index, a stem)
    std::string_view rest(term);
    rest.remove_prefix(1);
    if (term[0] == schema::kStemPrefix[0]) {
        if (!rest.empty() && rest[0] == schema::kTitlePrefix[0]) rest.remove_prefix(1);  // ZS: a title stem
        return !rest.empty() && !capital(rest[0]) ? std::string(rest) : std::string();
    }
    if (term[0] == schema::kTitlePrefix[0] && !rest.empty() && !capital(rest[0])) return stemmer(std::string(rest));
    return "";
}

namespace {

constexpr unsigned char ascii_lower(unsigned char c) { return c >= 'A' && c <= 'Z' ? c | 0x20 : c; }
constexpr bool ascii_alnum(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

}  // namespace

void Highlighter::note_lead(const std::string& stem) {
    unsigned char b0 = ascii_lower(static_cast<unsigned char>(stem[0]));
    unsigned char b1 = stem.size() > 1 ? ascii_lower(static_cast<unsigned char>(stem[1])) : 0;
    leads_[b0 << 8 | b1] = true;
    // The English stemmer's one rewrite of a second letter: dying, lying, tying -> die,
    // lie, tie.
    if (b1 == 'i') leads_[b0 << 8 | 'y'] = true;
}

bool Highlighter::may_match(unsigned char b0, unsigned char b1) const {
    // Non-ASCII letters fold (é -> e) and an apostrophe may end a word ("d'Alep" is
    // matched as "d"): such words are always stemmed.
    if (!by_leads_ || b0 >= 0x80 || (b1 != 0 && !ascii_alnum(b1))) return true;
    return leads_[ascii_lower(b0) << 8 | ascii_lower(b1)];
}

namespace {

// ASCII word characters as Xapian::Unicode::is_wordchar sees them: letters, digits, '_'.
constexpr bool ascii_word(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Whether the character at @a i is a word character; @a len gets its length in bytes.
bool word_char_at(const std::string& text, std::size_t i, std::size_t& len) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
        len = 1;
        return ascii_word(c);
    }
    Xapian::Utf8Iterator it(text.data() + i, text.size() - i);
    Xapian::Utf8Iterator next = it;
    ++next;
    len = next == Xapian::Utf8Iterator() ? text.size() - i : static_cast<std::size_t>(next.raw() - it.raw());
    if (len == 0) len = 1;
    return Xapian::Unicode::is_wordchar(*it);
}

// An apostrophe (' or U+2019) of @a len bytes at @a i.
bool apostrophe_at(const std::string& text, std::size_t i, std::size_t& len) {
    if (text[i] == '\'') {
        len = 1;
        return true;
    }
    if (text.compare(i, 3, "\xE2\x80\x99") == 0) {
        len = 3;
        return true;
    }
    return false;
}

}  // namespace

std::vector<Highlighter::Word> Highlighter::words(const std::string& text, std::size_t max_bytes) const {
    // Most text is ASCII: bytes are classified directly and only non-ASCII characters go
    // through Xapian's Unicode tables (the same word rule as the term generator's).
    std::vector<Word> out;
    std::unordered_map<std::string, std::uint32_t> seen;
    std::size_t limit = std::min(text.size(), max_bytes);
    out.reserve(limit / 6 + 1);  // ~6 bytes a word in English prose
    std::size_t i = 0, len = 0;
    while (i < limit) {
        unsigned char lead = static_cast<unsigned char>(text[i]);
        if (lead < 0x80 && !ascii_word(lead)) {  // spaces and punctuation, most of the rest
            ++i;
            continue;
        }
        if (!word_char_at(text, i, len)) {
            i += len;
            continue;
        }
        std::size_t begin = i;
        i += len;
        while (i < text.size()) {
            if (ascii_word(static_cast<unsigned char>(text[i]))) {
                ++i;
                continue;
            }
            if (word_char_at(text, i, len)) {
                i += len;
                continue;
            }
            // Keep an apostrophe between letters (Zelensky's) inside the word.
            std::size_t alen = 0, wlen = 0;
            if (apostrophe_at(text, i, alen) && i + alen < text.size() && word_char_at(text, i + alen, wlen)) {
                i += alen;
                continue;
            }
            break;
        }
        std::size_t stop = i;
        Word w{static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(stop), 0, -1, false};
        // Stemming is the costly part; a word whose first two letters start no stem
        // cannot match, and most words are such.
        bool maybe = may_match(static_cast<unsigned char>(text[begin]),
                               stop - begin > 1 ? static_cast<unsigned char>(text[begin + 1]) : 0);
        if (!empty() && maybe) {
            std::string raw = text.substr(begin, stop - begin);
            WordCache::Forms computed;
            const WordCache::Forms* forms = nullptr;
            if (cache_) {
                auto hit = cache_->forms.find(raw);
                if (hit != cache_->forms.end()) forms = &hit->second;
            }
            if (!forms) {
                computed.folded = Xapian::Unicode::tolower(fold_for_matching(raw));
                size_t apos = computed.folded.find('\'');
                if (apos != std::string::npos) computed.folded.resize(apos);
                computed.stem = stemmer_(computed.folded);
                forms = cache_ ? &cache_->forms.emplace(std::move(raw), std::move(computed)).first->second : &computed;
            }
            if (stems_.count(forms->stem) || stems_.count(forms->folded)) {
                w.match = true;
                w.term = seen.emplace(forms->stem, static_cast<std::uint32_t>(seen.size())).first->second;
            }
            if (!phrase_stems_.empty()) {
                auto in_phrase = phrase_stems_.find(forms->stem);
                if (in_phrase != phrase_stems_.end()) w.phrase_stem = in_phrase->second;
            }
        }
        out.push_back(w);
    }
    // Phrases: every word of an occurrence is marked, as one term for diversity.
    for (std::size_t at = 0; !phrases_.empty() && at < out.size(); ++at) {
        if (out[at].phrase_stem < 0) continue;
        for (std::size_t k = 0; k < phrases_.size(); ++k) {
            const auto& phrase = phrases_[k];
            if (at + phrase.size() > out.size()) continue;
            bool whole = true;
            for (std::size_t j = 0; whole && j < phrase.size(); ++j) whole = out[at + j].phrase_stem == phrase[j];
            if (!whole) continue;
            std::uint32_t id =
                seen.emplace("\x01" + std::to_string(k), static_cast<std::uint32_t>(seen.size())).first->second;
            for (std::size_t j = 0; j < phrase.size(); ++j) {
                if (!out[at + j].match) out[at + j].term = id;
                out[at + j].match = true;
            }
        }
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
    // Scanning is bounded so a huge document costs no more than its first 16 KiB.
    constexpr std::size_t kScanBytes = 16384;
    std::string_view head(raw);
    bool truncated = head.size() > kScanBytes + bytes;
    if (truncated) {
        std::size_t cut = kScanBytes + bytes;
        while (cut > 0 && (static_cast<unsigned char>(head[cut]) & 0xC0) == 0x80) --cut;  // whole characters
        head = head.substr(0, cut);
    }
    std::string text = squeeze_space(head);
    std::vector<Word> ws = words(text, kScanBytes);
    if (ws.empty()) return {};
    // Best window: most distinct matched terms, then most matches, then earliest.
    std::size_t best_start = 0, best_distinct = 0, best_matches = 0;
    std::size_t j = 0, matches = 0, distinct = 0;
    std::vector<int> counts(ws.size() + 1, 0);  // per matched term id (ids < number of words)
    for (std::size_t i = 0; i < ws.size(); ++i) {
        while (j < ws.size() && ws[j].end - ws[i].begin <= bytes) {
            if (ws[j].match) {
                ++matches;
                if (counts[ws[j].term]++ == 0) ++distinct;
            }
            ++j;
        }
        if (distinct > best_distinct || (distinct == best_distinct && matches > best_matches)) {
            best_distinct = distinct;
            best_matches = matches;
            best_start = i;
        }
        if (ws[i].match) {
            --matches;
            if (--counts[ws[i].term] == 0) --distinct;
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
    bool cut_back = stop < text.size() || truncated;
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
