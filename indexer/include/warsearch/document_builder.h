// Turns an Article into the Xapian::Document the index stores, following schema.h.
#pragma once

#include <xapian.h>

#include <string>

#include "warsearch/article.h"
#include "warsearch/entity_extractor.h"

namespace warsearch {

/// Builds documents; keeps one TermGenerator and stemmer so building is cheap.
/// Not thread-safe: use one builder per thread.
class DocumentBuilder {
  public:
    /// @param stem_language a Snowball language name ("english"); "none" disables stemming.
    /// @throws Xapian::InvalidArgumentError for an unknown language.
    explicit DocumentBuilder(const std::string& stem_language = "english");

    /// The document for @a article: id term, title (prefix S and unprefixed, weighted),
    /// body with positions, boolean filter terms, date/source/month values and the stored
    /// fields.  The article's id must be set.  The entities of @a entities (from
    /// EntityExtractor::extract on the article's title and body) become XF/XFP/XL/XLP
    /// terms, the faction/place facet slots and the stored canonical names.
    Xapian::Document build(const Article& article, const Extraction& entities = {});

    /// As build(), given the article's title and body already folded by
    /// fold_for_matching (for a caller that needs the folded text too: folding is dear).
    Xapian::Document build_folded(const Article& article, const std::string& folded_title,
                                  const std::string& folded_body, const Extraction& entities = {});

    /// The stemmer used, so the searcher can be given the same one.
    const Xapian::Stem& stemmer() const { return stemmer_; }

  private:
    Xapian::Stem stemmer_;
    Xapian::TermGenerator term_generator_;
};

/// The stemming strategy used at index and query time.  STEM_ALL indexes stems only: a
/// smaller, faster index whose phrases match inflected forms ("coalition force" finds
/// "coalition forces"), which is what users of news search expect.
inline constexpr Xapian::TermGenerator::stem_strategy kIndexStemStrategy = Xapian::TermGenerator::STEM_ALL;

}  // namespace warsearch
