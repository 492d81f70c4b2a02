// libFuzzer target: read_muc on arbitrary bytes never throws, never crashes, and
// hands out only valid UTF-8 text.
#include <sstream>

#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    std::size_t articles = 0;
    warsearch::read_muc(in, "fuzz.muc", warsearch::fuzz::small_options(), warsearch::fuzz::checking_sink(articles));
    return 0;
}
