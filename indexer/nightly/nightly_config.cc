#include "indexer/nightly/nightly_config.h"

#include <toml++/toml.h>

#include <filesystem>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace warsearch {
namespace {

class ConfigReader {
  public:
    explicit ConfigReader(std::string file) : file_(std::move(file)) {}

    [[noreturn]] void fail(const toml::node* where, const std::string& what) const {
        std::ostringstream msg;
        msg << file_;
        if (where) msg << ":" << where->source().begin.line;
        msg << ": " << what;
        throw NightlyConfigError(msg.str());
    }

    // Unknown keys are errors: a misspelt key silently ignored is a night of missing news.
    void only_keys(const toml::table& t, std::initializer_list<const char*> allowed, const std::string& section) const {
        std::set<std::string> ok(allowed.begin(), allowed.end());
        for (const auto& [key, node] : t)
            if (!ok.count(std::string(key.str())))
                fail(&node, "unknown key '" + std::string(key.str()) + "' in " + section);
    }

    std::string string_or(const toml::table& t, const char* key, std::string fallback) const {
        const toml::node* n = t.get(key);
        if (!n) return fallback;
        if (auto s = n->value<std::string>()) return *s;
        fail(n, std::string("'") + key + "' must be a string");
    }

    std::size_t count_or(const toml::table& t, const char* key, std::size_t fallback, std::int64_t min) const {
        const toml::node* n = t.get(key);
        if (!n) return fallback;
        auto v = n->value_exact<std::int64_t>();
        if (!v) fail(n, std::string("'") + key + "' must be an integer");
        if (*v < min) fail(n, std::string("'") + key + "' must be at least " + std::to_string(min));
        return static_cast<std::size_t>(*v);
    }

    double share_or(const toml::table& t, const char* key, double fallback) const {
        const toml::node* n = t.get(key);
        if (!n) return fallback;
        auto v = n->value<double>();
        if (!v) fail(n, std::string("'") + key + "' must be a number between 0 and 1");
        if (!(*v >= 0 && *v <= 1)) fail(n, std::string("'") + key + "' must be between 0 and 1 (0.2 is 20%)");
        return *v;
    }

    bool bool_or(const toml::table& t, const char* key, bool fallback) const {
        const toml::node* n = t.get(key);
        if (!n) return fallback;
        if (auto b = n->value_exact<bool>()) return *b;
        fail(n, std::string("'") + key + "' must be true or false");
    }

    // Paths in the file are relative to the file, so a config works wherever cron runs it.
    std::string path_of(const std::string& value) const {
        fs::path p(value);
        if (p.is_relative()) p = fs::path(file_).parent_path() / p;
        return p.lexically_normal().string();
    }

