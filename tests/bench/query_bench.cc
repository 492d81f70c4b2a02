// query_bench: in-process query latency of warsearch_search on one index, next to a BARE
// Xapian search (Enquire + QueryParser, top 10 with their document data, no facets, no
// snippets, no collapsing) on the same index, for scripts/bench.
//
//   query_bench --db DIR --queries FILE [--extra FILE] [--iterations N] [--warmup N]
//               [--configs bare,plain,snippets,full,full_serial,full_threads,full_index,served] [--bare-only] [--limit
//               N] [--per-query]
//               [--stem-some]
//
// "full" (facets + snippets) is a default Searcher, as the CLI and the CGI run it: it
// maps the facet value file the indexer wrote beside the index (facet_value_file.h);
// (facet threads for heavy counts only, the default); "full_serial" never counts on
// threads of their own, "full_threads" always (SearcherOptions::facet_threads).
// "full_index" reads the facet values from the index instead (an index without the
// file: remote shards, an older indexer); "served" keeps them in memory, as the FastCGI
// server does without a file (SearcherOptions::facet_cache_bytes; loaded during the warm-up).
//
// FILE holds one query a line ('#' comments): the neutral list (bare lowercase words ANDed,
// "phrases"), which both Xapian's QueryParser and ours read the same way.  --extra adds
// queries in our syntax only (entity filters, date ranges); the bare configuration skips
// them, so ratios are computed on the neutral list only.  Configurations run round-robin,
// query by query, so machine noise falls on all of them alike.  Prints one JSON object a
// line per configuration: {"config","queries","samples","p50_ms","p95_ms","p99_ms",
// "mean_ms","max_ms","extra_p50_ms",...}.  Not a test: nothing here passes or fails.
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "searcher/searcher.h"

namespace {

using Clock = std::chrono::steady_clock;

std::vector<std::string> read_queries(const std::string& path) {
    std::vector<std::string> out;
    std::ifstream in(path);
    if (!in) {
        std::cerr << "query_bench: cannot read " << path << "\n";
        std::exit(1);
    }
    std::string line;
    while (std::getline(in, line)) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        out.push_back(line);
    }
    return out;
}

double pct(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    double rank = p / 100.0 * static_cast<double>(v.size() - 1);
    auto lo = static_cast<std::size_t>(rank);
    std::size_t hi = std::min(lo + 1, v.size() - 1);
    double frac = rank - static_cast<double>(lo);
    return v[lo] * (1 - frac) + v[hi] * frac;
}

// The bare search: what a minimal Xapian application does per query.
// With @a stem_some, queries are parsed as Omega and quest parse them (STEM_SOME: a
// word's stem with prefix Z, phrases unstemmed), for an index scriptindex wrote; ours
// holds stems only (STEM_ALL), and parsed with STEM_ALL, scriptindex's index matched
// almost nothing ("kill": 2,162 documents, against 27,856 for "Zkill").
class Bare {
  public:
    Bare(const std::string& path, bool stem_some) : db_(path), enquire_(db_) {
        qp_.set_database(db_);
        qp_.set_stemmer(Xapian::Stem("english"));
        qp_.set_stemming_strategy(stem_some ? Xapian::QueryParser::STEM_SOME : Xapian::QueryParser::STEM_ALL);
        qp_.set_default_op(Xapian::Query::OP_AND);
        qp_.add_prefix("title", "S");
    }
    std::size_t run(const std::string& q, unsigned limit) {
        Xapian::Query query = qp_.parse_query(q, Xapian::QueryParser::FLAG_DEFAULT);
        enquire_.set_query(query);
        Xapian::MSet mset = enquire_.get_mset(0, limit);
        std::size_t bytes = 0;
        for (auto it = mset.begin(); it != mset.end(); ++it) bytes += it.get_document().get_data().size();
        return mset.get_matches_estimated() + (bytes & 1);
    }

