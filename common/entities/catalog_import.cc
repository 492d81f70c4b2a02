#include "common/entities/catalog_import.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <streambuf>
#include <unordered_map>
#include <unordered_set>

#include "common/entities/entity_tokenizer.h"
#include "common/text/text.h"

namespace warsearch {

namespace {

using json = nlohmann::json;

std::string lower_ascii(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// Adds @a name to @a e's aliases unless it normalises like a name already there.
void add_alias(Entity& e, const std::string& raw, std::unordered_set<std::string>& seen) {
    std::string name = squeeze_space(raw);
    if (name.empty() || name == "n/a") return;
    std::string norm = normalise_name(name);
    if (norm.empty() || !seen.insert(name).second) return;
    if (name == e.name) return;
    e.aliases.push_back(name);
}

bool is_admin_group(std::string_view t) { return t == "admin1" || t == "admin2" || t == "admin3" || t == "region"; }
int type_group(std::string_view t) { return t == "country" ? 0 : is_admin_group(t) ? 1 : 2; }

// The id of an existing place of @a country named like @a names in the same group.
std::string existing_place(const PlaceImportOptions& o, const std::string& country, std::string_view type,
                           const std::vector<std::string>& names) {
    if (!o.existing) return {};
    for (const auto& n : names) {
        for (std::size_t i : o.existing->by_name(normalise_name(n))) {
            const Entity& e = o.existing->entities()[i];
            if (e.cls != EntityClass::place || type_group(e.type) != type_group(type)) continue;
            const Entity* c = o.existing->country_of(e);
            if (c && c->id == country) return e.id;
        }
    }
    return {};
}

// Reads a FILE* (a popen pipe) as a std::istream.
class FileBuf : public std::streambuf {
  public:
    explicit FileBuf(FILE* f) : f_(f) {}

  protected:
    int_type underflow() override {
        std::size_t n = std::fread(buf_, 1, sizeof buf_, f_);
        if (n == 0) return traits_type::eof();
        setg(buf_, buf_, buf_ + n);
        return traits_type::to_int_type(buf_[0]);
    }

  private:
    FILE* f_;
    char buf_[1 << 16];
};

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out + "'";
}

struct WofRecord {
    long long id = 0;
    Entity e;
    std::vector<long long> parents;  // candidate parent ids, nearest first
    bool is_country = false;
    std::string country;  // ISO code, lower case
    std::uint64_t population = 0;
};

// Adds a WOF feature's preferred and variant names (properties @a p) to @a e's
// aliases: English first, so the aliases users read most come first.
void add_wof_aliases(const json& p, Entity& e) {
    std::unordered_set<std::string> seen{e.name};
    std::vector<std::pair<int, std::string>> keys;
    for (auto it = p.begin(); it != p.end(); ++it) {
        const std::string& k = it.key();
        if (k.rfind("name:", 0) != 0) continue;
        bool preferred = k.size() > 12 && k.compare(k.size() - 12, 12, "_x_preferred") == 0;
        bool variant = k.size() > 10 && k.compare(k.size() - 10, 10, "_x_variant") == 0;
        if (!preferred && !variant) continue;
        int rank = (k.rfind("name:eng", 0) == 0 ? 0 : 2) + (variant ? 1 : 0);
        keys.emplace_back(rank, k);
    }
    std::sort(keys.begin(), keys.end());
    for (const auto& [rank, k] : keys)
        if (p[k].is_array())
            for (const auto& v : p[k])
                if (v.is_string()) add_alias(e, v.get<std::string>(), seen);
}

// Candidate parents of WOF feature @a id (placetype @a pt, properties @a p), nearest
// first: the ancestors above its own level in its first hierarchy.
std::vector<long long> wof_parents(const json& p, const std::string& pt, long long id) {
    static const std::vector<std::string> kOrder = {"locality_id", "localadmin_id",  "county_id",
                                                    "region_id",   "macroregion_id", "country_id"};
    std::size_t start = 0;
    static const std::map<std::string, std::size_t> kFrom = {
        {"neighbourhood", 0}, {"microhood", 0}, {"macrohood", 0}, {"borough", 0},     {"locality", 1},
        {"localadmin", 2},    {"county", 3},    {"region", 4},    {"macroregion", 5}, {"country", 6}};
    if (auto f = kFrom.find(pt); f != kFrom.end()) start = f->second;
    std::vector<long long> parents;
    if (p.contains("wof:hierarchy") && p["wof:hierarchy"].is_array() && !p["wof:hierarchy"].empty()) {
        const json& h = p["wof:hierarchy"][0];
        for (std::size_t k = start; k < kOrder.size(); ++k)
            if (h.contains(kOrder[k]) && h[kOrder[k]].is_number()) {
                auto pid = h[kOrder[k]].get<long long>();
                if (pid > 0 && pid != id) parents.push_back(pid);
            }
    }
    return parents;
}

// Parses one WOF GeoJSON feature; false (with a reason) when it is to be skipped.
bool read_wof(const json& j, WofRecord& r, std::string& reason) {
    if (!j.is_object() || !j.contains("properties") || !j["properties"].is_object()) {
        reason = "not a GeoJSON feature";
        return false;
    }
    const json& p = j["properties"];
    auto str = [&](const char* k) {
        return p.contains(k) && p[k].is_string() ? p[k].get<std::string>() : std::string();
    };
    auto num = [&](const char* k, double dflt) {
        return p.contains(k) && p[k].is_number() ? p[k].get<double>() : dflt;
    };
    r.id = static_cast<long long>(num("wof:id", 0));
    if (!r.id) {
        reason = "no wof:id";
        return false;
    }
    std::string deprecated = str("edtf:deprecated");
    if ((!deprecated.empty() && deprecated != "uuuu") ||
        (p.contains("wof:superseded_by") && p["wof:superseded_by"].is_array() && !p["wof:superseded_by"].empty()) ||
        num("mz:is_current", -1) == 0) {
        reason = "deprecated, superseded or not current";
        return false;
    }
    std::string pt = str("wof:placetype");
    static const std::map<std::string, std::string> kTypes = {
        {"country", "country"},        {"region", "admin1"},           {"macroregion", "region"},
        {"county", "admin2"},          {"localadmin", "admin3"},       {"locality", "town"},
        {"borough", "neighbourhood"},  {"macrohood", "neighbourhood"}, {"neighbourhood", "neighbourhood"},
        {"microhood", "neighbourhood"}};
    auto t = kTypes.find(pt);
    if (t == kTypes.end()) {
        reason = "placetype \"" + pt + "\" not imported";
        return false;
    }
    Entity& e = r.e;
    e.cls = EntityClass::place;
    e.type = t->second;
    e.name = str("wof:name");
    if (e.name.empty()) {
        reason = "no wof:name";
        return false;
    }
    double pop = std::max(num("wof:population", 0), num("gn:population", 0));
    if (e.type == "town" && pop >= 100000) e.type = "city";
    if (p.contains("geom:latitude") && p.contains("geom:longitude")) {
        e.lat = num("geom:latitude", 0);
        e.lon = num("geom:longitude", 0);
        e.has_coordinates = e.lat >= -90 && e.lat <= 90 && e.lon >= -180 && e.lon <= 180;
    }
    add_wof_aliases(p, e);
    std::string country = lower_ascii(str("wof:country"));
    r.is_country = e.type == "country";
    if (r.is_country) {
        if (country.size() != 2) {
            reason = "country without an ISO code";
            return false;
        }
        e.id = country;
    } else {
        e.id = "wof/" + std::to_string(r.id);
    }
    e.note = "imported from Who's On First " + std::to_string(r.id) + " (" + pt + ")";
    if (pop > 0) e.note += ", population " + std::to_string(static_cast<long long>(pop));
    r.parents = wof_parents(p, pt, r.id);
    r.country = country;
    r.population = static_cast<std::uint64_t>(pop);
    return true;
}

void emit_places(std::vector<WofRecord>& recs, std::ostream& out, ImportStats& stats, const PlaceImportOptions& o) {
    std::unordered_map<long long, std::string> id_of;  // wof id -> catalog id
    for (auto& r : recs) id_of[r.id] = r.e.id;
    // Records naming a place the existing catalog has take its id.
    std::unordered_set<long long> merged;
    for (auto& r : recs) {
        std::vector<std::string> names{r.e.name};
        names.insert(names.end(), r.e.aliases.begin(), r.e.aliases.end());
        std::string known;
        if (r.is_country) {
            if (o.existing && o.existing->find(r.e.id)) known = r.e.id;
        } else {
            known = existing_place(o, r.country, r.e.type, names);
        }
        if (!known.empty()) {
            id_of[r.id] = known;
            merged.insert(r.id);
        }
    }
    for (auto& r : recs) {
        if (merged.count(r.id)) {
            ++stats.merged;
            continue;
        }
        for (long long pid : r.parents)
            if (auto it = id_of.find(pid); it != id_of.end()) {
                r.e.parent = it->second;
                break;
            }
        if (r.e.parent.empty() && !r.is_country && r.country.size() == 2) r.e.parent = r.country;
        // Settlement names are not curated: small places need a cue in the text.
        if (type_group(r.e.type) == 2 && r.population < o.ambiguous_below_population) r.e.ambiguous = true;
        out << entity_to_jsonl(r.e) << "\n";
        ++stats.written;
    }
}

// Splits one CSV record (RFC 4180 quoting, records may span lines).
bool read_csv_record(std::istream& in, std::vector<std::string>& fields) {
    fields.clear();
    std::string line;
    if (!std::getline(in, line)) return false;
    std::string field;
    bool quoted = false;
    for (std::size_t i = 0;; ++i) {
        if (i == line.size()) {
            if (quoted) {
                field += '\n';
                if (!std::getline(in, line)) break;
                i = static_cast<std::size_t>(-1);
                continue;
            }
            break;
        }
        char c = line[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < line.size() && line[i + 1] == '"') {
                    field += '"';
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            fields.push_back(std::move(field));
            field.clear();
        } else if (c != '\r') {
            field += c;
        }
    }
    fields.push_back(std::move(field));
    return true;
}

// The tab-separated columns of one GeoNames line.
std::vector<std::string> split_tabs(const std::string& line) {
    std::vector<std::string> f;
    std::size_t start = 0;
    for (;;) {
        std::size_t tab = line.find('\t', start);
        f.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
        if (tab == std::string::npos) break;
        start = tab + 1;
    }
    return f;
}

// The catalog type of a GeoNames feature (class, code, population), or "" for
// features that are not imported.
std::string geonames_type(const std::string& fclass, const std::string& fcode, std::uint64_t pop) {
    if (fclass == "A" && fcode.rfind("PCL", 0) == 0 && fcode != "PCLH") return "country";
    if (fcode == "ADM1") return "admin1";
    if (fcode == "ADM2") return "admin2";
    if (fcode == "ADM3") return "admin3";
    if (fclass == "P" && fcode == "PPLX") return "neighbourhood";
    if (fclass == "P" && fcode.rfind("PPL", 0) == 0 && fcode != "PPLH" && fcode != "PPLQ" && fcode != "PPLW")
        return (fcode == "PPLC" || fcode == "PPLA" || pop >= 100000) ? "city" : pop >= 1000 ? "town" : "village";
    return {};
}

// Adds GeoNames' comma-separated alternate names @a alt to @a e's aliases.
void add_geonames_alternates(Entity& e, const std::string& alt, std::unordered_set<std::string>& seen) {
    std::size_t s = 0;
    while (s <= alt.size() && !alt.empty()) {
        std::size_t comma = alt.find(',', s);
        std::string a = alt.substr(s, comma == std::string::npos ? std::string::npos : comma - s);
        // Codes (IATA, ISO) and links are not names.
        bool code =
            a.size() <= 4 && std::all_of(a.begin(), a.end(), [](char c) {
                return std::isupper(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c));
            });
        if (!code && a.find("://") == std::string::npos) add_alias(e, a, seen);
        if (comma == std::string::npos) break;
        s = comma + 1;
    }
}

// The places of one GeoNames dump and the admin codes that link each to its
// parents, which may come later in the file.
class GeonamesPlaces {
  public:
    // Adds the place of columns @a f (at least 15), of catalog type @a type.
    void add(const std::vector<std::string>& f, const std::string& type, std::uint64_t pop) {
        const std::string& fcode = f[7];
        WofRecord r;
        r.id = std::atoll(f[0].c_str());
        Entity& e = r.e;
        e.cls = EntityClass::place;
        e.type = type;
        e.name = f[1];
        std::unordered_set<std::string> seen{e.name};
        add_alias(e, f[2], seen);
        add_geonames_alternates(e, f[3], seen);
        e.lat = std::atof(f[4].c_str());
        e.lon = std::atof(f[5].c_str());
        e.has_coordinates = !f[4].empty() && e.lat >= -90 && e.lat <= 90 && e.lon >= -180 && e.lon <= 180;
        std::string cc = lower_ascii(f[8]);
        r.country = cc;
        r.population = pop;
        r.is_country = type == "country";
        e.id = r.is_country ? cc : "gn/" + f[0];
        e.note = "imported from GeoNames " + f[0] + " (" + fcode + ")";
        if (pop) e.note += ", population " + std::to_string(pop);
        if (r.is_country) country_ids_[f[8]] = r.id;
        if (type == "admin1") admin1_[f[8] + "." + f[10]] = r.id;
        if (type == "admin2") admin2_[f[8] + "." + f[10] + "." + f[11]] = r.id;
        codes_.push_back({f[8], f[10], f[11]});
        recs_.push_back(std::move(r));
    }

