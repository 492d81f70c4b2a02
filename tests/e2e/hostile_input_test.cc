// Hardening through the real binaries (the README's Hardening section): hostile input files, abusive
// queries on the CLI and the CGI page, and database faults.  Each case asserts the
// contract of DESIGN.md "Errors": a message naming the file (and record), the rest
// indexed, nothing already indexed lost, a documented exit code, never a crash or a
// trace, and memory and time bounded.  Wall-clock caps are hang detectors only.
//
// Tests run as root here, and root ignores file permissions, so "unreadable" inputs are
// made of things permission bits cannot grant: a FIFO, a dangling symlink, a symlink
// loop, and /proc/self/mem (opens, but every read fails).  Read-only and full
// filesystems are real mounts (a read-only bind mount, a small tmpfs); those tests
// skip with a message where mounting is not permitted.
#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xapian.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "common/index/stored_fields.h"
#include "e2e_support.h"

using namespace warsearch::testing;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

/// Hang detector for one run: generous, and more so under the sanitizers.
constexpr double kHangSeconds = kSanitized ? 120 : 20;
/// Memory caps are scaled for ASan's shadow memory and quarantine.
constexpr long kMemScale = kSanitized ? 4 : 1;

/// What a measured run did: its exit, output, wall time and peak memory.
struct Measured {
    int exit_code = -1;  ///< exit status, or 128 + signal
    bool signaled = false;
    bool timed_out = false;
    std::string out, err;
    double seconds = 0;
    long peak_rss_mb = 0;  ///< the child's ru_maxrss
};

