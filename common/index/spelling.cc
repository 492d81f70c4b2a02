#include "common/index/spelling.h"

#include <absl/container/flat_hash_map.h>

#include <algorithm>
#include <cstdlib>
#include <vector>

#include "common/index/schema.h"
#include "common/text/text.h"

namespace warsearch {
namespace {

std::u32string to_u32(std::string_view s) {
    std::u32string out;
    std::string str(s);
    for (Xapian::Utf8Iterator it(str), end; it != end; ++it) out += static_cast<char32_t>(*it);
    return out;
}

}  // namespace

// Every word of every indexed document is counted here, on the writer threads: a flat
// table (Abseil), not std::unordered_map, whose node per word costs a cache miss or two
// per look-up.
struct SpellingVocabulary::Counts {
    absl::flat_hash_map<std::string, unsigned> words;
};

SpellingVocabulary::SpellingVocabulary() : counts_(std::make_unique<Counts>()) {}
SpellingVocabulary::~SpellingVocabulary() = default;

std::size_t SpellingVocabulary::size() const { return counts_->words.size(); }

void SpellingVocabulary::clear() { counts_ = std::make_unique<Counts>(); }

void SpellingVocabulary::add_text(std::string_view raw) { add_folded_text(fold_for_matching(raw)); }

void SpellingVocabulary::add_folded_text(std::string_view folded) {
    // Words with digits are ids and numbers, not spellings to suggest; "Zelensky's"
    // gives "zelensky" (the apostrophe ends the word).
    auto& words = counts_->words;
    for_each_word(folded, [&words](const WordView& w) {
        if (w.has_digit || w.characters < 3 || w.characters > 30) return;
        ++words[absl::string_view(w.text.data(), w.text.size())];  // a string is made for a new word only
    });
}

void SpellingVocabulary::merge(const SpellingVocabulary& other) {
    for (const auto& [w, n] : other.counts_->words) counts_->words[w] += n;
}

void SpellingVocabulary::write(Xapian::WritableDatabase& db) const {
    // In key order, so the look-ups of the stored counts walk the metadata in order.
    std::vector<const std::pair<const std::string, unsigned>*> sorted;
    sorted.reserve(counts_->words.size());
    for (const auto& entry : counts_->words) sorted.push_back(&entry);
    std::sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) { return a->first < b->first; });
    std::string prefix(schema::kMetaSpellingPrefix);
    std::string key;
    for (const auto* entry : sorted) {
        key.assign(prefix).append(entry->first);
        if (key.size() > 240) continue;
        std::string old = db.get_metadata(key);
        unsigned long total = entry->second + (old.empty() ? 0 : std::stoul(old));
        db.set_metadata(key, std::to_string(total));
    }
}

