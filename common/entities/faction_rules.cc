// The faction rules of entity extraction (extraction_passes.h): which faction, if any,
// each matched name stands for, given the countries the text is about and its date.
#include <algorithm>

#include "common/entities/extraction_passes.h"

namespace warsearch::extraction {

namespace {

// The report's date against a faction's founding and end, each compared at the
// precision of the shorter ("2014" is not before "2014-08").
class ReportDate {
  public:
    explicit ReportDate(std::string_view date)
        : date_(date),
          dated_(date.size() >= 4 &&
                 std::all_of(date.begin(), date.begin() + 4, [](char c) { return c >= '0' && c <= '9'; })) {}

    /// The report is dated and that date is before @a founded (an empty bound: never).
    bool before(std::string_view founded) const { return dated_ && !founded.empty() && compare(founded) < 0; }
    /// The report is dated and that date is after @a dissolved (an empty bound: never).
    bool after(std::string_view dissolved) const { return dated_ && !dissolved.empty() && compare(dissolved) > 0; }

  private:
    int compare(std::string_view bound) const {
        std::size_t n = std::min(date_.size(), bound.size());
        return date_.substr(0, n).compare(bound.substr(0, n));
    }
    std::string_view date_;
    bool dated_;
};

// One faction a match may name.
struct Candidate {
    std::uint32_t entity;
    int score;    ///< 4: a text mostly about one of its countries, +2: naming one, +1: active
    bool unborn;  ///< the report is dated before its founding
};

// The factions listed under a match's name that the text's countries and date allow,
// each once; the unborn only when no candidate is born.
void faction_candidates(const EntityTable& table, const NameMatch& m, const CountryContext& countries,
                        const ReportDate& date, std::vector<Candidate>& cands) {
    cands.clear();
    for (const auto& e : m.entries) {
        const Entity& ent = table.entities[e.entity];
        if (ent.cls != EntityClass::faction) continue;
        if (std::any_of(cands.begin(), cands.end(), [&](const Candidate& c) { return c.entity == e.entity; })) continue;
        // A report cannot be about an actor that did not exist yet: a weak cue is
        // dropped; a full name only when a namesake existed (below), since the text's
        // own words are more often right than a source's date.
        bool unborn = date.before(ent.founded);
        if (unborn && e.generic) continue;
        bool context = false, main_context = false;
        for (const auto& c : ent.countries) {
            context = context || countries.mentions.count(c);
            main_context = main_context || countries.main.count(c);
        }
        // Generic terms and short acronyms (NameEntry::short_acronym) count only in a
        // text about one of the faction's countries; generic terms only in one mostly
        // about it.
        if ((e.generic && !main_context) || (e.short_acronym && !ent.countries.empty() && !context)) continue;
        // An actor that had ended is named after its end only by a full name, in a
        // text about one of its countries ("coalition of the willing" in 2023 is not
        // the Iraq coalition).
        bool active = !date.after(ent.dissolved);
        if (!active && (e.generic || !context)) continue;
        cands.push_back({e.entity, (main_context ? 4 : 0) + (context ? 2 : 0) + (active ? 1 : 0), unborn});
    }
    if (std::any_of(cands.begin(), cands.end(), [](const Candidate& c) { return !c.unborn; }))
        cands.erase(std::remove_if(cands.begin(), cands.end(), [](const Candidate& c) { return c.unborn; }),
                    cands.end());
}

// The first of the best candidates (in a text mostly about one of its countries, then
// naming one, then still active), or kNone when the text does not tell namesakes apart.
Choice pick_faction(const EntityTable& table, const std::vector<Candidate>& cands) {
    if (cands.empty()) return kNone;
    const Candidate& best = *std::max_element(cands.begin(), cands.end(),
                                              [](const Candidate& a, const Candidate& b) { return a.score < b.score; });
    // A name that several actors still share ("US-led coalition" in 2011: Iraq and
    // Afghanistan) needs a text about one of their countries to tell which.
    if (cands.size() > 1 && best.score < 2) return kNone;
    // Namesakes that the catalog dates (Entity::founded) and that neither the countries
    // nor the report's date tell apart (an undated report of "the US-led coalition"
    // in Iraq: 1991, 2003 or 2014?) are not guessed at.  Other ties (a generic term of
    // two actors of one country) keep the first.
    auto dated_tie = [&](const Candidate& c) {
        const Entity& ent = table.entities[c.entity];
        return c.score == best.score && (!ent.founded.empty() || !ent.dissolved.empty());
    };
    if (std::count_if(cands.begin(), cands.end(), dated_tie) > 1) return kNone;
    return best.entity;
}

}  // namespace

Choices choose_factions(const EntityTable& table, const std::vector<NameMatch>& matches,
                        const CountryContext& countries, std::string_view date) {
    const ReportDate report_date(date);
    Choices chosen(matches.size(), kNone);
    std::vector<Candidate> cands;
    for (std::size_t mi = 0; mi < matches.size(); ++mi) {
        faction_candidates(table, matches[mi], countries, report_date, cands);
        chosen[mi] = pick_faction(table, cands);
    }
    return chosen;
}

}  // namespace warsearch::extraction