/// Runs @a argv with stdout and stderr sent to files (so huge outputs cannot block), kills
/// it after @a timeout seconds, and reads the child's own peak RSS with wait4().
/// run_command() in test_support has neither the timeout nor the rusage.
Measured run_measured(const std::vector<std::string>& argv, const std::vector<std::string>& env = {},
                      double timeout = kHangSeconds) {
    TempDir scratch;
    std::string out_path = scratch / "out", err_path = scratch / "err";
    std::vector<std::string> args_copy = argv;
    std::vector<char*> args;
    for (auto& a : args_copy) args.push_back(a.data());
    args.push_back(nullptr);
    std::vector<std::string> env_copy = env;

    auto start = std::chrono::steady_clock::now();
    pid_t pid = fork();
    if (pid == 0) {
        int in = open("/dev/null", O_RDONLY);
        int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || out < 0 || err < 0) _exit(126);
        dup2(in, 0);
        dup2(out, 1);
        dup2(err, 2);
        for (auto& e : env_copy) putenv(e.data());
        execv(args[0], args.data());
        _exit(127);
    }
    Measured m;
    if (pid < 0) return m;
    int status = 0;
    struct rusage usage {};
    for (;;) {
        pid_t done = wait4(pid, &status, WNOHANG, &usage);
        if (done == pid) break;
        double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (elapsed > timeout && !m.timed_out) {
            m.timed_out = true;
            kill(pid, SIGKILL);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    m.peak_rss_mb = usage.ru_maxrss / 1024;
    if (WIFEXITED(status)) {
        m.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        m.signaled = true;
        m.exit_code = 128 + WTERMSIG(status);
    }
    m.out = read_file(out_path);
    m.err = read_file(err_path);
    return m;
}

/// Everything a user should never see: crashes, sanitizer reports, C++ traces.
::testing::AssertionResult no_crash(const Measured& m) {
    static const char* const kBad[] = {"terminate called", "Segmentation fault", "Aborted",        "AddressSanitizer",
                                       "runtime error:",   "LeakSanitizer",      "std::bad_alloc", "what():",
                                       "stack trace",      "core dumped"};
    if (m.timed_out) return ::testing::AssertionFailure() << "timed out (hang) after " << m.seconds << " s";
    if (m.signaled) return ::testing::AssertionFailure() << "killed by signal " << m.exit_code - 128 << "\n" << m.err;
    for (const char* bad : kBad) {
        if (m.err.find(bad) != std::string::npos || m.out.find(bad) != std::string::npos)
            return ::testing::AssertionFailure() << "output contains '" << bad << "':\n" << m.err.substr(0, 4000);
    }
    return ::testing::AssertionSuccess();
}

Xapian::doccount doc_count(const std::string& db) { return Xapian::Database(db).get_doccount(); }

std::string jsonl(const std::string& id, const std::string& title, const std::string& body) {
    return json{{"id", id}, {"title", title}, {"body", body}, {"date", "2016-07-14"}, {"source", "Hostile Wire"}}
               .dump() +
           "\n";
}

/// Hit ids of a --json search (an empty list when the search failed).
std::vector<std::string> search_ids(const std::string& db, const std::vector<std::string>& args) {
    std::vector<std::string> argv = {search_bin(), "--db", db, "--json", "--limit", "100"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto m = run_measured(argv);
    EXPECT_EQ(m.exit_code, 0) << m.err;
    return hit_ids(json::parse(m.out, nullptr, false));
}

bool contains(const std::vector<std::string>& ids, const std::string& id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

/// The lines of @a err that mention @a path.
std::string lines_naming(const std::string& err, const std::string& path) {
    std::string found, line;
    std::istringstream in(err);
    while (std::getline(in, line))
        if (line.find(path) != std::string::npos) found += line + "\n";
    return found;
}

/// Deterministic pseudo-random bytes.
std::string random_bytes(std::size_t n, unsigned seed) {
    std::mt19937 gen(seed);
    std::string s(n, '\0');
    for (auto& c : s) c = static_cast<char>(gen() & 0xFF);
    return s;
}

/// Words for large realistic text.
std::string words_text(std::size_t bytes) {
    static const char* const kWords[] = {"shelling ", "convoy ",     "ceasefire ", "hospital ",
                                         "talks ",    "checkpoint ", "refugees ",  "airstrike "};
    std::string s;
    s.reserve(bytes + 16);
    for (std::size_t i = 0; s.size() < bytes; ++i) s += kWords[(i * 7 + i / 3) % 8];
    return s;
}

// ---------------------------------------------------------------------------------------
// Hostile input files
// ---------------------------------------------------------------------------------------

class HostileInput : public ::testing::Test {
  protected:
    void SetUp() override {
        db_ = dir_ / "db";
        // A good corpus first: what is in here must survive everything below.
        auto m = run_measured({index_bin(), "-q", "--db", db_, source_dir() + "/corpus/sample"}, {}, 2 * kHangSeconds);
        ASSERT_EQ(m.exit_code, 0) << m.err;
        before_ = doc_count(db_);
        ASSERT_GT(before_, 0u);
        before_ids_ = search_ids(db_, {"shelling"});
        ASSERT_FALSE(before_ids_.empty());
    }

    /// Indexes @a paths into the good database and checks the invariants every hostile
    /// run keeps: no crash, no hang, the good documents still there and still found.
    Measured index_hostile(const std::vector<std::string>& paths, const std::vector<std::string>& extra = {}) {
        std::vector<std::string> argv = {index_bin(), "-q", "--db", db_};
        argv.insert(argv.end(), extra.begin(), extra.end());
        argv.insert(argv.end(), paths.begin(), paths.end());
        Measured m = run_measured(argv, {}, 3 * kHangSeconds);
        EXPECT_TRUE(no_crash(m));
        EXPECT_GE(doc_count(db_), before_) << "nothing already indexed is lost";
        // By id: a ranked search may show another copy of a story once the statistics
        // change (collapse keeps the best-ranked copy), which is not a loss.
        Xapian::Database db(db_);
        for (const auto& id : before_ids_) EXPECT_TRUE(db.term_exists(warsearch::id_term(id))) << id << " is kept";
        EXPECT_FALSE(search_ids(db_, {"shelling"}).empty()) << "the good documents are still found";
        return m;
    }

    TempDir dir_;
    std::string db_;
    Xapian::doccount before_ = 0;
    std::vector<std::string> before_ids_;
};

TEST_F(HostileInput, InvalidUtf8AndNulBytesAreRepairedNotFatal) {
    std::string in = dir_ / "in";
    // Invalid UTF-8 (lone continuation, overlong, surrogate, truncated) in a JSON string.
    write_file(
        in + "/bad-utf8.jsonl",
        jsonl("h-ok-1", "Good before", "zebrafinch one") +
            "{\"id\":\"h-utf8\",\"title\":\"Broken \x80\xC0\xAF\xED\xA0\x80\xF0\x9F\",\"body\":\"utf8probe words\"}\n" +
            jsonl("h-ok-2", "Good after", "zebrafinch two"));
    // NUL bytes: raw inside a line, and in a plain-text file.
    write_file(in + "/nul.jsonl",
               std::string("{\"id\":\"h-nul\",\"title\":\"Nul\0here\",\"body\":\"nulprobe\"}\n", 52) +
                   std::string("\0\0\0\n", 4) + jsonl("h-ok-3", "After NULs", "zebrafinch three"));
    write_file(in + "/nul.txt", std::string("Nul title\n\nBody with\0NUL bytes\0 nultextprobe\n", 46));
    auto m = index_hostile({in});
    EXPECT_TRUE(m.exit_code == 0 || m.exit_code == 4) << m.exit_code << m.err;
    auto ids = search_ids(db_, {"zebrafinch"});
    EXPECT_TRUE(contains(ids, "h-ok-1") && contains(ids, "h-ok-2") && contains(ids, "h-ok-3")) << m.err;
    EXPECT_FALSE(search_ids(db_, {"utf8probe"}).empty()) << "a record with bad bytes is repaired, not lost";
    // Whatever was stored is valid UTF-8: the JSON output parses.
    auto r = run_measured({search_bin(), "--db", db_, "--json", "utf8probe OR nulprobe OR nultextprobe"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_FALSE(json::parse(r.out, nullptr, false).is_discarded()) << r.out;
}

TEST_F(HostileInput, TenMegabyteSingleLineIsBoundedInTimeAndMemory) {
    std::string in = dir_ / "in";
    write_file(in + "/one-line.txt", "Long line title\n\n" + words_text(10 << 20));
    write_file(in + "/one-line.jsonl", jsonl("h-long", "Long jsonl", words_text(10 << 20)));
    write_file(in + "/small.jsonl", jsonl("h-small", "Small one", "zebrafinch"));
    auto m = index_hostile({in});
    EXPECT_TRUE(m.exit_code == 0 || m.exit_code == 4) << m.exit_code << m.err;
    EXPECT_TRUE(contains(search_ids(db_, {"zebrafinch"}), "h-small"));
    RecordProperty("peak_rss_mb", std::to_string(m.peak_rss_mb));
    RecordProperty("seconds", std::to_string(m.seconds));
    // Two 10 MB documents: the text, its terms and positions, a few copies at most.
    EXPECT_LT(m.peak_rss_mb, 1024 * kMemScale) << "peak RSS " << m.peak_rss_mb << " MB";
}

// Regression: 50,000 nested <div> (and ~20,000 nested <b>) killed the indexer with
// SIGSEGV, so the files after it were never indexed; once the walks were bounded, the
// divs took Gumbo a minute and 5,000 nested tables 800 MB.  Each is now a failure for
// its file only, refused before parsing; the run goes on and exits 0.
TEST_F(HostileInput, DeeplyNestedHtmlFailsForThatFileOnly) {
    std::string in = dir_ / "in";
    auto page = [](const std::string& open, const std::string& close, int levels) {
        std::string p = "<html><head><title>Nested</title></head><body><p>zebrafinch nested</p>";
        for (int i = 0; i < levels; ++i) p += open;
        p += "deep";
        for (int i = 0; i < levels; ++i) p += close;
        return p + "</body></html>";
    };
    write_file(in + "/a-divs.html", page("<div>", "</div>", 50000));
    write_file(in + "/b-bold.html", page("<b>", "", 20000));
    write_file(in + "/c-tables.html", page("<table><tr><td>", "", 5000));
    write_file(in + "/d-after.jsonl", jsonl("h-after-html", "After the nesting", "zebrafinch"));
    auto m = index_hostile({in});
    EXPECT_EQ(m.exit_code, 0) << m.err;
    for (const char* f : {"/a-divs.html", "/b-bold.html", "/c-tables.html"})
        EXPECT_NE(lines_naming(m.err, in + f), "") << f << "\n" << m.err;
    EXPECT_TRUE(contains(search_ids(db_, {"zebrafinch"}), "h-after-html")) << m.err;
    RecordProperty("peak_rss_mb", std::to_string(m.peak_rss_mb));
    RecordProperty("seconds", std::to_string(m.seconds));
    EXPECT_LT(m.peak_rss_mb, 200 * kMemScale) << "peak RSS " << m.peak_rss_mb << " MB";
    EXPECT_LT(m.seconds, 20 * kMemScale) << "refused before Gumbo parses it";
}

TEST_F(HostileInput, DeeplyNestedAndHugeJsonFailWithTheFileNamed) {
    std::string in = dir_ / "in";
    std::string nested = std::string(100000, '[') + std::string(100000, ']');
    write_file(in + "/nested.json", nested);
    write_file(in + "/nested.jsonl", jsonl("h-before-nest", "Before nesting", "zebrafinch") +
                                         "{\"title\":" + std::string(100000, '[') + std::string(100000, ']') + "}\n" +
                                         jsonl("h-after-nest", "After nesting", "zebrafinch"));
    std::string objects = "{\"title\":" + std::string(100000, '{');
    write_file(in + "/nested-objects.json", objects);
    // Bigger than max_whole_file_bytes (256 MiB), as a sparse file: refused by size.
    {
        std::ofstream f(in + "/huge.json", std::ios::binary);
        f.seekp((300ll << 20) - 1);
        f.put('\0');
    }
    auto m = index_hostile({in});
    EXPECT_EQ(m.exit_code, 0) << "bad files are skipped and counted\n" << m.err;
    EXPECT_NE(lines_naming(m.err, in + "/nested.json"), "") << m.err;
    EXPECT_NE(lines_naming(m.err, in + "/nested.jsonl:2"), "") << "the record is named:\n" << m.err;
    EXPECT_NE(lines_naming(m.err, in + "/nested-objects.json"), "") << m.err;
    EXPECT_NE(lines_naming(m.err, in + "/huge.json"), "") << m.err;
    auto ids = search_ids(db_, {"zebrafinch"});
    EXPECT_TRUE(contains(ids, "h-before-nest") && contains(ids, "h-after-nest")) << m.err;
    EXPECT_LT(m.peak_rss_mb, 512 * kMemScale) << "the sparse 300 MB file is not read into memory";
}

TEST_F(HostileInput, LargeJsonArrayIsIndexed) {
    std::string in = dir_ / "in";
    std::string array = "[";
    for (int i = 0; i < 5000; ++i) {
        if (i) array += ",";
        array += json{{"id", "h-arr-" + std::to_string(i)},
                      {"title", "Array record"},
                      {"body", (i == 4999 ? std::string("zebrafinch ") : std::string()) + words_text(2000)}}
                     .dump();
    }
    write_file(in + "/big.json", array + "]");
    auto m = index_hostile({in}, {"--no-entities"});
    EXPECT_EQ(m.exit_code, 0) << m.err;
    EXPECT_TRUE(contains(search_ids(db_, {"zebrafinch"}), "h-arr-4999"));
    EXPECT_EQ(doc_count(db_), before_ + 5000);
}

TEST_F(HostileInput, HundredMegabyteJsonlIsStreamed) {
    // 100 lines of 1 MB: each a small article padded with a field we ignore, so the run
    // measures the reader's memory and not the index's size.
    std::string path = dir_ / "big.jsonl";
    {
        std::ofstream f(path, std::ios::binary);
        std::string pad(1 << 20, 'x');
        for (int i = 0; i < 100; ++i)
            f << "{\"id\":\"h-pad-" << i << "\",\"title\":\"Padded " << i
              << "\",\"body\":\"zebrafinch padded\",\"padding\":\"" << pad << "\"}\n";
    }
    auto m = index_hostile({path}, {"--no-entities"});
    EXPECT_EQ(m.exit_code, 0) << m.err;
    EXPECT_EQ(search_ids(db_, {"zebrafinch"}).size(), 100u);
    RecordProperty("peak_rss_mb", std::to_string(m.peak_rss_mb));
    EXPECT_LT(m.peak_rss_mb, 100 * kMemScale + 150) << "peak RSS " << m.peak_rss_mb << " MB for 100 MB of input";
}

TEST_F(HostileInput, CsvWithUnbalancedQuotesKeepsTheGoodRows) {
    std::string in = dir_ / "in";
    write_file(in + "/quotes.csv",
               "id,title,body\n"
               "h-csv-1,Good row,zebrafinch first\n"
               "h-csv-2,\"Bad \"\"row,zebrafinch never closed\n"
               "h-csv-3,Also swallowed,text\n");
    write_file(in + "/ragged.csv",
               "id,title,body\nh-csv-4,Ok,zebrafinch\nh-csv-5,a,b,c,d,e\nh-csv-6,Fine,zebrafinch\n");
    auto m = index_hostile({in});
    EXPECT_EQ(m.exit_code, 0) << m.err;
    EXPECT_NE(lines_naming(m.err, in + "/quotes.csv"), "") << m.err;
    EXPECT_NE(lines_naming(m.err, in + "/ragged.csv:3"), "") << m.err;
    auto ids = search_ids(db_, {"zebrafinch"});
    EXPECT_TRUE(contains(ids, "h-csv-1") && contains(ids, "h-csv-4") && contains(ids, "h-csv-6")) << m.err;
}

TEST_F(HostileInput, HtmlScriptFloodsAndBrokenTagsAreNotIndexedAsText) {
    std::string in = dir_ / "in";
    std::string page = "<html><head><title>Flooded page</title>";
    for (int i = 0; i < 20000; ++i) page += "<script>var scriptprobe = '</p>';</script><style>.styleprobe{}</style>";
    page +=
        "</head><body><article><p>zebrafinch real text<b><i>unclosed <p>still <div></span>"
        "<a href='javascript:alert(1)'>link</a><!-- never closed comment";
    write_file(in + "/flood.html", page);
    write_file(in + "/broken.html", "<html><<<>>><p <p <title>t</tit<body>\xff\xfe<p>zebrafinch broken</p");
    auto m = index_hostile({in});
    EXPECT_TRUE(m.exit_code == 0 || m.exit_code == 4) << m.err;
    EXPECT_EQ(search_ids(db_, {"zebrafinch"}).size(), 2u) << m.err;
    EXPECT_TRUE(search_ids(db_, {"scriptprobe"}).empty()) << "script text is not article text";
    EXPECT_TRUE(search_ids(db_, {"styleprobe"}).empty()) << "style text is not article text";
}

TEST_F(HostileInput, BinaryFilesAreReportedOrHarmless) {
    std::string in = dir_ / "in";
    write_file(in + "/blob.bin", random_bytes(1 << 20, 1));
    write_file(in + "/blob.jsonl", random_bytes(256 << 10, 2));
    write_file(in + "/blob.txt", random_bytes(256 << 10, 3));
    write_file(in + "/blob.html", random_bytes(256 << 10, 4));
    write_file(in + "/blob.csv", random_bytes(256 << 10, 5));
    write_file(in + "/elf", read_file(index_bin()).substr(0, 1 << 20));
    write_file(in + "/good.jsonl", jsonl("h-good", "Good one", "zebrafinch"));
    auto m = index_hostile({in});
    EXPECT_TRUE(m.exit_code == 0 || m.exit_code == 4) << m.err;
    EXPECT_TRUE(contains(search_ids(db_, {"zebrafinch"}), "h-good"));
    // Every message names its file.
    std::istringstream lines(m.err);
    for (std::string line; std::getline(lines, line);)
        EXPECT_EQ(line.rfind(in + "/", 0), 0u) << "a message that names no file: " << line;
}

TEST_F(HostileInput, UnreadableThingsAreNamedAndSkipped) {
    std::string in = dir_ / "in";
    write_file(in + "/good.jsonl", jsonl("h-good", "Good one", "zebrafinch"));
    ASSERT_EQ(mkfifo((in + "/pipe.jsonl").c_str(), 0644), 0) << std::strerror(errno);
    fs::create_symlink(in + "/nowhere.jsonl", in + "/dangling.jsonl");
    fs::create_symlink("self.jsonl", in + "/self.jsonl");  // ELOOP
    fs::create_directories(in + "/loop");
    fs::create_directory_symlink("..", in + "/loop/up");  // a directory cycle
    fs::create_directories(in + "/empty-dir");
    fs::create_directories(in + "/dir-named.jsonl");  // a directory with a file's name
    write_file(in + "/empty.jsonl", "");
    write_file(in + "/mode-000.jsonl", jsonl("h-000", "Mode 000", "zebrafinch"));
    chmod((in + "/mode-000.jsonl").c_str(), 0);
    // Given explicitly: a missing path, and a file whose every read fails (EIO).
    auto m = index_hostile({in, dir_ / "missing.jsonl", "/proc/self/mem"});
    EXPECT_EQ(m.exit_code, 4) << m.err;
    EXPECT_LT(m.seconds, kHangSeconds) << "a FIFO must not block the walk";
    EXPECT_TRUE(contains(search_ids(db_, {"zebrafinch"}), "h-good")) << m.err;
    EXPECT_NE(lines_naming(m.err, dir_ / "missing.jsonl"), "") << m.err;
    EXPECT_NE(lines_naming(m.err, in + "/dangling.jsonl"), "") << m.err;
    EXPECT_NE(lines_naming(m.err, in + "/pipe.jsonl"), "") << m.err;
    EXPECT_NE(lines_naming(m.err, "/proc/self/mem"), "") << m.err;
    if (geteuid() != 0) {
        EXPECT_NE(lines_naming(m.err, in + "/mode-000.jsonl"), "") << m.err;
    }  // root reads mode-000 files: permissions do not apply, nothing to assert
    // The loop is walked once: no document is read twice, no endless recursion.
    EXPECT_EQ(lines_naming(m.err, "/loop/up/loop/up"), "") << m.err;
}

TEST_F(HostileInput, EmptyDirectoryIndexesNothingAndSaysSo) {
    std::string empty = dir_ / "empty";
    fs::create_directories(empty);
    Measured m = run_measured({index_bin(), "--db", db_, empty});
    EXPECT_TRUE(no_crash(m));
    EXPECT_EQ(m.exit_code, 0) << m.err;
    EXPECT_NE(m.err.find("indexed 0 documents"), std::string::npos) << m.err;
    EXPECT_EQ(doc_count(db_), before_);
}

// ---------------------------------------------------------------------------------------
// Abusive queries
// ---------------------------------------------------------------------------------------

class QueryAbuse : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir;
        db_ = new std::string(*dir_ / "db");
        auto m = run_measured({index_bin(), "-q", "--db", *db_, source_dir() + "/corpus/sample"}, {}, 2 * kHangSeconds);
        ASSERT_EQ(m.exit_code, 0) << m.err;
    }
    static void TearDownTestSuite() {
        delete db_;
        delete dir_;
    }

    /// The CLI: a result or a message, exit 0 (results) or 2 (bad query).
    static Measured cli(const std::vector<std::string>& args, std::initializer_list<int> codes = {0, 2}) {
        std::vector<std::string> argv = {search_bin(), "--db", *db_};
        argv.insert(argv.end(), args.begin(), args.end());
        Measured m = run_measured(argv);
        EXPECT_TRUE(no_crash(m));
        EXPECT_TRUE(std::find(codes.begin(), codes.end(), m.exit_code) != codes.end())
            << "exit " << m.exit_code << ": " << m.err.substr(0, 2000);
        if (m.exit_code != 0) {
            EXPECT_FALSE(m.err.empty()) << "a failure says why";
        }
        RecordProperty("peak_rss_mb", std::to_string(m.peak_rss_mb));
        EXPECT_LT(m.peak_rss_mb, 512 * kMemScale);
        return m;
    }

    /// The CGI page (REQUEST_METHOD=GET, so the raw query string is used as sent): 200 or
    /// 400, exit 0, no trace on the page.
    static Measured cgi(const std::string& query_string) {
        Measured m =
            run_measured({cgi_bin()}, {"WARSEARCH_DB=" + *db_, "REQUEST_METHOD=GET", "QUERY_STRING=" + query_string});
        EXPECT_TRUE(no_crash(m));
        EXPECT_EQ(m.exit_code, 0) << m.err;
        EXPECT_TRUE(m.out.rfind("Status: 200", 0) == 0 || m.out.rfind("Status: 400", 0) == 0) << m.out.substr(0, 300);
        EXPECT_EQ(m.out.find("Xapian::"), std::string::npos) << "no internals on the page";
        EXPECT_LT(m.peak_rss_mb, 512 * kMemScale);
        return m;
    }

    static TempDir* dir_;
    static std::string* db_;
};
TempDir* QueryAbuse::dir_ = nullptr;
std::string* QueryAbuse::db_ = nullptr;

std::string repeat_joined(const std::string& word, const std::string& sep, int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += (i ? sep : "") + word + std::to_string(i);
    return s;
}

std::string percent_encode(const std::string& s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c))
            out += static_cast<char>(c);
        else
            out += std::string("%") + hex[c >> 4] + hex[c & 15];
    }
    return out;
}

