// Paths and helpers shared by the entity test files (fixture catalog, shared corpus).
#pragma once

#include <cstdlib>
#include <string>

#include "common/entities/catalog.h"

namespace warsearch::testing {

/// tests/fixtures/catalog in the source tree.
inline std::string catalog_fixtures() { return WARSEARCH_ENTITY_FIXTURES; }

/// The shared corpus: $WARSEARCH_SHARED_CORPUS, else <source>/../shared/corpus.
inline std::string shared_corpus() {
    if (const char* env = std::getenv("WARSEARCH_SHARED_CORPUS"); env && *env) return env;
    return WARSEARCH_SHARED_CORPUS_DEFAULT;
}

/// The fixture catalog without the iso-codes layer, so tests see only the fixture.
inline Catalog fixture_catalog() {
    CatalogOptions options;
    options.iso_base_layer = false;
    return load_catalog(catalog_fixtures(), options);
}

}  // namespace warsearch::testing
