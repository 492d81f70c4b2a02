// libFuzzer target: read_html on arbitrary bytes never throws, never crashes, and
// hands out only valid UTF-8 text.
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view content(reinterpret_cast<const char*>(data), size);
    // The contract: content is already UTF-8 (read_file repairs it first; fuzz_read_file
    // covers that path).
    if (!warsearch::fuzz::valid_utf8(content)) return 0;
    std::size_t articles = 0;
    warsearch::read_html(content, "fuzz.html", warsearch::fuzz::small_options(),
                         warsearch::fuzz::checking_sink(articles));
    return 0;
}