TEST_F(QueryAbuse, HugeQueriesAreRefusedWithAMessage) {
    auto m = cli({std::string(100 << 10, 'a')});
    EXPECT_EQ(m.exit_code, 2);
    m = cli({repeat_joined("w", " OR ", 10000)});
    EXPECT_EQ(m.exit_code, 2);
    m = cli({repeat_joined("w", " ", 1500)});  // under 16 KiB, over 1,000 words
    EXPECT_EQ(m.exit_code, 2);
    cli({repeat_joined("aleppo", " OR ", 400)});
    cgi("q=" + std::string(100 << 10, 'a'));
    cgi("q=" + percent_encode(repeat_joined("w", " OR ", 10000)));
}

TEST_F(QueryAbuse, WildcardsAreBounded) {
    for (const char* q : {"a*", "*", "**", "a* b* c* d* e* f* g* h*", "\"a* b*\"", "title:a*", "a*z", "*a"}) {
        auto m = cli({q});
        cli({"--json", q});
        cgi(std::string("q=") + percent_encode(q));
        (void)m;
    }
    cli({"--wildcard-limit", "100000000", "a*"}, {0, 1, 2});
}

TEST_F(QueryAbuse, UnbalancedSyntaxAndControlCharacters) {
    for (const char* q : {"\"aleppo",
                          "aleppo\"",
                          "((((aleppo",
                          "aleppo))))",
                          "title:(",
                          "title:\"",
                          "source:",
                          "date:",
                          "date:..",
                          "date:9999999999-99..0",
                          "AND",
                          "OR OR OR",
                          "NOT",
                          "aleppo NEAR",
                          "NEAR/99999999 aleppo",
                          "-",
                          "+",
                          "\"\"",
                          "()",
                          "\x01\x02\x1b[31m\x7f aleppo",
                          "aleppo\r\nXSRC:injected",
                          "\xff\xfe\xc0\xaf",
                          "faction:",
                          "location:\"\"",
                          "id:",
                          "parent:\x01",
                          "a:b:c:d:e"}) {
        auto m = cli({q});
        EXPECT_EQ(m.out.find('\x1b'), std::string::npos) << "no terminal escapes echoed: " << q;
        cli({"--json", q});
        cgi(std::string("q=") + percent_encode(q));
    }
    cgi("q=aleppo%00idlib");
    cgi("q=%ZZ%2&%&&&==&q=%C0%AF");
}

