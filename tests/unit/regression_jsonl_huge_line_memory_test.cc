// Regression: the JSONL reader checked the record limit only after std::getline had
// read the whole line, so a 1 GiB single-line file cost 2.1 GB before it was refused.
// Lines are now read in blocks and an over-long line is dropped while it is read.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <istream>
#include <sstream>
#include <streambuf>
#include <string>

#include "common/readers/reader_support.h"
#include "readers_test_support.h"

using namespace warsearch;

namespace {

// A stream of `prefix`, then `filler` bytes of 'x' (generated, never held), then `suffix`.
class GeneratedLine : public std::streambuf {
  public:
    GeneratedLine(std::string prefix, std::uint64_t filler, std::string suffix)
        : prefix_(std::move(prefix)), suffix_(std::move(suffix)), filler_left_(filler), block_(1 << 16, 'x') {}

  protected:
    int_type underflow() override {
        if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
        if (stage_ == 0) {
            stage_ = 1;
            return serve(prefix_);
        }
        if (stage_ == 1 && filler_left_ > 0) {
            std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(filler_left_, block_.size()));
            filler_left_ -= n;
            setg(block_.data(), block_.data(), block_.data() + n);
            return traits_type::to_int_type(*gptr());
        }
        if (stage_ == 1) {
            stage_ = 2;
            return serve(suffix_);
        }
        return traits_type::eof();
    }

  private:
    int_type serve(std::string& s) {
        if (s.empty()) return underflow();
        setg(s.data(), s.data(), s.data() + s.size());
        return traits_type::to_int_type(*gptr());
    }
    std::string prefix_, suffix_;
    std::uint64_t filler_left_;
    std::string block_;
    int stage_ = 0;
};

long peak_rss_kib() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

}  // namespace

TEST(RegressionJsonlHugeLineMemory, OverlongLineIsRefusedWhileReading) {
#if defined(__SANITIZE_ADDRESS__)
    // ASan's allocator pads and quarantines freed blocks, so peak RSS is not the reader's
    // own; the plain build measures it.
    GTEST_SKIP() << "peak RSS is measured without AddressSanitizer";
#endif
    const std::uint64_t filler = 512ull << 20;  // a 512 MiB line against the 64 MiB limit
    GeneratedLine gen("{\"title\":\"Huge\",\"body\":\"", filler,
                      "\"}\n{\"title\":\"After the huge line\",\"body\":\"Read all the same.\"}\n");
    std::istream in(&gen);
    long before = peak_rss_kib();
    warsearch::testing::Collected c;
    read_jsonl(in, "huge.jsonl", ReadOptions{}, c.sink());
    long grew_mib = (peak_rss_kib() - before) / 1024;
    ASSERT_EQ(c.failures.size(), 1u) << c.failure_text();
    EXPECT_EQ(c.failures[0].where, "huge.jsonl:1");
    EXPECT_NE(c.failures[0].reason.find(std::to_string(filler + 26)), std::string::npos) << c.failures[0].reason;
    ASSERT_EQ(c.articles.size(), 1u);
    EXPECT_EQ(c.articles[0].title, "After the huge line");
    // At most the 64 MiB kept of the line (and its block), never the 512 MiB.
    EXPECT_LT(grew_mib, 200) << "peak RSS grew by " << grew_mib << " MiB";
}

TEST(RegressionJsonlHugeLineMemory, BoundedLinesMatchGetline) {
    // Lines at and around the 64 KiB block size, an empty line, and no final newline.
    std::string text;
    for (std::size_t n : {0, 1, 65534, 65535, 65536, 65537, 200000, 3}) text += std::string(n, 'a') + "\n";
    text += "tail";
    std::istringstream bounded(text), plain(text);
    std::string a, b;
    std::uint64_t length = 0;
    while (std::getline(plain, b)) {
        ASSERT_TRUE(detail::read_bounded_line(bounded, a, 1u << 20, length));
        EXPECT_EQ(a, b);
        EXPECT_EQ(length, b.size());
    }
    EXPECT_FALSE(detail::read_bounded_line(bounded, a, 1u << 20, length));
    std::istringstream capped(std::string(100000, 'z') + "\nnext\n");
    ASSERT_TRUE(detail::read_bounded_line(capped, a, 10, length));
    EXPECT_EQ(a, std::string(10, 'z'));
    EXPECT_EQ(length, 100000u);
    ASSERT_TRUE(detail::read_bounded_line(capped, a, 10, length));
    EXPECT_EQ(a, "next");
}