    // Sets each place's candidate parents, nearest first: its admin2, admin1, country.
    void link_parents() {
        for (std::size_t i = 0; i < recs_.size(); ++i) {
            auto& r = recs_[i];
            const Codes& c = codes_[i];
            if (r.e.type != "admin1" && r.e.type != "admin2" && r.e.type != "country")
                if (auto it = admin2_.find(c.cc + "." + c.a1 + "." + c.a2); it != admin2_.end())
                    r.parents.push_back(it->second);
            if (r.e.type != "admin1" && r.e.type != "country")
                if (auto it = admin1_.find(c.cc + "." + c.a1); it != admin1_.end()) r.parents.push_back(it->second);
            if (!r.is_country)
                if (auto it = country_ids_.find(c.cc); it != country_ids_.end()) r.parents.push_back(it->second);
        }
    }

    std::vector<WofRecord>& records() { return recs_; }

  private:
    struct Codes {
        std::string cc, a1, a2;
    };
    std::vector<WofRecord> recs_;  // the same shape serves: id, entity, parent candidates
    std::unordered_map<std::string, long long> admin1_, admin2_;  // "SY.01" -> geonameid
    std::unordered_map<std::string, long long> country_ids_;
    std::vector<Codes> codes_;  // codes_[i] are the admin codes of recs_[i]
};

// The columns of a UCDP actor list, by header name.
using UcdpColumns = std::unordered_map<std::string, std::size_t>;

// Reads the header record; throws CatalogError when it is missing or lacks a
// required column.
UcdpColumns read_ucdp_header(std::istream& in, const std::string& source_name) {
    std::vector<std::string> header;
    if (!read_csv_record(in, header)) throw CatalogError(source_name + ": empty file");
    if (!header.empty() && header[0].rfind("\xEF\xBB\xBF", 0) == 0) header[0].erase(0, 3);
    UcdpColumns col;
    for (std::size_t i = 0; i < header.size(); ++i) col[squeeze_space(header[i])] = i;
    for (const char* need : {"ActorId", "NameData"})
        if (!col.count(need)) throw CatalogError(source_name + ":1: no \"" + std::string(need) + "\" column");
    return col;
}

// One UCDP record's fields by column name; "" when absent.
struct UcdpRow {
    const UcdpColumns& col;
    const std::vector<std::string>& f;
    std::string get(const char* k) const {
        auto it = col.find(k);
        return it != col.end() && it->second < f.size() ? squeeze_space(f[it->second]) : std::string();
    }
};

// The comma-separated parts of @a list, space-squeezed; none when it is empty.
std::vector<std::string> comma_parts(const std::string& list) {
    std::vector<std::string> parts;
    for (std::size_t s = 0; !list.empty();) {
        std::size_t comma = list.find(',', s);
        parts.push_back(squeeze_space(list.substr(s, comma == std::string::npos ? std::string::npos : comma - s)));
        if (comma == std::string::npos) break;
        s = comma + 1;
    }
    return parts;
}

// Adds the actor's names in @a row to @a e: short capitals as case-sensitive
// names, the rest as aliases.
void add_ucdp_names(Entity& e, const UcdpRow& row) {
    std::unordered_set<std::string> seen{e.name};
    std::vector<std::string> names{e.name,
                                   row.get("NameOrig"),
                                   row.get("NameOrigFull"),
                                   row.get("NameOrigFullEng"),
                                   row.get("NewNameFullEng"),
                                   row.get("NewNameFullMotherTongue")};
    for (auto& n : comma_parts(row.get("NewName"))) names.push_back(std::move(n));
    for (auto& n : names) {
        if (n.empty() || n == "n/a") continue;
        // Short capitals (IS, SDF) are acronyms that collide with words in lower case.
        bool acronym = n.size() <= 3 && std::all_of(n.begin(), n.end(),
                                                    [](char c) { return std::isupper(static_cast<unsigned char>(c)); });
        if (acronym) {
            if (std::find(e.case_sensitive.begin(), e.case_sensitive.end(), n) == e.case_sensitive.end())
                e.case_sensitive.push_back(n);
            continue;
        }
        add_alias(e, n, seen);
    }
}

// Adds to @a e.countries the countries of @a countries_from named in UCDP's
// Location column @a loc ("Syria, Iraq"; a parenthesised remark is dropped).
void add_ucdp_countries(Entity& e, const std::string& loc, const Catalog& countries_from) {
    for (const std::string& c : comma_parts(loc)) {
        std::size_t paren = c.find('(');
        std::vector<std::string> tries{c};
        if (paren != std::string::npos) tries = {squeeze_space(c.substr(0, paren))};
        for (const auto& t : tries)
            for (std::size_t i : countries_from.by_name(normalise_name(t))) {
                const Entity& ce = countries_from.entities()[i];
                if (ce.cls == EntityClass::place && ce.type == "country" &&
                    std::find(e.countries.begin(), e.countries.end(), ce.id) == e.countries.end())
                    e.countries.push_back(ce.id);
            }
    }
}

}  // namespace

