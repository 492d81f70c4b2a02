#include "searcher/explain.h"

#include <algorithm>

namespace warsearch {
namespace {

std::string quoted(const std::string& s) { return "\u201c" + s + "\u201d"; }

// "typed = alternate" (how alias and entity reasons record what they stand for).
std::pair<std::string, std::string> split_equals(const std::string& from) {
    std::size_t eq = from.find(" = ");
    if (eq == std::string::npos) return {from, ""};
    return {from.substr(0, eq), from.substr(eq + 3)};
}

std::string where(const MatchReason& r) {
    if (r.field == "title") return " in the title";
    return "";
}

}  // namespace

std::string reason_in_words(const MatchReason& r) {
    auto [typed, meant] = split_equals(r.from);
    if (r.origin == "word") return "the word " + quoted(r.from) + where(r);
    if (r.origin == "stem") return "a form of " + quoted(r.from) + where(r);
    if (r.origin == "wildcard") return quoted(r.from) + ", from a wildcard" + where(r);
    if (r.origin == "like") return "a significant word of the report it is like";
    if (r.origin == "alias") {
        if (meant.empty()) return "another name for " + quoted(typed);
        if (r.field == "faction" || r.field == "location")
            return "mentions " + meant + " (you typed " + quoted(typed) + ")";
        return quoted(meant) + ", another name for " + quoted(typed);
    }
    if (r.origin == "entity") return "mentions " + typed + (r.field == "location" ? " or a place inside it" : "");
    if (r.origin == "hierarchy") return "inside " + (meant.empty() ? typed : meant);
    if (r.origin == "filter") return "a filter you chose";
    if (r.origin == "related") {
        std::size_t tilde = r.from.find(" ~ ");
        if (tilde != std::string::npos)
            return quoted(r.from.substr(tilde + 3)) + ", related to " + quoted(r.from.substr(0, tilde));
    }
    return quoted(r.from.empty() ? r.term : r.from) + " (" + r.origin + ")";
}

std::vector<std::string> reasons_in_words(const std::vector<MatchReason>& reasons) {
    std::vector<std::string> out;
    for (const auto& r : reasons) {
        if (r.origin == "stem" && std::any_of(reasons.begin(), reasons.end(), [&](const MatchReason& w) {
                return w.origin == "word" && w.from == r.from && w.field == r.field;
            }))
            continue;
        std::string words = reason_in_words(r);
        if (std::find(out.begin(), out.end(), words) == out.end()) out.push_back(std::move(words));
    }
    return out;
}

}  // namespace warsearch
