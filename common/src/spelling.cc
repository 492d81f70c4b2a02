#include "warsearch/spelling.h"

#include <algorithm>
#include <cstdlib>
#include <vector>

#include "warsearch/schema.h"
#include "warsearch/text.h"

namespace warsearch {
namespace {

std::u32string to_u32(std::string_view s) {
    std::u32string out;
    std::string str(s);
    for (Xapian::Utf8Iterator it(str), end; it != end; ++it) out += static_cast<char32_t>(*it);
    return out;
}

}  // namespace

void SpellingVocabulary::add_text(std::string_view raw) { add_folded_text(fold_for_matching(raw)); }

void SpellingVocabulary::add_folded_text(std::string_view folded) {
    // Words with digits are ids and numbers, not spellings to suggest; "Zelensky's"
    // gives "zelensky" (the apostrophe ends the word).
    std::string key;
    for_each_word(folded, [this, &key](const WordView& w) {
        if (w.has_digit || w.characters < 3 || w.characters > 30) return;
        key.assign(w.text);
        ++counts_[key];  // copies the key only for a new word
    });
}

void SpellingVocabulary::merge(const SpellingVocabulary& other) {
    for (const auto& [w, n] : other.counts_) counts_[w] += n;
}

void SpellingVocabulary::write(Xapian::WritableDatabase& db) const {
    std::string prefix(schema::kMetaSpellingPrefix);
    for (const auto& [word, n] : counts_) {
        std::string key = prefix + word;
        if (key.size() > 240) continue;
        std::string old = db.get_metadata(key);
        unsigned long total = n + (old.empty() ? 0 : std::stoul(old));
        db.set_metadata(key, std::to_string(total));
    }
}

namespace {

// Optimal string alignment over code units (bytes or code points).
template <class Str>
unsigned osa_distance(const Str& a, const Str& b, unsigned limit) {
    std::size_t n = a.size(), m = b.size();
    if ((n > m ? n - m : m - n) > limit) return limit + 1;
    std::vector<unsigned> prev2(m + 1), prev(m + 1), cur(m + 1);
    for (std::size_t j = 0; j <= m; ++j) prev[j] = static_cast<unsigned>(j);
    for (std::size_t i = 1; i <= n; ++i) {
        cur[0] = static_cast<unsigned>(i);
        unsigned row_min = cur[0];
        for (std::size_t j = 1; j <= m; ++j) {
            unsigned cost = a[i - 1] == b[j - 1] ? 0 : 1;
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                cur[j] = std::min(cur[j], prev2[j - 2] + 1);
            row_min = std::min(row_min, cur[j]);
        }
        if (row_min > limit) return limit + 1;
        std::swap(prev2, prev);
        std::swap(prev, cur);
    }
    return prev[m];
}

bool is_ascii(std::string_view s) {
    for (char c : s)
        if (static_cast<unsigned char>(c) >= 0x80) return false;
    return true;
}

std::size_t count_code_points(std::string_view s) {
    std::size_t n = 0;
    for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

}  // namespace

unsigned edit_distance(std::string_view a8, std::string_view b8, unsigned limit) {
    // Most words are ASCII, where bytes are code points: no conversion.
    if (is_ascii(a8) && is_ascii(b8)) return osa_distance(a8, b8, limit);
    return osa_distance(to_u32(a8), to_u32(b8), limit);
}

std::vector<SpellingIndex::Entry>& SpellingIndex::words_starting(const std::string& first) {
    auto found = by_first_.find(first);
    if (found != by_first_.end()) return found->second;
    std::vector<Entry>& words = by_first_[first];
    std::string prefix = std::string(schema::kMetaSpellingPrefix) + first;
    std::size_t skip = schema::kMetaSpellingPrefix.size();
    for (auto k = db_.metadata_keys_begin(prefix); k != db_.metadata_keys_end(prefix); ++k) {
        std::string key = *k;
        std::string word = key.substr(skip);
        auto letters = static_cast<unsigned>(count_code_points(word));
        words.push_back(Entry{std::move(word), letters, 0, false});
    }
    return words;
}

std::string SpellingIndex::suggest(const std::string& word) {
    std::string prefix(schema::kMetaSpellingPrefix);
    if (word.size() < 3 || !db_.get_metadata(prefix + word).empty()) return {};
    std::size_t letters = count_code_points(word);
    unsigned limit = letters >= 5 ? 2 : 1;
    // Candidates share the first letter: typos there are rare, and it bounds the scan.
    std::string first;
    Xapian::Utf8Iterator it(word);
    Xapian::Unicode::append_utf8(first, *it);
    // Typed letters a candidate drops: people leave letters out more than they add them,
    // so at equal distance a candidate keeping every typed letter is likelier.
    auto dropped = [&](const std::string& candidate) {
        std::u32string typed = to_u32(word), cand = to_u32(candidate);
        unsigned missing = 0;
        for (char32_t ch : typed) {
            auto pos = cand.find(ch);
            if (pos == std::u32string::npos) ++missing;
            else cand.erase(pos, 1);
        }
        return missing;
    };
    const Entry* best = nullptr;
    unsigned best_distance = limit + 1, best_dropped = ~0u;
    unsigned long best_freq = 0;
    std::vector<Entry>& words = words_starting(first);
    for (Entry& e : words) {
        // Lengths that differ by more than the limit cannot be within it: most of the
        // vocabulary is ruled out without computing a distance.
        std::size_t gap = e.letters > letters ? e.letters - letters : letters - e.letters;
        if (gap > std::min(limit, best_distance)) continue;
        unsigned d = edit_distance(word, e.word, std::min(limit, best_distance));
        if (d > limit || d > best_distance) continue;
        if (!e.has_freq) {
            std::string stored = db_.get_metadata(prefix + e.word);
            e.freq = stored.empty() ? 0 : std::strtoul(stored.c_str(), nullptr, 10);
            e.has_freq = true;
        }
        unsigned drop = dropped(e.word);
        if (d < best_distance || (d == best_distance && (drop < best_dropped || (drop == best_dropped && e.freq > best_freq)))) {
            best = &e;
            best_distance = d;
            best_dropped = drop;
            best_freq = e.freq;
        }
    }
    return best ? best->word : std::string();
}

std::string suggest_word(const Xapian::Database& db, const std::string& word) {
    SpellingIndex index(db);
    return index.suggest(word);
}

}  // namespace warsearch
