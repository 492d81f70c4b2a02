// Turning what a facet count found (packed values and their counts) into the facets of a
// SearchResult: dimensions by name, the top values of each named and labelled, every
// month and year in order.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/entities/entity_resolver.h"
#include "searcher/facets/facet_counter.h"
#include "searcher/search_types.h"

namespace warsearch {

/// Reports facet counts, naming only the values it shows: keys from the facet value
/// files or the databases' metadata, entity labels from the catalog the indexer stored.
/// Names are cached until clear().  Not thread-safe (one per Searcher).
class FacetReporter {
  public:
    /// @a resolver names entities; it must outlive the reporter.
    explicit FacetReporter(const EntityResolver& resolver) : resolver_(&resolver) {}

    /// Fills @a result's facets, facet_documents and facets_exact from @a counted.  When
    /// the count saw every match, the result's estimate and bounds become the exact
    /// count (stories when collapsing).  Matches indexed by an older schema are left out
    /// with a warning.  @a values: the facet value files that name keys (null: the
    /// metadata of @a parts names them).
    void report(const CountedFacets& counted, const SearchRequest& request, const FacetValueCache* values,
                const std::vector<Xapian::Database>& parts, SearchResult& result);

    /// Forgets the names (after a reopen that saw a change: a reindex may bring a new
    /// catalog).
    void clear();

  private:
    /// The key a packed facet value (facet_slot.h) stands for; "" if no part names it.
    std::string key(std::uint64_t packed, const FacetValueCache* values, const std::vector<Xapian::Database>& parts);
    /// The display name of @a key in @a dimension: the catalog name of an entity or of a
    /// source (source_names.h, from the metadata of @a parts), the key itself otherwise.
    std::string label(const std::string& dimension, const std::string& key, const std::vector<Xapian::Database>& parts);

    const EntityResolver* resolver_;
    std::map<std::string, std::string> labels_;            ///< entity or source key -> display name
    std::unordered_map<std::uint64_t, std::string> keys_;  ///< packed facet value -> key
};

}  // namespace warsearch
