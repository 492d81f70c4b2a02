#include "common/entities/source_names.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <vector>

#include "common/entities/catalog.h"
#include "common/text/text.h"

namespace warsearch {

using json = nlohmann::json;

SourceNames load_source_names(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw CatalogError(path + ": cannot read");
    SourceNames out;
    std::string line;
    for (std::size_t n = 1; std::getline(in, line); ++n) {
        if (line.empty() || line[0] == '#') continue;
        json j = json::parse(line, nullptr, false);
        auto where = path + ":" + std::to_string(n) + ": ";
        if (!j.is_object()) throw CatalogError(where + "not a JSON object");
        for (const auto& [key, value] : j.items())
            if (key != "id" && key != "name" && key != "country" && key != "kind")
                throw CatalogError(where + "unknown key '" + key + "'");
        if (!j.contains("id") || !j["id"].is_string() || j["id"].get<std::string>().empty() || !j.contains("name") ||
            !j["name"].is_string() || j["name"].get<std::string>().empty())
            throw CatalogError(where + "needs a non-empty string \"id\" and \"name\"");
        out[slugify(j["id"].get<std::string>())] = j["name"].get<std::string>();
    }
    return out;
}

SourceNames load_catalog_source_names(const std::string& catalog_dir) {
    std::filesystem::path path = std::filesystem::path(catalog_dir) / std::string(kSourceNamesFile);
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return {};
    return load_source_names(path.string());
}

void store_source_names_metadata(Xapian::WritableDatabase& db, const SourceNames& names) {
    std::string prefix(kMetaSourceNamePrefix);
    std::vector<std::string> stale;
    try {
        for (auto k = db.metadata_keys_begin(prefix); k != db.metadata_keys_end(prefix); ++k)
            if (!names.count((*k).substr(prefix.size()))) stale.push_back(*k);
    } catch (const Xapian::UnimplementedError&) {
        // The in-memory backend cannot list metadata keys; nothing stale to find there.
    }
    for (const auto& k : stale) db.set_metadata(k, "");
    for (const auto& [slug, name] : names)
        if (slug.size() <= 200 && db.get_metadata(prefix + slug) != name) db.set_metadata(prefix + slug, name);
}

std::string source_display_name(const Xapian::Database& db, std::string_view source) {
    std::string slug = slugify(source);
    if (slug.empty() || slug.size() > 200) return {};
    return db.get_metadata(std::string(kMetaSourceNamePrefix) + slug);
}

}  // namespace warsearch
