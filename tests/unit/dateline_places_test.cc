// The dateline rule (common/entities/dateline_places.h) on the fixture catalog: a
// dateline place is a location of the report only when the text names it again or
// names a place inside it.
#include "common/entities/dateline_places.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "common/readers/dateline.h"
#include "entity_test_support.h"

namespace warsearch {
namespace {

// The sorted ids of the places extracted from @a body, its dateline found as readers find it.
std::string place_ids(const EntityExtractor& x, const std::string& title, const std::string& body) {
    Article a;
    a.title = title;
    a.body = body;
    if (auto d = find_dateline(a.body)) {
        a.dateline = d->place;
        a.dateline_offset = d->offset;
        a.dateline_length = d->length;
    }
    std::vector<std::string> ids;
    for (const auto& p : extract_article_entities(x, a).places) ids.push_back(p.entity->id);
    std::sort(ids.begin(), ids.end());
    std::string out;
    for (const auto& id : ids) out += (out.empty() ? "" : " ") + id;
    return out;
}

TEST(DatelinePlaces, CountOnlyWhenNamedAgainOrAPlaceInside) {
    Catalog catalog = testing::fixture_catalog();
    EntityExtractor x(catalog);
    struct Case {
        const char* title;
        const char* body;
        const char* places;
    } cases[] = {
        // Filed from Homs, about Raqqa: the office is not an event place.
        {"", "HOMS, Syria, March 3 (Example Wire) - Air strikes hit Tabqa overnight, residents said.",
         "sy sy/raqqa/tabqa"},
        {"", "HOMS (Example Wire) - Air strikes hit Tabqa overnight, residents said.", "sy/raqqa/tabqa"},
        // Named again in the text, or in the title.
        {"", "HOMS (Example Wire) - Shelling hit Homs overnight, residents said.", "sy/homs/homs-city"},
        {"Shelling in Homs", "HOMS (Example Wire) - Shelling hit the old city overnight, residents said.",
         "sy/homs/homs-city"},
        // A place inside the dateline's: Rastan lies in Homs governorate.
        {"", "HOMS, Syria (Example Wire) - Government forces shelled Rastan on Monday, a monitor said.",
         "sy sy/homs/rastan"},
        // The MUC form, in capitals; Manbij lies in Aleppo governorate, so Aleppo counts.
        {"", "ALEPPO, 3 JAN 90 -- [REPORT] FIGHTING WAS REPORTED IN MANBIJ TODAY.", "sy/aleppo sy/aleppo/manbij"},
        // No dateline: every mention counts.
        {"", "Reporters in Homs said air strikes hit Tabqa.", "sy/homs/homs-city sy/raqqa/tabqa"},
    };
    for (const auto& c : cases) EXPECT_EQ(place_ids(x, c.title, c.body), c.places) << c.body;
}

TEST(DatelinePlaces, SpanOutOfRangeIsClamped) {
    Catalog catalog = testing::fixture_catalog();
    EntityExtractor x(catalog);
    Article a;
    a.body = "HOMS - Air strikes hit Tabqa.";
    a.dateline = "Homs";
    a.dateline_offset = 0;
    a.dateline_length = 1000;  // past the end: the whole body is the dateline
    EXPECT_TRUE(extract_article_entities(x, a).places.empty());
    a.dateline_offset = 5000;  // out of the body: read as a whole
    EXPECT_FALSE(extract_article_entities(x, a).places.empty());
}

}  // namespace
}  // namespace warsearch
