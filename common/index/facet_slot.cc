#include "common/index/facet_slot.h"

#include <xapian.h>

#include <array>
#include <cstring>

#include "common/text/text.h"

namespace warsearch {
namespace {

constexpr char kWithStory = '\x02';
constexpr char kWithoutStory = '\x03';
constexpr std::size_t kKeyBytes = 6;
constexpr std::size_t kStoryBytes = 8;
constexpr std::size_t kMaxPerGroup = 255;

struct CodeName {
    char code;
    std::string_view dimension;
};
// The order here is the order of the groups in a slot.
constexpr std::array<CodeName, 9> kFacetCodes = {{
    {'f', kFacetFaction},
    {'o', kFacetOrganisation},
    {'c', "l.country"},
    {'1', "l.admin1"},
    {'2', "l.admin2"},
    {'L', "l.locality"},
    {'s', kFacetSource},
    {'m', kFacetMonth},
    {'w', kFacetDateline},
}};

// Stories are written as 16 hex digits (hex64); stored as their 8 bytes.  Anything else
// (a story key from elsewhere) is hashed to 8 bytes: the searcher only compares them.
void append_story(std::string& out, const std::string& story) {
    bool hex = story.size() == 2 * kStoryBytes;
    for (std::size_t i = 0; hex && i < story.size(); ++i) hex = hex_digit_value(story[i]) >= 0;
    if (hex) {
        for (std::size_t i = 0; i < story.size(); i += 2)
            out += static_cast<char>(hex_digit_value(story[i]) * 16 + hex_digit_value(story[i + 1]));
        return;
    }
    unsigned long long h = hash64(story);
    for (std::size_t i = 0; i < kStoryBytes; ++i) out += static_cast<char>((h >> (8 * i)) & 0xff);
}

// The 6-byte key of a value: the month itself, or the low 6 bytes of the key's hash.
bool key_bytes(char code, const std::string& key, char out[kKeyBytes]) {
    if (code == 'm') {
        // "YYYY-MM"
        if (key.size() != 7 || key[4] != '-') return false;
        std::memcpy(out, key.data(), 4);
        std::memcpy(out + 4, key.data() + 5, 2);
        return true;
    }
    unsigned long long h = hash64(key);
    for (std::size_t i = 0; i < kKeyBytes; ++i) out[i] = static_cast<char>((h >> (8 * i)) & 0xff);
    return true;
}

std::uint64_t pack(char code, std::string_view key6) { return FacetItem{code, key6}.packed(); }

}  // namespace

std::string_view facet_dimension(char code) {
    for (const auto& c : kFacetCodes)
        if (c.code == code) return c.dimension;
    return {};
}

bool facet_code_is_entity(char code) {
    std::string_view dim = facet_dimension(code);
    return dim == kFacetFaction || dim == kFacetOrganisation ||
           dim.substr(0, kFacetPlacePrefix.size()) == kFacetPlacePrefix;
}

void FacetNames::note(std::uint64_t packed, const std::string& key) {
    // Two keys of one dimension sharing 48 bits of hash would share a count: for a
    // dimension of 10,000 keys the odds are about one in five million.  The first name stays.
    names_.try_emplace(packed, key);
}

void FacetNames::write(Xapian::WritableDatabase& db) const {
    for (const auto& [packed, key] : names_) db.set_metadata(facet_name_metadata_key(packed), key);
}

std::string facet_name_metadata_key(std::uint64_t packed) {
    static const char digits[] = "0123456789abcdef";
    std::string out(kMetaFacetNamePrefix);
    out += static_cast<char>(packed >> 48);
    for (int shift = 44; shift >= 0; shift -= 4) out += digits[(packed >> shift) & 0xf];
    return out;
}

std::string facet_month_key(std::uint64_t packed) {
    if (static_cast<char>(packed >> 48) != 'm') return {};
    std::string key;
    for (int shift = 40; shift >= 0; shift -= 8) {
        key += static_cast<char>((packed >> shift) & 0xff);
        if (shift == 16) key += '-';  // after "YYYY"
    }
    return key;
}

std::string encode_facet_slot(const std::string& story, const std::vector<FacetValue>& values, FacetNames* names) {
    std::string out;
    out.reserve(16 + values.size() * kKeyBytes + 2 * kFacetCodes.size());
    if (story.empty()) {
        out += kWithoutStory;
    } else {
        out += kWithStory;
        append_story(out, story);
    }
    for (const auto& group : kFacetCodes) {
        std::size_t count_at = std::string::npos;
        std::size_t count = 0;
        for (const auto& v : values) {
            if (v.key.empty() || v.dimension != group.dimension || count == kMaxPerGroup) continue;
            char key[kKeyBytes];
            if (!key_bytes(group.code, v.key, key)) continue;
            if (count_at == std::string::npos) {
                out += group.code;
                count_at = out.size();
                out += '\0';
            }
            out.append(key, kKeyBytes);
            ++count;
            if (names && group.code != 'm') names->note(pack(group.code, std::string_view(key, kKeyBytes)), v.key);
        }
        if (count_at != std::string::npos) out[count_at] = static_cast<char>(count);
    }
    return out;
}

bool decode_facet_slot(std::string_view slot, std::string_view& story, std::vector<FacetItem>& items) {
    story = {};
    items.clear();
    if (slot.empty()) return false;
    std::size_t at = 1;
    if (slot[0] == kWithStory) {
        if (slot.size() < 1 + kStoryBytes) return false;
        story = slot.substr(1, kStoryBytes);
        at += kStoryBytes;
    } else if (slot[0] != kWithoutStory) {
        return false;
    }
    while (at < slot.size()) {
        if (slot.size() - at < 2) break;
        char code = slot[at];
        std::size_t count = static_cast<unsigned char>(slot[at + 1]);
        if (facet_dimension(code).empty() || slot.size() - at - 2 < count * kKeyBytes) break;
        at += 2;
        for (std::size_t i = 0; i < count; ++i, at += kKeyBytes) items.push_back({code, slot.substr(at, kKeyBytes)});
    }
    if (at != slot.size()) {
        story = {};
        items.clear();
        return false;
    }
    return true;
}

}  // namespace warsearch
