#include "searcher/document.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "common/index/schema.h"
#include "common/index/stored_fields.h"
#include "searcher/render.h"
#include "searcher/searcher.h"

namespace warsearch {
namespace {

constexpr std::size_t kMaxCopies = 100;
constexpr std::size_t kMaxEntries = 500;

DocumentLink link_to(const StoredFields& f) {
    return DocumentLink{f.id, f.title, f.source, f.date, f.url, f.entry, f.time_text};
}

// The documents holding @a term (at most @a max of them, and how many in all).
std::vector<DocumentLink> documents_with(Xapian::Database& db, const std::string& term, std::size_t max,
                                         const std::string& except, std::size_t* total = nullptr) {
    std::vector<DocumentLink> out;
    std::size_t all = 0;
    for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
        if (out.size() >= max) {
            ++all;
            continue;
        }
        StoredFields f = parse_stored_fields(db.get_document(*p).get_data());
        if (f.id == except) continue;
        ++all;
        out.push_back(link_to(f));
    }
    if (total) *total = all;
    return out;
}

// The report itself, its text marked with @a query's matches when it matches it.
Hit read_hit(Searcher& searcher, const std::string& id, const std::string& query, DocumentView& view) {
    SearchRequest req;
    req.ids = {id};
    req.limit = 1;
    req.collapse = false;
    req.full_text = true;
    req.snippets = true;
    if (!query.empty()) {
        req.query = query;
        try {
            SearchResult r = searcher.search(req);
            if (!r.hits.empty()) {
                view.query_matched = true;
                return std::move(r.hits.front());
            }
        } catch (const QueryError& e) {
            view.warnings.push_back(std::string("the query was not used: ") + e.what());
        }
        req.query.clear();
    }
    SearchResult r = searcher.search(req);
    if (r.hits.empty()) throw QueryError("there is no report with the id '" + id + "'");
    return std::move(r.hits.front());
}

// The live blog @a view belongs to (or is), and its entries in order.
void read_live_blog(Xapian::Database& db, DocumentView& view) {
    const StoredFields& f = view.fields;
    std::string blog = f.parent.empty() ? f.id : f.parent;
    std::string entries_term = schema::make_term(schema::kParentPrefix, blog);
    if (f.parent.empty() && db.get_termfreq(entries_term) == 0) return;  // not a live blog
    std::vector<DocumentLink> page = documents_with(db, id_term(blog), 1, "");
    if (!page.empty()) view.live_blog = page.front();
    if (view.live_blog.id.empty()) view.live_blog = DocumentLink{blog, f.parent_title, f.source, "", "", 0, ""};
    view.entries = documents_with(db, entries_term, kMaxEntries, "");
    std::stable_sort(view.entries.begin(), view.entries.end(), [](const DocumentLink& a, const DocumentLink& b) {
        return a.entry != b.entry ? a.entry < b.entry : a.date < b.date;
    });
}

std::size_t count_matches(const std::vector<SnippetSegment>& text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](const auto& s) { return s.match; }));
}

}  // namespace

DocumentView show_document(Searcher& searcher, const DocumentRequest& request) {
    if (request.id.empty()) throw QueryError("no report id given");
    DocumentView view;
    Hit hit = read_hit(searcher, request.id, request.query, view);
    view.fields = std::move(hit.fields);
    view.text = view.query_matched ? std::move(hit.text_marked)
                                   : std::vector<SnippetSegment>{SnippetSegment{view.fields.body, false}};
    view.title = view.query_matched ? std::move(hit.title_marked)
                                    : std::vector<SnippetSegment>{SnippetSegment{view.fields.title, false}};
    view.matches = count_matches(view.text);
    view.story = hit.story;
    Xapian::Database& db = searcher.database();
    if (!view.story.empty()) {
        view.copies = documents_with(db, schema::make_term(schema::kStoryPrefix, view.story), kMaxCopies,
                                     view.fields.id, &view.copies_total);
        std::stable_sort(view.copies.begin(), view.copies.end(),
                         [](const DocumentLink& a, const DocumentLink& b) { return a.date < b.date; });
    }
    read_live_blog(db, view);
    if (request.like > 0) {
        SearchRequest like;
        like.like_id = view.fields.id;
        like.limit = static_cast<Xapian::doccount>(request.like);
        like.snippets = false;
        try {
            view.like = searcher.search(like).hits;
        } catch (const QueryError&) {
            // A report with no significant words has nothing like it.
        }
    }
    return view;
}

