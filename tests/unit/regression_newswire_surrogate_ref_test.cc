// Regression (fuzz_reuters_reader): a numeric character reference to a UTF-16 surrogate
// ("&#56043;", U+DAEB) was encoded as a three-byte sequence that is not UTF-8, so the
// article's text was invalid.  Such references now become U+FFFD.
#include <gtest/gtest.h>

#include <sstream>

#include "common/text/text.h"
#include "readers_test_support.h"

using namespace warsearch;

TEST(RegressionNewswireSurrogateRef, BecomesAReplacementCharacter) {
    warsearch::testing::Collected c;
    std::istringstream in(
        "<REUTERS NEWID=\"1\"><DATE>26-FEB-1987 15:01:01.79</DATE><TEXT><TITLE>Low &#55296; high "
        "&#57343; ok &#233;</TITLE><BODY>Body &#56043; and &#xDFFF; and &#x1F600;.\n&#3;</BODY></TEXT></REUTERS>\n");
    read_reuters(in, "reut2-000.sgm", ReadOptions{}, c.sink());
    ASSERT_EQ(c.articles.size(), 1u);
    EXPECT_TRUE(is_valid_utf8(c.articles[0].title)) << c.articles[0].title;
    EXPECT_TRUE(is_valid_utf8(c.articles[0].body)) << c.articles[0].body;
    EXPECT_EQ(c.articles[0].title, "Low \xEF\xBF\xBD high \xEF\xBF\xBD ok \xC3\xA9");
    EXPECT_NE(c.articles[0].body.find("Body \xEF\xBF\xBD and \xEF\xBF\xBD and \xF0\x9F\x98\x80."), std::string::npos)
        << c.articles[0].body;
}
