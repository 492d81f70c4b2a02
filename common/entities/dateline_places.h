// The dateline rule of entity extraction: the place a story was filed from
// ("DAMASCUS, March 3 (Reuters) -", "KABUL, Afghanistan (Jan. 25, 2013) –") is where the
// reporter or the wire office sits, which is not necessarily where the events are.  It
// counts as a location of the report only when the title or the text names it again, or
// names a place inside it; otherwise a facet for Kabul would count every press release
// its office sends out about other provinces.
#pragma once

#include "common/entities/entity_extractor.h"
#include "common/readers/article.h"

namespace warsearch {

/// The entities of @a article as EntityExtractor::extract finds them in its title and
/// body, except that the dateline (Article::dateline_offset/dateline_length, part of the
/// body) is not read as a mention.  A place the dateline names is added back, as a place
/// mentioned once, when the rest of the text names a place inside it (the dateline
/// "KABUL, Afghanistan" and a story about Helmand: Afghanistan counts, Kabul does not);
/// named again in the text, it is there already.  An article without a dateline in its
/// body (none, or Reuters' separate <DATELINE>) is extracted as a whole.  Never throws
/// for a dateline span out of range: it is clamped to the body.  @a text is the part of
/// the body read (the indexer caps it; see indexer.h entity_text()), a prefix of it.
Extraction extract_article_entities(const EntityExtractor& extractor, const Article& article, std::string_view text);
/// As above, reading the whole body.
inline Extraction extract_article_entities(const EntityExtractor& extractor, const Article& article) {
    return extract_article_entities(extractor, article, article.body);
}

}  // namespace warsearch
