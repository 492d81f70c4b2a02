#include <gtest/gtest.h>

#include <set>

#include "warsearch/schema.h"
#include "warsearch/stored_fields.h"

using namespace warsearch;

namespace {

// Values never start with a capital (make_term adds ':' when they would), so a prefix
// that extends another must extend it with capitals only: XF and XFP can both exist,
// but XF and XFood could not.
TEST(Schema, NoTermOfOnePrefixReadsAsAnother) {
    for (auto a : schema::kAllPrefixes) {
        for (auto b : schema::kAllPrefixes) {
            if (a == b || b.substr(0, a.size()) != a) continue;
            for (char c : b.substr(a.size()))
                EXPECT_TRUE(c >= 'A' && c <= 'Z') << a << " vs " << b;
        }
    }
    std::set<std::string_view> unique(std::begin(schema::kAllPrefixes), std::end(schema::kAllPrefixes));
    EXPECT_EQ(unique.size(), std::size(schema::kAllPrefixes));
}

TEST(Schema, MakeTermSeparatesCapitalisedValues) {
    EXPECT_EQ(schema::make_term("XART", "DEV-MUC3-0001"), "XART:DEV-MUC3-0001");
    EXPECT_EQ(schema::make_term("XART", "sample-1"), "XARTsample-1");
    EXPECT_EQ(id_term("sample-001"), "Qsample-001");
    EXPECT_EQ(id_term(std::string(300, 'x')).size(), 1 + 1 + 16u);
    EXPECT_EQ(source_term("Al Jazeera"), "XSRCal-jazeera");
}

TEST(Schema, QueryFieldsAreUnique) {
    std::set<std::string_view> names;
    for (const auto& f : schema::kQueryFields) EXPECT_TRUE(names.insert(f.name).second) << f.name;
    EXPECT_FALSE(names.count(schema::kDateField));
}

TEST(StoredFields, RoundTripAndDamagedData) {
    StoredFields f;
    f.id = "a";
    f.title = "T <b>";
    f.body = "body\nline";
    f.parent = "p";
    f.entry = 3;
    f.factions = {"Islamic State"};
    StoredFields g = parse_stored_fields(serialise_stored_fields(f));
    EXPECT_EQ(g.title, f.title);
    EXPECT_EQ(g.body, f.body);
    EXPECT_EQ(g.entry, 3);
    EXPECT_EQ(g.factions, f.factions);
    EXPECT_EQ(parse_stored_fields("{not json").id, "");
}

}  // namespace
