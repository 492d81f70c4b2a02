// Small databases for the query-builder and CGI targets, built once per fuzzing process
// from a few articles written here and the fixture catalog (tests/fixtures/catalog).
#pragma once

#include <stdlib.h>

#include <string>
#include <vector>

#include "common/readers/article.h"
#include "indexer/indexer.h"

namespace warsearch::fuzz {

inline std::vector<Article> sample_articles() {
    auto make = [](const char* id, const char* title, const char* body, const char* source, int year, int month,
                   int day) {
        Article a;
        a.id = id;
        a.title = title;
        a.body = body;
        a.source = source;
        a.lang = "en";
        a.url = std::string("https://example.org/") + id;
        a.date.year = year;
        a.date.month = month;
        a.date.day = day;
        a.date.precision = DatePrecision::day;
        return a;
    };
    return {
        make("fuzz-1", "Shelling in Darayya",
             "Barrel bombs fell on Darayya in Rif Dimashq; "
             "the Free Syrian Army said a hospital was hit.",
             "Reuters", 2016, 7, 14),
        make("fuzz-2", "Ceasefire talks",
             "Talks on a ceasefire in Aleppo stalled as Islamic State "
             "fighters advanced near Raqqa.",
             "Al Jazeera", 2016, 8, 2),
        make("fuzz-3", "Daraya siege",
             "Aid reached Daraya for the first time in years. <b>not html</b> "
             "& \"quotes\" 'single'",
             "global-news-agency", 2017, 4, 5),
    };
}

/// An on-disk glass database in a fresh temp directory, written by the real Indexer.
inline const std::string& sample_db_path() {
    static const std::string path = [] {
        char tmpl[] = "/tmp/warsearch-fuzz-db-XXXXXX";
        std::string dir = mkdtemp(tmpl);
        IndexOptions options;
        options.db_path = dir + "/db";
        options.catalog_dir = WARSEARCH_SOURCE_DIR "/tests/fixtures/catalog";
        Indexer indexer(options);
        for (const auto& a : sample_articles()) indexer.add(a);
        indexer.finish();
        return options.db_path;
    }();
    return path;
}

}  // namespace warsearch::fuzz
