// HTML news pages, parsed by Gumbo (an HTML5 parser: broken markup and entities are
// handled the way browsers do).  One article per page; live blogs are split.
#include <gumbo.h>

#include <cctype>
#include <cstring>
#include <map>
#include <set>

#include "common/readers/html_nesting.h"
#include "common/readers/json_ld.h"
#include "common/readers/live_blog.h"
#include "common/readers/reader_support.h"
#include "common/readers/readers.h"
#include "common/text/dates.h"
#include "common/text/text.h"

namespace warsearch {
namespace {

const char* attr(const GumboNode* n, const char* name) {
    if (n->type != GUMBO_NODE_ELEMENT) return nullptr;
    const GumboAttribute* a = gumbo_get_attribute(&n->v.element.attributes, name);
    return a ? a->value : nullptr;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Class and id split into words at spaces, '-' and '_': "ad-slot top" -> ad, slot, top.
std::vector<std::string> name_tokens(const GumboNode* n) {
    std::vector<std::string> tokens;
    for (const char* which : {"class", "id"}) {
        const char* v = attr(n, which);
        if (!v) continue;
        std::string cur;
        for (const char* p = v;; ++p) {
            char c = *p;
            if (c == '\0' || c == ' ' || c == '-' || c == '_' || c == '\t' || c == '\n') {
                if (!cur.empty()) tokens.push_back(lower(cur));
                cur.clear();
                if (c == '\0') break;
            } else {
                cur += c;
            }
        }
    }
    return tokens;
}

bool has_token(const GumboNode* n, std::initializer_list<const char*> wanted) {
    for (const auto& t : name_tokens(n))
        for (const char* w : wanted)
            if (t == w) return true;
    return false;
}

// Navigation, scripts, embeds and page furniture: never article text.
bool is_boilerplate(const GumboNode* n) {
    if (n->type != GUMBO_NODE_ELEMENT) return false;
    switch (n->v.element.tag) {
        case GUMBO_TAG_NAV:
        case GUMBO_TAG_HEADER:
        case GUMBO_TAG_FOOTER:
        case GUMBO_TAG_ASIDE:
        case GUMBO_TAG_FORM:
        case GUMBO_TAG_SCRIPT:
        case GUMBO_TAG_STYLE:
        case GUMBO_TAG_NOSCRIPT:
        case GUMBO_TAG_TEMPLATE:
        case GUMBO_TAG_IFRAME:
        case GUMBO_TAG_SVG:
        case GUMBO_TAG_BUTTON:
        case GUMBO_TAG_SELECT:
        case GUMBO_TAG_TEXTAREA:
        case GUMBO_TAG_OBJECT:
        case GUMBO_TAG_EMBED:
        case GUMBO_TAG_CANVAS:
        case GUMBO_TAG_FIGCAPTION:
        case GUMBO_TAG_HEAD:
        case GUMBO_TAG_MENU:
            return true;
        default:
            break;
    }
    if (attr(n, "hidden")) return true;
    if (const char* h = attr(n, "aria-hidden"); h && std::strcmp(h, "true") == 0) return true;
    // Whole words only: "ad" must not match "header" or "read-more".
    return has_token(n, {"ad",      "ads",        "advert",  "adverts",   "advertisement", "advertising", "promo",
                         "promos",  "promotion",  "sponsor", "sponsored", "share",         "sharing",     "social",
                         "related", "newsletter", "cookie",  "cookies",   "comment",       "comments",    "byline"});
}

bool is_block(GumboTag t) {
    switch (t) {
        case GUMBO_TAG_P:
        case GUMBO_TAG_DIV:
        case GUMBO_TAG_SECTION:
        case GUMBO_TAG_ARTICLE:
        case GUMBO_TAG_MAIN:
        case GUMBO_TAG_H1:
        case GUMBO_TAG_H2:
        case GUMBO_TAG_H3:
        case GUMBO_TAG_H4:
        case GUMBO_TAG_H5:
        case GUMBO_TAG_H6:
        case GUMBO_TAG_LI:
        case GUMBO_TAG_UL:
        case GUMBO_TAG_OL:
        case GUMBO_TAG_BLOCKQUOTE:
        case GUMBO_TAG_PRE:
        case GUMBO_TAG_TABLE:
        case GUMBO_TAG_TR:
        case GUMBO_TAG_BR:
        case GUMBO_TAG_HR:
        case GUMBO_TAG_DD:
        case GUMBO_TAG_DT:
        case GUMBO_TAG_DL:
        case GUMBO_TAG_FIGURE:
        case GUMBO_TAG_ADDRESS:
        case GUMBO_TAG_BODY:
            return true;
        default:
            return false;
    }
}

// Elements nested deeper than this are not read: real pages stay far below it, and a
// bound keeps hostile nesting ("<b>" 100,000 times) from exhausting the stack.
constexpr int kMaxTreeDepth = 256;

bool is_heading(const GumboNode* n) {
    if (n->type != GUMBO_NODE_ELEMENT) return false;
    GumboTag t = n->v.element.tag;
    return t == GUMBO_TAG_H2 || t == GUMBO_TAG_H3 || t == GUMBO_TAG_H4;
}

// Collects paragraphs: block elements end one; white space collapses as in a browser.
class TextBuilder {
  public:
    explicit TextBuilder(std::set<const GumboNode*> skip = {}) : skip_(std::move(skip)) {}

    void walk(const GumboNode* n, bool in_paragraph = false, int depth = 0) {
        if (skip_.count(n) || depth > kMaxTreeDepth) return;
        switch (n->type) {
            case GUMBO_NODE_TEXT:
            case GUMBO_NODE_CDATA:
            case GUMBO_NODE_WHITESPACE:
                add(n->v.text.text);
                return;
            case GUMBO_NODE_ELEMENT:
            case GUMBO_NODE_TEMPLATE:
                break;
            default:
                return;  // comments, the document node's doctype
        }
        if (is_boilerplate(n)) return;
        GumboTag t = n->v.element.tag;
        // A <time> on its own (not inside a sentence) is a line of its own, so the
        // live-blog splitter sees it.
        bool block = is_block(t) || (t == GUMBO_TAG_TIME && !in_paragraph);
        if (block) flush();
        bool inner = in_paragraph || t == GUMBO_TAG_P || t == GUMBO_TAG_LI || t == GUMBO_TAG_BLOCKQUOTE ||
                     t == GUMBO_TAG_H2 || t == GUMBO_TAG_H3 || t == GUMBO_TAG_H4 || t == GUMBO_TAG_H5 ||
                     t == GUMBO_TAG_H6;
        std::size_t time_starts = cur_.size();
        const GumboVector& kids = n->v.element.children;
        for (unsigned i = 0; i < kids.length; ++i) walk(static_cast<const GumboNode*>(kids.data[i]), inner, depth + 1);
        if (t == GUMBO_TAG_TIME) {
            // What the <time> showed, with its machine-readable instant, for the live-blog
            // splitter ("16.40 BST" is 2024-05-14T15:40:00+00:00).
            const char* dt = attr(n, "datetime");
            std::string shown = squeeze_space(std::string_view(cur_).substr(std::min(time_starts, cur_.size())));
            if (dt && !shown.empty()) times_.emplace_back(std::move(shown), dt);
        }
        if (block) flush();
    }

    /// The <time datetime> elements walked, in order: (text shown, datetime).
    const std::vector<std::pair<std::string, std::string>>& times() const { return times_; }

    std::string text() {
        flush();
        std::string out;
        for (const auto& p : paragraphs_) {
            if (!out.empty()) out += "\n\n";
            out += p;
        }
        return out;
    }

  private:
    void add(const char* s) {
        for (const char* p = s; *p; ++p) {
            unsigned char c = static_cast<unsigned char>(*p);
            if (std::isspace(c)) {
                space_ = true;
            } else {
                if (space_ && !cur_.empty()) cur_ += ' ';
                space_ = false;
                cur_ += static_cast<char>(c);
            }
        }
    }
    void flush() {
        std::string p = squeeze_space(cur_);
        if (!p.empty()) paragraphs_.push_back(std::move(p));
        cur_.clear();
        space_ = false;
    }

    std::set<const GumboNode*> skip_;
    std::vector<std::pair<std::string, std::string>> times_;
    std::vector<std::string> paragraphs_;
    std::string cur_;
    bool space_ = false;
};

std::string node_text(const GumboNode* n) {
    TextBuilder b;
    b.walk(n, true);
    return squeeze_space(b.text());
}

struct PageFacts {
    std::map<std::string, std::string> meta;  // lower-case name/property -> content
    std::string title_tag, h1, canonical, rel_author, byline, lang, time_datetime;
    std::vector<const GumboNode*> articles;  // <article> not inside another one
    const GumboNode* main = nullptr;
    const GumboNode* body = nullptr;
    std::vector<std::string> json_ld;          // the text of each <script type="application/ld+json">
    std::vector<const GumboNode*> live_class;  // elements whose class or id names a live blog
};

// "liveblog-body", "live-blog", "live_blog__entry": markup written for a live page.
bool names_live_blog(const GumboNode* n) {
    for (const char* which : {"class", "id"}) {
        const char* v = attr(n, which);
        if (!v) continue;
        std::string low = lower(v);
        if (low.find("liveblog") != std::string::npos || low.find("live-blog") != std::string::npos ||
            low.find("live_blog") != std::string::npos)
            return true;
    }
    return false;
}

void survey(const GumboNode* n, PageFacts& f, bool in_article, bool in_boilerplate, int depth = 0) {
    if (n->type != GUMBO_NODE_ELEMENT || depth > kMaxTreeDepth) return;
    const GumboElement& e = n->v.element;
    switch (e.tag) {
        case GUMBO_TAG_HTML:
            if (const char* l = attr(n, "lang")) f.lang = l;
            break;
        case GUMBO_TAG_META: {
            const char* key = attr(n, "property");
            if (!key) key = attr(n, "name");
            if (!key) key = attr(n, "itemprop");
            const char* content = attr(n, "content");
            if (key && content) f.meta.emplace(lower(key), content);
            return;
        }
        case GUMBO_TAG_LINK: {
            const char* rel = attr(n, "rel");
            const char* href = attr(n, "href");
            if (rel && href && lower(rel) == "canonical" && f.canonical.empty()) f.canonical = href;
            return;
        }
        case GUMBO_TAG_TITLE:
            if (f.title_tag.empty()) f.title_tag = node_text(n);
            return;
        case GUMBO_TAG_SCRIPT: {
            const char* type = attr(n, "type");
            if (type && lower(type).find("ld+json") != std::string::npos) {
                std::string text;
                for (unsigned i = 0; i < e.children.length; ++i) {
                    const GumboNode* kid = static_cast<const GumboNode*>(e.children.data[i]);
                    if (kid->type == GUMBO_NODE_TEXT || kid->type == GUMBO_NODE_CDATA ||
                        kid->type == GUMBO_NODE_WHITESPACE)
                        text += kid->v.text.text;
                }
                f.json_ld.push_back(std::move(text));
            }
            return;
        }
        case GUMBO_TAG_BODY:
            f.body = n;
            break;
        case GUMBO_TAG_MAIN:
            if (!f.main && !in_boilerplate) f.main = n;
            break;
        case GUMBO_TAG_H1:
            if (f.h1.empty()) f.h1 = node_text(n);
            break;
        case GUMBO_TAG_TIME:
            if (const char* dt = attr(n, "datetime"); dt && f.time_datetime.empty()) f.time_datetime = dt;
            break;
        case GUMBO_TAG_A:
            if (const char* rel = attr(n, "rel"); rel && lower(rel) == "author" && f.rel_author.empty())
                f.rel_author = node_text(n);
            break;
        case GUMBO_TAG_ARTICLE:
            if (!in_article && !in_boilerplate) f.articles.push_back(n);
            in_article = true;
            break;
        default:
            break;
    }
    if (f.byline.empty() && has_token(n, {"byline"})) f.byline = node_text(n);
    if (!in_boilerplate && f.live_class.size() < 64 && names_live_blog(n)) f.live_class.push_back(n);
    bool skip = in_boilerplate || (e.tag != GUMBO_TAG_HTML && e.tag != GUMBO_TAG_BODY && is_boilerplate(n));
    for (unsigned i = 0; i < e.children.length; ++i)
        survey(static_cast<const GumboNode*>(e.children.data[i]), f, in_article, skip, depth + 1);
}

// ---- live blogs made of repeated entry blocks ----

const GumboNode* find_first(const GumboNode* n, bool (*pred)(const GumboNode*), int depth = 0);
bool is_time(const GumboNode* n);

bool is_entry_block(const GumboNode* n) {
    if (n->type != GUMBO_NODE_ELEMENT) return false;
    GumboTag t = n->v.element.tag;
    if (has_token(n, {"entry", "update", "post"}))
        return t == GUMBO_TAG_ARTICLE || t == GUMBO_TAG_SECTION || t == GUMBO_TAG_DIV || t == GUMBO_TAG_LI;
    // A bare <article> is an entry only with a time: lists of teasers to other stories
    // are <article>s with headings too.
    return t == GUMBO_TAG_ARTICLE && find_first(n, is_time) != nullptr;
}

const GumboNode* find_first(const GumboNode* n, bool (*pred)(const GumboNode*), int depth) {
    if (n->type != GUMBO_NODE_ELEMENT || depth > kMaxTreeDepth) return nullptr;
    if (pred(n)) return n;
    if (is_boilerplate(n) && n->v.element.tag != GUMBO_TAG_HEADER) return nullptr;
    const GumboVector& kids = n->v.element.children;
    for (unsigned i = 0; i < kids.length; ++i)
        if (const GumboNode* hit = find_first(static_cast<const GumboNode*>(kids.data[i]), pred, depth + 1)) return hit;
    return nullptr;
}

bool is_time(const GumboNode* n) {
    return n->type == GUMBO_NODE_ELEMENT && (n->v.element.tag == GUMBO_TAG_TIME || has_token(n, {"time", "timestamp"}));
}

// What a time element says: its datetime attribute when it has a clock, else its text
// read as a marker ("Posted at 09:15", "16.40 BST").
EntryTime time_of(const GumboNode* t, std::string& written) {
    EntryTime when;
    std::string shown = node_text(t);
    std::string time_text;
    if (read_entry_marker(shown, when, time_text)) written = time_text;
    if (written.empty()) written = shown;
    if (const char* dt = attr(t, "datetime")) {
        if (auto d = parse_iso_date(dt)) {
            if (d->precision >= DatePrecision::minute) {
                d->second = 0;
                d->precision = DatePrecision::minute;
                when.exact = *d;
            } else if (d->precision == DatePrecision::day && !when.has_day()) {
                when.year = d->year;
                when.month = d->month;
                when.day = d->day;
            }
        }
        if (written.empty()) written = squeeze_space(dt);
    }
    return when;
}

bool has_clock_time(const GumboNode* block) {
    const GumboNode* t = find_first(block, is_time);
    if (!t) return false;
    std::string written;
    EntryTime when = time_of(t, written);
    return when.has_clock || when.exact;
}

// Words of running text in @a n outside links, headings and times: teasers (a linked
// headline and a date) have none.
std::size_t own_words(const GumboNode* n, bool counted = true, int depth = 0) {
    if (depth > kMaxTreeDepth) return 0;
    if (n->type == GUMBO_NODE_TEXT) {
        if (!counted) return 0;
        std::size_t words = 0;
        bool in_word = false;
        for (const char* p = n->v.text.text; *p; ++p) {
            bool space = std::isspace(static_cast<unsigned char>(*p)) != 0;
            if (!space && !in_word) ++words;
            in_word = !space;
        }
        return words;
    }
    if (n->type != GUMBO_NODE_ELEMENT || is_boilerplate(n)) return 0;
    GumboTag t = n->v.element.tag;
    bool inner = counted && t != GUMBO_TAG_A && !is_heading(n) && t != GUMBO_TAG_TIME && !is_time(n);
    std::size_t words = 0;
    const GumboVector& kids = n->v.element.children;
    for (unsigned i = 0; i < kids.length; ++i)
        words += own_words(static_cast<const GumboNode*>(kids.data[i]), inner, depth + 1);
    return words;
}

constexpr std::size_t kMinEntryWords = 4;

// Collects entry blocks that hold a heading or a time and contain no such block
// themselves (so a wrapper <article> around the entries is not one).
bool collect_entries(const GumboNode* n, std::vector<const GumboNode*>& out, int depth = 0) {
    if (n->type != GUMBO_NODE_ELEMENT || is_boilerplate(n) || depth > kMaxTreeDepth) return false;
    bool below = false;
    const GumboVector& kids = n->v.element.children;
    for (unsigned i = 0; i < kids.length; ++i)
        below = collect_entries(static_cast<const GumboNode*>(kids.data[i]), out, depth + 1) || below;
    if (below) return true;
    if (is_entry_block(n) && (find_first(n, is_heading) || find_first(n, is_time))) {
        if (own_words(n) >= kMinEntryWords) out.push_back(n);
        return true;
    }
    return false;
}

// Blocks with no telling class: at least kMinLiveBlogEntries sibling elements of the
// same tag and class, each holding a clock time and some text of its own (a Guardian-
// style "block", a card).  The largest such group on the page.
void collect_repeated_blocks(const GumboNode* n, std::vector<const GumboNode*>& best, int depth = 0) {
    if (n->type != GUMBO_NODE_ELEMENT || is_boilerplate(n) || depth > kMaxTreeDepth) return;
    const GumboVector& kids = n->v.element.children;
    std::map<std::string, std::vector<const GumboNode*>> groups;
    for (unsigned i = 0; i < kids.length; ++i) {
        const GumboNode* k = static_cast<const GumboNode*>(kids.data[i]);
        if (k->type != GUMBO_NODE_ELEMENT || is_boilerplate(k)) continue;
        GumboTag t = k->v.element.tag;
        if (t != GUMBO_TAG_DIV && t != GUMBO_TAG_ARTICLE && t != GUMBO_TAG_SECTION && t != GUMBO_TAG_LI) continue;
        const char* cls = attr(k, "class");
        groups[std::to_string(static_cast<int>(t)) + " " + (cls ? cls : "")].push_back(k);
    }
    for (auto& [key, members] : groups) {
        if (members.size() < kMinLiveBlogEntries || members.size() <= best.size()) continue;
        bool all = true;
        for (const GumboNode* m : members) all = all && has_clock_time(m) && own_words(m) >= kMinEntryWords;
        if (all) best = members;
    }
    for (unsigned i = 0; i < kids.length; ++i)
        collect_repeated_blocks(static_cast<const GumboNode*>(kids.data[i]), best, depth + 1);
}

LiveBlogEntry entry_from_block(const GumboNode* block) {
    LiveBlogEntry e;
    std::set<const GumboNode*> skip;
    if (const GumboNode* h = find_first(block, is_heading)) {
        e.headline = node_text(h);
        skip.insert(h);
    }
    if (const GumboNode* t = find_first(block, is_time)) {
        e.when = time_of(t, e.time);
        skip.insert(t);
    }
    TextBuilder b(std::move(skip));
    const GumboVector& kids = block->v.element.children;
    for (unsigned i = 0; i < kids.length; ++i) b.walk(static_cast<const GumboNode*>(kids.data[i]));
    e.text = b.text();
    if (e.headline.empty()) e.headline = detail::title_from_line(detail::first_sentence(e.text));
    return e;
}

// Text of an HTML fragment (a JSON-LD articleBody may hold markup and entities).
std::string fragment_text(const std::string& html) {
    if (html.find('<') == std::string::npos && html.find('&') == std::string::npos) return squeeze_space(html);
    if (detail::html_nesting_depth(html) > detail::kMaxHtmlNesting) return {};
    GumboOutput* out = gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size());
    TextBuilder b;
    b.walk(out->root);
    std::string text = b.text();
    gumbo_destroy_output(&kGumboDefaultOptions, out);
    return text;
}

std::vector<LiveBlogEntry> entries_from_json_ld(const JsonLdLiveBlog& blog, const ReadOptions& options) {
    std::vector<LiveBlogEntry> entries;
    for (const JsonLdUpdate& u : blog.updates) {
        LiveBlogEntry e;
        e.text = fragment_text(u.body);
        e.headline = squeeze_space(fragment_text(u.headline));
        if (e.headline.empty()) e.headline = detail::title_from_line(detail::first_sentence(e.text));
        if (auto d = parse_date(u.date_published, options.date_order)) {
            if (d->precision >= DatePrecision::minute) {
                d->second = 0;
                d->precision = DatePrecision::minute;
                e.when.exact = *d;
            } else if (d->precision == DatePrecision::day) {
                e.when.year = d->year;
                e.when.month = d->month;
                e.when.day = d->day;
            }
        }
        entries.push_back(std::move(e));
    }
    return entries;
}

// Markup declares the text being read live: an element named for a live blog holds it,
// or sits inside it holding a list of at least kMinLiveBlogEntries elements (not a
// "live blog" promotion box in the margin of an article).
bool markup_says_live(const PageFacts& f, const GumboNode* root) {
    auto inside = [](const GumboNode* outer, const GumboNode* n) {
        for (int depth = 0; n && depth <= 2 * kMaxTreeDepth; n = n->parent, ++depth)
            if (n == outer) return true;
        return false;
    };
    for (const GumboNode* n : f.live_class) {
        if (inside(n, root)) return true;
        if (!inside(root, n)) continue;
        std::size_t elements = 0;
        const GumboVector& kids = n->v.element.children;
        for (unsigned i = 0; i < kids.length; ++i)
            elements += static_cast<const GumboNode*>(kids.data[i])->type == GUMBO_NODE_ELEMENT;
        if (elements >= kMinLiveBlogEntries) return true;
    }
    return false;
}

std::string first_of(const PageFacts& f, std::initializer_list<const char*> keys) {
    for (const char* k : keys) {
        auto it = f.meta.find(k);
        if (it != f.meta.end() && !detail::trim(it->second).empty()) return squeeze_space(it->second);
    }
    return {};
}

// Gumbo 0.10.1 decodes a numeric character reference past 32 bits ("&#xAAAAAAAAA;")
// with a signed overflow and emits a lone byte that is not UTF-8 (found by
// fuzz_html_reader); everything taken from the parse tree is checked and repaired.
void keep_utf8(std::string& s) {
    if (!is_valid_utf8(s)) s = repair_utf8(s);
}

// schema.org data: a LiveBlogPosting says the page is live, and its updates are the
// most reliable list of entries.  The first block that holds one.
JsonLdLiveBlog page_live_blog(const PageFacts& f, const std::string& path, const ReadSink& sink) {
    for (const std::string& block : f.json_ld) {
        std::string error;
        JsonLdLiveBlog found = read_json_ld_live_blog(block, error);
        if (!error.empty() && sink.warning) sink.warning({path, "unreadable JSON-LD block ignored (" + error + ")"});
        if (found.found) return found;
    }
    return {};
}

// Title, url, source, lang, date and byline from the page's metadata.
Article page_metadata(const PageFacts& f, const JsonLdLiveBlog& blog, const std::string& path,
                      const ReadOptions& options, const ReadSink& sink) {
    Article a;
    a.from = Provenance{path, 0, 0};
    a.title = first_of(f, {"og:title", "twitter:title"});
    if (a.title.empty()) a.title = f.title_tag;
    if (a.title.empty()) a.title = squeeze_space(blog.headline);
    if (a.title.empty()) a.title = f.h1;
    a.url = first_of(f, {"og:url"});
    if (!f.canonical.empty()) a.url = squeeze_space(f.canonical);
    a.source = first_of(f, {"og:site_name"});
    a.lang = squeeze_space(f.lang);
    std::string date_text = first_of(f, {"article:published_time", "datepublished", "date", "pubdate", "dc.date",
                                         "dc.date.issued", "og:published_time"});
    if (date_text.empty()) date_text = squeeze_space(blog.date_published);
    if (date_text.empty()) date_text = squeeze_space(f.time_datetime);
    keep_utf8(date_text);
    if (!date_text.empty()) {
        if (auto d = parse_date(date_text, options.date_order))
            a.date = *d;
        else if (sink.warning)
            sink.warning({path, "unreadable date '" + date_text + "', left empty"});
    }
    a.byline = first_of(f, {"author", "article:author", "byl"});
    if (a.byline.rfind("http", 0) == 0) a.byline.clear();  // article:author is often a URL
    if (a.byline.empty()) a.byline = f.rel_author;
    if (a.byline.empty() && !f.byline.empty()) {
        a.byline = f.byline;
        if (std::string by = detail::byline_of(a.byline); !by.empty()) a.byline = by;
    }
    return a;
}

// Entries the markup gives: JSON-LD updates, else entry blocks, else repeated blocks
// with clock times; none when fewer than kMinLiveBlogEntries.
std::vector<LiveBlogEntry> markup_entries(const GumboNode* root, const JsonLdLiveBlog& blog,
                                          const ReadOptions& options) {
    if (blog.updates.size() >= kMinLiveBlogEntries) return entries_from_json_ld(blog, options);
    std::vector<const GumboNode*> blocks;
    collect_entries(root, blocks);
    if (blocks.size() < kMinLiveBlogEntries) {
        blocks.clear();
        collect_repeated_blocks(root, blocks);
    }
    std::vector<LiveBlogEntry> entries;
    if (blocks.size() >= kMinLiveBlogEntries)
        for (const GumboNode* b : blocks) entries.push_back(entry_from_block(b));
    return entries;
}

}  // namespace

void read_html(std::string_view content, const std::string& path, const ReadOptions& options, const ReadSink& sink) {
    if (detail::html_nesting_depth(content) > detail::kMaxHtmlNesting) {
        sink.failure({path,
                      "HTML nested more than " + std::to_string(detail::kMaxHtmlNesting) +
                          " elements deep, skipped (not a page a browser could show)",
                      true});
        return;
    }
    GumboOutput* out = gumbo_parse_with_options(&kGumboDefaultOptions, content.data(), content.size());
    PageFacts f;
    survey(out->root, f, false, false);
    JsonLdLiveBlog blog = page_live_blog(f, path, sink);
    Article a = page_metadata(f, blog, path, options, sink);

    // Prefer the one <article>; several mean a page of entries, so read <main>.
    const GumboNode* root = f.articles.size() == 1 ? f.articles[0] : f.main ? f.main : f.body;
    if (!root) root = out->root;
    std::vector<LiveBlogEntry> entries = markup_entries(root, blog, options);

    // The title's <h1> is not part of the body.
    std::set<const GumboNode*> skip;
    if (const GumboNode* h1 = find_first(
            root, [](const GumboNode* n) { return n->type == GUMBO_NODE_ELEMENT && n->v.element.tag == GUMBO_TAG_H1; }))
        skip.insert(h1);
    TextBuilder body(std::move(skip));
    body.walk(root);
    a.body = body.text();
    LivePageHints hints;
    hints.says_live = blog.found || markup_says_live(f, root);
    hints.time_attributes = body.times();
    gumbo_destroy_output(&kGumboDefaultOptions, out);
    // A date printed above the text ("14 July 2016") is metadata, not body; a live-blog
    // marker ("3 Nov 2023 - 16:05 GMT") stays.
    while (true) {
        std::size_t end = a.body.find("\n\n");
        std::string_view first = std::string_view(a.body).substr(0, end);
        if (first.empty() || !detail::date_line(first, options.date_order) || is_timed_marker(first)) break;
        a.body.erase(0, end == std::string::npos ? std::string::npos : end + 2);
    }

    for (std::string* field : {&a.title, &a.url, &a.source, &a.lang, &a.byline, &a.body}) keep_utf8(*field);
    for (LiveBlogEntry& e : entries) {
        keep_utf8(e.headline);
        keep_utf8(e.time);
        keep_utf8(e.text);
    }
    if (a.title.empty()) a.title = detail::title_from_text(a.body, options.date_order);
    if (a.title.empty() && a.body.empty()) {
        sink.failure({path, "no title and no text in the page", true});
        return;
    }
    if (options.split_live_blogs && entries.size() < kMinLiveBlogEntries) {
        hints.title = a.title;
        entries = find_live_blog_entries(a.body, hints);
    }
    detail::emit(std::move(a), std::move(entries), options, sink);
}

}  // namespace warsearch