namespace {

// Optimal string alignment over code units (bytes or code points).  Words are short:
// the three rows live on the stack up to 64 code units (a vocabulary word has at most
// 30 letters), so a distance allocates nothing.
template <class Str>
unsigned osa_distance(const Str& a, const Str& b, unsigned limit) {
    std::size_t n = a.size(), m = b.size();
    if ((n > m ? n - m : m - n) > limit) return limit + 1;
    constexpr std::size_t kOnStack = 64;
    unsigned stack[3 * (kOnStack + 1)];
    std::vector<unsigned> heap;
    unsigned* rows = stack;
    if (m > kOnStack) {
        heap.resize(3 * (m + 1));
        rows = heap.data();
    }
    unsigned* prev2 = rows;
    unsigned* prev = rows + (m + 1);
    unsigned* cur = rows + 2 * (m + 1);
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
        unsigned* oldest = prev2;
        prev2 = prev;
        prev = cur;
        cur = oldest;
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

SpellingIndex::Letter& SpellingIndex::words_starting(const std::string& first) {
    auto found = by_first_.find(first);
    if (found != by_first_.end()) return found->second;
    Letter& letter = by_first_[first];
    std::string prefix = std::string(schema::kMetaSpellingPrefix) + first;
    std::size_t skip = schema::kMetaSpellingPrefix.size();
    for (auto k = db_.metadata_keys_begin(prefix); k != db_.metadata_keys_end(prefix); ++k) {
        const std::string& key = *k;
        std::string_view word = std::string_view(key).substr(std::min(skip, key.size()));
        if (word.size() > 0xFFFF || letter.text.size() > 0xFFFFFFFFu - word.size()) continue;
        letter.words.push_back(
            Entry{static_cast<std::uint32_t>(letter.text.size()), static_cast<std::uint16_t>(word.size()),
                  static_cast<std::uint16_t>(std::min<std::size_t>(count_code_points(word), 0xFFFF)), false, 0});
        letter.text += word;
    }
    return letter;
}

unsigned long SpellingIndex::frequency(const std::string& word) const {
    std::string stored = db_.get_metadata(std::string(schema::kMetaSpellingPrefix) + word);
    return stored.empty() ? 0 : std::strtoul(stored.c_str(), nullptr, 10);
}

std::vector<SpellingCandidate> SpellingIndex::candidates(const std::string& word) {
    std::vector<SpellingCandidate> out;
    if (word.size() < 3) return out;
    std::size_t letters = count_code_points(word);
    unsigned limit = letters >= 5 ? 2 : 1;
    // Candidates share the first letter: typos there are rare, and it bounds the scan.
    std::string first;
    Xapian::Utf8Iterator it(word);
    Xapian::Unicode::append_utf8(first, *it);
    // Typed letters a candidate drops: people leave letters out more than they add them,
    // so at equal distance a candidate keeping every typed letter is likelier.
    auto dropped = [&](std::string_view candidate) {
        std::u32string typed = to_u32(word), cand = to_u32(candidate);
        unsigned missing = 0;
        for (char32_t ch : typed) {
            auto pos = cand.find(ch);
            if (pos == std::u32string::npos)
                ++missing;
            else
                cand.erase(pos, 1);
        }
        return missing;
    };
    // A lower bound of the distance that costs a pass over the letters, for ASCII words:
    // the letters one word has more of than the other (a substitution changes one on
    // each side, a transposition none), so most of a letter's words are ruled out
    // without computing a distance.
    bool ascii_word = is_ascii(word);
    int balance[128] = {};
    if (ascii_word)
        for (char c : word) ++balance[static_cast<unsigned char>(c)];
    auto bag_distance_over = [&](std::string_view candidate, unsigned bound) {
        if (!ascii_word || !is_ascii(candidate)) return false;
        std::size_t extra = 0;
        for (char c : candidate)
            if (--balance[static_cast<unsigned char>(c)] < 0) ++extra;
        for (char c : candidate) ++balance[static_cast<unsigned char>(c)];
        std::size_t missing = word.size() - (candidate.size() - extra);
        return std::max(extra, missing) > bound;
    };
    std::string prefix(schema::kMetaSpellingPrefix);
    Letter& letter = words_starting(first);
    for (Entry& e : letter.words) {
        // Lengths that differ by more than the limit cannot be within it: most of the
        // vocabulary is ruled out without computing a distance.
        std::size_t gap = e.letters > letters ? e.letters - letters : letters - e.letters;
        if (gap > limit) continue;
        std::string_view candidate = letter.word(e);
        if (candidate == word || bag_distance_over(candidate, limit)) continue;
        unsigned d = edit_distance(word, candidate, limit);
        if (d > limit) continue;
        if (!e.has_freq) {
            std::string stored = db_.get_metadata(prefix + std::string(candidate));
            e.freq = stored.empty() ? 0 : std::strtoul(stored.c_str(), nullptr, 10);
            e.has_freq = true;
        }
        out.push_back(SpellingCandidate{std::string(candidate), d, dropped(candidate), e.freq});
    }
    return out;
}

std::string SpellingIndex::suggest(const std::string& word) {
    if (word.size() < 3 || frequency(word) > 0) return {};
    const SpellingCandidate* best = nullptr;
    auto candidates_of_word = candidates(word);
    for (const auto& c : candidates_of_word) {
        if (!best || c.distance < best->distance ||
            (c.distance == best->distance &&
             (c.dropped < best->dropped || (c.dropped == best->dropped && c.freq > best->freq))))
            best = &c;
    }
    return best ? best->word : std::string();
}

std::string suggest_word(const Xapian::Database& db, const std::string& word) {
    SpellingIndex index(db);
    return index.suggest(word);
}

}  // namespace warsearch
