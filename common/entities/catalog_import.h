// Growing the catalogs from standard sources users already have, and explaining how a
// name resolves.  The logic behind `warsearch-catalog`; every importer writes catalog
// JSON Lines (the format of catalog.h) with its provenance in "note".
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "common/entities/catalog.h"

namespace warsearch {

/// What an import did.
struct ImportStats {
    std::uint64_t read = 0;             ///< records read
    std::uint64_t written = 0;          ///< catalog lines written
    std::uint64_t skipped = 0;          ///< records left out (deprecated, unmapped type, known)
    std::uint64_t merged = 0;           ///< records matched to an existing catalog entity
    std::vector<std::string> warnings;  ///< "WHERE: message", for bad records
};

/// Options shared by the place importers.
struct PlaceImportOptions {
    /// An existing catalog to attach to: records naming a place it has (same country,
    /// same name, both admin units or both settlements) are not written again, and
    /// their children get the existing id as parent.  May be null.
    const Catalog* existing = nullptr;
    /// Settlements with a known population below this (or none) are written with
    /// "ambiguous": true, so extraction asks for a cue before taking such a name.
    std::uint64_t ambiguous_below_population = 5000;
};

/// One entity as a catalog JSON line (no newline): places with "type", factions with
/// "kind"; empty fields are left out.
std::string entity_to_jsonl(const Entity& e);

/// Who's On First GeoJSON records from @a paths: .geojson files, directories walked for
/// them, or .tar.xz/.tar.gz/.tar bundles (read through `tar -xOf`, alternative
/// geometries *-alt-* left out).  Deprecated, superseded and not-current records are
/// skipped.  Placetypes country, region, county, localadmin, locality, neighbourhood
/// (and macro-/microhood, borough, macroregion) map to country, admin1, admin2, admin3,
/// town (city from 100,000 people), neighbourhood, region; the nearest ancestor in
/// wof:hierarchy becomes the parent.  Names: wof:name, then name:*_x_preferred and
/// name:*_x_variant.  Ids are "wof/<wof:id>", countries their ISO code.
/// @throws CatalogError when a path cannot be read at all.
void import_wof(const std::vector<std::string>& paths, std::ostream& out, ImportStats& stats,
                const PlaceImportOptions& options = {});

/// A GeoNames dump (allCountries.txt or a country file such as SY.txt: 19 tab-separated
/// columns, alternate names comma-separated in column 4).  Countries (PCL*), ADM1..3,
/// and populated places (PPL*) are written; the admin1/admin2 codes give the parents.
/// Ids are "gn/<geonameid>".  @a source_name is used in warnings and notes.
void import_geonames(std::istream& in, const std::string& source_name, std::ostream& out, ImportStats& stats,
                     const PlaceImportOptions& options = {});

/// The UCDP actor list (CSV with ActorId, NameData, NameOrig, NameOrigFull,
/// NameOrigFullEng, NewName, Org, Location, ...).  Governments (Org 4) become "state
/// forces", other actors "insurgent"; short all-capital names (IS, SDF) are written as
/// case_sensitive; Location country names become "countries" through iso-codes
/// (@a countries_from, e.g. a catalog with the iso base layer; may be null).
/// Ids are "ucdp/<ActorId>".
/// @throws CatalogError when the header lacks ActorId or NameData.
void import_ucdp(std::istream& in, const std::string& source_name, std::ostream& out, ImportStats& stats,
                 const Catalog* countries_from = nullptr);

/// How a name resolves against a catalog, for `warsearch-catalog lookup`: the
/// normalised form and, per entity, the spelling that matched, class, type/kind,
/// ancestors and the ambiguity rules that apply.  Human-readable text, or a JSON object
/// with @a json.
std::string explain_lookup(const Catalog& catalog, std::string_view name, bool json = false);

}  // namespace warsearch
