// Shared pieces of the libFuzzer targets: a sink that checks what readers hand out, and
// the invariants every target asserts.  A failed invariant aborts, which libFuzzer
// records as a crash with the input that caused it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/readers/readers.h"

namespace warsearch::fuzz {

/// Aborts with @a what when @a ok is false (assert() is compiled out in release builds).
inline void require(bool ok, const char* what) {
    if (!ok) {
        std::fprintf(stderr, "fuzz invariant failed: %s\n", what);
        std::abort();
    }
}

/// True when @a s is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
inline bool valid_utf8(std::string_view s) {
    std::size_t i = 0, n = s.size();
    while (i < n) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        std::size_t len;
        std::uint32_t cp;
        if (c < 0x80) {
            ++i;
            continue;
        }
        if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07;
        } else
            return false;
        if (i + len > n) return false;
        for (std::size_t k = 1; k < len; ++k) {
            unsigned char cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += len;
    }
    return true;
}

/// A sink whose callbacks check the reader contract: failures name a place and a
/// reason; the text fields of every article are valid UTF-8.
inline ReadSink checking_sink(std::size_t& articles) {
    ReadSink sink;
    sink.article = [&articles](Article&& a) {
        ++articles;
        require(valid_utf8(a.title), "article title is valid UTF-8");
        require(valid_utf8(a.body), "article body is valid UTF-8");
    };
    sink.failure = [](const ReadFailure& f) {
        require(!f.where.empty(), "a failure names where");
        require(!f.reason.empty(), "a failure says why");
    };
    sink.warning = [](const ReadWarning&) {};
    sink.file_started = [](const std::string&, std::uint64_t) {};
    return sink;
}

/// Options with small limits so that the fuzzer can reach the "too long" paths.
inline ReadOptions small_options() {
    ReadOptions o;
    o.max_whole_file_bytes = 1 << 20;
    o.max_record_bytes = 64 << 10;
    return o;
}

}  // namespace warsearch::fuzz
