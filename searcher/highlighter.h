// Snippets and highlighting that understand stemming: a query for "shelling" marks
// "shelled" and "shells" too, because the index and the query store stems.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "searcher/search_types.h"

namespace warsearch {

/// Marks the words of a text whose stems are among a set of query terms.
class Highlighter {
  public:
    /// @param terms the terms that matched (as in the index: stems, with or without the
    ///        title prefix S; other prefixed terms are ignored).
    /// Folded and stemmed forms of words already seen, shared by the highlighters of one
    /// result page (the same words recur from hit to hit; stemming is the costly part).
    struct WordCache {
        struct Forms {
            std::string folded, stem;
        };
        std::unordered_map<std::string, Forms> forms;
    };

    /// @param cache optional; must outlive the highlighter and use the same stemmer.
    /// @param phrases stem sequences marked only where they occur word after word (an
    ///        entity's other spellings: "government of syria" must not mark every "of").
    Highlighter(const std::vector<std::string>& terms, const Xapian::Stem& stemmer, WordCache* cache = nullptr,
                const std::vector<std::vector<std::string>>& phrases = {});

    /// The most query-dense passage of about @a bytes bytes (whole words, "…" where cut),
    /// split into runs with matches flagged.  Never returns raw markup: renderers escape.
    std::vector<SnippetSegment> snippet(const std::string& text, std::size_t bytes) const;

    /// The whole text with its matches flagged (for titles).
    std::vector<SnippetSegment> highlight(const std::string& text) const;

    bool empty() const { return stems_.empty() && phrases_.empty(); }

  private:
    struct Word {
        std::uint32_t begin, end;  // byte offsets in the text
        std::uint32_t term;        // index into distinct matched stems, for diversity
        int phrase_stem;           // the word's stem's index in phrase_stems_ (-1: in no phrase)
        bool match;
    };
    std::vector<Word> words(const std::string& text, std::size_t max_bytes) const;
    /// Whether a word starting with bytes @a b0 and @a b1 (0 for a one-byte word) may
    /// stem to one of the stems: only such words are folded and stemmed.
    bool may_match(unsigned char b0, unsigned char b1) const;
    void note_lead(const std::string& stem);

    std::unordered_set<std::string> stems_;
    std::vector<std::vector<int>> phrases_;              ///< two words or more, as phrase_stems_ numbers
    std::unordered_map<std::string, int> phrase_stems_;  ///< every stem of phrases_, numbered
    /// The first two bytes of the stems (ASCII folded to lower case), a bit each.
    /// Stemming keeps a word's first two letters (it cuts and rewrites endings), so the
    /// words whose first two start no stem, most of them, are never folded and stemmed
    /// (snippets were ~12% of a CGI request, a third of it stemming every word whose
    /// first letter started a stem).
    std::vector<bool> leads_ = std::vector<bool>(1u << 16);
    bool by_leads_ = true;  ///< false: every word is stemmed (a language other than English)
    Xapian::Stem stemmer_;
    WordCache* cache_;
};

/// The stem a highlighter compares words with for index term @a term: a stem term (Z,
/// or ZS in titles) without its prefix, a word as written (or a title word, S) stemmed
/// with @a stemmer, "" for other prefixed terms (never marked).
std::string highlight_stem(const std::string& term, const Xapian::Stem& stemmer);

/// Joins segments, wrapping matches in @a open / @a close (no escaping).
std::string join_segments(const std::vector<SnippetSegment>& segments, const std::string& open,
                          const std::string& close);

}  // namespace warsearch
