#include "common/entities/entity_labels.h"

#include "common/entities/entity_tokenizer.h"

namespace warsearch {

namespace {

// The word for a place's level in reporting: Syrian and Iraqi admin1 units are
// governorates, Ukrainian ones oblasts, most others provinces.
std::string place_level_word(const Entity& e) {
    if (e.type == "admin1") {
        std::string country = e.id.substr(0, e.id.find('/'));
        for (const char* g : {"sy", "iq", "ye", "eg", "jo", "lb", "ps", "sa", "kw", "bh", "om"})
            if (country == g) return "governorate";
        if (country == "ua" || country == "ru" || country == "by") return "oblast";
        return "province";
    }
    if (e.type == "admin2" || e.type == "admin3") return "district";
    if (e.type == "village") return "town";
    return e.type;
}

}  // namespace

std::string display_label(const Catalog& catalog, const Entity& e) {
    const auto& ents = catalog.entities();
    for (std::size_t i : catalog.by_name(normalise_name(e.name))) {
        const Entity& other = ents[i];
        if (&other == &e || other.cls != e.cls || normalise_name(other.name) != normalise_name(e.name)) continue;
        return e.name + " (" + (e.cls == EntityClass::place ? place_level_word(e) : e.type) + ")";
    }
    return e.name;
}

}  // namespace warsearch
