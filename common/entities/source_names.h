// Display names of sources: the catalog's sources.jsonl maps the slug a source is
// indexed under ("dailysabah", "acan-efe") to the name people know it by ("Daily Sabah",
// "ACAN-EFE").  The indexer stores the map in the index's metadata; searchers label
// results and the source facet from there, also over remote shards.
//
// File format, one object a line: {"id":"dailysabah","name":"Daily Sabah","country":"tr",
// "kind":"newspaper"}; "id" is a source as data writes it (it is slugged as source:
// filters are); "country" (ISO code) and "kind" are optional and for people reading the
// catalog; blank lines and lines starting with '#' are ignored.
#pragma once

#include <xapian.h>

#include <map>
#include <string>
#include <string_view>

namespace warsearch {

inline constexpr std::string_view kSourceNamesFile = "sources.jsonl";
/// Metadata key prefix: kMetaSourceNamePrefix + slug -> display name.
inline constexpr std::string_view kMetaSourceNamePrefix = "wssourcename:";

/// Slug (slugify of "id") -> display name.
using SourceNames = std::map<std::string, std::string>;

/// Reads a sources file.  @throws CatalogError naming the file and line for a line that
/// is not an object with a non-empty string "id" and "name" (and no key but those,
/// "country" and "kind").
SourceNames load_source_names(const std::string& path);

/// The source names of a catalog directory (DIR/sources.jsonl); empty when it has none.
SourceNames load_catalog_source_names(const std::string& catalog_dir);

/// Writes @a names into @a db's metadata and removes the names no longer listed.  Does
/// not commit.
void store_source_names_metadata(Xapian::WritableDatabase& db, const SourceNames& names);

/// The display name stored for @a source (as written or as a slug); "" when none.
std::string source_display_name(const Xapian::Database& db, std::string_view source);

}  // namespace warsearch
