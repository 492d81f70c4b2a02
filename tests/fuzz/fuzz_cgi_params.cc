// libFuzzer target: parse_query_string on any bytes keeps its documented bounds.
#include "fuzz_support.h"
#include "searcher/cgi/cgi.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view qs(reinterpret_cast<const char*>(data), size);
    auto params = warsearch::parse_query_string(qs);
    warsearch::fuzz::require(params.size() <= 64, "at most 64 parameters");
    for (const auto& [name, value] : params) {
        warsearch::fuzz::require(name.size() <= 32, "names of at most 32 bytes");
        warsearch::fuzz::require(warsearch::fuzz::valid_utf8(value), "values are valid UTF-8");
        // Cut at 2,048 bytes, then repaired: a replacement character may add a little.
        warsearch::fuzz::require(value.size() <= 2048 * 3, "values are cut");
    }
    return 0;
}