TEST_F(QueryAbuse, AbsurdPagingIsRefusedOrClamped) {
    for (auto args : std::vector<std::vector<std::string>>{{"--offset", "4294967295", "aleppo"},
                                                           {"--offset", "100001", "aleppo"},
                                                           {"--limit", "4294967295", "aleppo"},
                                                           {"--limit", "0", "aleppo"},
                                                           {"--offset", "99999999999999999999999", "aleppo"},
                                                           {"--offset", "-1", "aleppo"},
                                                           {"--limit", "-5", "aleppo"},
                                                           {"--time-limit", "-1", "aleppo"},
                                                           {"--time-limit", "1e308", "aleppo"},
                                                           {"--limit", "1000", "--offset", "99999", ""}}) {
        cli(args, {0, 1, 2});  // an option value out of range is a usage error (1)
    }
    for (const char* qs :
         {"q=aleppo&page=999999999999999999999", "q=aleppo&page=0", "q=aleppo&page=-1", "q=aleppo&n=1000000",
          "q=aleppo&n=-5", "q=aleppo&n=0", "q=aleppo&rev=abc", "q=aleppo&rev=99999999999999999999999",
          "q=aleppo&sort=%00", "q=aleppo&page=1e9", "q=aleppo&from=99999-99&to=0", "q=aleppo&db=../../etc"})
        cgi(qs);
}