namespace {

nlohmann::ordered_json link_json(const DocumentLink& l) {
    nlohmann::ordered_json j;
    j["id"] = l.id;
    j["title"] = l.title;
    if (!l.source.empty()) j["source"] = l.source;
    if (!l.date.empty()) j["date"] = l.date;
    if (!l.url.empty()) j["url"] = l.url;
    if (l.entry > 0) j["entry"] = l.entry;
    if (!l.time_text.empty()) j["time_text"] = l.time_text;
    return j;
}

}  // namespace

std::string render_document_json(const DocumentView& v) {
    const StoredFields& f = v.fields;
    nlohmann::ordered_json j;
    j["id"] = f.id;
    j["title"] = f.title;
    j["date"] = f.date;
    j["source"] = f.source;
    j["url"] = f.url;
    j["byline"] = f.byline;
    j["dateline"] = f.dateline;
    j["lang"] = f.lang;
    j["factions"] = f.factions;
    j["places"] = f.places;
    j["organisations"] = f.organisations;
    j["body"] = f.body;
    nlohmann::ordered_json ranges = nlohmann::ordered_json::array();
    std::size_t at = 0;
    for (const auto& s : v.text) {
        if (s.match) ranges.push_back({at, at + s.text.size()});
        at += s.text.size();
    }
    j["matches"] = ranges;
    j["query_matched"] = v.query_matched;
    j["story"] = v.story;
    j["copies_total"] = v.copies_total;
    j["copies"] = nlohmann::ordered_json::array();
    for (const auto& c : v.copies) j["copies"].push_back(link_json(c));
    if (!v.live_blog.id.empty()) {
        j["live_blog"] = link_json(v.live_blog);
        j["entries"] = nlohmann::ordered_json::array();
        for (const auto& e : v.entries) j["entries"].push_back(link_json(e));
    }
    j["like"] = nlohmann::ordered_json::array();
    for (const auto& h : v.like) {
        DocumentLink l = link_to(h.fields);
        j["like"].push_back(link_json(l));
    }
    if (!v.warnings.empty()) j["warnings"] = v.warnings;
    return make_json_inert(j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

namespace {

// Terminal output must not let a document drive the terminal.
std::string printable(const std::string& s) {
    std::string out;
    for (unsigned char c : s)
        if (c >= 0x20 || c == '\n') out += static_cast<char>(c);
    return out;
}

void text_line(std::string& out, const char* label, const std::string& value) {
    if (!value.empty()) out += std::string(label) + ": " + printable(value) + "\n";
}

}  // namespace

std::string render_document_text(const DocumentView& v, bool ansi) {
    const StoredFields& f = v.fields;
    std::string out = printable(f.title.empty() ? "(untitled)" : f.title) + "\n";
    text_line(out, "id", f.id);
    text_line(out, "date", f.date);
    text_line(out, "source", f.source);
    text_line(out, "byline", f.byline);
    text_line(out, "dateline", f.dateline);
    text_line(out, "url", f.url);
    std::string list;
    for (const auto& x : f.factions) list += (list.empty() ? "" : ", ") + x;
    text_line(out, "factions", list);
    list.clear();
    for (const auto& x : f.places) list += (list.empty() ? "" : ", ") + x;
    text_line(out, "places", list);
    list.clear();
    for (const auto& x : f.organisations) list += (list.empty() ? "" : ", ") + x;
    text_line(out, "organisations", list);
    if (v.query_matched) out += "matches: " + std::to_string(v.matches) + "\n";
    for (const auto& w : v.warnings) out += "warning: " + printable(w) + "\n";
    out += "\n";
    const std::string open = ansi ? "\x1b[1m" : "[", close = ansi ? "\x1b[0m" : "]";
    for (const auto& s : v.text) out += s.match ? open + printable(s.text) + close : printable(s.text);
    out += "\n";
    if (!v.copies.empty()) {
        out += "\nCopies of this story (" + std::to_string(v.copies_total) + "):\n";
        for (const auto& c : v.copies)
            out += "  " + printable(c.date) + "  " + printable(c.source) + "  " + printable(c.id) + "\n";
    }
    if (!v.live_blog.id.empty()) {
        out += "\nLive blog: " + printable(v.live_blog.title) + " (" + printable(v.live_blog.id) + ")\n";
        for (const auto& e : v.entries)
            out += std::string(e.id == f.id ? "> " : "  ") + std::to_string(e.entry) + ". " + printable(e.time_text) +
                   " " + printable(e.title) + " (" + printable(e.id) + ")\n";
    }
    if (!v.like.empty()) {
        out += "\nMore like this:\n";
        for (const auto& h : v.like) out += "  " + printable(h.fields.title) + " (" + printable(h.fields.id) + ")\n";
    }
    return out;
}

}  // namespace warsearch
