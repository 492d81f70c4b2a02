// The JSON object `warsearch-index --extract` prints for each document it would index.
// Tools rely on its field names: add fields, never rename them.
#pragma once

#include <string>

#include "common/entities/entity_extractor.h"
#include "common/readers/article.h"

namespace warsearch {

/// One line of --extract output (no trailing newline): id, title, date, source, url,
/// lang, byline, kind, parent/entry/time for live-blog entries, file, body.  With
/// @a entities also "factions": [{"id","name","kind","ancestors":[names, nearest
/// first],"mentions":[surface strings]}] and "locations": [{"id","name","type",
/// "ancestors","lat","lon","mentions"}] (lat/lon null when the catalog has none).
std::string extract_json(const Article& article, const Extraction* entities = nullptr);

}  // namespace warsearch