TEST_F(QueryAbuse, HugeFilterLists) {
    std::vector<std::string> args;
    for (int i = 0; i < 5000; ++i) {
        args.push_back("--filter");
        args.push_back("source:s" + std::to_string(i));
    }
    args.push_back("aleppo");
    cli(args);
    std::string qs = "q=aleppo";
    for (int i = 0; i < 5000; ++i) qs += "&f=source:s" + std::to_string(i);
    cgi(qs);
    cgi("q=aleppo&f=" + std::string(100 << 10, 'x'));
}

// ---------------------------------------------------------------------------------------
// Database faults
// ---------------------------------------------------------------------------------------

class DatabaseFaults : public ::testing::Test {
  protected:
    void SetUp() override {
        db_ = dir_ / "db";
        write_file(dir_ / "more/more.jsonl", jsonl("f-1", "More", "zebrafinch") + jsonl("f-2", "More", "zebrafinch"));
        auto m = run_measured({index_bin(), "-q", "--db", db_, source_dir() + "/corpus/sample"}, {}, 2 * kHangSeconds);
        ASSERT_EQ(m.exit_code, 0) << m.err;
        before_ = doc_count(db_);
    }

    /// A failed run's message: the cause on (about) one line, no trace.
    static void expect_one_line_cause(const Measured& m) {
        EXPECT_TRUE(no_crash(m));
        EXPECT_FALSE(m.err.empty());
        EXPECT_LE(std::count(m.err.begin(), m.err.end(), '\n'), 2) << m.err;
    }

