// How extracted entities and the catalog are written into an index: boolean terms, the
// facet value slots, and the catalog copy kept as database metadata so searchers (also
// remote ones over xapian-tcpsrv, where metadata travels but synonyms do not) resolve
// names without loading catalog files.
//
// Facet slots (schema::kFactionsSlot, schema::kPlacesSlot) hold the ids of the mentioned
// entities and all their ancestors, sorted, joined by '\n' (ids never contain white
// space; see Catalog::load_file).  decode_id_list() reads them back.
//
// Metadata keys (all values JSON):
//   wscatalog:version      content hash of the catalog (Catalog::content_hash)
//   wsname:<normalised>    {"places":[ids],"factions":[ids],"organisations":[ids]} for
//                          every name/alias, keyed
//                          by normalise_name() of the name
//   wsent:<id>             {"id","name","class":"place"|"faction"|"organisation","type","parent",
//                          "ancestors":[ids nearest first],"aliases":[display forms],
//                          "generic_terms":[weak cues] (factions that have them),
//                          "lat","lon" (places with coordinates),
//                          "label" (when another entity shares the name, see
//                          entity_labels.h), "predecessors":[ids], "successors":[ids] (factions that
//                          have them; successors derived from the predecessors)}
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>
#include <vector>

#include "common/entities/catalog.h"
#include "common/entities/entity_extractor.h"

namespace warsearch {

inline constexpr std::string_view kMetaCatalogVersion = "wscatalog:version";
inline constexpr std::string_view kMetaNamePrefix = "wsname:";
inline constexpr std::string_view kMetaEntityPrefix = "wsent:";

/// Joins ids with '\n' for a facet value slot.
std::string encode_id_list(const std::vector<std::string>& ids);
/// Splits a facet slot value back into ids (empty pieces skipped).
std::vector<std::string> decode_id_list(std::string_view value);

/// Terms: XF<id> (faction as mentioned; wdf = number of mentions), XFP<id> (faction or
/// an ancestor; boolean), XL<id> (place as mentioned; wdf = mentions), XLP<id>
/// (boolean).  Over-long ids are hashed like id_term does.
std::string faction_term(std::string_view id);
std::string faction_ancestor_term(std::string_view id);
std::string place_term(std::string_view id);
std::string place_ancestor_term(std::string_view id);
/// XO<id> (organisation as mentioned; wdf = mentions), XOP<id> (or an ancestor; boolean).
std::string organisation_term(std::string_view id);
std::string organisation_ancestor_term(std::string_view id);

/// Adds to @a doc every term and the facet slots for @a extraction.  The terms
/// name the entities by id; @a extraction need not outlive the call.
void add_entity_terms(Xapian::Document& doc, const Extraction& extraction);

/// Writes the catalog into @a db's metadata (see above) unless the stored version
/// already equals catalog.content_hash(); removes keys of names and entities no longer
/// in the catalog.  Does not commit.  Returns true when it wrote.
/// @throws Xapian::Error from the database.
bool store_catalog_metadata(Xapian::WritableDatabase& db, const Catalog& catalog);

}  // namespace warsearch
