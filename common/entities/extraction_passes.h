// The passes of EntityExtractor::extract, in the order it runs them, and the data each
// one reads and writes.  Internal to the extractor (entity_extractor.h is the public
// interface); split out so that a rule can be found, tested and added in one place.
//
//   tokenize_document     title, body          -> TokenizedText
//   NameTrie::match       TokenizedText        -> NameMatch list (longest catalog names)
//   choose_places         TokenizedText, matches -> a place (or none) per match
//   find_country_context  chosen places        -> CountryContext
//   choose_factions       matches, CountryContext, report date -> a faction (or none) per match
//   choose_organisations  matches, CountryContext -> an organisation (or none) per match
//   roll_up               TokenizedText, matches, choices -> Extraction
//
// A new rule reads what an earlier pass returned and returns its own result; passes
// share no state.  Place rules live in place_rules.cc, faction rules in faction_rules.cc,
// organisation rules in organisation_rules.cc.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string_view>
#include <vector>

#include "common/entities/catalog.h"
#include "common/entities/entity_extractor.h"
#include "common/entities/entity_tokenizer.h"
#include "common/entities/name_trie.h"

namespace warsearch::extraction {

/// A pass's decision for one match: an index into Catalog::entities(), or kNone.
using Choice = std::int64_t;
inline constexpr Choice kNone = -1;
/// One Choice per match, same order as the matches.
using Choices = std::vector<Choice>;

/// The catalog as the passes see it: entities by index, each with its ancestors' indices.
struct EntityTable {
    const std::vector<Entity>& entities;
    const std::vector<std::vector<std::uint32_t>>& ancestors;  ///< per entity, nearest first
};

/// One document's title and body, tokenized; what every pass reads about the text.
struct TokenizedText {
    static constexpr int kTitle = 0;
    static constexpr int kBody = 1;
    struct Segment {
        std::string_view text;
        std::vector<EntityToken> tokens;
        bool caseless = false;  ///< all-capitals text (ExtractorOptions::caseless_threshold)
    };
    Segment segments[2];  ///< kTitle, kBody

    /// The normalised word @a back words before @a m, or "" when punctuation or the
    /// segment's start comes first.
    std::string_view word_before(const NameMatch& m, long back = 1) const {
        const auto& toks = segments[m.segment].tokens;
        for (long k = static_cast<long>(m.first); k > static_cast<long>(m.first) - back; --k)
            if (k < 0 || toks[static_cast<std::size_t>(k)].break_before) return {};
        long at = static_cast<long>(m.first) - back;
        if (at < 0 || static_cast<std::size_t>(at) >= toks.size()) return {};
        return toks[static_cast<std::size_t>(at)].norm;
    }
    /// The normalised word @a ahead words after @a m, or "" when punctuation or the
    /// segment's end comes first.
    std::string_view word_after(const NameMatch& m, std::size_t ahead = 1) const {
        const auto& toks = segments[m.segment].tokens;
        for (std::size_t k = m.last + 1; k <= m.last + ahead; ++k)
            if (k >= toks.size() || toks[k].break_before) return {};
        return toks[m.last + ahead].norm;
    }
};

/// Tokenizes @a title and @a body, each judged on its own for all-capitals.
TokenizedText tokenize_document(std::string_view title, std::string_view body, double caseless_threshold);

/// Per match, the place it names, or kNone: candidates narrowed by context cues
/// (metonymy, "X province", "city of X"), ancestors dropped for the more specific place,
/// ambiguous names kept only with a cue or a confirmed place of the same admin1/country,
/// and namesakes settled by the ancestors they share with the confirmed places.
Choices choose_places(const EntityTable& table, const TokenizedText& text, const std::vector<NameMatch>& matches);

/// The countries the chosen places lie in (or are).
struct CountryContext {
    std::map<std::string_view, int> mentions;  ///< place mentions per country id
    /// The countries the text is mostly about (at least a third of the most mentioned).
    std::set<std::string_view> main;
};

/// Counts the chosen @a places per country.
CountryContext find_country_context(const EntityTable& table, const Choices& places);

/// Per match, the faction it names, or kNone: generic terms and short acronyms need a
/// text about one of the faction's countries, and among namesakes the report's @a date
/// (ISO, may be "" or partial) and the countries decide; an unresolved tie is kNone.
Choices choose_factions(const EntityTable& table, const std::vector<NameMatch>& matches,
                        const CountryContext& countries, std::string_view date);

/// Per match, the organisation it names, or kNone: generic terms ("the Foreign
/// Ministry") need a text mostly about one of the organisation's countries; among
/// namesakes the one of a country the text names, else none.
Choices choose_organisations(const EntityTable& table, const std::vector<NameMatch>& matches,
                             const CountryContext& countries);

/// The chosen places, factions and organisations, each once in order of first mention,
/// with their ancestors, distinct surface strings and mention counts.  A match that
/// names a faction or an organisation names no place.
Extraction roll_up(const EntityTable& table, const TokenizedText& text, const std::vector<NameMatch>& matches,
                   const Choices& places, const Choices& factions, const Choices& organisations);

}  // namespace warsearch::extraction
