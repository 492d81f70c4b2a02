// The JSON object `warsearch-index --extract` prints for each document it would index.
// Tools rely on its field names: add fields, never rename them.
#pragma once

#include <string>

#include "warsearch/article.h"

namespace warsearch {

/// One line of --extract output (no trailing newline): id, title, date, source, url,
/// lang, byline, kind, parent/entry/time for live-blog entries, file, body.
std::string extract_json(const Article& article);

}  // namespace warsearch
