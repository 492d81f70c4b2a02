#include "common/entities/thesaurus.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "common/text/text.h"

namespace warsearch {

std::string thesaurus_key(std::string_view expression) {
    std::string key;
    for_each_word(fold_for_matching(expression), [&](const WordView& w) {
        if (!key.empty()) key += ' ';
        key.append(w.text);
    });
    return key;
}

namespace {

using json = nlohmann::json;

// The expressions of one member of a line ("words" or "related") as keys, in order,
// each once.
std::vector<std::string> read_expressions(const json& line, const char* member, const std::string& where) {
    std::vector<std::string> out;
    auto it = line.find(member);
    if (it == line.end()) return out;
    if (!it->is_array()) throw CatalogError(where + ": \"" + member + "\" is not a list of expressions");
    for (const auto& e : *it) {
        if (!e.is_string()) throw CatalogError(where + ": \"" + member + "\" holds something that is not a string");
        std::string key = thesaurus_key(e.get<std::string>());
        if (key.empty()) throw CatalogError(where + ": expression '" + e.get<std::string>() + "' has no word");
        if (std::find(out.begin(), out.end(), key) == out.end()) out.push_back(key);
    }
    return out;
}

void add_unique(std::vector<std::string>& to, const std::string& key) {
    if (std::find(to.begin(), to.end(), key) == to.end()) to.push_back(key);
}

}  // namespace

Thesaurus load_thesaurus(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw CatalogError(path + ": cannot be read");
    Thesaurus out;
    std::string text, all;
    for (std::size_t number = 1; std::getline(in, text); ++number) {
        std::string where = path + ":" + std::to_string(number);
        if (squeeze_space(text).empty()) continue;
        json line = json::parse(text, nullptr, false);
        if (line.is_discarded() || !line.is_object()) throw CatalogError(where + ": not a JSON object");
        for (const auto& [key, value] : line.items())
            if (key != "words" && key != "related" && key != "note")
                throw CatalogError(where + ": unknown key \"" + key + "\" (known: words, related, note)");
        std::vector<std::string> words = read_expressions(line, "words", where);
        std::vector<std::string> related = read_expressions(line, "related", where);
        if (words.empty()) throw CatalogError(where + ": \"words\" lists no expression");
        for (const auto& w : words) {
            ThesaurusEntry& entry = out.entries[w];
            for (const auto& other : words)
                if (other != w) add_unique(entry.same, other);
            for (const auto& r : related)
                if (r != w) add_unique(entry.related, r);
        }
        for (const auto& key : words)
            out.max_words = std::max<std::size_t>(out.max_words, 1 + std::count(key.begin(), key.end(), ' '));
        all += text;
        all += '\n';
    }
    // An expression that is both equivalent and related to another (two groups) is
    // searched as equivalent.
    for (auto& [key, entry] : out.entries)
        std::erase_if(entry.related, [&](const std::string& r) {
            return std::find(entry.same.begin(), entry.same.end(), r) != entry.same.end();
        });
    out.content_hash = hex64(hash64(all));
    return out;
}

Thesaurus load_catalog_thesaurus(const std::string& catalog_dir) {
    std::filesystem::path path = std::filesystem::path(catalog_dir) / std::string(kThesaurusFile);
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return {};
    return load_thesaurus(path.string());
}

bool store_thesaurus_metadata(Xapian::WritableDatabase& db, const Thesaurus& thesaurus) {
    std::string version = thesaurus.empty() ? std::string() : thesaurus.content_hash;
    if (db.get_metadata(std::string(kMetaThesaurusVersion)) == version) return false;
    std::map<std::string, std::string> wanted;
    for (const auto& [key, entry] : thesaurus.entries) {
        if (key.size() > 200) continue;  // metadata keys, like terms, are bounded
        json j;
        j["same"] = entry.same;
        j["related"] = entry.related;
        wanted[std::string(kMetaThesaurusPrefix) + key] = j.dump(-1, ' ', false, json::error_handler_t::replace);
    }
    std::string prefix(kMetaThesaurusPrefix);
    std::vector<std::string> stale;
    try {
        for (auto k = db.metadata_keys_begin(prefix); k != db.metadata_keys_end(prefix); ++k)
            if (!wanted.count(*k)) stale.push_back(*k);
    } catch (const Xapian::UnimplementedError&) {
        // The in-memory backend cannot list metadata keys; nothing stale to find there.
    }
    for (const auto& k : stale) db.set_metadata(k, std::string());
    for (const auto& [k, v] : wanted)
        if (db.get_metadata(k) != v) db.set_metadata(k, v);
    db.set_metadata(std::string(kMetaThesaurusWords), thesaurus.empty() ? "" : std::to_string(thesaurus.max_words));
    db.set_metadata(std::string(kMetaThesaurusVersion), version);
    return true;
}

ThesaurusReader::ThesaurusReader(const Xapian::Database& db) : db_(db) {
    std::string words = db_.get_metadata(std::string(kMetaThesaurusWords));
    if (!words.empty() && words.size() < 4 && std::all_of(words.begin(), words.end(), ::isdigit))
        max_words_ = std::stoul(words);
}

bool ThesaurusReader::lookup(const std::string& key, ThesaurusEntry& out) const {
    if (!available() || key.empty() || key.size() > 200) return false;
    std::string value = db_.get_metadata(std::string(kMetaThesaurusPrefix) + key);
    if (value.empty()) return false;
    json j = json::parse(value, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return false;
    out = ThesaurusEntry{};
    for (const char* member : {"same", "related"}) {
        auto it = j.find(member);
        if (it == j.end() || !it->is_array()) continue;
        for (const auto& e : *it)
            if (e.is_string()) (member[0] == 's' ? out.same : out.related).push_back(e.get<std::string>());
    }
    return true;
}

}  // namespace warsearch
