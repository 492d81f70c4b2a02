#include "searcher/suggestion.h"

#include <optional>

#include "common/index/spelling.h"
#include "common/text/text.h"

namespace warsearch {
namespace {

bool is_operator(const std::string& w) {
    return w == "AND" || w == "OR" || w == "NOT" || w == "XOR" || w == "NEAR" || w == "ADJ";
}

// The canonical one-word name when @a word is an alias of exactly one entity.
std::string canonical_name(const EntityResolver& resolver, const std::string& word) {
    if (!resolver.available()) return word;
    for (EntityField field : {EntityField::location, EntityField::faction, EntityField::organisation}) {
        EntityResolution res = resolver.resolve(field, word, 0);
        if (res.ids.size() != 1) continue;
        auto info = resolver.entity(res.ids[0]);
        if (!info) continue;
        std::string name = Xapian::Unicode::tolower(fold_for_matching(info->name));
        if (name.find_first_of(" -'") == std::string::npos) return name;
    }
    return word;
}

// True when the catalog knows @a word as a one-word name of a place or faction: a query
// that writes it finds that entity's reports through its term (EntityQuery), whatever
// spelling the text uses, so it is not a misspelling.  ("darayya" is no text word of the
// 100k benchmark index, whose reports write "Daraya": it was "corrected" to itself.)
bool is_entity_name(const EntityResolver& resolver, const std::string& word) {
    if (!resolver.available()) return false;
    for (EntityField field : {EntityField::location, EntityField::faction, EntityField::organisation})
        if (!resolver.resolve(field, word, 0).ids.empty()) return true;
    return false;
}

}  // namespace

std::string suggest_query(const Xapian::Database& db, const EntityResolver& resolver, const Xapian::Stem& stemmer,
                          const std::string& query, SpellingIndex* spelling) {
    std::optional<SpellingIndex> own;
    if (!spelling) spelling = &own.emplace(db);
    std::string out;
    bool changed = false;
    std::size_t i = 0, n = query.size();
    while (i < n) {
        unsigned char c = static_cast<unsigned char>(query[i]);
        if (std::isspace(c) || c == '"' || c == '(' || c == ')' || c == '+' || c == '-') {
            out += query[i++];
            continue;
        }
        std::size_t j = i;
        while (j < n && !std::isspace(static_cast<unsigned char>(query[j])) && query[j] != '"' && query[j] != '(' &&
               query[j] != ')')
            ++j;
        std::string token = query.substr(i, j - i);
        i = j;
        bool plain =
            !is_operator(token) && token.find(':') == std::string::npos && token.find('*') == std::string::npos;
        for (unsigned char t : token)
            if (std::isdigit(t)) plain = false;
        if (!plain) {
            out += token;
            continue;
        }
        std::string word = Xapian::Unicode::tolower(fold_for_matching(token));
        // Trailing punctuation ("daryaa,") is not part of the word.
        while (!word.empty() && std::ispunct(static_cast<unsigned char>(word.back())) && word.back() != '\'')
            word.pop_back();
        if (word.size() < 3 || db.get_termfreq(stemmer(word)) > 0 || is_entity_name(resolver, word)) {
            out += token;
            continue;
        }
        std::string better = spelling->suggest(word);
        if (better.empty()) {
            out += token;
        } else {
            out += canonical_name(resolver, better);
            changed = true;
        }
    }
    return changed ? out : std::string();
}

}  // namespace warsearch
