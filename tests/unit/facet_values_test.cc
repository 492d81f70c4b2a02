// The facet slot's binary format (facet_values.h): what the indexer writes is what the
// searcher reads, keys are named through metadata, and foreign values are refused.
#include <gtest/gtest.h>

#include <set>

#include "common/index/facet_slot.h"
#include "common/text/text.h"

namespace warsearch {
namespace {

TEST(FacetSlot, RoundTripsStoryAndValuesGroupedByDimension) {
    std::vector<FacetValue> values = {{"f", "isis"},         {"l.country", "sy"},
                                      {"s", "orontes-post"}, {"l.admin1", "sy/aleppo"},
                                      {"m", "2016-07"},      {"f", "saa"}};
    FacetNames names;
    std::string slot = encode_facet_slot(hex64(hash64("story one")), values, &names);
    // 1 marker + 8 story + 5 groups of 2 + 6 values of 6 bytes.
    EXPECT_EQ(slot.size(), 1u + 8 + 5 * 2 + 6 * 6);

    std::string_view story;
    std::vector<FacetItem> items;
    ASSERT_TRUE(decode_facet_slot(slot, story, items));
    EXPECT_EQ(story.size(), 8u);
    ASSERT_EQ(items.size(), 6u);
    // Groups come in a fixed order: factions, places by level, source, month.
    EXPECT_EQ(facet_dimension(items[0].code), "f");
    EXPECT_EQ(facet_dimension(items[1].code), "f");
    EXPECT_EQ(facet_dimension(items[2].code), "l.country");
    EXPECT_EQ(facet_dimension(items[3].code), "l.admin1");
    EXPECT_EQ(facet_dimension(items[4].code), "s");
    EXPECT_EQ(facet_dimension(items[5].code), "m");
    EXPECT_EQ(facet_month_key(items[5].packed()), "2016-07");
    EXPECT_EQ(facet_month_key(items[0].packed()), "");
    // Months are not named through metadata; the five hashed keys are.
    EXPECT_EQ(names.size(), 5u);
    std::set<std::uint64_t> distinct;
    for (const auto& item : items) distinct.insert(item.packed());
    EXPECT_EQ(distinct.size(), 6u);
}

TEST(FacetSlot, DatelineGroupComesLastAndIsNamed) {
    FacetNames names;
    std::string slot = encode_facet_slot("", {{"w", "San Salvador"}, {"m", "1990-01"}, {"s", "muc"}}, &names);
    std::string_view story;
    std::vector<FacetItem> items;
    ASSERT_TRUE(decode_facet_slot(slot, story, items));
    ASSERT_EQ(items.size(), 3u);
    EXPECT_EQ(facet_dimension(items[2].code), kFacetDateline);
    EXPECT_FALSE(facet_code_is_entity(items[2].code)) << "shown as written, not as a catalog entity";
    EXPECT_EQ(names.size(), 2u);  // the source and the dateline
}

TEST(FacetSlot, SameStoryGivesTheSameBytesAndDifferentStoriesDiffer) {
    std::string a = encode_facet_slot("00000000000000ff", {{"s", "x"}});
    std::string b = encode_facet_slot("00000000000000ff", {{"s", "x"}});
    std::string c = encode_facet_slot("00000000000000fe", {{"s", "x"}});
    EXPECT_EQ(a, b);
    EXPECT_NE(a, c);
    std::string_view story;
    std::vector<FacetItem> items;
    ASSERT_TRUE(decode_facet_slot(a, story, items));
    EXPECT_EQ(story, std::string_view("\0\0\0\0\0\0\0\xff", 8));
    // A story that is not 16 hex digits is hashed, still 8 bytes.
    std::string odd = encode_facet_slot("not hex", {});
    ASSERT_TRUE(decode_facet_slot(odd, story, items));
    EXPECT_EQ(story.size(), 8u);
}

TEST(FacetSlot, ADocumentWithoutAStoryHasNone) {
    std::string slot = encode_facet_slot("", {{"f", "ypg"}});
    std::string_view story = "x";
    std::vector<FacetItem> items;
    ASSERT_TRUE(decode_facet_slot(slot, story, items));
    EXPECT_TRUE(story.empty());
    ASSERT_EQ(items.size(), 1u);
    EXPECT_EQ(facet_dimension(items[0].code), "f");
}

TEST(FacetSlot, UnknownDimensionsEmptyKeysAndBadMonthsAreLeftOut) {
    std::string slot = encode_facet_slot("", {{"weather", "rain"}, {"f", ""}, {"m", "July 2016"}, {"s", "bbc"}});
    std::string_view story;
    std::vector<FacetItem> items;
    ASSERT_TRUE(decode_facet_slot(slot, story, items));
    ASSERT_EQ(items.size(), 1u);
    EXPECT_EQ(facet_dimension(items[0].code), "s");
}

TEST(FacetSlot, RefusesSchemaOneTextAndTruncatedValues) {
    std::string_view story;
    std::vector<FacetItem> items;
    EXPECT_FALSE(
        decode_facet_slot("a4263f8d15e3ed30\x1f"
                          "f:isis\x1es:bbc",
                          story, items));
    EXPECT_FALSE(decode_facet_slot("", story, items));
    std::string slot = encode_facet_slot("a4263f8d15e3ed30", {{"f", "isis"}, {"f", "saa"}});
    for (std::size_t cut = 1; cut < slot.size(); ++cut) {
        // Every strict prefix is refused, except the one that ends at a group boundary
        // (the story alone is a valid slot with no values).
        bool ok = decode_facet_slot(std::string_view(slot).substr(0, cut), story, items);
        EXPECT_EQ(ok, cut == 9) << "prefix of " << cut << " bytes";
        if (!ok) {
            EXPECT_TRUE(items.empty());
        }
    }
}

TEST(FacetSlot, NameKeysAreDistinctPerDimensionAndReadable) {
    std::string_view story;
    std::vector<FacetItem> items;
    std::string slot = encode_facet_slot("", {{"f", "isis"}, {"s", "isis"}});  // items point into it
    ASSERT_TRUE(decode_facet_slot(slot, story, items));
    ASSERT_EQ(items.size(), 2u);
    // The same key in two dimensions: one hash, two names.
    EXPECT_EQ(items[0].key6, items[1].key6);
    std::string a = facet_name_metadata_key(items[0].packed());
    std::string b = facet_name_metadata_key(items[1].packed());
    EXPECT_NE(a, b);
    EXPECT_EQ(a.rfind(std::string(kMetaFacetNamePrefix) + "f", 0), 0u) << a;
    EXPECT_EQ(a.size(), kMetaFacetNamePrefix.size() + 1 + 12);
}

}  // namespace
}  // namespace warsearch
