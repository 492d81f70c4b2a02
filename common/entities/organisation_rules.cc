// The organisation rules of entity extraction (extraction_passes.h): which organisation,
// if any, each matched name stands for.
#include <algorithm>

#include "common/entities/extraction_passes.h"

namespace warsearch::extraction {

namespace {

// The organisation a match names, or kNone.  A generic term ("the Foreign Ministry")
// counts only in a text mostly about one of the organisation's countries; of several
// organisations one whose country the text names wins, and a tie is no choice.
Choice pick_organisation(const EntityTable& table, const NameMatch& m, const CountryContext& countries) {
    Choice best = kNone;
    int best_score = -1;
    bool tie = false;
    for (const auto& e : m.entries) {
        const Entity& ent = table.entities[e.entity];
        if (ent.cls != EntityClass::organisation || static_cast<Choice>(e.entity) == best) continue;
        bool context = false, main_context = false;
        for (const auto& c : ent.countries) {
            context = context || countries.mentions.count(c);
            main_context = main_context || countries.main.count(c);
        }
        if (e.generic && !main_context) continue;
        int score = (main_context ? 2 : 0) + (context ? 1 : 0);
        if (score > best_score) {
            best = e.entity;
            best_score = score;
            tie = false;
        } else if (score == best_score) {
            tie = true;
        }
    }
    return tie ? kNone : best;
}

}  // namespace

Choices choose_organisations(const EntityTable& table, const std::vector<NameMatch>& matches,
                             const CountryContext& countries) {
    Choices chosen(matches.size(), kNone);
    for (std::size_t mi = 0; mi < matches.size(); ++mi) chosen[mi] = pick_organisation(table, matches[mi], countries);
    return chosen;
}

}  // namespace warsearch::extraction
