#include "common/entities/name_trie.h"

#include <algorithm>

#include "common/text/text.h"

namespace warsearch {

namespace {

std::uint64_t edge_key(std::uint32_t parent, std::uint64_t token_hash) {
    return token_hash ^ ((static_cast<std::uint64_t>(parent) + 1) * 0x9E3779B97F4A7C15ULL);
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

NameTrie::NameTrie(const Catalog& catalog, bool require_capitals) : require_capitals_(require_capitals) {
    nodes_.emplace_back();  // root
    edges_.resize(1024);
    const auto& ents = catalog.entities();
    for (std::uint32_t i = 0; i < ents.size(); ++i) {
        const Entity& e = ents[i];
        // An alias listed in case_sensitive matches only in exactly that case: registered
        // only as such (registered as an ordinary alias too, "IS" matched the "IS" of
        // all-capitals wire copy and a sentence's "Is").
        auto exact_only = [&](const std::string& a) {
            return std::find(e.case_sensitive.begin(), e.case_sensitive.end(), a) != e.case_sensitive.end();
        };
        if (!exact_only(e.name)) add_name(e, i, e.name, false, false);
        for (const auto& a : e.aliases)
            if (!exact_only(a)) add_name(e, i, a, false, false);
        for (const auto& a : e.case_sensitive) add_name(e, i, a, true, false);
        for (const auto& a : e.generic_terms) add_name(e, i, a, false, true);
    }
}

void NameTrie::add_name(const Entity& entity, std::uint32_t index, const std::string& name, bool case_sensitive,
                        bool generic) {
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
    NameEntry entry{index};
    entry.generic = generic;
    entry.uncurated = entity.origin == "iso-codes";
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
        entry.needs_capital = require_capitals_ && has_upper_ascii(name);
    }
    for (const auto& e : nodes_[node].entries)
        if (e.entity == index && e.exact_surface < 0 && entry.exact_surface < 0 && e.generic == generic) {
            return;  // same name twice (e.g. "Daraya" and "Darayya " after folding)
        }
    nodes_[node].entries.push_back(entry);
    ++name_count_;
}

void NameTrie::insert_edge(std::uint64_t key, std::uint32_t node) {
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

std::uint32_t NameTrie::child(std::uint32_t node, std::string_view token) const {
    return child(node, token, hash64(token));
}

std::uint32_t NameTrie::child(std::uint32_t node, std::string_view token, std::uint64_t token_hash) const {
    std::uint64_t key = edge_key(node, token_hash);
    std::size_t mask = edges_.size() - 1;
    for (std::size_t i = key & mask; edges_[i].node; i = (i + 1) & mask)
        if (edges_[i].key == key && nodes_[edges_[i].node].token == token) return edges_[i].node;
    return 0;
}

std::uint32_t NameTrie::step(std::uint32_t node, const EntityToken& token, std::uint64_t token_hash) const {
    std::uint32_t next = child(node, token.norm, token_hash);
    if (next || !token.arabic) return next;
    for (const auto& v : arabic_clitic_variants(token.norm))
        if ((next = child(node, v))) return next;
    return 0;
}

void NameTrie::fitting_entries(std::uint32_t node, std::string_view text, const std::vector<EntityToken>& tokens,
                               std::size_t i, std::size_t j, bool caseless, std::vector<NameEntry>& ok) const {
    ok.clear();
    bool any_capital = false;
    for (std::size_t k = i; k <= j; ++k)
        if (tokens[k].capitalised || static_cast<unsigned char>(text[tokens[k].begin]) >= 0x80) any_capital = true;
    for (const auto& e : nodes_[node].entries) {
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
}

void NameTrie::match(int segment, std::string_view text, const std::vector<EntityToken>& tokens, bool caseless,
                     std::vector<NameMatch>& out) const {
    std::vector<NameEntry> ok;
    const std::size_t n = tokens.size();
    // Each token is hashed once; every trie step reuses it.
    std::vector<std::uint64_t> hashes(n);
    for (std::size_t k = 0; k < n; ++k) hashes[k] = hash64(tokens[k].norm);
    for (std::size_t i = 0; i < n;) {
        std::uint32_t node = 0;
        std::size_t best_last = n;
        std::vector<NameEntry> best;
        for (std::size_t j = i; j < n; ++j) {
            if (j > i && tokens[j].break_before) break;
            node = step(node, tokens[j], hashes[j]);
            if (!node) break;
            if (nodes_[node].entries.empty()) continue;
            fitting_entries(node, text, tokens, i, j, caseless, ok);
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
            NameMatch{segment, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(best_last), std::move(best)});
        i = best_last + 1;
    }
}

}  // namespace warsearch