    TempDir dir_;
    std::string db_;
    Xapian::doccount before_ = 0;
};

TEST_F(DatabaseFaults, MissingDatabase) {
    auto m = run_measured({search_bin(), "--db", dir_ / "no-such-db", "aleppo"});
    EXPECT_EQ(m.exit_code, 3) << m.err;
    expect_one_line_cause(m);
    EXPECT_NE(m.err.find(dir_ / "no-such-db"), std::string::npos) << m.err;
    write_file(dir_ / "a-file", "not a directory");
    m = run_measured({index_bin(), "-q", "--db", dir_ / "a-file/db", dir_ / "more"});
    EXPECT_EQ(m.exit_code, 3) << m.err;
    expect_one_line_cause(m);
    m = run_measured({cgi_bin(), "q=aleppo"}, {"WARSEARCH_DB=" + dir_ / "no-such-db"});
    EXPECT_TRUE(no_crash(m));
    EXPECT_EQ(m.out.rfind("Status: 503", 0), 0u) << m.out.substr(0, 200);
    EXPECT_EQ(m.out.find(dir_.path()), std::string::npos) << "the page does not show server paths";
}

TEST_F(DatabaseFaults, LockedByAWriter) {
    {
        Xapian::WritableDatabase writer(db_, Xapian::DB_OPEN);
        auto m = run_measured({index_bin(), "-q", "--db", db_, dir_ / "more"});
        EXPECT_EQ(m.exit_code, 5) << m.err;
        expect_one_line_cause(m);
        EXPECT_NE(m.err.find("locked"), std::string::npos) << m.err;
        // Readers are not blocked by a writer.
        auto s = run_measured({search_bin(), "--db", db_, "aleppo"});
        EXPECT_EQ(s.exit_code, 0) << s.err;
    }
    EXPECT_EQ(doc_count(db_), before_);
}

