#include "common/entities/entity_extractor.h"

#include <algorithm>
#include <map>
#include <set>

#include "common/text/text.h"

namespace warsearch {

namespace {

std::uint64_t edge_key(std::uint32_t parent, std::uint64_t token_hash) {
    return token_hash ^ ((static_cast<std::uint64_t>(parent) + 1) * 0x9E3779B97F4A7C15ULL);
}

bool contains(std::initializer_list<std::string_view> words, std::string_view w) {
    for (auto x : words)
        if (x == w) return true;
    return false;
}

// Words after a name that make it an administrative unit: "Idlib province".
bool is_admin_word(std::string_view w) {
    return contains({"province", "provinces", "governorate", "governorates", "governate", "muhafazah", "muhafaza",
                     "oblast", "countryside", "region"},
                    w);
}
// Words after a name that make it a settlement: "Homs city".
bool is_settlement_word(std::string_view w) {
    return contains({"city", "town", "village", "neighbourhood", "neighborhood", "suburb", "district"}, w);
}
// Words after a name that show it is a place at all: "the Raqqa offensive".
bool is_place_cue_after(std::string_view w) {
    return is_admin_word(w) || is_settlement_word(w) ||
           contains({"offensive", "front",   "frontline", "outskirts",   "suburbs",   "area",     "areas",
                     "airport",   "airbase", "base",      "border",      "crossing",  "battle",   "camp",
                     "dam",       "highway", "road",      "countryside", "residents", "hospital", "prison"},
                    w);
}
// Capitalised words after a place's name that keep it a place ("New York State", "Sutton
// County", "the Jordan Valley"), unlike a surname or a company's ("David James").
bool continues_place_name(std::string_view w) {
    return contains({"state",  "county",  "department", "municipality", "valley",    "river",     "coast",
                     "island", "islands", "bay",        "lake",         "peninsula", "mountains", "desert",
                     "plain",  "plains",  "basin",      "delta",        "strait",    "gulf",      "sea"},
                    w);
}
// Days and months, capitalised in English after a place: "in Tripoli Monday".
bool is_date_word(std::string_view w) {
    return contains({"monday",   "tuesday",  "wednesday", "thursday", "friday", "saturday", "sunday", "january",
                     "february", "march",    "april",     "may",      "june",   "july",     "august", "september",
                     "october",  "november", "december",  "jan",      "feb",    "mar",      "apr",    "jun",
                     "jul",      "aug",      "sep",       "sept",     "oct",    "nov",      "dec"},
                    w);
}
// Words before a name that show it is a place: "in Tell", "near Bab".
bool is_place_cue_before(std::string_view w) {
    return contains(
        {"in",      "near",   "outside",      "around",       "toward",       "towards",     "into",    "at",
         "across",  "inside", "from",         "besieged",     "northern",     "southern",    "eastern", "western",
         "central", "rural",  "northeastern", "northwestern", "southeastern", "southwestern"},
        w);
}

// Verbs of saying and stance: "Damascus denied ..." names a government, not a place.
bool is_speech_verb(std::string_view w) {
    return contains(
        {"said",       "says",       "say",       "denied",   "denies", "deny",   "accused",  "accuses",   "claimed",
         "claims",     "insisted",   "insists",   "warned",   "warns",  "blamed", "blames",   "announced", "announces",
         "rejected",   "rejects",    "condemned", "condemns", "vowed",  "vows",   "demanded", "demands",   "responded",
         "retaliated", "threatened", "threatens", "urged",    "urges",  "stated", "declared"},
        w);
}
// Words after a place name that make it stand for its government: "the Damascus regime".
bool is_government_word(std::string_view w) { return contains({"regime", "government", "administration"}, w); }

bool is_admin_type(std::string_view t) { return t == "admin1" || t == "admin2" || t == "admin3" || t == "region"; }
bool is_settlement_type(std::string_view t) {
    return t == "city" || t == "town" || t == "village" || t == "neighbourhood";
}

bool has_upper_ascii(std::string_view s) {
    for (char c : s)
        if (c >= 'A' && c <= 'Z') return true;
    // Non-ASCII capitals (É, Д) also make a name "capitalised".
    std::vector<EntityToken> t;
    tokenize_for_entities(s, t);
    for (const auto& tok : t)
        if (tok.capitalised) return true;
    return false;
}

}  // namespace

struct EntityExtractor::RawMatch {
    int segment;
    std::uint32_t first, last;  // token indices, inclusive
    std::vector<AliasEntry> entries;
};

EntityExtractor::EntityExtractor(const Catalog& catalog, ExtractorOptions options)
    : catalog_(catalog), options_(options) {
    nodes_.emplace_back();  // root
    edges_.resize(1024);
    const auto& ents = catalog_.entities();
    std::unordered_map<std::string, std::uint32_t> index_of;
    for (std::uint32_t i = 0; i < ents.size(); ++i) index_of.emplace(ents[i].id, i);
    ancestor_ids_.resize(ents.size());
    for (std::uint32_t i = 0; i < ents.size(); ++i) {
        const Entity& e = ents[i];
        // An alias listed in case_sensitive matches only in exactly that case: registered
        // only as such (registered as an ordinary alias too, "IS" matched the "IS" of
        // all-capitals wire copy and a sentence's "Is").
        auto exact_only = [&](const std::string& a) {
            return std::find(e.case_sensitive.begin(), e.case_sensitive.end(), a) != e.case_sensitive.end();
        };
        if (!exact_only(e.name)) add_name(i, e.name, false, false);
        for (const auto& a : e.aliases)
            if (!exact_only(a)) add_name(i, a, false, false);
        for (const auto& a : e.case_sensitive) add_name(i, a, true, false);
        for (const auto& a : e.generic_terms) add_name(i, a, false, true);
        for (const Entity* a : catalog_.ancestors(e.id)) ancestor_ids_[i].push_back(index_of.at(a->id));
    }
}

void EntityExtractor::add_name(std::uint32_t entity, const std::string& name, bool case_sensitive, bool generic) {
    std::vector<EntityToken> tokens;
    tokenize_for_entities(name, tokens);
    if (tokens.empty()) return;
    std::uint32_t node = 0;
    for (const auto& t : tokens) {
        std::uint32_t next = child(node, t.norm);
        if (next == 0) {
            next = static_cast<std::uint32_t>(nodes_.size());
            nodes_.push_back(Node{t.norm, {}});
            insert_edge(edge_key(node, hash64(t.norm)), next);
        }
        node = next;
    }
    AliasEntry entry{entity};
    entry.generic = generic;
    entry.uncurated = catalog_.entities()[entity].origin == "iso-codes";
    // One token of two or three letters, written without a lower-case letter ("MIT", and
    // "MİT", whose dotted İ folds to "mit").
    entry.short_acronym =
        tokens.size() == 1 && tokens[0].norm.size() >= 2 && tokens[0].norm.size() <= 3 &&
        std::all_of(tokens[0].norm.begin(), tokens[0].norm.end(), [](char ch) { return ch >= 'a' && ch <= 'z'; }) &&
        std::none_of(name.begin(), name.end(), [](char ch) { return ch >= 'a' && ch <= 'z'; });
    if (case_sensitive) {
        std::vector<std::string> surface;
        for (const auto& t : tokens) surface.emplace_back(name.substr(t.begin, t.end - t.begin));
        entry.exact_surface = static_cast<std::int32_t>(exact_surfaces_.size());
        exact_surfaces_.push_back(std::move(surface));
    } else {
        entry.needs_capital = options_.require_capitals && has_upper_ascii(name);
    }
    for (const auto& e : nodes_[node].entries)
        if (e.entity == entity && e.exact_surface < 0 && entry.exact_surface < 0 && e.generic == generic) {
            return;  // same name twice (e.g. "Daraya" and "Darayya " after folding)
        }
    nodes_[node].entries.push_back(entry);
    ++name_count_;
}

void EntityExtractor::insert_edge(std::uint64_t key, std::uint32_t node) {
    if ((edge_count_ + 1) * 2 > edges_.size()) {  // keep the load under one half
        std::vector<Edge> old(edges_.size() * 2);
        old.swap(edges_);
        edge_count_ = 0;
        for (const auto& e : old)
            if (e.node) insert_edge(e.key, e.node);
    }
    std::size_t mask = edges_.size() - 1;
    for (std::size_t i = key & mask;; i = (i + 1) & mask)
        if (!edges_[i].node) {
            edges_[i] = Edge{key, node};
            ++edge_count_;
            return;
        }
}

std::uint32_t EntityExtractor::child(std::uint32_t node, std::string_view token) const {
    return child(node, token, hash64(token));
}

std::uint32_t EntityExtractor::child(std::uint32_t node, std::string_view token, std::uint64_t token_hash) const {
    std::uint64_t key = edge_key(node, token_hash);
    std::size_t mask = edges_.size() - 1;
    for (std::size_t i = key & mask; edges_[i].node; i = (i + 1) & mask)
        if (edges_[i].key == key && nodes_[edges_[i].node].token == token) return edges_[i].node;
    return 0;
}

std::uint32_t EntityExtractor::step(std::uint32_t node, const EntityToken& token, std::uint64_t token_hash) const {
    std::uint32_t next = child(node, token.norm, token_hash);
    if (next || !token.arabic) return next;
    for (const auto& v : arabic_clitic_variants(token.norm))
        if ((next = child(node, v))) return next;
    return 0;
}

void EntityExtractor::match_tokens(std::string_view text, const std::vector<EntityToken>& tokens, bool caseless,
                                   std::vector<RawMatch>& out) const {
    std::vector<AliasEntry> ok;
    const std::size_t n = tokens.size();
    // Each token is hashed once; every trie step reuses it.
    std::vector<std::uint64_t> hashes(n);
    for (std::size_t k = 0; k < n; ++k) hashes[k] = hash64(tokens[k].norm);
    for (std::size_t i = 0; i < n;) {
        std::uint32_t node = 0;
        std::size_t best_last = n;
        std::vector<AliasEntry> best;
        for (std::size_t j = i; j < n; ++j) {
            if (j > i && tokens[j].break_before) break;
            node = step(node, tokens[j], hashes[j]);
            if (!node) break;
            const auto& entries = nodes_[node].entries;
            if (entries.empty()) continue;
            ok.clear();
            bool any_capital = false;
            for (std::size_t k = i; k <= j; ++k)
                if (tokens[k].capitalised || static_cast<unsigned char>(text[tokens[k].begin]) >= 0x80)
                    any_capital = true;
            for (const auto& e : entries) {
                if (e.exact_surface >= 0) {
                    if (caseless) continue;
                    const auto& surface = exact_surfaces_[static_cast<std::size_t>(e.exact_surface)];
                    if (surface.size() != j - i + 1) continue;
                    bool same = true;
                    for (std::size_t k = i; k <= j && same; ++k)
                        same = text.substr(tokens[k].begin, tokens[k].end - tokens[k].begin) == surface[k - i];
                    if (!same) continue;
                } else if (e.needs_capital && !caseless && !any_capital) {
                    continue;
                } else if (caseless && e.uncurated && j == i) {
                    continue;  // "IN NORTHERN BOGOTA": no case to tell a name from a word
                }
                ok.push_back(e);
            }
            if (!ok.empty()) {
                best_last = j;
                best = ok;
            }
        }
        if (best_last == n) {
            ++i;
            continue;
        }
        out.push_back(
            RawMatch{0, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(best_last), std::move(best)});
        i = best_last + 1;
    }
}

Extraction EntityExtractor::extract(std::string_view title, std::string_view body, std::string_view date) const {
    const std::string_view texts[2] = {title, body};
    std::vector<EntityToken> tokens[2];
    bool caseless[2] = {false, false};
    std::vector<RawMatch> matches;

    // All-capitals wire copy has no case to go by; title and body each judged on its own
    // (a MUC title is given sentence case, its body stays in capitals).
    auto all_capitals = [&](std::string_view t) {
        std::size_t upper = 0, lower = 0;
        for (char c : t) {
            upper += (c >= 'A' && c <= 'Z');
            lower += (c >= 'a' && c <= 'z');
        }
        return upper + lower > 0 &&
               static_cast<double>(lower) < options_.caseless_threshold * static_cast<double>(upper + lower);
    };

    for (int s = 0; s < 2; ++s) {
        tokens[s].reserve(texts[s].size() / 5 + 4);
        tokenize_for_entities(texts[s], tokens[s]);
        std::size_t before = matches.size();
        caseless[s] = all_capitals(texts[s]);
        match_tokens(texts[s], tokens[s], caseless[s], matches);
        for (std::size_t k = before; k < matches.size(); ++k) matches[k].segment = s;
    }

    const auto& ents = catalog_.entities();
    auto norm_at = [&](const RawMatch& m, long k) -> std::string_view {
        const auto& toks = tokens[m.segment];
        if (k < 0 || static_cast<std::size_t>(k) >= toks.size()) return {};
        return toks[static_cast<std::size_t>(k)].norm;
    };
    // The word right before/after a match, if no punctuation separates them.
    auto word_before = [&](const RawMatch& m, long back = 1) -> std::string_view {
        const auto& toks = tokens[m.segment];
        for (long k = static_cast<long>(m.first); k > static_cast<long>(m.first) - back; --k)
            if (k < 0 || toks[static_cast<std::size_t>(k)].break_before) return {};
        return norm_at(m, static_cast<long>(m.first) - back);
    };
    auto word_after = [&](const RawMatch& m, std::size_t ahead = 1) -> std::string_view {
        const auto& toks = tokens[m.segment];
        for (std::size_t k = m.last + 1; k <= m.last + ahead; ++k)
            if (k >= toks.size() || toks[k].break_before) return {};
        return toks[m.last + ahead].norm;
    };
    // Metonymy: a capital standing for its government ("the Damascus regime", "Moscow
    // denied", "Damascus has repeatedly denied") is not a place the text is about.
    auto metonymic = [&](const RawMatch& m) {
        std::string_view next = word_after(m);
        if (is_government_word(next)) return true;
        if (!tokens[m.segment][m.first].break_before && !word_before(m).empty() && word_before(m) != "the" &&
            word_before(m) != "and")
            return false;  // "east of Damascus said ...": the subject is elsewhere
        if (is_speech_verb(next)) return true;
        if (next == "has" || next == "have" || next == "had") {
            std::string_view v = word_after(m, 2);
            if (v.size() > 2 && v.substr(v.size() - 2) == "ly") v = word_after(m, 3);
            if (v == "also") v = word_after(m, 3);
            return is_speech_verb(v);
        }
        return false;
    };

    // ---- places ----
    struct PlaceChoice {
        std::vector<std::uint32_t> cands;
        bool cue = false;
        bool admin_pref = false, settlement_pref = false;
        std::int64_t chosen = -1;
    };
    std::vector<PlaceChoice> pc(matches.size());
    std::unordered_map<std::uint32_t, int> support;  // entity -> confirmed places at or under it
    for (std::size_t mi = 0; mi < matches.size(); ++mi) {
        const RawMatch& m = matches[mi];
        PlaceChoice& c = pc[mi];
        for (const auto& e : m.entries)
            if (ents[e.entity].cls == EntityClass::place &&
                std::find(c.cands.begin(), c.cands.end(), e.entity) == c.cands.end())
                c.cands.push_back(e.entity);
        // The iso-codes base layer is for countries the curated catalogs say nothing finer
        // about: a name the curated layer also has is the curated place ("SAN SALVADOR" is
        // El Salvador's capital, not also the island in the Bahamas).
        if (std::any_of(c.cands.begin(), c.cands.end(), [&](std::uint32_t e) { return ents[e].origin != "iso-codes"; }))
            c.cands.erase(std::remove_if(c.cands.begin(), c.cands.end(),
                                         [&](std::uint32_t e) { return ents[e].origin == "iso-codes"; }),
                          c.cands.end());
        if (c.cands.empty()) continue;
        if (metonymic(m)) {
            c.cands.clear();
            continue;
        }
        std::string_view after = word_after(m), before = word_before(m), before2 = word_before(m, 2);
        c.admin_pref = is_admin_word(after) || (before == "of" && is_admin_word(before2));
        c.settlement_pref = is_settlement_word(after) || (before == "of" && is_settlement_word(before2));
        // In running text (a body in mixed case; titles are often in title case), a
        // capitalised word straight after the name makes it part of a longer name: "from
        // David James" is a person, "from Norfolk Southern" a railway, "in West Germany"
        // no Cameroonian region.  Such a name is no cue for an ambiguous place (another
        // place of its region still vouches for it below).
        bool name_goes_on = false;
        if (m.segment == 1 && !caseless[1] && !after.empty()) {
            const EntityToken& next = tokens[1][m.last + 1];
            name_goes_on =
                next.capitalised && !is_place_cue_after(after) && !continues_place_name(after) && !is_date_word(after);
        }
        c.cue = is_place_cue_after(after) || (is_place_cue_before(before) && !name_goes_on) || c.admin_pref ||
                c.settlement_pref;
        auto keep_if = [&](auto pred) {
            std::vector<std::uint32_t> kept;
            for (auto e : c.cands)
                if (pred(ents[e])) kept.push_back(e);
            if (!kept.empty()) c.cands = std::move(kept);
        };
        if (c.admin_pref)
            keep_if([](const Entity& e) { return is_admin_type(e.type); });
        else if (c.settlement_pref)
            keep_if([](const Entity& e) { return is_settlement_type(e.type); });
        if (!c.admin_pref && c.cands.size() > 1) {
            // Homs city over Homs governorate: drop candidates that are ancestors of others.
            std::vector<std::uint32_t> kept;
            for (auto e : c.cands) {
                bool is_ancestor = false;
                for (auto o : c.cands)
                    if (o != e &&
                        std::find(ancestor_ids_[o].begin(), ancestor_ids_[o].end(), e) != ancestor_ids_[o].end())
                        is_ancestor = true;
                if (!is_ancestor) kept.push_back(e);
            }
            c.cands = std::move(kept);
        }
        if (c.cands.size() == 1 && !ents[c.cands[0]].ambiguous) {
            c.chosen = c.cands[0];
            ++support[c.cands[0]];
            for (auto a : ancestor_ids_[c.cands[0]]) ++support[a];
        }
    }
    // The unit an ambiguous place must share with another place to count: its admin1
    // for places below admin1, its country for an admin1, itself for a country.
    auto anchor_of = [&](std::uint32_t e) -> std::uint32_t {
        int rank = place_type_rank(ents[e].type);
        for (auto a : ancestor_ids_[e]) {
            int ar = place_type_rank(ents[a].type);
            if ((rank > 1 && ar == 1) || (rank <= 1 && ar == 0)) return a;
        }
        return ancestor_ids_[e].empty() ? e : ancestor_ids_[e].back();
    };
    for (std::size_t mi = 0; mi < matches.size(); ++mi) {
        PlaceChoice& c = pc[mi];
        if (c.cands.empty() || c.chosen >= 0) continue;
        std::vector<std::uint32_t> kept;
        for (auto e : c.cands) {
            if (!ents[e].ambiguous || c.cue) {
                kept.push_back(e);
                continue;
            }
            // Another confirmed place in the same admin1 (or country) vouches for it.
            auto it = support.find(anchor_of(e));
            if (it != support.end() && it->second > 0) kept.push_back(e);
        }
        if (kept.empty()) continue;
        std::uint32_t best = kept[0];
        int best_score = -1;
        for (auto e : kept) {
            int score = 0;
            for (auto a : ancestor_ids_[e]) {
                auto it = support.find(a);
                if (it == support.end()) continue;
                int rank = place_type_rank(ents[a].type);
                score += (rank == 0 ? 1 : 4 + rank) * std::min(it->second, 3);
            }
            if (score > best_score ||
                (score == best_score && place_type_rank(ents[e].type) < place_type_rank(ents[best].type))) {
                best = e;
                best_score = score;
            }
        }
        c.chosen = best;
    }
    std::map<std::string_view, int> country_mentions;  ///< place mentions per country named
    for (const auto& c : pc) {
        if (c.chosen < 0) continue;
        auto e = static_cast<std::uint32_t>(c.chosen);
        std::string_view country;
        if (ents[e].type == "country") country = ents[e].id;
        for (auto a : ancestor_ids_[e])
            if (ents[a].type == "country") country = ents[a].id;
        if (!country.empty()) ++country_mentions[country];
    }
    // The countries the text is mostly about: a weak cue ("the government", "rebels")
    // needs one of these, not a country named in passing (a report on Ukraine that
    // mentions Syria once is not about the Syrian government).
    int most = 0;
    for (const auto& [country, n] : country_mentions) most = std::max(most, n);
    std::set<std::string_view> main_countries;
    for (const auto& [country, n] : country_mentions)
        if (3 * n >= most) main_countries.insert(country);

    // ---- factions ----
    // The report's date against a faction's founding and end, each compared at the
    // precision of the shorter ("2014" is not before "2014-08").
    bool dated =
        date.size() >= 4 && std::all_of(date.begin(), date.begin() + 4, [](char c) { return c >= '0' && c <= '9'; });
    auto date_cmp = [&](std::string_view bound) {
        std::size_t n = std::min(date.size(), bound.size());
        return date.substr(0, n).compare(bound.substr(0, n));
    };
    struct Candidate {
        std::uint32_t entity;
        int score;    ///< 4: a text mostly about one of its countries, +2: naming one, +1: active
        bool unborn;  ///< the report is dated before its founding
    };
    std::vector<std::int64_t> fc(matches.size(), -1);
    std::vector<Candidate> cands;
    for (std::size_t mi = 0; mi < matches.size(); ++mi) {
        cands.clear();
        for (const auto& e : matches[mi].entries) {
            const Entity& ent = ents[e.entity];
            if (ent.cls != EntityClass::faction) continue;
            if (std::any_of(cands.begin(), cands.end(), [&](const Candidate& c) { return c.entity == e.entity; }))
                continue;
            // A report cannot be about an actor that did not exist yet: a weak cue is
            // dropped; a full name only when a namesake existed (below), since the text's
            // own words are more often right than a source's date.
            bool unborn = dated && !ent.founded.empty() && date_cmp(ent.founded) < 0;
            if (unborn && e.generic) continue;
            bool context = false, main_context = false;
            for (const auto& c : ent.countries) {
                context = context || country_mentions.count(c);
                main_context = main_context || main_countries.count(c);
            }
            // Generic terms and short acronyms (AliasEntry::short_acronym) count only in a
            // text about one of the faction's countries; generic terms only in one mostly
            // about it.
            if ((e.generic && !main_context) || (e.short_acronym && !ent.countries.empty() && !context)) continue;
            // An actor that had ended is named after its end only by a full name, in a
            // text about one of its countries ("coalition of the willing" in 2023 is not
            // the Iraq coalition).
            bool active = !(dated && !ent.dissolved.empty() && date_cmp(ent.dissolved) > 0);
            if (!active && (e.generic || !context)) continue;
            cands.push_back({e.entity, (main_context ? 4 : 0) + (context ? 2 : 0) + (active ? 1 : 0), unborn});
        }
        if (std::any_of(cands.begin(), cands.end(), [](const Candidate& c) { return !c.unborn; }))
            cands.erase(std::remove_if(cands.begin(), cands.end(), [](const Candidate& c) { return c.unborn; }),
                        cands.end());
        if (cands.empty()) continue;
        // The first of the best: in a text mostly about one of its countries, then naming
        // one, then still active.
        const Candidate& best = *std::max_element(
            cands.begin(), cands.end(), [](const Candidate& a, const Candidate& b) { return a.score < b.score; });
        // A name that several actors still share ("US-led coalition" in 2011: Iraq and
        // Afghanistan) needs a text about one of their countries to tell which.
        if (cands.size() > 1 && best.score < 2) continue;
        // Namesakes that the catalog dates (Entity::founded) and that neither the countries
        // nor the report's date tell apart (an undated report of "the US-led coalition"
        // in Iraq: 1991, 2003 or 2014?) are not guessed at.  Other ties (a generic term of
        // two actors of one country) keep the first, as before.
        auto dated_tie = [&](const Candidate& c) {
            return c.score == best.score && (!ents[c.entity].founded.empty() || !ents[c.entity].dissolved.empty());
        };
        if (std::count_if(cands.begin(), cands.end(), dated_tie) > 1) continue;
        fc[mi] = best.entity;
    }

    // ---- collect, in order of first mention ----
    Extraction out;
    std::unordered_map<std::uint32_t, std::size_t> place_at, faction_at;
    auto record = [&](std::vector<ExtractedEntity>& list, std::unordered_map<std::uint32_t, std::size_t>& at,
                      std::uint32_t e, const RawMatch& m) {
        auto [it, fresh] = at.emplace(e, list.size());
        if (fresh) {
            ExtractedEntity x;
            x.entity = &ents[e];
            for (auto a : ancestor_ids_[e]) x.ancestors.push_back(&ents[a]);
            list.push_back(std::move(x));
        }
        ExtractedEntity& x = list[it->second];
        const auto& toks = tokens[m.segment];
        std::uint32_t b = toks[m.first].mention_begin, end = toks[m.last].end;
        std::string surface(texts[m.segment].substr(b, end - b));
        if (std::find(x.mentions.begin(), x.mentions.end(), surface) == x.mentions.end())
            x.mentions.push_back(std::move(surface));
        ++x.count;
    };
    for (std::size_t mi = 0; mi < matches.size(); ++mi) {
        if (pc[mi].chosen >= 0) record(out.places, place_at, static_cast<std::uint32_t>(pc[mi].chosen), matches[mi]);
        if (fc[mi] >= 0) record(out.factions, faction_at, static_cast<std::uint32_t>(fc[mi]), matches[mi]);
    }
    return out;
}

namespace {
std::vector<std::string> ids_with_ancestors(const std::vector<ExtractedEntity>& list) {
    std::vector<std::string> ids;
    for (const auto& x : list) {
        ids.push_back(x.entity->id);
        for (const Entity* a : x.ancestors) ids.push_back(a->id);
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}
}  // namespace

std::vector<std::string> Extraction::faction_ids_with_ancestors() const { return ids_with_ancestors(factions); }
std::vector<std::string> Extraction::place_ids_with_ancestors() const { return ids_with_ancestors(places); }

}  // namespace warsearch
