#include "indexer/fingerprint.h"

#include <xapian.h>
#include <xxhash.h>

#include <cstdio>
#include <limits>

#include "common/text/text.h"

namespace warsearch {
namespace {

// Independent hash functions from one 64-bit shingle hash: h_i(x) = hi32(mix(x ^ seed_i)).
inline std::uint32_t mix(std::uint64_t x, std::uint64_t seed) {
    x ^= seed;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return static_cast<std::uint32_t>(x >> 32);
}

constexpr std::uint64_t seed(int i) { return 0x9E3779B97F4A7C15ULL * static_cast<std::uint64_t>(i + 1); }

}  // namespace

Fingerprint fingerprint_text(std::string_view raw) {
    Fingerprint fp;
    fp.minhash.fill(std::numeric_limits<std::uint32_t>::max());
    std::string text = fold_for_matching(raw);
    // Word hashes in order; shingles are 4 consecutive words.
    std::vector<std::uint64_t> words;
    words.reserve(text.size() / 6);
    for_each_word(text, [&words](const WordView& w) { words.push_back(XXH3_64bits(w.text.data(), w.text.size())); });
    if (words.size() < 8) return fp;
    fp.empty = false;
    for (std::size_t i = 0; i + 4 <= words.size(); ++i) {
        std::uint64_t sh = words[i] * 31 + words[i + 1];
        sh = sh * 0x100000001B3ULL + words[i + 2];
        sh = sh * 0x100000001B3ULL + words[i + 3];
        for (int k = 0; k < Fingerprint::kHashes; ++k) {
            std::uint32_t h = mix(sh, seed(k));
            if (h < fp.minhash[k]) fp.minhash[k] = h;
        }
    }
    return fp;
}

double Fingerprint::similarity(const Fingerprint& other) const {
    if (empty || other.empty) return 0;
    int same = 0;
    for (int k = 0; k < kHashes; ++k) same += minhash[k] == other.minhash[k];
    return static_cast<double>(same) / kHashes;
}

std::vector<std::string> Fingerprint::band_keys() const {
    std::vector<std::string> keys;
    if (empty) return keys;
    char buf[40];
    for (int b = 0; b < kBands; ++b) {
        std::uint64_t h = 0;
        for (int r = 0; r < kBandRows; ++r) h = h * 0x100000001B3ULL + minhash[b * kBandRows + r];
        std::snprintf(buf, sizeof buf, "b%d-%08x", b, static_cast<unsigned>(mix(h, 7)));
        keys.emplace_back(buf);
    }
    return keys;
}

std::string Fingerprint::serialise() const {
    if (empty) return {};
    std::string out;
    char buf[9];
    for (auto h : minhash) {
        std::snprintf(buf, sizeof buf, "%08x", h);
        out += buf;
    }
    return out;
}

Fingerprint Fingerprint::unserialise(std::string_view s) {
    Fingerprint fp;
    if (s.size() != static_cast<std::size_t>(kHashes) * 8) return fp;
    for (int k = 0; k < kHashes; ++k) {
        std::uint32_t v = 0;
        for (int d = 0; d < 8; ++d) {
            char c = s[static_cast<std::size_t>(k * 8 + d)];
            int x = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (x < 0) return Fingerprint{};
            v = v * 16 + static_cast<std::uint32_t>(x);
        }
        fp.minhash[k] = v;
    }
    fp.empty = false;
    return fp;
}

}  // namespace warsearch