TEST_F(DatabaseFaults, TruncatedOrCorruptedFiles) {
    struct Damage {
        const char* file;
        bool truncate;  ///< truncate to half, else overwrite bytes in the middle
    };
    for (Damage d : {Damage{"postlist.glass", true}, Damage{"postlist.glass", false}, Damage{"docdata.glass", true},
                     Damage{"docdata.glass", false}, Damage{"termlist.glass", false}, Damage{"iamglass", true}}) {
        SCOPED_TRACE(std::string(d.file) + (d.truncate ? " truncated" : " overwritten"));
        std::string copy = dir_ / (std::string("copy-") + d.file + (d.truncate ? "-t" : "-o"));
        fs::copy(db_, copy, fs::copy_options::recursive);
        std::string file = copy + "/" + d.file;
        if (!fs::exists(file)) continue;
        auto size = fs::file_size(file);
        if (d.truncate) {
            fs::resize_file(file, size / 2);
        } else {
            std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
            f.seekp(static_cast<std::streamoff>(size / 3));
            std::string junk = random_bytes(std::min<std::uintmax_t>(size / 3, 8192), 7);
            f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
        }
        // Searching: results (the damage missed what this query reads) or exit 3.
        for (const char* q : {"aleppo", "shelling OR ceasefire OR hospital", "a*"}) {
            auto m = run_measured({search_bin(), "--db", copy, "--json", q});
            EXPECT_TRUE(no_crash(m));
            EXPECT_TRUE(m.exit_code == 0 || m.exit_code == 3) << m.exit_code << m.err;
            if (m.exit_code == 3) expect_one_line_cause(m);
            auto c = run_measured({cgi_bin(), std::string("q=") + q}, {"WARSEARCH_DB=" + copy});
            EXPECT_TRUE(no_crash(c));
            EXPECT_TRUE(c.out.rfind("Status: 200", 0) == 0 || c.out.rfind("Status: 503", 0) == 0 ||
                        c.out.rfind("Status: 500", 0) == 0)
                << c.out.substr(0, 200);
        }
        // Indexing into it: done, or exit 3 with the cause.
        auto m = run_measured({index_bin(), "-q", "--db", copy, dir_ / "more"});
        EXPECT_TRUE(no_crash(m));
        EXPECT_TRUE(m.exit_code == 0 || m.exit_code == 3) << m.exit_code << m.err;
        if (m.exit_code == 3) expect_one_line_cause(m);
    }
    EXPECT_EQ(doc_count(db_), before_) << "the original was not touched";
}

