#include "searcher/suggestion.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

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

// A plain word of the query: the token as typed and where it sits in the query.
struct QueryWord {
    std::size_t token;     ///< index into the query's tokens
    std::string folded;    ///< folded, lower case, trailing punctuation dropped
    bool suspect = false;  ///< unknown or rare, so worth correcting
    std::vector<SpellingCandidate> candidates;
    std::string choice;  ///< the correction chosen, "" for none
};

bool is_plain_word(const std::string& token) {
    if (is_operator(token) || token.find(':') != std::string::npos || token.find('*') != std::string::npos)
        return false;
    for (unsigned char t : token)
        if (std::isdigit(t)) return false;
    return true;
}

// The query cut into tokens (words, field filters, operators) and the text between them.
std::vector<std::string> split_tokens(const std::string& query) {
    std::vector<std::string> tokens;
    std::size_t i = 0, n = query.size();
    auto is_break = [](char c) {
        return std::isspace(static_cast<unsigned char>(c)) || c == '"' || c == '(' || c == ')';
    };
    while (i < n) {
        std::size_t j = i;
        if (is_break(query[i]) || query[i] == '+' || query[i] == '-') {
            while (j < n && (is_break(query[j]) || ((query[j] == '+' || query[j] == '-') && j == i))) ++j;
        } else {
            while (j < n && !is_break(query[j])) ++j;
        }
        tokens.push_back(query.substr(i, j - i));
        i = j;
    }
    return tokens;
}

// Costs of the choice, in natural-log units of evidence: a correction must be this much
// likelier per edit it makes, and per typed letter it drops.
constexpr double kEditCost = 3.4;  // ln 30
constexpr double kDropCost = 1.5;
// Evidence given to a candidate never seen in that context: absent is not impossible.
constexpr double kUnseen = 0.1;
constexpr double kNameBonus = 1.6;  // ln 5: catalog names are what people search for
// A word the index knows is corrected only to a word at one edit this many times as frequent.
constexpr unsigned long kKnownWordRatio = 20;
// Words in at most this many documents are checked for a likelier spelling.
constexpr Xapian::doccount kRareDocuments = 3;
// Candidates whose co-occurrence with the rest of the query is counted.
constexpr std::size_t kContextCandidates = 8;

// One query's correction: its words, the candidates of the suspect ones, the choice.
class Corrector {
  public:
    Corrector(const Xapian::Database& db, const EntityResolver& resolver, const QueryBuilder& builder,
              SpellingIndex& spelling)
        : db_(db), resolver_(resolver), builder_(builder), spelling_(spelling), enquire_(db) {}

    std::string correct(const std::string& query) {
        tokens_ = split_tokens(query);
        collect_words();
        if (!find_candidates()) return {};
        for (QueryWord& w : words_)
            if (w.suspect) choose_alone(w);
        for (std::size_t k = 0; k < words_.size(); ++k)
            if (words_[k].suspect) choose_in_context(k);
        return rebuilt();
    }

  private:
    void collect_words() {
        for (std::size_t t = 0; t < tokens_.size(); ++t) {
            const std::string& token = tokens_[t];
            unsigned char lead = token.empty() ? 0 : static_cast<unsigned char>(token[0]);
            if (lead == 0 || (lead < 0x80 && !std::isalpha(lead)) || !is_plain_word(token)) continue;
            QueryWord w{t, Xapian::Unicode::tolower(fold_for_matching(token))};
            // Trailing punctuation ("daryaa,") is not part of the word.
            while (!w.folded.empty() && std::ispunct(static_cast<unsigned char>(w.folded.back())) &&
                   w.folded.back() != '\'')
                w.folded.pop_back();
            words_.push_back(std::move(w));
        }
    }

    // The candidates of each rare word; false when no word has any.
    bool find_candidates() {
        bool any = false;
        for (QueryWord& w : words_) {
            if (w.folded.size() < 3 || is_entity_name(resolver_, w.folded)) continue;
            if (db_.get_termfreq(builder_.stem_term(w.folded)) > kRareDocuments) continue;
            unsigned long typed = spelling_.frequency(w.folded);
            for (auto& c : spelling_.candidates(w.folded)) {
                // Never a rarer word than the one typed; a known word only for a much commoner one.
                if (c.freq == 0 || c.freq <= typed) continue;
                if (typed > 0 && (c.distance > 1 || c.freq < kKnownWordRatio * typed)) continue;
                w.candidates.push_back(std::move(c));
            }
            w.suspect = !w.candidates.empty();
            any = any || w.suspect;
        }
        return any;
    }