  private:
    std::string file_;
};

std::string without_trailing_slash(std::string p) {
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    return p;
}

void add_field_map(const std::string& spec, ReadOptions& read) {
    try {
        parse_field_map(spec, read.field_map);
    } catch (const std::invalid_argument& e) {
        throw NightlyConfigError(std::string("map: ") + e.what());
    }
}

// The parsed TOML of @a path; a syntax error names the file, line and column.
toml::table parse_config_file(const std::string& path) {
    try {
        return toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        std::ostringstream msg;
        msg << path << ":" << e.source().begin.line << ":" << e.source().begin.column << ": " << e.description();
        throw NightlyConfigError(msg.str());
    }
}

// The top-level keys: database and report_dir are required, the rest keep the
// defaults of NightlyConfig when absent.
void read_top_level(const ConfigReader& r, const toml::table& root, NightlyConfig& config) {
    r.only_keys(root,
                {"database", "report_dir", "batch_size", "stem", "catalogs", "extract_entities", "facet_top",
                 "keep_reports", "max_delete_share", "source", "alert"},
                "the top level");
    std::string db = r.string_or(root, "database", "");
    if (db.empty()) r.fail(nullptr, "'database' is required (the database directory)");
    config.database = without_trailing_slash(r.path_of(db));
    std::string reports = r.string_or(root, "report_dir", "");
    if (reports.empty()) r.fail(nullptr, "'report_dir' is required (where run reports go)");
    config.report_dir = without_trailing_slash(r.path_of(reports));
    config.batch_size = r.count_or(root, "batch_size", config.batch_size, 1);
    config.stem_language = r.string_or(root, "stem", config.stem_language);
    std::string catalogs = r.string_or(root, "catalogs", "");
    if (!catalogs.empty()) config.catalog_dir = r.path_of(catalogs);
    config.extract_entities = r.bool_or(root, "extract_entities", config.extract_entities);
    config.facet_top = r.count_or(root, "facet_top", config.facet_top, 1);
    config.keep_reports = r.count_or(root, "keep_reports", config.keep_reports, 0);
    config.max_delete_share = r.share_or(root, "max_delete_share", config.max_delete_share);
}

// A source's 'format' and 'map' (a "FIELD=COLUMN,..." string or a table); any
// error is reported at the source's line.
void read_source_format(const ConfigReader& r, const toml::node& node, const toml::table& t, ReadOptions& read) {
    try {
        read.format = parse_format(r.string_or(t, "format", "auto"));
        if (const toml::node* m = t.get("map")) {
            if (auto spec = m->value<std::string>()) {
                add_field_map(*spec, read);
            } else if (const toml::table* mt = m->as_table()) {
                std::string spec_from_table;
                for (const auto& [field, column] : *mt) {
                    auto c = column.value<std::string>();
                    if (!c) r.fail(&column, "map values must be column names (strings)");
                    spec_from_table += std::string(field.str()) + "=" + *c + ",";
                }
                add_field_map(spec_from_table, read);
            } else {
                r.fail(m, "'map' is \"FIELD=COLUMN,...\" or a table { FIELD = \"COLUMN\" }");
            }
        }
    } catch (const std::invalid_argument& e) {
        r.fail(&node, e.what());
    } catch (const NightlyConfigError& e) {
        r.fail(&node, e.what());
    }
}

// One [[source]] table @a node.
NightlySource read_source(const ConfigReader& r, const toml::node& node) {
    const toml::table* t = node.as_table();
    if (!t) r.fail(&node, "each source must be a table: write [[source]]");
    r.only_keys(*t, {"path", "format", "map", "date_order", "delimiter", "split_live_blogs"}, "[[source]]");
    NightlySource s;
    std::string p = r.string_or(*t, "path", "");
    if (p.empty()) r.fail(&node, "a [[source]] needs 'path' (a folder or file)");
    s.path = without_trailing_slash(r.path_of(p));
    read_source_format(r, node, *t, s.read);
    std::string order = r.string_or(*t, "date_order", "mdy");
    if (order == "dmy")
        s.read.date_order = DateOrder::dmy;
    else if (order != "mdy")
        r.fail(&node, "'date_order' is \"mdy\" or \"dmy\"");
    std::string delimiter = r.string_or(*t, "delimiter", "");
    if (delimiter == "\\t" || delimiter == "tab" || delimiter == "\t")
        s.read.csv_delimiter = '\t';
    else if (delimiter.size() == 1)
        s.read.csv_delimiter = delimiter[0];
    else if (!delimiter.empty())
        r.fail(&node, "'delimiter' is one character (or \"tab\")");
    s.read.split_live_blogs = r.bool_or(*t, "split_live_blogs", true);
    return s;
}

// The [[source]] list: at least one, no path listed twice.
void read_sources(const ConfigReader& r, const toml::table& root, NightlyConfig& config) {
    const toml::node* sources = root.get("source");
    if (!sources) r.fail(nullptr, "no [[source]] given: list at least one folder to index");
    const toml::array* source_list = sources->as_array();
    if (!source_list) r.fail(sources, "'source' must be an array of tables: write [[source]]");
    for (const toml::node& node : *source_list) {
        NightlySource s = read_source(r, node);
        for (const auto& other : config.sources)
            if (other.path == s.path) r.fail(&node, "source " + s.path + " is listed twice");
        config.sources.push_back(std::move(s));
    }
}

// One [[alert]] table @a node: a name and a query or filters.
NightlyAlert read_alert(const ConfigReader& r, const toml::node& node) {
    const toml::table* t = node.as_table();
    if (!t) r.fail(&node, "each alert must be a table: write [[alert]]");
    r.only_keys(*t, {"name", "query", "filters", "max_hits"}, "[[alert]]");
    NightlyAlert a;
    a.name = r.string_or(*t, "name", "");
    if (a.name.empty()) r.fail(&node, "an [[alert]] needs a 'name'");
    a.query = r.string_or(*t, "query", "");
    if (const toml::node* f = t->get("filters")) {
        const toml::array* fl = f->as_array();
        if (!fl) r.fail(f, "'filters' is a list of \"field:value\" strings");
        for (const toml::node& item : *fl) {
            auto v = item.value<std::string>();
            if (!v || v->find(':') == std::string::npos) r.fail(&item, "a filter is a \"field:value\" string");
            a.filters.push_back(*v);
        }
    }
    if (a.query.empty() && a.filters.empty()) r.fail(&node, "alert '" + a.name + "' needs a 'query' or 'filters'");
    a.max_hits = r.count_or(*t, "max_hits", a.max_hits, 1);
    return a;
}

// The optional [[alert]] list.
void read_alerts(const ConfigReader& r, const toml::table& root, NightlyConfig& config) {
    const toml::node* alerts = root.get("alert");
    if (!alerts) return;
    const toml::array* list = alerts->as_array();
    if (!list) r.fail(alerts, "'alert' must be an array of tables: write [[alert]]");
    for (const toml::node& node : *list) config.alerts.push_back(read_alert(r, node));
}

}  // namespace

NightlyConfig load_nightly_config(const std::string& path) {
    NightlyConfig config;
    std::error_code ec;
    fs::path abs = fs::absolute(path, ec);
    config.config_path = (ec ? fs::path(path) : abs).lexically_normal().string();
    ConfigReader r(config.config_path);
    toml::table root = parse_config_file(config.config_path);
    read_top_level(r, root, config);
    read_sources(r, root, config);
    read_alerts(r, root, config);
    return config;
}

}  // namespace warsearch
