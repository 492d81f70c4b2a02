#include "common/entities/dateline_places.h"

#include <algorithm>
#include <string>

namespace warsearch {
namespace {

bool has_place(const Extraction& x, const Entity* place) {
    return std::any_of(x.places.begin(), x.places.end(), [&](const ExtractedEntity& p) { return p.entity == place; });
}

// Whether a place of @a x lies inside @a place (has it among its ancestors).
bool has_place_inside(const Extraction& x, const Entity* place) {
    return std::any_of(x.places.begin(), x.places.end(), [&](const ExtractedEntity& p) {
        return std::find(p.ancestors.begin(), p.ancestors.end(), place) != p.ancestors.end();
    });
}

}  // namespace

Extraction extract_article_entities(const EntityExtractor& extractor, const Article& article, std::string_view text) {
    const std::string date = article.date.iso();
    const std::size_t at = article.dateline_offset;
    if (article.dateline_length == 0 || at >= text.size()) return extractor.extract(article.title, text, date);
    const std::size_t length = std::min(article.dateline_length, text.size() - at);

    // The story without its dateline: blanked, so the words around it stay apart.
    std::string body(text);
    body.replace(at, length, length, ' ');
    Extraction story = extractor.extract(article.title, body, date);

    // The dateline read on its own: its places ("KABUL, Afghanistan") settle each other.
    Extraction filed = extractor.extract({}, text.substr(at, length), date);
    for (auto& place : filed.places) {
        if (has_place(story, place.entity) || !has_place_inside(story, place.entity)) continue;
        place.count = 1;
        story.places.push_back(std::move(place));
    }
    return story;
}

}  // namespace warsearch
