// Regression: README-CORPORA, README_LEWIS.txt, lewis.dtd, word lists and a format
// description were indexed as articles, against the README's promise.  They are now
// skipped, each reported once to ReadSink::skipped (warsearch-index lists them in
// --failures with "skipped": true), and are not failures.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "common/readers/readers.h"
#include "test_support.h"

using namespace warsearch;

TEST(RegressionReadmeIndexedAsArticle, NotArticlesAreSkippedOnceEach) {
    warsearch::testing::TempDir tmp;
    std::filesystem::path root = tmp.path();
    auto write = [&](const std::string& name, const std::string& text) {
        warsearch::testing::write_file((root / name).string(), text);
    };
    std::string words, grammar = "Format of the headers\n\n";
    for (const char* w : {"afghanistan", "albania", "algeria", "andorra", "angola", "anguilla", "argentina", "armenia",
                          "aruba", "australia", "austria", "azerbaijan"})
        words += std::string(w) + "\n";
    for (int i = 0; i < 6; ++i) grammar += "<RULE" + std::to_string(i) + "> ::= <A> \",\" <B> {<C>}\n";
    grammar += "Each message starts with a dateline, as described above in these rules.\n";
    write("README-CORPORA", "These are the corpora.\nRead them carefully.\n");
    write("README_LEWIS.txt", "Notes on the collection, in prose.\n");
    write("LICENSE.txt", "Permission is granted.\n");
    write("lewis.dtd", "<!ELEMENT REUTERS (DATE, TOPICS)>\n");
    write("all-places-strings.lc.txt", words);
    write("text-headers-info", grammar);
    write(".git/HEAD", "ref: refs/heads/main\n");
    write("report.txt",
          "Shelling resumes in the north\n\nShelling resumed in the north of the city on Monday, residents "
          "said.\n");
    std::vector<std::string> titles, failures, names;
    ReadSink sink;
    sink.article = [&](Article&& a) { titles.push_back(a.title); };
    sink.failure = [&](const ReadFailure& f) { failures.push_back(f.where + ": " + f.reason); };
    sink.skipped = [&](const ReadFailure& f) { names.push_back(std::filesystem::path(f.where).filename().string()); };
    read_paths({root.string()}, ReadOptions{}, sink);
    EXPECT_TRUE(failures.empty()) << failures[0];
    EXPECT_EQ(titles, std::vector<std::string>{"Shelling resumes in the north"});
    std::sort(names.begin(), names.end());
    std::string skipped;
    for (const auto& n : names) skipped += n + " ";
    EXPECT_EQ(skipped,
              ".git LICENSE.txt README-CORPORA README_LEWIS.txt all-places-strings.lc.txt lewis.dtd "
              "text-headers-info ")
        << "each once";
}