    double score(const SpellingCandidate& c, double evidence) const {
        double s = std::log(evidence + kUnseen) - kEditCost * c.distance - kDropCost * c.dropped;
        if (is_entity_name(resolver_, c.word)) s += kNameBonus;
        return s;
    }

    // By how many documents hold each candidate; keeps the best few for the context pass.
    void choose_alone(QueryWord& w) {
        std::vector<std::pair<double, std::size_t>> ranked;
        for (std::size_t i = 0; i < w.candidates.size(); ++i)
            ranked.emplace_back(score(w.candidates[i], db_.get_termfreq(builder_.stem_term(w.candidates[i].word))), i);
        std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
        std::vector<SpellingCandidate> best;
        for (std::size_t i = 0; i < ranked.size() && i < kContextCandidates; ++i)
            best.push_back(w.candidates[ranked[i].second]);
        w.candidates = std::move(best);
        w.choice = w.candidates.front().word;
    }

    // With the rest of the query: "barell bombs" is "barrel bombs", which many reports
    // write, not the commoner word "barely" at one edit.  The best evidence is the
    // candidate beside its neighbours as typed, then with the other words anywhere.
    void choose_in_context(std::size_t k) {
        QueryWord& w = words_[k];
        std::vector<double> beside(w.candidates.size(), 0), together(w.candidates.size(), 0);
        std::vector<Xapian::Query> context;
        for (const QueryWord& other : words_)
            if (&other != &w && other.folded.size() >= 3 && db_.get_termfreq(builder_.stem_term(form(other))) > 0)
                context.emplace_back(builder_.stem_term(form(other)));
        for (std::size_t i = 0; i < w.candidates.size(); ++i) {
            const std::string& c = w.candidates[i].word;
            if (k > 0 && words_[k - 1].token + 2 == w.token) beside[i] += phrase_count(form(words_[k - 1]), c);
            if (k + 1 < words_.size() && words_[k + 1].token == w.token + 2)
                beside[i] += phrase_count(c, form(words_[k + 1]));
            if (!context.empty()) {
                std::vector<Xapian::Query> all = context;
                all.emplace_back(builder_.stem_term(c));
                together[i] = count(Xapian::Query(Xapian::Query::OP_AND, all.begin(), all.end()));
            }
        }
        const std::vector<double>* evidence = nullptr;
        if (*std::max_element(beside.begin(), beside.end()) > 0)
            evidence = &beside;
        else if (*std::max_element(together.begin(), together.end()) > 0)
            evidence = &together;
        if (!evidence) return;
        double best = 0;
        for (std::size_t i = 0; i < w.candidates.size(); ++i) {
            double s = score(w.candidates[i], (*evidence)[i]);
            if (i == 0 || s > best) {
                best = s;
                w.choice = w.candidates[i].word;
            }
        }
    }

    double count(const Xapian::Query& q) {
        enquire_.set_query(q);
        return static_cast<double>(enquire_.get_mset(0, 0, 100).get_matches_estimated());
    }

    double phrase_count(const std::string& first, const std::string& second) {
        Xapian::Query pair[] = {Xapian::Query(builder_.word_term(first)), Xapian::Query(builder_.word_term(second))};
        return count(Xapian::Query(Xapian::Query::OP_PHRASE, pair, pair + 2, 2));
    }

    static const std::string& form(const QueryWord& w) { return w.suspect ? w.choice : w.folded; }

    std::string rebuilt() const {
        std::string out;
        std::size_t next = 0;
        for (const QueryWord& w : words_) {
            for (; next < w.token; ++next) out += tokens_[next];
            out += w.suspect ? canonical_name(resolver_, w.choice) : tokens_[w.token];
            ++next;
        }
        for (; next < tokens_.size(); ++next) out += tokens_[next];
        return out;
    }

    const Xapian::Database& db_;
    const EntityResolver& resolver_;
    const QueryBuilder& builder_;
    SpellingIndex& spelling_;
    Xapian::Enquire enquire_;
    std::vector<std::string> tokens_;
    std::vector<QueryWord> words_;
};

}  // namespace

std::string suggest_query(const Xapian::Database& db, const EntityResolver& resolver, const QueryBuilder& builder,
                          const std::string& query, SpellingIndex* spelling) {
    std::optional<SpellingIndex> own;
    if (!spelling) spelling = &own.emplace(db);
    return Corrector(db, resolver, builder, *spelling).correct(query);
}

}  // namespace warsearch
