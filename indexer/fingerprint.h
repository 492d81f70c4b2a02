// Near-duplicate detection for wire copy: MinHash over word shingles, with LSH band keys
// so candidates are found by an ordinary term lookup in the index (which also works on
// shards and over the remote backend).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace warsearch {

/// MinHash signature of a text's word 4-shingles.
struct Fingerprint {
    static constexpr int kHashes = 24;   ///< signature length
    static constexpr int kBandRows = 2;  ///< hashes per LSH band
    static constexpr int kBands = kHashes / kBandRows;
    std::array<std::uint32_t, kHashes> minhash{};
    bool empty = true;  ///< too little text to fingerprint (fewer than 8 words)

    /// Estimated Jaccard similarity of the two shingle sets (0..1).
    double similarity(const Fingerprint& other) const;
    /// Band keys ("b<band>-<hex>"): two texts with Jaccard similarity 0.5 share at least
    /// one with probability 0.97; unrelated texts (0.05) with probability 0.03.
    std::vector<std::string> band_keys() const;
    /// Compact form for a value slot (kHashes * 8 hex digits), and back.
    std::string serialise() const;
    static Fingerprint unserialise(std::string_view s);
};

/// Fingerprints @a text (folded, case-insensitive, punctuation ignored).
Fingerprint fingerprint_text(std::string_view text);

/// Two documents are copies of one story when their estimated similarity reaches this.
inline constexpr double kSameStorySimilarity = 0.4;

}  // namespace warsearch
