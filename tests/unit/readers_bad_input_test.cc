// Bad input never costs good data: each bad file or record is reported and skipped.
#include <unistd.h>

#include <filesystem>
#include <sstream>

#include "readers_test_support.h"

using namespace warsearch;
using namespace warsearch::testing;
namespace fs = std::filesystem;

namespace {
const std::string kGood = "{\"title\":\"Good\",\"body\":\"b\"}\n";
}

TEST(ReadersBadInput, EncodingRepairsKeepTheRecord) {
    TempDir t;
    struct Case {
        const char* name;
        std::string bytes;
        const char* title;
        const char* warning;
    };
    const Case cases[] = {
        {"bom.txt", "\xEF\xBB\xBFTitle with BOM\n\nBody.", "Title with BOM", nullptr},
        {"crlf.txt", "CRLF title\r\n\r\nLine one\r\nLine two\r\n", "CRLF title", nullptr},
        {"latin1.txt",
         "Caf\xE9 title\n\n\xA3"
         "15m signing.",
         "Caf\xC3\xA9 title", "Latin-1"},
        {"broken.txt", "Mixed \xC3\xA9 and \xE9 bad\n\nBody.", "Mixed \xC3\xA9 and \xEF\xBF\xBD bad", "invalid UTF-8"},
        {"nul.txt", std::string("Title with\0 NUL\n\nBody.", 22), "Title with NUL", "NUL"},
        {"bom-crlf.csv", "\xEF\xBB\xBFtitle,body\r\nCSV title,\"a\r\nb\"\r\n", "CSV title", nullptr},
        {"latin1.csv", "title,body\nCaf\xE9,b\n", "Caf\xC3\xA9", "Latin-1"},
        {"latin1.jsonl", "{\"title\":\"Caf\xE9\",\"body\":\"b\"}\n", "Caf\xC3\xA9", "Latin-1"},
    };
    for (const auto& k : cases) {
        Collected c = read(t.write(k.name, k.bytes));
        ASSERT_EQ(c.articles.size(), 1u) << k.name << "\n" << c.failure_text();
        EXPECT_EQ(c.articles[0].title, k.title) << k.name;
        EXPECT_TRUE(c.failures.empty()) << k.name;
        if (k.warning) {
            ASSERT_EQ(c.warnings.size(), 1u) << k.name;
            EXPECT_NE(c.warnings[0].message.find(k.warning), std::string::npos) << k.name;
        } else {
            EXPECT_TRUE(c.warnings.empty()) << k.name;
        }
    }
    Collected crlf = read((t.path / "crlf.txt").string());
    EXPECT_EQ(crlf.articles[0].body, "Line one\nLine two");
    Collected csv = read((t.path / "bom-crlf.csv").string());
    EXPECT_EQ(csv.articles[0].body, "a\nb");
}

TEST(ReadersBadInput, BadFilesFailAndTheRestIsRead) {
    TempDir t;
    t.write("a-good.jsonl", kGood);
    t.write("b-empty.txt", "");
    t.write("c-binary.dat", std::string("\x7F"
                                        "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0",
                                        16) +
                                std::string(100, '\0'));
    t.write("d-gzip.txt", std::string("\x1f\x8b\x08\0\0\0\0\0", 8));
    t.write("e-blank.txt", "\n\n   \n");
    t.write("f-bad.jsonl", "{broken\n" + kGood);
    fs::create_symlink("g-loop", t.path / "g-loop");
    fs::create_symlink("nowhere", t.path / "h-dangling");
    std::string unreadable = t.write("i-unreadable.txt", "Title\n\nBody");
    fs::permissions(unreadable, fs::perms::none);
    t.write("z-good.txt", "Last title\n\nBody.");

    Collected c = read(t.path.string());
    std::vector<std::string> titles;
    for (const auto& a : c.articles) titles.push_back(a.title);
    std::vector<std::string> want = {"Good", "Good", "Last title"};
    bool root = geteuid() == 0;  // root reads files whatever their permissions
    if (root) want.insert(want.begin() + 2, "Title");
    EXPECT_EQ(titles, want);
    std::string report = c.failure_text();
    for (const char* expect : {"b-empty.txt: empty file", "c-binary.dat: binary", "d-gzip.txt: binary",
                               "e-blank.txt: no text (only white space)", "f-bad.jsonl:1: invalid JSON",
                               "g-loop: cannot follow", "h-dangling: cannot follow"})
        EXPECT_NE(report.find(expect), std::string::npos) << expect << "\n" << report;
    if (!root) {
        EXPECT_NE(report.find("i-unreadable.txt: cannot open"), std::string::npos) << report;
    }
    fs::permissions(unreadable, fs::perms::owner_all);
}

TEST(ReadersBadInput, WholeFileFormatsHaveASizeCap) {
    TempDir t;
    std::string path = t.write("big.txt", "Title\n\n" + std::string(4096, 'x'));
    ReadOptions o;
    o.max_whole_file_bytes = 1024;
    Collected c = read(path, o);
    EXPECT_TRUE(c.articles.empty());
    ASSERT_EQ(c.failures.size(), 1u);
    EXPECT_NE(c.failures[0].reason.find("over the 1024-byte limit"), std::string::npos);
}

TEST(ReadersBadInput, LineFormatsStreamPastTheWholeFileCap) {
    // Far over max_whole_file_bytes, yet read: CSV and JSONL never hold the whole file.
    TempDir t;
    std::string csv = "id,title,body\n", jsonl;
    for (int i = 0; i < 20000; ++i) {
        csv += std::to_string(i) + ",Title " + std::to_string(i) + ",\"body, " + std::string(80, 'x') + "\"\n";
        jsonl += "{\"id\":\"" + std::to_string(i) + "\",\"title\":\"T\",\"body\":\"" + std::string(80, 'y') + "\"}\n";
    }
    ReadOptions o;
    o.max_whole_file_bytes = 64 * 1024;
    Collected a = read(t.write("big.csv", csv), o);
    EXPECT_EQ(a.articles.size(), 20000u);
    EXPECT_EQ(a.articles.back().from.line, 20001u);
    Collected b = read(t.write("big.jsonl", jsonl), o);
    EXPECT_EQ(b.articles.size(), 20000u);
}

TEST(ReadersBadInput, DetectionByExtensionAndContent) {
    struct Case {
        const char* path;
        const char* head;
        Format want;
    };
    const Case cases[] = {
        {"a.jsonl", "", Format::jsonl},
        {"a.csv", "", Format::csv},
        {"a.tsv", "", Format::csv},
        {"a.json", "", Format::json},
        {"a.htm", "", Format::html},
        {"a.sgm", "<REUTERS", Format::reuters},
        {"noext", "{\"a\":1}\n{\"a\":2}", Format::jsonl},
        {"noext", "[{\"a\":1}]", Format::json},
        {"dev-muc3-0001-0100", "DEV-MUC3-0001 (NOSC)\n\n   SAN SALVADOR", Format::muc},
        {"tst4-muc4.mixed-case", "TST4-MUC4-0001\n", Format::muc},
        {"page.dat", "<!DOCTYPE html><html>", Format::html},
        {"notes.txt", "Plain words", Format::text},
        {"x.bin", "Plain words", Format::auto_detect},
    };
    for (const auto& k : cases) EXPECT_EQ(detect_format(k.path, k.head), k.want) << k.path;
}
