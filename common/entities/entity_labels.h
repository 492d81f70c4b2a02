// What users see of an entity: its name, with its level when another entity of the same
// class has the very same name ("Aleppo (city)", "Aleppo (governorate)").  Chips, facets
// and filters show this label, so two visible values never read the same.
#pragma once

#include <string>

#include "common/entities/catalog.h"

namespace warsearch {

/// The display label of @a e: its name, plus " (level)" when another entity of its class
/// in @a catalog shares the name (compared after normalise_name).  Levels: country,
/// governorate / oblast / province (admin1, by country), district, city, town,
/// neighbourhood, landmark, region; factions and organisations add their kind.
std::string display_label(const Catalog& catalog, const Entity& e);

}  // namespace warsearch
