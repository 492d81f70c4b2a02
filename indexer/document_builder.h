// Turns an Article into the Xapian::Document the index stores, following schema.h.
#pragma once

#include <xapian.h>

#include <string>

#include "common/entities/entity_extractor.h"
#include "common/readers/article.h"

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

}  // namespace warsearch