std::string entity_to_jsonl(const Entity& e) {
    nlohmann::ordered_json j;
    j["id"] = e.id;
    j["name"] = e.name;
    j[e.cls == EntityClass::place ? "type" : "kind"] = e.type;
    j["parent"] = e.parent.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(e.parent);
    if (e.has_coordinates) {
        j["lat"] = std::round(e.lat * 1e4) / 1e4;
        j["lon"] = std::round(e.lon * 1e4) / 1e4;
    }
    j["aliases"] = e.aliases;
    if (!e.case_sensitive.empty()) j["case_sensitive"] = e.case_sensitive;
    if (!e.generic_terms.empty()) j["generic_terms"] = e.generic_terms;
    if (!e.countries.empty()) j["countries"] = e.countries;
    if (!e.predecessors.empty()) {
        auto p = nlohmann::ordered_json::array();
        for (const auto& pr : e.predecessors) {
            nlohmann::ordered_json x;
            x["id"] = pr.id;
            if (pr.year) x["year"] = pr.year;
            p.push_back(x);
        }
        j["predecessors"] = p;
    }
    if (!e.founded.empty()) j["founded"] = e.founded;
    if (!e.dissolved.empty()) j["dissolved"] = e.dissolved;
    if (e.ambiguous) j["ambiguous"] = true;
    if (!e.note.empty()) j["note"] = e.note;
    return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

void import_wof(const std::vector<std::string>& paths, std::ostream& out, ImportStats& stats,
                const PlaceImportOptions& options) {
    namespace fs = std::filesystem;
    std::vector<WofRecord> recs;
    auto take = [&](const json& j, const std::string& where) {
        ++stats.read;
        WofRecord r;
        std::string reason;
        if (read_wof(j, r, reason)) {
            recs.push_back(std::move(r));
        } else {
            ++stats.skipped;
            if (reason == "not a GeoJSON feature" || reason == "no wof:id")
                stats.warnings.push_back(where + ": " + reason);
        }
    };
    auto read_file = [&](const std::string& path) {
        std::ifstream in(path, std::ios::binary);
        if (!in) throw CatalogError(path + ": cannot read");
        json j = json::parse(in, nullptr, false);
        if (j.is_discarded()) {
            stats.warnings.push_back(path + ": not valid JSON");
            ++stats.read;
            ++stats.skipped;
            return;
        }
        take(j, path);
    };
    for (const auto& path : paths) {
        std::error_code ec;
        bool is_tar = path.find(".tar") != std::string::npos ||
                      (path.size() > 4 && path.compare(path.size() - 4, 4, ".tgz") == 0);
        if (fs::is_directory(path, ec)) {
            std::vector<std::string> files;
            for (fs::recursive_directory_iterator it(path, ec), end; it != end; it.increment(ec)) {
                if (ec) break;
                std::string f = it->path().string();
                if (it->is_regular_file() && f.size() > 8 && f.compare(f.size() - 8, 8, ".geojson") == 0 &&
                    f.find("-alt-") == std::string::npos)
                    files.push_back(f);
            }
            std::sort(files.begin(), files.end());
            for (const auto& f : files) read_file(f);
        } else if (is_tar) {
            if (!fs::is_regular_file(path, ec)) throw CatalogError(path + ": cannot read");
            // GNU tar picks the decompressor (xz, gzip) itself; -O concatenates the
            // records, which the JSON parser then takes one value at a time.
            std::string cmd =
                "tar -xOf " + shell_quote(path) + " --wildcards --exclude='*-alt-*' '*.geojson' 2>/dev/null";
            std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
            if (!pipe) throw CatalogError(path + ": cannot run tar");
            FileBuf buf(pipe.get());
            std::istream in(&buf);
            std::uint64_t n = 0;
            while (in >> std::ws, in.peek() != std::char_traits<char>::eof()) {
                json j;
                try {
                    in >> j;
                } catch (const json::exception& e) {
                    stats.warnings.push_back(path + "#" + std::to_string(n + 1) + ": " + e.what());
                    break;  // the stream position is lost; keep what was read
                }
                take(j, path + "#" + std::to_string(++n));
            }
            int status = pclose(pipe.release());
            if (status != 0 && n == 0) throw CatalogError(path + ": tar could not read it");
        } else {
            read_file(path);
        }
    }
    emit_places(recs, out, stats, options);
}

void import_geonames(std::istream& in, const std::string& source_name, std::ostream& out, ImportStats& stats,
                     const PlaceImportOptions& options) {
    GeonamesPlaces places;
    std::string line;
    std::uint64_t lineno = 0;
    while (std::getline(in, line)) {
        ++lineno;
        if (line.empty() || line[0] == '#') continue;
        ++stats.read;
        std::vector<std::string> f = split_tabs(line);
        if (f.size() < 15) {
            std::string where = source_name + ":" + std::to_string(lineno);
            stats.warnings.push_back(where + ": " + std::to_string(f.size()) + " columns, want 19");
            ++stats.skipped;
            continue;
        }
        std::uint64_t pop = std::strtoull(f[14].c_str(), nullptr, 10);
        std::string type = geonames_type(f[6], f[7], pop);
        if (type.empty()) {
            ++stats.skipped;
            continue;
        }
        places.add(f, type, pop);
    }
    places.link_parents();
    emit_places(places.records(), out, stats, options);
}

void import_ucdp(std::istream& in, const std::string& source_name, std::ostream& out, ImportStats& stats,
                 const Catalog* countries_from) {
    const UcdpColumns col = read_ucdp_header(in, source_name);
    std::vector<std::string> f;
    const UcdpRow row{col, f};
    std::uint64_t record = 1;
    while (read_csv_record(in, f)) {
        ++record;
        if (f.size() == 1 && f[0].empty()) continue;
        ++stats.read;
        Entity e;
        e.cls = EntityClass::faction;
        std::string id = row.get("ActorId");
        e.name = row.get("NameData");
        if (id.empty() || e.name.empty()) {
            stats.warnings.push_back(source_name + "#" + std::to_string(record) + ": no ActorId or NameData");
            ++stats.skipped;
            continue;
        }
        e.id = "ucdp/" + id;
        std::string org = row.get("Org");
        e.type = org == "4" ? "state forces" : "insurgent";
        add_ucdp_names(e, row);
        if (countries_from) add_ucdp_countries(e, row.get("Location"), *countries_from);
        e.note = "imported from UCDP actor list " + row.get("Version") + " ActorId " + id + " (Org " + org + ")";
        out << entity_to_jsonl(e) << "\n";
        ++stats.written;
    }
}

namespace {
// One entity that has the looked-up name: how it matched, its ancestors and the
// extraction rules that apply to it.
json explain_match(const Catalog& catalog, const Entity& e, const std::string& norm) {
    json m;
    m["id"] = e.id;
    m["name"] = e.name;
    m["class"] = e.cls == EntityClass::place ? "place" : "faction";
    m[e.cls == EntityClass::place ? "type" : "kind"] = e.type;
    std::string via;
    bool cs = false;
    if (normalise_name(e.name) == norm) via = e.name;
    for (const auto& a : e.aliases)
        if (via.empty() && normalise_name(a) == norm) via = a;
    for (const auto& a : e.case_sensitive)
        if (via.empty() && normalise_name(a) == norm) {
            via = a;
            cs = true;
        }
    m["matched"] = via;
    m["matched_as"] = via == e.name ? "name" : cs ? "case-sensitive alias" : "alias";
    json anc = json::array();
    for (const Entity* a : catalog.ancestors(e.id)) anc.push_back(a->name + " (" + a->id + ")");
    m["ancestors"] = anc;
    if (e.has_coordinates) m["coordinates"] = {e.lat, e.lon};
    std::vector<std::string> rules;
    if (cs) rules.push_back("matches only as written: \"" + via + "\"");
    if (e.ambiguous)
        rules.push_back(
            "flagged ambiguous: needs a cue (\"in X\", \"X province\") or another place of the same area in the "
            "text");
    if (!e.countries.empty())
        rules.push_back("active in: " + [&] {
            std::string s;
            for (const auto& c : e.countries) s += (s.empty() ? "" : ", ") + c;
            return s;
        }());
    if (!e.founded.empty() || !e.dissolved.empty())
        rules.push_back("active from " + (e.founded.empty() ? std::string("?") : e.founded) + " to " +
                        (e.dissolved.empty() ? std::string("now") : e.dissolved) +
                        ": a report's date chooses among namesakes");
    m["rules"] = rules;
    m["origin"] = e.origin;
    if (!e.note.empty()) m["note"] = e.note;
    return m;
}

// The text form of explain_lookup's JSON @a j.
std::string explanation_text(std::string_view name, const std::string& norm, const json& j) {
    std::size_t n = j["matches"].size();
    std::ostringstream out;
    out << "\"" << name << "\" normalises to \"" << norm << "\"\n";
    if (n == 0) out << "no place or faction has this name\n";
    for (const auto& m : j["matches"]) {
        out << "  " << m["class"].get<std::string>() << " " << m["id"].get<std::string>() << "  \""
            << m["name"].get<std::string>() << "\" (" << (m.contains("type") ? m["type"] : m["kind"]).get<std::string>()
            << ")\n";
        out << "    matched " << m["matched_as"].get<std::string>() << " \"" << m["matched"].get<std::string>()
            << "\"\n";
        if (!m["ancestors"].empty()) {
            out << "    ancestors: ";
            const char* sep = "";
            for (const auto& a : m["ancestors"]) {
                out << sep << a.get<std::string>();
                sep = " < ";
            }
            out << "\n";
        }
        if (m.contains("coordinates"))
            out << "    at " << m["coordinates"][0].get<double>() << ", " << m["coordinates"][1].get<double>() << "\n";
        for (const auto& r : m["rules"]) out << "    " << r.get<std::string>() << "\n";
        out << "    from " << m["origin"].get<std::string>() << "\n";
    }
    if (j.contains("ambiguity")) out << "ambiguous: " << j["ambiguity"].get<std::string>() << "\n";
    return out.str();
}
}  // namespace

std::string explain_lookup(const Catalog& catalog, std::string_view name, bool as_json) {
    std::string norm = normalise_name(name);
    json j;
    j["query"] = std::string(name);
    j["normalised"] = norm;
    j["matches"] = json::array();
    for (std::size_t i : catalog.by_name(norm))
        j["matches"].push_back(explain_match(catalog, catalog.entities()[i], norm));
    if (j["matches"].size() > 1) {
        j["ambiguity"] =
            "several entities share this name: extraction picks by context (\"X province\" -> "
            "admin unit; a city over its own governorate; otherwise the one sharing most "
            "ancestors with the other places of the text, then the broader type)";
    }
    if (as_json) return j.dump(2, ' ', false, json::error_handler_t::replace);
    return explanation_text(name, norm, j);
}

}  // namespace warsearch
