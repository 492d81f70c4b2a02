// "Did you mean": a vocabulary of the words in the indexed text, kept in the database's
// metadata (keys schema::kMetaSpellingPrefix + word), so that it travels to remote shards
// and stub databases, which Xapian 1.4's own spelling table does not.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace warsearch {

/// Counts the words of indexed text during a run, then merges them into the database.
class SpellingVocabulary {
  public:
    SpellingVocabulary();
    ~SpellingVocabulary();
    /// Adds the words of @a text (folded, lower case, letters only, 3 to 30 letters).
    void add_text(std::string_view text);
    /// As add_text(), for text already folded by fold_for_matching.
    void add_folded_text(std::string_view folded);
    /// Adds the counts of another vocabulary (parallel indexing).
    void merge(const SpellingVocabulary& other);
    /// Adds the counts to those already stored in @a db (does not commit).
    void write(Xapian::WritableDatabase& db) const;
    /// Forgets every count (after write(), so the next write() adds only what came since).
    void clear();
    std::size_t size() const;

  private:
    struct Counts;  ///< word -> count (spelling.cc)
    std::unique_ptr<Counts> counts_;
};

/// A word of the vocabulary close to a typed one.
struct SpellingCandidate {
    std::string word;
    unsigned distance;   ///< edit distance to the typed word (edit_distance())
    unsigned dropped;    ///< typed letters the candidate lacks
    unsigned long freq;  ///< times the word occurs in the indexed text
};

/// The stored vocabulary as the suggester reads it: the words of one first letter are
/// listed once and kept (their counts when first needed), so a long-lived searcher pays
/// for a letter once until clear() (call it when the index changes).
class SpellingIndex {
  public:
    explicit SpellingIndex(const Xapian::Database& db) : db_(db) {}
    /// As suggest_word().
    std::string suggest(const std::string& word);
    /// Every other word within edit distance 1 (2 for words of 5+ letters) of @a word
    /// (folded, lower case) that has its first letter, in vocabulary order.
    std::vector<SpellingCandidate> candidates(const std::string& word);
    /// How often @a word occurs in the indexed text; 0 when it is not in the vocabulary.
    unsigned long frequency(const std::string& word) const;
    void clear() { by_first_.clear(); }

  private:
    /// A word of one letter's list: its bytes in the list's text, its count when read.
    struct Entry {
        std::uint32_t offset;
        std::uint16_t bytes;
        std::uint16_t letters;
        bool has_freq;
        unsigned long freq;
    };
    /// The words of one first letter, their bytes one after another in one string (a
    /// string per word cost a CGI request's suggestion its allocations and page faults).
    struct Letter {
        std::string text;
        std::vector<Entry> words;
        std::string_view word(const Entry& e) const { return std::string_view(text).substr(e.offset, e.bytes); }
    };
    Letter& words_starting(const std::string& first);

    Xapian::Database db_;
    std::unordered_map<std::string, Letter> by_first_;
};

/// The best correction for @a word (folded, lower case) from the stored vocabulary: the
/// closest word (edit distance 1, or 2 for words of 5+ letters; transpositions count 1)
/// with the same first letter, the most frequent on ties.  "" when the word is known or
/// nothing is close.
std::string suggest_word(const Xapian::Database& db, const std::string& word);

/// Optimal-string-alignment distance between two UTF-8 strings, counted in code points;
/// returns limit + 1 as soon as it must exceed @a limit.
unsigned edit_distance(std::string_view a, std::string_view b, unsigned limit);

}  // namespace warsearch
