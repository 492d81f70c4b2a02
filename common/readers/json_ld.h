// schema.org data that news pages embed as JSON-LD (<script type="application/ld+json">):
// the live blog a page declares and its updates.  Private to the readers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace warsearch {

/// One update of a schema.org LiveBlogPosting ("liveBlogUpdate" item).
struct JsonLdUpdate {
    std::string headline;        ///< "headline", else "name"
    std::string date_published;  ///< "datePublished", else "dateCreated", "dateModified", as written
    std::string body;            ///< "articleBody", else "text", else "description"; may hold HTML
};

/// The live blog a page declares.
struct JsonLdLiveBlog {
    bool found = false;          ///< a LiveBlogPosting (or a type list holding it) was found
    std::string headline;        ///< the posting's "headline"
    std::string date_published;  ///< "datePublished", else "coverageStartTime"
    std::vector<JsonLdUpdate> updates;
};

/// Looks for a LiveBlogPosting in one JSON-LD block @a json: the top-level object, an
/// array of objects, an "@graph" list, or "mainEntity" (nested at most 8 levels).
/// Updates without a headline and a body are dropped.  Returns found = false for JSON
/// that holds none; sets @a error (and returns found = false) when @a json is not JSON.
JsonLdLiveBlog read_json_ld_live_blog(std::string_view json, std::string& error);

}  // namespace warsearch