/// A mount made for one test and undone after it.
class ScopedMount {
  public:
    ScopedMount() = default;
    ~ScopedMount() {
        if (!target_.empty()) umount2(target_.c_str(), MNT_DETACH);
    }
    bool tmpfs(const std::string& target, const std::string& size) {
        if (mount("tmpfs", target.c_str(), "tmpfs", 0, ("size=" + size).c_str()) != 0) return fail();
        target_ = target;
        return true;
    }
    bool bind_read_only(const std::string& source, const std::string& target) {
        if (mount(source.c_str(), target.c_str(), nullptr, MS_BIND, nullptr) != 0) return fail();
        target_ = target;
        if (mount(nullptr, target.c_str(), nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr) != 0) return fail();
        return true;
    }
    const std::string& error() const { return error_; }

  private:
    bool fail() {
        error_ = std::strerror(errno);
        return false;
    }
    std::string target_, error_;
};

TEST_F(DatabaseFaults, ReadOnlyFilesystem) {
    std::string ro = dir_ / "ro";
    fs::create_directories(ro);
    ScopedMount mnt;
    if (!mnt.bind_read_only(db_, ro)) GTEST_SKIP() << "cannot make a read-only bind mount: " << mnt.error();
    // Searching a read-only database works.
    auto s = run_measured({search_bin(), "--db", ro, "aleppo"});
    EXPECT_EQ(s.exit_code, 0) << s.err;
    // Writing to it fails with the cause.
    auto m = run_measured({index_bin(), "-q", "--db", ro, dir_ / "more"});
    EXPECT_EQ(m.exit_code, 3) << m.err;
    expect_one_line_cause(m);
    EXPECT_EQ(doc_count(ro), before_);
    EXPECT_EQ(doc_count(db_), before_);
}

TEST_F(DatabaseFaults, FullDisk) {
    std::string small = dir_ / "small";
    fs::create_directories(small);
    ScopedMount mnt;
    if (!mnt.tmpfs(small, "8m")) GTEST_SKIP() << "cannot mount a tmpfs: " << mnt.error();
    std::string db = small + "/db";
    fs::copy(db_, db, fs::copy_options::recursive);
    // Fill what is left of the filesystem.
    {
        std::ofstream fill(small + "/filler", std::ios::binary);
        std::string block(64 << 10, 'f');
        while (fill.write(block.data(), static_cast<std::streamsize>(block.size()))) {
        }
    }
    std::string big = dir_ / "big";
    for (int i = 0; i < 20; ++i) {
        std::string lines;
        for (int k = 0; k < 50; ++k)
            lines += jsonl("full-" + std::to_string(i) + "-" + std::to_string(k), "Filling",
                           words_text(4000) + std::to_string(k));
        write_file(big + "/part-" + std::to_string(i) + ".jsonl", lines);
    }
    auto m = run_measured({index_bin(), "-q", "--db", db, "--batch-size", "100", "--no-entities", big}, {},
                          3 * kHangSeconds);
    EXPECT_EQ(m.exit_code, 3) << m.err;
    expect_one_line_cause(m);
    EXPECT_TRUE(m.err.find("space") != std::string::npos || m.err.find("ENOSPC") != std::string::npos) << m.err;
    // The last committed revision still opens (a committed batch may have landed).
    fs::remove(small + "/filler");
    Xapian::doccount after = 0;
    EXPECT_NO_THROW(after = doc_count(db));
    EXPECT_GE(after, before_);
    EXPECT_EQ((after - before_) % 100, 0u) << "only whole batches: " << after - before_;
    auto s = run_measured({search_bin(), "--db", db, "aleppo"});
    EXPECT_EQ(s.exit_code, 0) << s.err;
    // And it takes writes again once there is space.
    auto again = run_measured({index_bin(), "-q", "--db", db, dir_ / "more"});
    EXPECT_EQ(again.exit_code, 0) << again.err;
}

}  // namespace
