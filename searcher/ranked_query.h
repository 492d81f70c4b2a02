// The default ranking of a plain query (words, phrases, fields; no operators): every
// report that matches any of the query's concepts is found, and those that match all of
// them come first.  Tuned on the relevance collection (tests/relevance); see
// searcher/README.md "Ranking" for what each part brought.
//
// A concept is what one typed word or name stands for:
//   - a word: its stem (Z-prefixed), so "bombs" finds "bomb" and "bombing";
//   - a catalog name ("nusra front", "deir ez-zor"): the typed words as a phrase, or the
//     entity's own term, which the indexer put on every report it tagged with the
//     entity, weighted by its mentions (so "Daraya" finds "Darayya");
//   - a thesaurus expression ("air raid"): also its equivalents ("airstrike", "air
//     strike") and, weighed like them, its related expressions ("bombing raid");
//   - a clause parsed as typed ("quoted phrase", title:word, wild*).
// Each concept's alternatives form one Xapian OP_SYNONYM, so a report is weighed as if
// they were one word (a report naming four ways to say "airstrike" does not outweigh one
// that says it once in its title).  The query is then
//   OR(concepts) AND_MAYBE coordination * AND(concepts) AND_MAYBE exact * OR(typed words)
// so reports with every concept rank above those with some (an AND that relaxes instead
// of returning nothing), and reports that use the very word typed ("shelling") above
// those that only share its stem ("Shell").
#pragma once

#include <xapian.h>

#include <map>
#include <string>
#include <vector>

#include "common/entities/thesaurus.h"
#include "searcher/search_types.h"

namespace warsearch {

class EntityResolver;

/// What one concept of a plain query stands for (see above).
struct QueryConcept {
    std::string typed;                      ///< as typed (folded), for --explain
    std::vector<std::string> words;         ///< its words, lower-case ("" for a parsed clause)
    std::vector<std::string> entity_terms;  ///< XF/XL terms of the catalog entities it names
    std::string entity_names;               ///< "Islamic State", for --explain
    std::vector<std::string> same;          ///< thesaurus equivalents (expression keys)
    std::vector<std::string> related;       ///< thesaurus related expressions (keys)
    Xapian::Query parsed;                   ///< a clause parsed as typed (phrase, title:, wildcard)
    bool is_parsed = false;
    /// A short word typed in capitals that names an entity ("IS", "US"): it searches the
    /// entity only, not the ordinary word ("is", "us").
    bool capitals_name = false;
};

/// Weights of the ranking; the defaults are the ones the relevance collection chose.
struct RankingWeights {
    /// Added weight, as a multiple of their own, of reports matching every concept.
    double coordination = 2.0;
    /// Weight of the typed words' own forms, beside their stems.
    double exact_forms = 0.25;
};

/// Splits a run of bare clauses (each the words, folded and lower-cased, of one typed
/// token: "ez-zor" is two words) into concepts, taking the longest sequence of clauses
/// that names a catalog entity (through @a resolver) or a thesaurus expression (through
/// @a thesaurus) first, else one clause.  @a db tells whether entity terms are weighted
/// in this index (schema 3 and later).  A word of one or two letters names an entity only
/// when its clause's entry in @a capitals is true (typed in capitals: "IS", not "is").
std::vector<QueryConcept> find_concepts(const std::vector<std::vector<std::string>>& clauses,
                                        const std::vector<bool>& capitals, const EntityResolver& resolver,
                                        const ThesaurusReader& thesaurus, const Xapian::Database& db);

/// The query of one concept, and the reasons of its terms (for --explain).
Xapian::Query concept_query(const QueryConcept& c, const Xapian::Stem& stemmer,
                            std::map<std::string, MatchReason>& reasons);

/// The ranked query of @a concepts (not empty), as described above.
Xapian::Query ranked_query(const std::vector<QueryConcept>& concepts, const Xapian::Stem& stemmer,
                           const RankingWeights& weights, std::map<std::string, MatchReason>& reasons);

/// A phrase of exact word forms, the last word also in its plural or singular form
/// ("air raid" matches "air raids"): the index keeps positions for exact forms only.
Xapian::Query expression_query(const std::string& key, const Xapian::Stem& stemmer);

/// The simple English plural or singular of @a word beside it ("raid" -> raid, raids;
/// "strikes" -> strike, strikes; "city" -> city, cities).
std::vector<std::string> number_forms(const std::string& word);

}  // namespace warsearch
