#include "common/entities/entity_extractor.h"

#include <algorithm>
#include <unordered_map>

#include "common/entities/extraction_passes.h"

namespace warsearch {

namespace {

std::vector<std::vector<std::uint32_t>> ancestor_indices(const Catalog& catalog) {
    const auto& ents = catalog.entities();
    std::unordered_map<std::string, std::uint32_t> index_of;
    for (std::uint32_t i = 0; i < ents.size(); ++i) index_of.emplace(ents[i].id, i);
    std::vector<std::vector<std::uint32_t>> out(ents.size());
    for (std::uint32_t i = 0; i < ents.size(); ++i)
        for (const Entity* a : catalog.ancestors(ents[i].id)) out[i].push_back(index_of.at(a->id));
    return out;
}

// All-capitals wire copy has no case to go by: fewer than @a threshold of its letters
// are lower case.
bool is_all_capitals(std::string_view t, double threshold) {
    std::size_t upper = 0, lower = 0;
    for (char c : t) {
        upper += (c >= 'A' && c <= 'Z');
        lower += (c >= 'a' && c <= 'z');
    }
    return upper + lower > 0 && static_cast<double>(lower) < threshold * static_cast<double>(upper + lower);
}

}  // namespace

EntityExtractor::EntityExtractor(const Catalog& catalog, ExtractorOptions options)
    : catalog_(catalog),
      options_(options),
      trie_(catalog, options.require_capitals),
      ancestor_ids_(ancestor_indices(catalog)) {}

Extraction EntityExtractor::extract(std::string_view title, std::string_view body, std::string_view date) const {
    using namespace extraction;
    const EntityTable table{catalog_.entities(), ancestor_ids_};
    const TokenizedText text = tokenize_document(title, body, options_.caseless_threshold);
    std::vector<NameMatch> matches;
    for (int s : {TokenizedText::kTitle, TokenizedText::kBody}) {
        const TokenizedText::Segment& segment = text.segments[s];
        trie_.match(s, segment.text, segment.tokens, segment.caseless, matches);
    }
    const Choices places = choose_places(table, text, matches);
    const CountryContext countries = find_country_context(table, places);
    const Choices factions = choose_factions(table, matches, countries, date);
    const Choices organisations = choose_organisations(table, matches, countries);
    return roll_up(table, text, matches, places, factions, organisations);
}

namespace extraction {

TokenizedText tokenize_document(std::string_view title, std::string_view body, double caseless_threshold) {
    TokenizedText text;
    text.segments[TokenizedText::kTitle].text = title;
    text.segments[TokenizedText::kBody].text = body;
    for (auto& segment : text.segments) {
        segment.tokens.reserve(segment.text.size() / 5 + 4);
        tokenize_for_entities(segment.text, segment.tokens);
        segment.caseless = is_all_capitals(segment.text, caseless_threshold);
    }
    return text;
}

Extraction roll_up(const EntityTable& table, const TokenizedText& text, const std::vector<NameMatch>& matches,
                   const Choices& places, const Choices& factions, const Choices& organisations) {
    Extraction out;
    std::unordered_map<std::uint32_t, std::size_t> place_at, faction_at, organisation_at;
    auto record = [&](std::vector<ExtractedEntity>& list, std::unordered_map<std::uint32_t, std::size_t>& at,
                      Choice choice, const NameMatch& m) {
        auto e = static_cast<std::uint32_t>(choice);
        auto [it, fresh] = at.emplace(e, list.size());
        if (fresh) {
            ExtractedEntity x;
            x.entity = &table.entities[e];
            for (auto a : table.ancestors[e]) x.ancestors.push_back(&table.entities[a]);
            list.push_back(std::move(x));
        }
        ExtractedEntity& x = list[it->second];
        const TokenizedText::Segment& segment = text.segments[m.segment];
        std::uint32_t b = segment.tokens[m.first].mention_begin, end = segment.tokens[m.last].end;
        std::string surface(segment.text.substr(b, end - b));
        if (std::find(x.mentions.begin(), x.mentions.end(), surface) == x.mentions.end())
            x.mentions.push_back(std::move(surface));
        ++x.count;
    };
    for (std::size_t mi = 0; mi < matches.size(); ++mi) {
        // On the same words a faction or an organisation beats a place.
        bool named_actor = factions[mi] != kNone || organisations[mi] != kNone;
        if (places[mi] != kNone && !named_actor) record(out.places, place_at, places[mi], matches[mi]);
        if (factions[mi] != kNone) record(out.factions, faction_at, factions[mi], matches[mi]);
        if (organisations[mi] != kNone) record(out.organisations, organisation_at, organisations[mi], matches[mi]);
    }
    return out;
}

}  // namespace extraction

namespace {
std::vector<std::string> ids_with_ancestors(const std::vector<ExtractedEntity>& list) {
    std::vector<std::string> ids;
    for (const auto& x : list) {
        ids.push_back(x.entity->id);
        for (const Entity* a : x.ancestors) ids.push_back(a->id);
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}
}  // namespace

std::vector<std::string> Extraction::faction_ids_with_ancestors() const { return ids_with_ancestors(factions); }
std::vector<std::string> Extraction::place_ids_with_ancestors() const { return ids_with_ancestors(places); }
std::vector<std::string> Extraction::organisation_ids_with_ancestors() const {
    return ids_with_ancestors(organisations);
}

}  // namespace warsearch
