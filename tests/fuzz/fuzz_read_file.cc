// libFuzzer target: read_file on a temporary file with format detection, the path every
// input takes in warsearch-index (extension, content sniffing, encoding repair).  The
// first byte picks the file name's extension so that detection by name is covered too.
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "fuzz_support.h"

namespace {

const char* const kExtensions[] = {"", ".jsonl", ".json", ".csv", ".txt", ".html", ".sgm", ".xml"};

const std::string& scratch_dir() {
    static const std::string dir = [] {
        char tmpl[] = "/tmp/warsearch-fuzz-XXXXXX";
        const char* made = mkdtemp(tmpl);
        warsearch::fuzz::require(made != nullptr, "mkdtemp");
        return std::string(made);
    }();
    return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const char* ext = kExtensions[data[0] % (sizeof kExtensions / sizeof *kExtensions)];
    std::string path = scratch_dir() + "/input" + ext;
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data + 1), static_cast<std::streamsize>(size - 1));
    }
    std::size_t articles = 0;
    warsearch::read_file(path, warsearch::fuzz::small_options(), warsearch::fuzz::checking_sink(articles));
    std::remove(path.c_str());
    return 0;
}
