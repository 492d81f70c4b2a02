#include "searcher/ranked_query.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "common/entities/entity_resolver.h"
#include "common/entities/entity_terms.h"
#include "common/entities/entity_tokenizer.h"
#include "common/index/schema.h"

namespace warsearch {
namespace {

// Names and expressions are looked for among this many words at most.
constexpr std::size_t kMaxNameWords = 4;

std::string join(const std::vector<std::string>& words, std::size_t from, std::size_t n) {
    std::string out;
    for (std::size_t i = from; i < from + n; ++i) out += (i > from ? " " : "") + words[i];
    return out;
}

std::vector<std::string> split_words(const std::string& key) {
    std::vector<std::string> out;
    std::string word;
    for (char c : key + " ") {
        if (c != ' ') {
            word += c;
        } else if (!word.empty()) {
            out.push_back(std::move(word));
            word.clear();
        }
    }
    return out;
}

std::string stem_term(const std::string& word, const Xapian::Stem& stemmer) {
    return std::string(schema::kStemPrefix) + stemmer(word);
}

// The entity terms of @a name when the index weighs them (schema 3 and later: the
// collection frequency of a boolean term is 0), with the entities' names.
bool entity_terms_of(const std::string& name, const EntityResolver& resolver, const Xapian::Database& db,
                     std::vector<std::string>& terms, std::string& names) {
    if (!resolver.available()) return false;
    std::string norm = normalise_name(name);
    if (norm.empty()) return false;
    NamedEntities named = resolver.named_entities(norm);
    if (named.faction_ids.empty() && named.place_ids.empty()) return false;
    std::vector<std::string> found;
    Xapian::termcount tagged = 0;
    for (const auto& id : named.faction_ids) found.push_back(faction_term(id));
    for (const auto& id : named.place_ids) found.push_back(place_term(id));
    for (const auto& t : found) tagged += db.get_collection_freq(t);
    if (tagged == 0) return false;
    terms = std::move(found);
    for (const auto& id : named.faction_ids) names += (names.empty() ? "" : ", ") + resolver.name(id);
    for (const auto& id : named.place_ids) names += (names.empty() ? "" : ", ") + resolver.name(id);
    return true;
}

// Short words that are also ordinary words are not taken as a catalog name on their own
// ("is", "us") unless typed in capitals.
bool too_short_for_a_name(const std::string& name) { return name.size() <= 2; }

// The entity terms of a short word typed in capitals: "IS" as written, or "US" as the
// dotted abbreviation "U.S." that catalogs list.
bool capitals_terms_of(const std::string& word, const EntityResolver& resolver, const Xapian::Database& db,
                       std::vector<std::string>& terms, std::string& names) {
    if (entity_terms_of(word, resolver, db, terms, names)) return true;
    std::string dotted;
    for (char ch : word)
        dotted += std::string(1, static_cast<char>(std::toupper(static_cast<unsigned char>(ch)))) + ".";
    return entity_terms_of(dotted, resolver, db, terms, names);
}

}  // namespace

std::vector<std::string> number_forms(const std::string& word) {
    std::vector<std::string> out = {word};
    auto ends = [&](const char* s) {
        std::size_t n = std::char_traits<char>::length(s);
        return word.size() > n && word.compare(word.size() - n, n, s) == 0;
    };
    if (word.size() < 3) return out;
    if (ends("ies"))
        out.push_back(word.substr(0, word.size() - 3) + "y");
    else if (ends("ches") || ends("shes") || ends("sses") || ends("xes"))
        out.push_back(word.substr(0, word.size() - 2));
    else if (ends("ss"))
        out.push_back(word + "es");
    else if (ends("s"))
        out.push_back(word.substr(0, word.size() - 1));
    else if (ends("ch") || ends("sh") || ends("x"))
        out.push_back(word + "es");
    else if (ends("y") && std::string("aeiou").find(word[word.size() - 2]) == std::string::npos)
        out.push_back(word.substr(0, word.size() - 1) + "ies");
    else
        out.push_back(word + "s");
    return out;
}

Xapian::Query expression_query(const std::string& key, const Xapian::Stem& stemmer) {
    std::vector<std::string> words = split_words(key);
    if (words.empty()) return Xapian::Query();
    if (words.size() == 1) return Xapian::Query(stem_term(words[0], stemmer));
    std::vector<Xapian::Query> variants;
    // Sorted, so that "air strike" and "air strikes" give the same query.
    std::vector<std::string> lasts = number_forms(words.back());
    std::sort(lasts.begin(), lasts.end());
    for (const auto& last : lasts) {
        std::vector<Xapian::Query> terms;
        for (std::size_t i = 0; i + 1 < words.size(); ++i) terms.emplace_back(words[i]);
        terms.emplace_back(last);
        variants.emplace_back(Xapian::Query::OP_PHRASE, terms.begin(), terms.end(), terms.size());
    }
    return variants.size() == 1 ? variants[0] : Xapian::Query(Xapian::Query::OP_OR, variants.begin(), variants.end());
}

std::vector<QueryConcept> find_concepts(const std::vector<std::vector<std::string>>& clauses,
                                        const std::vector<bool>& capitals, const EntityResolver& resolver,
                                        const ThesaurusReader& thesaurus, const Xapian::Database& db) {
    std::vector<QueryConcept> out;
    std::size_t longest = std::max<std::size_t>(kMaxNameWords, thesaurus.max_words());
    for (std::size_t i = 0; i < clauses.size();) {
        QueryConcept c;
        std::size_t taken = 0;
        for (std::size_t n = std::min(longest, clauses.size() - i); n >= 1 && !taken; --n) {
            std::vector<std::string> words;
            for (std::size_t k = i; k < i + n; ++k) words.insert(words.end(), clauses[k].begin(), clauses[k].end());
            if (words.size() > longest && n > 1) continue;
            std::string name = join(words, 0, words.size());
            bool short_capitals = n == 1 && too_short_for_a_name(name) && i < capitals.size() && capitals[i];
            bool named = false;
            if (short_capitals)
                named = c.capitals_name = capitals_terms_of(name, resolver, db, c.entity_terms, c.entity_names);
            else if (words.size() <= kMaxNameWords && !too_short_for_a_name(name))
                named = entity_terms_of(name, resolver, db, c.entity_terms, c.entity_names);
            ThesaurusEntry entry;
            bool listed = thesaurus.lookup(name, entry);
            // One clause is a concept anyway; several only when they are a name or an
            // expression.
            if (named || listed || n == 1) {
                taken = n;
                c.typed = name;
                c.words = std::move(words);
                if (listed) {
                    c.same = std::move(entry.same);
                    c.related = std::move(entry.related);
                }
            }
        }
        out.push_back(std::move(c));
        i += taken;
    }
    return out;
}

Xapian::Query concept_query(const QueryConcept& c, const Xapian::Stem& stemmer,
                            std::map<std::string, MatchReason>& reasons) {
    if (c.is_parsed) return c.parsed;
    std::vector<Xapian::Query> alternatives;
    auto explain = [&](const Xapian::Query& q, const char* field, const std::string& origin, const std::string& from) {
        for (auto t = q.get_unique_terms_begin(); t != q.get_unique_terms_end(); ++t)
            reasons.emplace(*t, MatchReason{*t, field, origin, from});
    };
    if (!c.capitals_name) {
        Xapian::Query typed = expression_query(c.typed, stemmer);
        explain(typed, "text", c.words.size() == 1 ? "stem" : "word", c.typed);
        alternatives.push_back(typed);
    }
    std::string named_as = c.typed;
    if (c.capitals_name) {
        for (char& ch : named_as) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        named_as += " (typed in capitals: a name, not the word)";
    }
    for (const auto& t : c.entity_terms) {
        alternatives.emplace_back(t);
        bool faction = t.rfind(schema::kFactionPrefix, 0) == 0 && t.rfind(schema::kFactionAncestorPrefix, 0) != 0;
        explain(alternatives.back(), faction ? "faction" : "location", "alias", named_as + " = " + c.entity_names);
    }
    for (const auto& s : c.same) {
        alternatives.push_back(expression_query(s, stemmer));
        explain(alternatives.back(), "text", "synonym", c.typed + " = " + s);
    }
    for (const auto& r : c.related) {
        alternatives.push_back(expression_query(r, stemmer));
        explain(alternatives.back(), "text", "related", c.typed + " ~ " + r);
    }
    // Spellings that give the same query ("air strike", "air strikes") are searched once:
    // each copy would check the same positions again.
    std::vector<Xapian::Query> distinct;
    std::set<std::string> seen;
    for (auto& q : alternatives)
        if (seen.insert(q.get_description()).second) distinct.push_back(std::move(q));
    if (distinct.size() == 1) return distinct[0];
    return Xapian::Query(Xapian::Query::OP_SYNONYM, distinct.begin(), distinct.end());
}

Xapian::Query ranked_query(const std::vector<QueryConcept>& concepts, const Xapian::Stem& stemmer,
                           const RankingWeights& weights, std::map<std::string, MatchReason>& reasons) {
    std::vector<Xapian::Query> parts;
    for (const auto& c : concepts) parts.push_back(concept_query(c, stemmer, reasons));
    Xapian::Query any = parts.size() == 1 ? parts[0] : Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
    Xapian::Query query = any;
    if (parts.size() > 1 && weights.coordination > 0) {
        Xapian::Query all(Xapian::Query::OP_AND, parts.begin(), parts.end());
        query = Xapian::Query(Xapian::Query::OP_AND_MAYBE, query,
                              Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, all, weights.coordination));
    }
    std::vector<Xapian::Query> exact;
    std::set<std::string> seen;
    for (const auto& c : concepts)
        for (const auto& w : c.capitals_name ? std::vector<std::string>() : c.words)
            if (seen.insert(w).second) {
                exact.emplace_back(w);
                reasons.emplace(w, MatchReason{w, "text", "word", w});
            }
    if (!exact.empty() && weights.exact_forms > 0) {
        Xapian::Query forms =
            exact.size() == 1 ? exact[0] : Xapian::Query(Xapian::Query::OP_OR, exact.begin(), exact.end());
        query = Xapian::Query(Xapian::Query::OP_AND_MAYBE, query,
                              Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, forms, weights.exact_forms));
    }
    return query;
}

}  // namespace warsearch