  private:
    Xapian::Database db_;
    Xapian::Enquire enquire_;
    Xapian::QueryParser qp_;
};

struct Config {
    std::string name;
    bool bare = false, snippets = false, facets = false, cached = false, index_values = false, threads = false,
         serial = false;
    std::vector<double> ms, extra_ms;
    std::vector<std::vector<double>> per_query;  ///< each query's times (--per-query)
};

}  // namespace

int main(int argc, char** argv) {
    std::string db, queries_file, extra_file, configs = "bare,plain,snippets,full";
    unsigned iterations = 5, warmup = 1, limit = 10;
    bool per_query = false;  // also print each query's median time per configuration (stderr)
    bool stem_some = false;  // bare: parse as Omega does, for an index scriptindex wrote
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::cerr << "query_bench: " << a << " needs a value\n";
                std::exit(1);
            }
            return argv[++i];
        };
        if (a == "--db")
            db = next();
        else if (a == "--queries")
            queries_file = next();
        else if (a == "--extra")
            extra_file = next();
        else if (a == "--iterations")
            iterations = static_cast<unsigned>(std::stoul(next()));
        else if (a == "--warmup")
            warmup = static_cast<unsigned>(std::stoul(next()));
        else if (a == "--limit")
            limit = static_cast<unsigned>(std::stoul(next()));
        else if (a == "--per-query")
            per_query = true;
        else if (a == "--configs")
            configs = next();
        else if (a == "--bare-only")
            configs = "bare";
        else if (a == "--stem-some")
            stem_some = true;
        else if (a == "-h" || a == "--help") {
            std::cout << "usage: query_bench --db DIR --queries FILE [--extra FILE] [--iterations N]\n"
                         "                   [--warmup N] [--limit N] [--configs "
                         "bare,plain,snippets,full,full_serial,full_threads,full_index,served] [--per-query]\n"
                         "                   [--stem-some]   (bare: parse as Omega does, for scriptindex's index)\n";
            return 0;
        } else {
            std::cerr << "query_bench: unknown option " << a << "\n";
            return 1;
        }
    }
    if (db.empty() || queries_file.empty()) {
        std::cerr << "query_bench: --db and --queries are required\n";
        return 1;
    }
    std::vector<std::string> queries = read_queries(queries_file);
    std::vector<std::string> extra;
    if (!extra_file.empty()) extra = read_queries(extra_file);

    std::vector<Config> cfgs;
    std::stringstream list(configs);
    for (std::string name; std::getline(list, name, ',');) {
        Config c;
        c.name = name;
        if (name == "bare")
            c.bare = true;
        else if (name == "plain") {
        } else if (name == "snippets")
            c.snippets = true;
        else if (name == "facets")
            c.facets = true;
        else if (name == "full")
            c.snippets = c.facets = true;
        else if (name == "full_threads")
            c.snippets = c.facets = c.threads = true;
        else if (name == "full_serial")
            c.snippets = c.facets = c.serial = true;
        else if (name == "full_index")
            c.snippets = c.facets = c.index_values = true;
        else if (name == "served")
            c.snippets = c.facets = c.cached = true;
        else {
            std::cerr << "query_bench: unknown configuration " << name << "\n";
            return 1;
        }
        cfgs.push_back(c);
    }

    try {
        std::unique_ptr<Bare> bare;
        std::unique_ptr<warsearch::Searcher> searcher, served, index_reader, threaded, serial;
        // Each configuration is a Searcher set up as the front-end it stands for.
        auto make = [&db](warsearch::SearcherOptions options) {
            return std::make_unique<warsearch::Searcher>(db, options);
        };
        for (auto& c : cfgs) {
            if (c.bare && !bare) bare = std::make_unique<Bare>(db, stem_some);
            if (c.threads && !threaded) {
                warsearch::SearcherOptions options;
                options.facet_threads = warsearch::FacetThreads::always;
                threaded = make(options);
            }
            if (c.serial && !serial) {
                warsearch::SearcherOptions options;
                options.facet_threads = warsearch::FacetThreads::off;
                serial = make(options);
            }
            if (!c.bare && !c.cached && !c.index_values && !c.threads && !c.serial && !searcher) searcher = make({});
            if (c.cached && !served) {
                warsearch::SearcherOptions options;  // as the FastCGI server
                options.use_facet_files = false;
                options.facet_cache_bytes = std::size_t(256) << 20;
                options.facet_threads = warsearch::FacetThreads::large;
                served = make(options);
            }
            if (c.index_values && !index_reader) {
                warsearch::SearcherOptions options;
                options.use_facet_files = false;
                index_reader = make(options);
            }
        }
        std::size_t sink = 0;
        auto one = [&](Config& c, const std::string& q) -> double {
            auto t0 = Clock::now();
            if (c.bare) {
                sink += bare->run(q, limit);
            } else {
                warsearch::SearchRequest req;
                req.query = q;
                req.limit = limit;
                req.snippets = c.snippets;
                req.facets = c.facets;
                try {
                    warsearch::SearchResult r = (c.cached         ? served
                                                 : c.index_values ? index_reader
                                                 : c.threads      ? threaded
                                                 : c.serial       ? serial
                                                                  : searcher)
                                                    ->search(req);
                    sink += r.estimate + r.hits.size();
                } catch (const warsearch::QueryError& e) {
                    std::cerr << "query_bench: query error for '" << q << "': " << e.what() << "\n";
                }
            }
            return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        };
        for (unsigned it = 0; it < warmup + iterations; ++it) {
            bool record = it >= warmup;
            for (std::size_t qi = 0; qi < queries.size(); ++qi) {
                for (auto& c : cfgs) {
                    double ms = one(c, queries[qi]);
                    if (record) c.ms.push_back(ms);
                    if (record && per_query) {
                        c.per_query.resize(queries.size());
                        c.per_query[qi].push_back(ms);
                    }
                }
            }
            for (std::size_t qi = 0; qi < extra.size(); ++qi) {
                for (auto& c : cfgs) {
                    if (c.bare) continue;
                    double ms = one(c, extra[qi]);
                    if (record) c.extra_ms.push_back(ms);
                }
            }
        }
        for (auto& c : cfgs)
            for (std::size_t qi = 0; qi < c.per_query.size(); ++qi)
                std::fprintf(stderr, "%s\t%.3f\t%s\n", c.name.c_str(), pct(c.per_query[qi], 50), queries[qi].c_str());
        for (auto& c : cfgs) {
            double sum = 0;
            for (double v : c.ms) sum += v;
            std::vector<double> all = c.ms;
            all.insert(all.end(), c.extra_ms.begin(), c.extra_ms.end());
            std::printf(
                "{\"config\":\"%s\",\"queries\":%zu,\"samples\":%zu,\"p50_ms\":%.4f,\"p95_ms\":%.4f,"
                "\"p99_ms\":%.4f,\"mean_ms\":%.4f,\"max_ms\":%.4f,\"extra_samples\":%zu,"
                "\"extra_p50_ms\":%.4f,\"extra_p99_ms\":%.4f,\"all_p50_ms\":%.4f,\"all_p99_ms\":%.4f}\n",
                c.name.c_str(), queries.size(), c.ms.size(), pct(c.ms, 50), pct(c.ms, 95), pct(c.ms, 99),
                c.ms.empty() ? 0.0 : sum / static_cast<double>(c.ms.size()), pct(c.ms, 100), c.extra_ms.size(),
                pct(c.extra_ms, 50), pct(c.extra_ms, 99), pct(all, 50), pct(all, 99));
        }
        if (sink == 42) std::fprintf(stderr, " ");
    } catch (const Xapian::Error& e) {
        std::cerr << "query_bench: " << e.get_description() << "\n";
        return 3;
    } catch (const std::exception& e) {
        std::cerr << "query_bench: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
