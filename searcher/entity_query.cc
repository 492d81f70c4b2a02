#include "searcher/entity_query.h"

#include <set>
#include <vector>

#include "common/entities/entity_terms.h"
#include "common/entities/entity_tokenizer.h"
#include "common/text/text.h"

namespace warsearch {

namespace {

// The ancestor term (XFP/XLP/XOP) of entity @a id in @a field.
std::string field_term(EntityField field, const std::string& id) {
    switch (field) {
        case EntityField::faction:
            return faction_ancestor_term(id);
        case EntityField::location:
            return place_ancestor_term(id);
        case EntityField::organisation:
            break;
    }
    return organisation_ancestor_term(id);
}

}  // namespace

Xapian::Query EntityFieldProcessor::operator()(const std::string& typed) {
    const char* what = field_ == EntityField::faction    ? "faction"
                       : field_ == EntityField::location ? "location"
                                                         : "organisation";
    // "faction:=HTS" asks for the one name only; "faction:HTS" follows its renamings.
    bool exact = !typed.empty() && typed[0] == '=';
    const std::string value = exact ? typed.substr(1) : typed;
    auto fail = [&](const std::string& msg) {
        if (!deferred_) throw QueryError(msg);
        if (deferred_->empty()) *deferred_ = msg;
        return Xapian::Query::MatchNothing;
    };
    if (!resolver_.available()) return fail(std::string("this index has no catalog, so ") + what + ": cannot be used");
    EntityResolution res = resolver_.resolve(field_, value);
    if (res.ids.empty()) {
        std::string msg = std::string("unknown ") + what + " '" + value + "'";
        if (!res.suggestions.empty()) {
            msg += "; did you mean ";
            for (std::size_t i = 0; i < res.suggestions.size(); ++i)
                msg += (i ? ", " : "") + std::string("'") + res.suggestions[i] + "'";
            msg += "?";
        }
        return fail(msg);
    }
    std::vector<Xapian::Query> parts;
    for (const auto& id : res.ids) {
        std::string term = field_term(field_, id);
        parts.emplace_back(term);
        reasons_[term] = MatchReason{term, what, "entity", value + " = " + id};
        if (exact || field_ != EntityField::faction) continue;
        for (const auto& linked : resolver_.lineage(id)) {
            std::string lt = field_term(field_, linked);
            parts.emplace_back(lt);
            reasons_.emplace(lt, MatchReason{lt, what, "lineage",
                                             value + " = " + id + ", renamed from or to " + linked +
                                                 " (faction:=" + value + " for this name only)"});
        }
    }
    return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
}

namespace {

struct Token {
    std::size_t begin, end;
    bool bare;  // a plain word that may be part of an entity name
};

bool is_operator(std::string_view w) {
    return w == "AND" || w == "OR" || w == "NOT" || w == "XOR" || w == "NEAR" || w == "ADJ";
}

// Splits the query at white space and quotes, marking which tokens are plain words
// outside phrases, not fields, not +/- prefixed, not wildcards, not next to NEAR/ADJ.
std::vector<Token> scan(const std::string& q) {
    std::vector<Token> out;
    std::size_t i = 0, n = q.size();
    bool in_phrase = false;
    while (i < n) {
        char c = q[i];
        if (c == '"') {
            in_phrase = !in_phrase;
            ++i;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '(' || c == ')') {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < n && q[j] != ' ' && q[j] != '\t' && q[j] != '"' && q[j] != '(' && q[j] != ')') ++j;
        std::string_view w(q.data() + i, j - i);
        bool bare = !in_phrase && w.find(':') == std::string_view::npos && w.find('*') == std::string_view::npos &&
                    w[0] != '+' && w[0] != '-' && !is_operator(w);
        // A field value in quotes (title:"...") starts a phrase right after the colon.
        if (j < n && q[j] == '"' && w.back() == ':') bare = false;
        out.push_back({i, j, bare});
        i = j;
    }
    for (std::size_t k = 0; k < out.size(); ++k) {
        std::string_view w(q.data() + out[k].begin, out[k].end - out[k].begin);
        if (w == "NEAR" || w == "ADJ" || w.rfind("NEAR/", 0) == 0 || w.rfind("ADJ/", 0) == 0) {
            if (k > 0) out[k - 1].bare = false;
            if (k + 1 < out.size()) out[k + 1].bare = false;
        }
    }
    return out;
}

// An alternate spelling as query text: one word bare, several as a phrase.  Characters
// that are query syntax are dropped.
std::string as_query_text(const std::string& alias) {
    std::string clean;
    for (char c : alias) clean += (c == '"' || c == '(' || c == ')' || c == ':' || c == '*' || c == '+') ? ' ' : c;
    clean = squeeze_space(clean);
    if (clean.empty()) return clean;
    return clean.find(' ') == std::string::npos && clean.find('-') == std::string::npos ? clean : "\"" + clean + "\"";
}

// The stems of the words of @a lower (lower-cased, folded text), as the index has them.
std::vector<std::string> stems_of(const std::string& lower, const Xapian::Stem& stemmer) {
    std::vector<std::string> out;
    std::string word;
    for (Xapian::Utf8Iterator it(lower), e;; ++it) {
        if (it != e && Xapian::Unicode::is_wordchar(*it)) {
            Xapian::Unicode::append_utf8(word, *it);
            continue;
        }
        if (!word.empty()) {
            out.push_back(stemmer(word));
            word.clear();
        }
        if (it == e) break;
    }
    return out;
}

}  // namespace

Xapian::Query AliasGroupProcessor::operator()(const std::string& value) {
    std::size_t n = 0;
    for (char c : value) {
        if (c < '0' || c > '9' || n > groups_.size()) return Xapian::Query::MatchNothing;
        n = n * 10 + static_cast<std::size_t>(c - '0');
    }
    if (value.empty() || n >= groups_.size()) return Xapian::Query::MatchNothing;
    return groups_[n];
}

namespace {

constexpr std::size_t kMaxNameWords = 4, kMaxAlternates = 12;

// The longest run of bare tokens from @a k (up to kMaxNameWords) that names an entity:
// its length (0 for none) and what it names.
std::size_t named_run(const std::string& q, const std::vector<Token>& tokens, std::size_t k,
                      const EntityResolver& resolver, NamedEntities& named) {
    for (std::size_t len = kMaxNameWords; len >= 1; --len) {
        if (k + len > tokens.size()) continue;
        bool all_bare = true;
        for (std::size_t m = k; m < k + len; ++m) all_bare = all_bare && tokens[m].bare;
        if (!all_bare) continue;
        std::string norm = normalise_name(q.substr(tokens[k].begin, tokens[k + len - 1].end - tokens[k].begin));
        if (norm.empty()) continue;
        named = resolver.named_entities(norm);
        if (!named.aliases.empty()) return len;
    }
    return 0;
}

// A longer alternate that contains a one-word name of the same entity ("Darayya town"
// vs "Darayya") matches nothing more, and its extra words would only add noise.
class RedundantAlternates {
  public:
    RedundantAlternates(const std::string& typed, const std::vector<std::string>& alternates) {
        single_words_.insert(normalise_name(typed));
        for (const auto& alt : alternates) {
            std::string norm = normalise_name(alt);
            if (norm.find(' ') == std::string::npos) single_words_.insert(norm);
        }
    }
    bool operator()(const std::string& alt) const {
        std::string norm = normalise_name(alt);
        if (norm.find(' ') == std::string::npos) return false;
        std::string word;
        for (char ch : norm + " ") {
            if (ch != ' ') {
                word += ch;
                continue;
            }
            if (single_words_.count(word)) return true;
            word.clear();
        }
        return false;
    }

