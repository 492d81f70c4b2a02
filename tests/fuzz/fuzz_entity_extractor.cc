// libFuzzer target: entity extraction with the fixture catalog (tests/fixtures/catalog,
// no iso-codes layer).  The first line is the title, the rest the body.
#include "common/entities/entity_extractor.h"
#include "fuzz_support.h"

namespace {

const warsearch::EntityExtractor& extractor() {
    static const warsearch::Catalog catalog = [] {
        warsearch::CatalogOptions options;
        options.iso_base_layer = false;
        return warsearch::load_catalog(WARSEARCH_SOURCE_DIR "/tests/fixtures/catalog", options);
    }();
    static const warsearch::EntityExtractor extractor(catalog);
    return extractor;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    std::size_t nl = input.find('\n');
    std::string_view title = nl == std::string_view::npos ? std::string_view() : input.substr(0, nl);
    std::string_view body = nl == std::string_view::npos ? input : input.substr(nl + 1);
    auto found = extractor().extract(title, body);
    for (const auto* list : {&found.factions, &found.places})
        for (const auto& e : *list) {
            warsearch::fuzz::require(e.entity != nullptr, "an extracted entity is set");
            warsearch::fuzz::require(e.count >= 1, "an extracted entity was mentioned");
        }
    (void)found.faction_ids_with_ancestors();
    (void)found.place_ids_with_ancestors();
    return 0;
}
