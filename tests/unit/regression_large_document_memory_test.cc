// Regression: one large document multiplied memory about 14 times (a file under the
// 256 MB cap could cost 3.7 GB), most of it the entity extractor's tokens (about 8 bytes
// per byte of text).  Entities now come from the first MiB of a body only.
#include <gtest/gtest.h>

#include <string>

#include "indexer/indexer.h"

using namespace warsearch;

TEST(RegressionLargeDocumentMemory, EntitiesComeFromTheFirstMebibyteCutAtACharacter) {
    EXPECT_EQ(entity_text("short body"), "short body");
    std::string body(IndexOptions::kEntityTextBytes - 1, 'a');
    body += "\xC3\xA9";  // "é" straddles the limit: cut before it
    body += std::string(1000, 'b');
    std::string_view cut = entity_text(body);
    EXPECT_EQ(cut.size(), IndexOptions::kEntityTextBytes - 1);
    EXPECT_EQ(cut.back(), 'a');
    std::string exact(IndexOptions::kEntityTextBytes, 'x');
    EXPECT_EQ(entity_text(exact).size(), exact.size());
}
