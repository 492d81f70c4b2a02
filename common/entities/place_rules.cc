// The place rules of entity extraction (extraction_passes.h): which place, if any, each
// matched name stands for, and which countries the text is about.
#include <algorithm>
#include <unordered_map>

#include "common/entities/extraction_passes.h"

namespace warsearch::extraction {

namespace {

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
// Words that start a sentence, capitalised after a place whose last dot ended the
// sentence before: "in the U.S. The company ...".
bool is_sentence_start_word(std::string_view w) {
    return contains(
        {"the", "a",  "an", "it", "he",  "she",     "they", "we",  "i",   "this",  "that",      "there",   "but",
         "and", "in", "on", "at", "for", "however", "its",  "his", "her", "their", "officials", "analysts"},
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
// Metonymy: a capital standing for its government ("the Damascus regime", "Moscow
// denied", "Damascus has repeatedly denied") is not a place the text is about.
bool metonymic(const TokenizedText& text, const NameMatch& m) {
    std::string_view next = text.word_after(m);
    if (is_government_word(next)) return true;
    std::string_view before = text.word_before(m);
    if (!text.segments[m.segment].tokens[m.first].break_before && !before.empty() && before != "the" && before != "and")
        return false;  // "east of Damascus said ...": the subject is elsewhere
    if (is_speech_verb(next)) return true;
    if (next == "has" || next == "have" || next == "had") {
        std::string_view v = text.word_after(m, 2);
        if (v.size() > 2 && v.substr(v.size() - 2) == "ly") v = text.word_after(m, 3);
        if (v == "also") v = text.word_after(m, 3);
        return is_speech_verb(v);
    }
    return false;
}

// The places listed under a match's name, each once.  The iso-codes base layer is for
// countries the curated catalogs say nothing finer about: a name the curated layer also
// has is the curated place ("SAN SALVADOR" is El Salvador's capital, not also the island
// in the Bahamas).
std::vector<std::uint32_t> listed_places(const EntityTable& table, const NameMatch& m) {
    const auto& ents = table.entities;
    std::vector<std::uint32_t> cands;
    for (const auto& e : m.entries)
        if (ents[e.entity].cls == EntityClass::place && std::find(cands.begin(), cands.end(), e.entity) == cands.end())
            cands.push_back(e.entity);
    if (std::any_of(cands.begin(), cands.end(), [&](std::uint32_t e) { return ents[e].origin != "iso-codes"; }))
        cands.erase(
            std::remove_if(cands.begin(), cands.end(), [&](std::uint32_t e) { return ents[e].origin == "iso-codes"; }),
            cands.end());
    return cands;
}

// What the words around a match say about the place it names.
struct PlaceContext {
    bool cue = false;              ///< the words show it is a place at all
    bool admin_pref = false;       ///< "X province", "province of X"
    bool settlement_pref = false;  ///< "X city", "town of X"
    bool name_goes_on = false;     ///< a capitalised word follows in running text ("Jordan Peterson")
};

PlaceContext read_place_context(const TokenizedText& text, const NameMatch& m) {
    PlaceContext c;
    std::string_view after = text.word_after(m), before = text.word_before(m), before2 = text.word_before(m, 2);
    c.admin_pref = is_admin_word(after) || (before == "of" && is_admin_word(before2));
    c.settlement_pref = is_settlement_word(after) || (before == "of" && is_settlement_word(before2));
    // In running text (a body in mixed case; titles are often in title case), a
    // capitalised word straight after the name makes it part of a longer name: "from
    // David James" is a person, "from Norfolk Southern" a railway, "in West Germany"
    // no Cameroonian region.  Such a name is no cue for an ambiguous place (another
    // place of its region still vouches for it below).
    bool name_goes_on = false;
    const TokenizedText::Segment& segment = text.segments[m.segment];
    if (m.segment == TokenizedText::kBody && !segment.caseless && !after.empty()) {
        const EntityToken& next = segment.tokens[m.last + 1];
        name_goes_on = next.capitalised && !is_place_cue_after(after) && !continues_place_name(after) &&
                       !is_date_word(after) && !is_sentence_start_word(after);
    }
    c.name_goes_on = name_goes_on;
    c.cue = is_place_cue_after(after) || (is_place_cue_before(before) && !name_goes_on) || c.admin_pref ||
            c.settlement_pref;
    return c;
}

// Narrows @a cands to the type the context prefers (when one fits), then, unless an
// admin unit is asked for, to the most specific: Homs city over Homs governorate.
void prefer_type_and_specific(const EntityTable& table, const PlaceContext& context,
                              std::vector<std::uint32_t>& cands) {
    const auto& ents = table.entities;
    auto keep_if = [&](auto pred) {
        std::vector<std::uint32_t> kept;
        for (auto e : cands)
            if (pred(ents[e])) kept.push_back(e);
        if (!kept.empty()) cands = std::move(kept);
    };
    if (context.admin_pref)
        keep_if([](const Entity& e) { return is_admin_type(e.type); });
    else if (context.settlement_pref)
        keep_if([](const Entity& e) { return is_settlement_type(e.type); });
    if (context.admin_pref || cands.size() <= 1) return;
    std::vector<std::uint32_t> kept;
    for (auto e : cands) {
        bool is_ancestor = false;
        for (auto o : cands)
            if (o != e &&
                std::find(table.ancestors[o].begin(), table.ancestors[o].end(), e) != table.ancestors[o].end())
                is_ancestor = true;
        if (!is_ancestor) kept.push_back(e);
    }
    cands = std::move(kept);
}

// One match's places after the first reading.
struct PlaceCandidates {
    std::vector<std::uint32_t> cands;  ///< empty: the match names no place
    bool cue = false;                  ///< PlaceContext::cue
    bool weak_name = false;            ///< a direction or ordinary word ("Northern", "Gulf")
    Choice chosen = kNone;             ///< set when one unambiguous place is left
};

// Directions and ordinary words that some countries use as names of their regions
// ("Northern", Fiji; "East", Cameroon; "Gulf", Papua New Guinea).
bool is_weak_place_word(std::string_view w) {
    return contains(
        {"north",     "south",     "east",      "west",      "northern", "southern", "eastern", "western",  "central",
         "centre",    "center",    "gulf",      "coast",     "littoral", "plateau",  "lakes",   "midlands", "capital",
         "northeast", "northwest", "southeast", "southwest", "upper",    "lower",    "middle"},
        w);
}

// Titles and frequent first names before a person's surname: "John Kerry", "Secretary
// of State Kerry", "President Jordan".
bool is_person_word_before(std::string_view w) {
    return contains(
        {"mr",        "mrs",         "ms",         "dr",         "miss",    "sir",        "lord",     "president",
         "secretary", "senator",     "sen",        "minister",   "premier", "chancellor", "governor", "gov",
         "rep",       "congressman", "ambassador", "envoy",      "general", "gen",        "colonel",  "col",
         "major",     "captain",     "capt",       "lieutenant", "sgt",     "sergeant",   "judge",    "justice",
         "mayor",     "pope",        "prince",     "princess",   "king",    "queen",      "sheikh",   "emir",
         "john",      "james",       "michael",    "david",      "robert",  "william",    "george",   "thomas",
         "richard",   "charles",     "joseph",     "paul",       "peter",   "mark",       "donald",   "barack",
         "hillary",   "joe",         "mike",       "chris",      "steve",   "tom",        "bob",      "bill",
         "jim",       "tony",        "mary",       "elizabeth",  "susan",   "sarah",      "anne",     "ann",
         "jane",      "helen",       "patricia",   "jennifer",   "linda",   "margaret",   "edward",   "henry",
         "frank",     "daniel",      "matthew",    "andrew",     "kevin",   "brian",      "ronald",   "kenneth",
         "jack",      "harry",       "alan",       "martin",     "stephen", "simon",      "nick",     "sam",
         "ben",       "ian"},
        w);
}

// Whether a capitalised word that is no cue, date or nationality comes straight before
// @a m in the middle of a sentence of running text ("AC Milan", "Old Trafford").
bool inside_longer_name(const TokenizedText& text, const NameMatch& m) {
    const TokenizedText::Segment& segment = text.segments[m.segment];
    if (m.segment != TokenizedText::kBody || segment.caseless || m.first == 0) return false;
    const EntityToken& prev = segment.tokens[m.first - 1];
    const EntityToken& self = segment.tokens[m.first];
    if (self.break_before || prev.break_before || !prev.capitalised) return false;
    std::string_view w = prev.norm;
    auto ends = [&](std::string_view suffix) {
        return w.size() > suffix.size() && w.substr(w.size() - suffix.size()) == suffix;
    };
    // Nationalities ("Iraqi Kurdistan", "Syrian Golan") and words that introduce places.
    if (ends("an") || ends("ish") || ends("ese") || ends("i")) return false;
    return !is_place_cue_before(w) && !is_date_word(w) && !is_weak_place_word(w) && w != "the";
}

// Whether the words around a match make it something other than a place: a person
// ("John Kerry", "Secretary of State Kerry"), or, for a weak word, part of a longer
// capitalised name ("Northern Syria", "Southern Front", "Eastern Aleppo").
bool not_a_place_here(const TokenizedText& text, const NameMatch& m, bool weak_name) {
    const TokenizedText::Segment& segment = text.segments[m.segment];
    if (segment.caseless) return false;
    std::string_view before = text.word_before(m);
    if (!before.empty() && segment.tokens[m.first - 1].capitalised) {
        if (is_person_word_before(before)) return true;
        if (before == "state" && text.word_before(m, 2) == "of" && text.word_before(m, 3) == "secretary") return true;
    }
    // A currency named after its country: "the New Zealand dollar".
    if (contains({"dollar", "dollars", "pound", "pounds", "franc", "francs", "peso", "pesos", "rupee", "rupees", "lira",
                  "dinar", "dinars", "rouble", "roubles", "ruble", "rubles", "hryvnia", "currency"},
                 text.word_after(m)))
        return true;
    if (!weak_name || text.word_after(m).empty()) return false;
    return segment.tokens[m.last + 1].capitalised;
}

// @a in_run: the match next to @a m (before or after, no word between) may name a place
// too ("Tabqa Syria", "Aleppo Idlib"): a run of places, not one longer name.
struct PlaceRun {
    bool prev_is_place = false;
    bool next_is_place = false;
};

PlaceCandidates first_reading(const EntityTable& table, const TokenizedText& text, const NameMatch& m,
                              PlaceRun in_run) {
    PlaceCandidates c;
    c.cands = listed_places(table, m);
    if (c.cands.empty()) return c;
    if (metonymic(text, m)) {
        c.cands.clear();
        return c;
    }
    c.weak_name = m.first == m.last && is_weak_place_word(text.segments[m.segment].tokens[m.first].norm);
    if (not_a_place_here(text, m, c.weak_name)) {
        c.cands.clear();
        return c;
    }
    PlaceContext context = read_place_context(text, m);
    // A name that runs on into a capitalised word, or follows one, in running text is
    // part of a longer name: a person's, a company's, a team's, an army's ("Jordan
    // Peterson", "Manchester United", "U.S. Army", "AC Milan", "Old Trafford").
    if ((context.name_goes_on && !in_run.next_is_place) || (!in_run.prev_is_place && inside_longer_name(text, m))) {
        c.cands.clear();
        return c;
    }
    c.cue = context.cue;
    prefer_type_and_specific(table, context, c.cands);
    if (c.cands.size() == 1 && !table.entities[c.cands[0]].ambiguous) c.chosen = c.cands[0];
    return c;
}

// Entity -> number of confirmed places at or under it.
using PlaceSupport = std::unordered_map<std::uint32_t, int>;

// The unit an ambiguous place must share with another place to count: its admin1
// for places below admin1, its country for an admin1, itself for a country.
std::uint32_t anchor_of(const EntityTable& table, std::uint32_t e) {
    int rank = place_type_rank(table.entities[e].type);
    for (auto a : table.ancestors[e]) {
        int ar = place_type_rank(table.entities[a].type);
        if ((rank > 1 && ar == 1) || (rank <= 1 && ar == 0)) return a;
    }
    return table.ancestors[e].empty() ? e : table.ancestors[e].back();
}

// The place an unconfirmed match names, or kNone: ambiguous candidates need a cue or
// @a support from their anchor; of the rest, the one sharing most (and narrowest)
// ancestors with the confirmed places, on a tie the broader type, then catalog order.
Choice settle(const EntityTable& table, const PlaceCandidates& c, const PlaceSupport& support) {
    const auto& ents = table.entities;
    std::vector<std::uint32_t> kept;
    for (auto e : c.cands) {
        // A weak word, or a name only iso-codes vouches for, is a place only in a text
        // that names its country or a place in it: no cue is strong enough alone.  A
        // weak word needs a cue as well ("in Western", not "Western officials").
        if (c.weak_name && !c.cue) continue;
        if (c.weak_name || ents[e].origin == "iso-codes") {
            auto country = table.ancestors[e].empty() ? e : table.ancestors[e].back();
            auto it = support.find(country);
            if (it != support.end() && it->second > 0) kept.push_back(e);
            continue;
        }
        if (!ents[e].ambiguous || c.cue) {
            kept.push_back(e);
            continue;
        }
        // Another confirmed place in the same admin1 (or country) vouches for it.
        auto it = support.find(anchor_of(table, e));
        if (it != support.end() && it->second > 0) kept.push_back(e);
    }
    if (kept.empty()) return kNone;
    std::uint32_t best = kept[0];
    int best_score = -1;
    for (auto e : kept) {
        int score = 0;
        for (auto a : table.ancestors[e]) {
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
    return best;
}

}  // namespace

Choices choose_places(const EntityTable& table, const TokenizedText& text, const std::vector<NameMatch>& matches) {
    std::vector<PlaceCandidates> readings;
    readings.reserve(matches.size());
    PlaceSupport support;
    for (std::size_t mi = 0; mi < matches.size(); ++mi) {
        const NameMatch& m = matches[mi];
        auto adjacent_place = [&](const NameMatch& a, const NameMatch& b) {  // a right before b
            return a.segment == b.segment && a.last + 1 == b.first && !listed_places(table, &a == &m ? b : a).empty();
        };
        PlaceRun run;
        run.next_is_place = mi + 1 < matches.size() && adjacent_place(m, matches[mi + 1]);
        run.prev_is_place = mi > 0 && adjacent_place(matches[mi - 1], m);
        readings.push_back(first_reading(table, text, m, run));
        if (readings.back().chosen == kNone) continue;
        auto e = static_cast<std::uint32_t>(readings.back().chosen);
        ++support[e];
        for (auto a : table.ancestors[e]) ++support[a];
    }
    Choices chosen(matches.size(), kNone);
    for (std::size_t mi = 0; mi < matches.size(); ++mi) {
        const PlaceCandidates& c = readings[mi];
        if (c.chosen != kNone)
            chosen[mi] = c.chosen;
        else if (!c.cands.empty())
            chosen[mi] = settle(table, c, support);
    }
    return chosen;
}

CountryContext find_country_context(const EntityTable& table, const Choices& places) {
    const auto& ents = table.entities;
    CountryContext out;
    for (Choice c : places) {
        if (c == kNone) continue;
        auto e = static_cast<std::uint32_t>(c);
        std::string_view country;
        if (ents[e].type == "country") country = ents[e].id;
        for (auto a : table.ancestors[e])
            if (ents[a].type == "country") country = ents[a].id;
        if (!country.empty()) ++out.mentions[country];
    }
    // The countries the text is mostly about: a weak cue ("the government", "rebels")
    // needs one of these, not a country named in passing (a report on Ukraine that
    // mentions Syria once is not about the Syrian government).
    int most = 0;
    for (const auto& [country, n] : out.mentions) most = std::max(most, n);
    for (const auto& [country, n] : out.mentions)
        if (3 * n >= most) out.main.insert(country);
    return out;
}

}  // namespace warsearch::extraction
