// libFuzzer target: QueryBuilder::build on a small database that carries the fixture
// catalog.  The first line is the query, each further line a filter ("field:value").
// Bad input may only ever surface as QueryError; the built query is then run.
#include <xapian.h>

#include "fuzz_db_support.h"
#include "fuzz_support.h"
#include "searcher/query_builder.h"

namespace {

Xapian::Database& database() {
    static Xapian::Database db(warsearch::fuzz::sample_db_path());
    return db;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string input(reinterpret_cast<const char*>(data), size);
    std::string text;
    std::vector<std::string> filters;
    std::size_t start = 0;
    for (bool first = true; start <= input.size(); first = false) {
        std::size_t nl = input.find('\n', start);
        if (nl == std::string::npos) nl = input.size();
        std::string line = input.substr(start, nl - start);
        if (first)
            text = line;
        else if (filters.size() < 32)
            filters.push_back(line);
        start = nl + 1;
    }
    warsearch::QueryLimits limits;
    limits.time_limit_seconds = 1.0;
    warsearch::QueryBuilder builder(database());
    for (auto op : {warsearch::DefaultOperator::op_and, warsearch::DefaultOperator::op_or}) {
        try {
            auto built = builder.build(text, filters, op, limits);
            Xapian::Enquire enquire(database());
            enquire.set_query(built.query);
            enquire.set_time_limit(1.0);
            (void)enquire.get_mset(0, 10);
        } catch (const warsearch::QueryError& e) {
            warsearch::fuzz::require(*e.what() != '\0', "a QueryError says what is wrong");
        }
    }
    return 0;
}
