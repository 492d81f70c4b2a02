// Issue 25: far-away namesakes, persons taken for places, and organisations, on the
// project's real catalogs (corpus/catalogs plus the iso-codes layer).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "common/entities/entity_extractor.h"

namespace warsearch {
namespace {

class Issue25RealCatalog : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        catalog_ = new Catalog(load_catalog(std::string(WARSEARCH_SOURCE_DIR_FOR_ENTITIES) + "/corpus/catalogs"));
        extractor_ = new EntityExtractor(*catalog_);
    }
    static void TearDownTestSuite() {
        delete extractor_;
        delete catalog_;
    }
    static std::string ids(const std::vector<ExtractedEntity>& list) {
        std::vector<std::string> v;
        for (const auto& x : list) v.push_back(x.entity->id);
        std::sort(v.begin(), v.end());
        std::string out;
        for (const auto& s : v) out += (out.empty() ? "" : " ") + s;
        return out;
    }
    static Catalog* catalog_;
    static EntityExtractor* extractor_;
};
Catalog* Issue25RealCatalog::catalog_ = nullptr;
EntityExtractor* Issue25RealCatalog::extractor_ = nullptr;

TEST_F(Issue25RealCatalog, DirectionsPersonsAndFarAwayNamesakesAreNoPlaces) {
    struct Case {
        const char* title;
        const char* body;
        const char* places;
    } cases[] = {
        // Fiji's Northern and Eastern divisions, Cameroon's East, Papua New Guinea's Gulf.
        {"Rebels in Northern Syria", "", "sy"},
        {"", "Fighting in Northern Syria and Eastern Aleppo continued.", "sy sy/aleppo/aleppo-city"},
        {"", "Shelling in the East was heavy, Syrian activists said.", ""},
        {"", "Tankers crossed the Gulf.", "world/gulf-region"},  // "the Gulf": the region
        {"", "Fighting in Western Ukraine.", "ua"},
        // ...but a region of a country the text names is a place.
        {"", "Floods hit Eastern Division in Fiji.", "fj"},
        {"", "Floods in Western, Zambia's poorest province, and in Lusaka.", "zm zm/iso-01 zm/iso-09"},
        // Persons: John Kerry is no County Kerry, Jordan Peterson no Jordan.
        // ("U.S. Secretary": an adjective before a capitalised word, as in "U.S. Army", is
        // no place either.)
        {"", "U.S. Secretary of State John Kerry met his Russian counterpart.", ""},
        {"", "Troops from the U.S. met John Kerry.", "us"},
        {"", "Secretary of State Kerry spoke in Ireland.", "ie"},
        {"", "Jordan Peterson wrote a book.", ""},
        {"", "Farmers in Kerry, Ireland, protested.", "ie ie/iso-KY"},
        // A faction beats a place on the same words.
        {"", "The Southern Front said it took the town.", ""},
        // "U.S." is one name.
        {"", "Troops from the U.S. arrived.", "us"},
        // A place straight before another is a run of places, not a longer name.
        {"", "Airstrikes south of the city of Tabqa Syria killed 18.", "sy sy/raqqa/tabqa"},
        // A currency is no place.
        {"", "The New Zealand dollar fell.", ""},
    };
    for (const auto& c : cases) {
        Extraction x = extractor_->extract(c.title, c.body);
        EXPECT_EQ(ids(x.places), c.places) << c.title << " | " << c.body;
    }
    EXPECT_EQ(ids(extractor_->extract("", "The Southern Front said it took the town.").factions), "southern-front");
}

TEST_F(Issue25RealCatalog, Organisations) {
    struct Case {
        const char* body;
        const char* organisations;
    } cases[] = {
        {"The UN Security Council met as UNHCR and the ICRC appealed.", "icrc un-security-council unhcr"},
        {"The U.N. and the EU condemned it; NATO said nothing.", "european-union nato-alliance united-nations"},
        // Short acronyms only as written: "who", "un" are words.
        {"Those who fled said so.", ""},
        {"The WHO said so.", "who"},
        {"the Syrian Observatory for Human Rights and the White Helmets said", "sohr white-helmets"},
        // A generic name needs a text about the organisation's country.
        {"The Foreign Ministry said so.", ""},
        {"The Foreign Ministry said Russia and Moscow would answer.", "russian-mfa"},
        {"The Pentagon and CENTCOM said.", "centcom-org pentagon"},
    };
    for (const auto& c : cases) {
        Extraction x = extractor_->extract("", c.body);
        EXPECT_EQ(ids(x.organisations), c.organisations) << c.body;
    }
    Extraction x = extractor_->extract("", "UNHCR said so.");
    EXPECT_EQ(x.organisation_ids_with_ancestors(), (std::vector<std::string>{"unhcr", "united-nations"}));
}

}  // namespace
}  // namespace warsearch
