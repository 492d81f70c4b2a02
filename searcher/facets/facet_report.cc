#include "searcher/facets/facet_report.h"

#include <algorithm>
#include <cmath>
#include <string_view>

#include "common/entities/source_names.h"
#include "common/index/facet_slot.h"

namespace warsearch {
namespace {

// "YYYY" of a packed year (kFacetYear, facet_value_cache.h).
std::string year_key(std::uint64_t packed_year) {
    std::string key;
    for (int shift = 40; shift >= 16; shift -= 8) key += static_cast<char>((packed_year >> shift) & 0xff);
    return key;
}

const char* dimension_name(const std::string& dim) {
    if (dim == kFacetFaction) return "faction";
    if (dim == kFacetOrganisation) return "organisation";
    if (dim == kFacetSource) return "source";
    if (dim == kFacetMonth) return "month";
    if (dim == kFacetYear) return "year";
    if (dim == kFacetDateline) return "dateline";
    return nullptr;
}

}  // namespace

void FacetReporter::report(const CountedFacets& counted, const SearchRequest& req, const FacetValueCache* values,
                           const std::vector<Xapian::Database>& parts, SearchResult& result) {
    const FacetTally& tally = counted.tally;
    if (tally.undecodable)
        result.warnings.push_back(std::to_string(tally.undecodable) +
                                  " matching documents were indexed by an older warsearch (schema 1) and are left out "
                                  "of the facet counts: index their files again with warsearch-index");
    result.facet_documents = counted.matches;
    // The count stops once it has seen facet_bound documents, or when the time limit
    // ends a pass (cut_short).
    result.facets_exact = counted.matches < req.facet_bound && !counted.cut_short;
    if (result.facets_exact) {
        // The count saw every match, so their number is known exactly: stories when
        // collapsing.
        Xapian::doccount exact = req.collapse ? tally.stories : counted.matches;
        result.estimate = result.lower_bound = result.upper_bound = exact;
    }

    // Counted over the first matches only: a value's count is scaled by how many stories
    // (documents, without collapsing) match in all to how many were counted, so the page
    // shows an estimate of the whole ("≈ N"), never the sample's own count.
    Xapian::doccount counted_units = req.collapse ? tally.stories : counted.matches;
    double scale = counted_units > 0 && result.estimate > counted_units
                       ? static_cast<double>(result.estimate) / static_cast<double>(counted_units)
                       : 1.0;
    auto scaled = [scale](Xapian::doccount n) {
        return static_cast<Xapian::doccount>(std::lround(static_cast<double>(n) * scale));
    };

    // Dimensions in the order of their internal names ("f", "l.admin1", ..., "m", "s").
    struct Counted {
        std::uint64_t packed;
        Xapian::doccount count;
    };
    std::map<std::string_view, std::vector<Counted>> by_dimension;
    for (const auto& [packed, count] : tally.counts) {
        char code = static_cast<char>(packed >> 48);
        std::string_view dim = code == kFacetYear[0] ? kFacetYear : facet_dimension(code);
        if (!dim.empty()) by_dimension[dim].push_back({packed, count});
    }
    for (auto& [dim, of_dim] : by_dimension) {
        Facet facet;
        const char* name = dimension_name(std::string(dim));
        if (name)
            facet.dimension = name;
        else if (dim.substr(0, kFacetPlacePrefix.size()) == kFacetPlacePrefix)
            facet.dimension = "location." + std::string(dim.substr(kFacetPlacePrefix.size()));
        else
            continue;
        if (dim == kFacetMonth || dim == kFacetYear) {
            // Every month (year), in order: the key is the month (year) itself.
            for (const auto& c : of_dim) {
                std::string k = dim == kFacetYear ? year_key(c.packed) : facet_month_key(c.packed);
                facet.values.push_back(FacetCount{std::move(k), "", c.count});
            }
            std::sort(facet.values.begin(), facet.values.end(),
                      [](const FacetCount& a, const FacetCount& b) { return a.key < b.key; });
        } else {
            // The top values by count, ties by key: name only the values that can make it,
            // those counted at least as often as the facet_top-th.
            std::sort(of_dim.begin(), of_dim.end(),
                      [](const Counted& a, const Counted& b) { return a.count > b.count; });
            if (req.facet_top == 0) of_dim.clear();
            Xapian::doccount cutoff = of_dim.size() > req.facet_top ? of_dim[req.facet_top - 1].count : 0;
            for (const auto& c : of_dim) {
                if (c.count < cutoff) break;
                std::string k = key(c.packed, values, parts);
                if (!k.empty()) facet.values.push_back(FacetCount{std::move(k), "", c.count});
            }
            auto order = [](const FacetCount& a, const FacetCount& b) {
                return a.count != b.count ? a.count > b.count : a.key < b.key;
            };
            std::sort(facet.values.begin(), facet.values.end(), order);
            if (facet.values.size() > req.facet_top) facet.values.resize(req.facet_top);
        }
        for (auto& fc : facet.values) {
            fc.label = label(facet.dimension, fc.key, parts);
            if (!result.facets_exact) fc.count = scaled(fc.count);
        }
        result.facets.push_back(std::move(facet));
    }
}

void FacetReporter::clear() {
    labels_.clear();
    keys_.clear();
}

std::string FacetReporter::key(std::uint64_t packed, const FacetValueCache* values,
                               const std::vector<Xapian::Database>& parts) {
    // Cached until the database is reopened; looked up in each shard in turn, so shards
    // written by separate runs still name their own keys.
    auto cached = keys_.find(packed);
    if (cached != keys_.end()) return cached->second;
    // The facet value files name the keys and their labels, saving a metadata read each.
    std::string_view file_key, file_label;
    if (values && values->name(packed, file_key, file_label)) {
        std::string k(file_key);
        if (facet_code_is_entity(static_cast<char>(packed >> 48)))
            labels_.emplace(k, std::string(file_label));  // what label() would read
        keys_.emplace(packed, k);
        return k;
    }
    std::string meta = facet_name_metadata_key(packed);
    std::string k;
    for (const auto& part : parts) {
        k = part.get_metadata(meta);
        if (!k.empty()) break;
    }
    keys_.emplace(packed, k);
    return k;
}

std::string FacetReporter::label(const std::string& dimension, const std::string& key,
                                 const std::vector<Xapian::Database>& parts) {
    if (dimension == "source") {
        // Every part holds the names (the indexer writes them into each output).
        auto cached = labels_.find("source\t" + key);
        if (cached != labels_.end()) return cached->second;
        std::string name = parts.empty() ? std::string() : source_display_name(parts.front(), key);
        if (name.empty()) name = key;
        labels_.emplace("source\t" + key, name);
        return name;
    }
    if (dimension == "faction" || dimension == "organisation" || dimension.rfind("location.", 0) == 0) {
        // Entity names come from the catalog the indexer stored in the database.
        auto cached = labels_.find(key);
        if (cached != labels_.end()) return cached->second;
        std::string name = resolver_->name(key);
        if (name.empty()) name = key;
        labels_.emplace(key, name);
        return name;
    }
    return key;
}

}  // namespace warsearch
