#include "warsearch/facet_values.h"

namespace warsearch {
namespace {

void append_clean(std::string& out, std::string_view s) {
    for (char c : s)
        if (c != '\x1e' && c != '\x1f' && c != '\n') out += c;
}

}  // namespace

std::string encode_facet_slot(const std::string& story, const std::vector<FacetValue>& values) {
    std::string out;
    append_clean(out, story);
    out += '\x1f';
    bool first = true;
    for (const auto& v : values) {
        if (v.key.empty()) continue;
        if (!first) out += '\x1e';
        first = false;
        append_clean(out, v.dimension);
        out += ':';
        append_clean(out, v.key);
    }
    return out;
}

bool decode_facet_slot(std::string_view slot, std::string& story, std::vector<FacetValue>& values) {
    story.clear();
    values.clear();
    std::size_t us = slot.find('\x1f');
    if (us == std::string_view::npos) return false;
    story.assign(slot.substr(0, us));
    std::string_view rest = slot.substr(us + 1);
    while (!rest.empty()) {
        std::size_t rs = rest.find('\x1e');
        std::string_view item = rest.substr(0, rs);
        std::size_t colon = item.find(':');
        if (colon != std::string_view::npos)
            values.push_back({std::string(item.substr(0, colon)), std::string(item.substr(colon + 1))});
        if (rs == std::string_view::npos) break;
        rest.remove_prefix(rs + 1);
    }
    return true;
}

}  // namespace warsearch
