// Snippets and highlighting that understand stemming: a query for "shelling" marks
// "shelled" and "shells" too, because the index and the query store stems.
#pragma once

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <xapian.h>

#include "warsearch/search_types.h"

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
        std::size_t begin, end;  // byte offsets in the text
        bool match;
        std::size_t term;        // index into distinct matched stems, for diversity
        std::string phrase_stem;  // the word's stem when some phrase has it
    };
    std::vector<Word> words(const std::string& text, std::size_t max_bytes) const;

    std::unordered_set<std::string> stems_;
    std::vector<std::vector<std::string>> phrases_;  ///< two words or more
    std::unordered_set<std::string> phrase_stems_;   ///< every stem of phrases_
    bool first_bytes_[256] = {};  ///< first bytes of the stems: most words need no stemming
    Xapian::Stem stemmer_;
    WordCache* cache_;
};

/// Joins segments, wrapping matches in @a open / @a close (no escaping).
std::string join_segments(const std::vector<SnippetSegment>& segments, const std::string& open,
                          const std::string& close);

}  // namespace warsearch