  private:
    std::set<std::string> single_words_;
};

// The alternates of @a typed as query text ("a OR \"b c\""), with the stems of each
// added to @a phrases and their reasons; "" when none is worth adding.
std::string alternates_text(const std::string& typed, const NamedEntities& named, const Xapian::Stem& stemmer,
                            std::vector<std::vector<std::string>>& phrases,
                            std::map<std::string, MatchReason>& reasons) {
    std::set<std::string> seen = {Xapian::Unicode::tolower(typed)};
    RedundantAlternates redundant(typed, named.aliases);
    std::string text_out;
    std::size_t added = 0;
    for (const auto& alt : named.aliases) {
        if (redundant(alt)) continue;
        std::string text = as_query_text(fold_for_matching(alt));
        std::string lower = Xapian::Unicode::tolower(text);
        // Short acronyms that are also words ("IS") would match everything.
        std::string bare_lower = lower;
        if (!bare_lower.empty() && bare_lower.front() == '"') bare_lower = bare_lower.substr(1, bare_lower.size() - 2);
        if (bare_lower.size() <= 2 || bare_lower == "is" || bare_lower == "us" || bare_lower == "the") continue;
        if (text.empty() || !seen.insert(lower).second) continue;
        if (++added > kMaxAlternates) break;
        text_out += (text_out.empty() ? "" : " OR ") + text;
        // Each word of the alternate, as the index stores it, explains a match.
        std::vector<std::string> stems = stems_of(bare_lower, stemmer);
        for (const auto& stem : stems) reasons.emplace(stem, MatchReason{stem, "text", "alias", typed + " = " + alt});
        phrases.push_back(std::move(stems));
    }
    return text_out;
}

}  // namespace

AliasExpansion expand_entity_aliases(const std::string& q, const EntityResolver& resolver, const Xapian::Database& db,
                                     const Xapian::Stem& stemmer, std::map<std::string, MatchReason>& reasons) {
    AliasExpansion result;
    if (!resolver.available()) {
        result.text = result.inline_text = q;
        return result;
    }
    std::vector<Token> tokens = scan(q);
    std::string& out = result.text;
    std::string& inline_out = result.inline_text;
    std::size_t copied = 0;
    for (std::size_t k = 0; k < tokens.size();) {
        NamedEntities named;
        std::size_t best = tokens[k].bare ? named_run(q, tokens, k, resolver, named) : 0;
        if (!best) {
            ++k;
            continue;
        }
        std::size_t begin = tokens[k].begin, end = tokens[k + best - 1].end;
        std::string typed = q.substr(begin, end - begin);
        std::string typed_text = best > 1 ? "\"" + typed + "\"" : typed;
        std::vector<std::vector<std::string>> phrases = {stems_of(Xapian::Unicode::tolower(typed), stemmer)};
        std::string alternates = alternates_text(typed, named, stemmer, phrases, reasons);
        if (alternates.empty()) {
            k += best;
            continue;
        }
        std::string group_text = "(" + typed_text + " OR " + alternates + ")";
        for (const auto& generic : named.generic_terms) {
            std::vector<std::string> stems = stems_of(Xapian::Unicode::tolower(fold_for_matching(generic)), stemmer);
            if (!stems.empty()) phrases.push_back(std::move(stems));
        }
        // The entity terms, where the index has them weighted (schema 3, extraction on;
        // in older indexes they are boolean: collection frequency 0).
        std::vector<std::string> terms;
        Xapian::termcount tagged = 0;
        for (const auto& id : named.faction_ids) terms.push_back(faction_term(id));
        for (const auto& id : named.place_ids) terms.push_back(place_term(id));
        for (const auto& id : named.organisation_ids) terms.push_back(organisation_term(id));
        for (const auto& t : terms) tagged += db.get_collection_freq(t);
        std::string before = q.substr(copied, begin - copied);
        out += before;
        inline_out += before;
        inline_out += group_text;
        if (tagged == 0) {
            out += group_text;
        } else {
            out += "(" + typed_text + " OR " + kAliasGroupField + ":" + std::to_string(result.groups.size()) + ")";
            auto explained = [&](const std::string& id) {
                std::string name = resolver.name(id);
                return typed + " = " + (name.empty() ? id : name);
            };
            for (const auto& id : named.faction_ids)
                reasons.emplace(faction_term(id), MatchReason{faction_term(id), "faction", "alias", explained(id)});
            for (const auto& id : named.place_ids)
                reasons.emplace(place_term(id), MatchReason{place_term(id), "location", "alias", explained(id)});
            for (const auto& id : named.organisation_ids)
                reasons.emplace(organisation_term(id),
                                MatchReason{organisation_term(id), "organisation", "alias", explained(id)});
            result.groups.push_back(AliasGroup{std::move(terms), std::move(phrases)});
        }
        copied = end;
        k += best;
    }
    out += q.substr(copied);
    inline_out += q.substr(copied);
    return result;
}

}  // namespace warsearch
