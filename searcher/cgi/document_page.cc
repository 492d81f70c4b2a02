#include "searcher/cgi/document_page.h"

#include "common/text/text.h"
#include "searcher/cgi/cgi_page.h"
#include "searcher/cgi/page_text.h"

namespace warsearch {
namespace {

std::string esc(std::string_view s) { return page_escape(s); }

class DocumentWriter {
  public:
    explicit DocumentWriter(const DocumentPageModel& m) : m_(m) {}

    std::string render() {
        const DocumentView* v = m_.view;
        std::string title = v ? (v->fields.title.empty() ? v->fields.id : v->fields.title) : "Report not found";
        out_ += page_head_start(m_.script_name, title + " – warsearch") +
                "</head>\n<body>\n<a class=\"skip\" href=\"#main\">Skip to the report</a>\n";
        header();
        out_ += "<main id=\"main\" class=\"docpage\">\n";
        if (!m_.error.empty())
            out_ += "<h1>Report not found</h1>\n<p class=\"alert\" role=\"alert\">" + esc(m_.error) + "</p>\n";
        if (v) document(*v);
        out_ += "</main>\n</body>\n</html>\n";
        return std::move(out_);
    }

  private:
    std::string search_link(const std::string& query, const std::string& filter = "") const {
        PageForm f;
        f.query = query;
        if (!filter.empty()) f.filters.push_back(filter);
        f.db = m_.db;
        return page_link(m_.script_name, f);
    }

    std::string doc_link(const std::string& id) const { return document_link(m_.script_name, id, m_.query, m_.db); }

    void header() {
        out_ += "<header class=\"top\">\n<a class=\"brand\" href=\"" + esc(m_.script_name) +
                "\">war<b>search</b></a>\n<form class=\"search\" method=\"get\" action=\"" + esc(m_.script_name) +
                "\" role=\"search\"><div class=\"qrow\"><label for=\"q\" class=\"vh\">Search reports</label>"
                "<input id=\"q\" name=\"q\" type=\"search\" value=\"" +
                esc(m_.query) + "\" maxlength=\"2000\" autocomplete=\"off\">";
        if (!m_.db.empty()) out_ += "<input type=\"hidden\" name=\"db\" value=\"" + esc(m_.db) + "\">";
        out_ += "<button type=\"submit\">Search</button></div></form>\n</header>\n";
    }

    void meta_row(const char* label, const std::string& html) {
        if (!html.empty()) out_ += std::string("<dt>") + label + "</dt><dd>" + html + "</dd>\n";
    }

    void entity_links(const char* label, const std::vector<std::string>& names, const char* field) {
        if (names.empty()) return;
        std::string html = "<ul class=\"chips\">";
        for (const auto& n : names)
            html += "<li><a class=\"chip\" href=\"" + search_link("", std::string(field) + ":" + n) + "\"><bdi>" +
                    esc(n) + "</bdi></a></li>";
        meta_row(label, html + "</ul>");
    }

    void metadata(const DocumentView& v) {
        const StoredFields& f = v.fields;
        out_ += "<dl class=\"docmeta\">\n";
        if (!f.date.empty())
            meta_row("Date", "<time datetime=\"" + esc(f.date) + "\">" + esc(display_date(f.date)) + "</time>");
        if (!f.source.empty())
            meta_row("Source", "<a href=\"" + search_link("", "source:" + slugify(f.source)) + "\"><bdi>" +
                                   esc(f.source) + "</bdi></a>");
        if (!f.byline.empty()) meta_row("Byline", "<bdi>" + esc(f.byline) + "</bdi>");
        if (!f.dateline.empty()) meta_row("Dateline", "<bdi>" + esc(f.dateline) + "</bdi>");
        if (is_web_url(f.url))
            meta_row("Original",
                     "<a class=\"url\" href=\"" + esc(f.url) + "\" rel=\"noopener noreferrer\">" + esc(f.url) + "</a>");
        entity_links("Factions", f.factions, "faction");
        entity_links("Places", f.places, "location");
        entity_links("Organisations", f.organisations, "organisation");
        meta_row("Id", "<code>" + esc(f.id) + "</code>");
        out_ += "</dl>\n";
    }

    // The text, each match an anchor (#m1, #m2, ...) with links to the one before and after.
    void text(const DocumentView& v) {
        if (!m_.query.empty()) {
            if (v.matches > 0)
                out_ += "<p class=\"notice\" role=\"status\">" + std::to_string(v.matches) +
                        (v.matches == 1 ? " match" : " matches") + " of <q><bdi>" + esc(m_.query) +
                        "</bdi></q>: <a href=\"#m1\">go to the first</a></p>\n";
            else
                out_ += "<p class=\"notice\" role=\"status\">No match of <q><bdi>" + esc(m_.query) +
                        "</bdi></q> in this report's text.</p>\n";
        }
        for (const auto& w : v.warnings) out_ += "<p class=\"notice warn\">Note: " + esc(w) + "</p>\n";
        out_ += "<div class=\"doctext\" dir=\"auto\">";
        std::size_t n = 0;
        for (const auto& s : v.text) {
            if (!s.match) {
                out_ += esc(s.text);
                continue;
            }
            ++n;
            if (n > 1)
                out_ += "<a class=\"hn\" href=\"#m" + std::to_string(n - 1) + "\" title=\"Previous match\">‹</a>";
            out_ += "<mark id=\"m" + std::to_string(n) + "\">" + esc(s.text) + "</mark>";
            if (n < v.matches)
                out_ += "<a class=\"hn\" href=\"#m" + std::to_string(n + 1) + "\" title=\"Next match\">›</a>";
        }
        out_ += "</div>\n";
    }

    void link_list(const char* heading, const std::vector<DocumentLink>& links, const std::string& self, bool entries,
                   const std::string& more = "") {
        if (links.empty()) return;
        out_ +=
            std::string("<section class=\"related\"><h2>") + heading + "</h2>\n" + more + (entries ? "<ol>" : "<ul>");
        for (const auto& l : links) {
            out_ += "<li>";
            std::string label = l.title.empty() ? l.id : l.title;
            if (l.id == self)
                out_ += "<strong aria-current=\"page\"><bdi>" + esc(label) + "</bdi></strong>";
            else
                out_ += "<a href=\"" + doc_link(l.id) + "\"><bdi>" + esc(label) + "</bdi></a>";
            std::string meta;
            if (!l.time_text.empty()) meta += esc(l.time_text);
            if (!l.source.empty()) meta += (meta.empty() ? "" : " · ") + ("<bdi>" + esc(l.source) + "</bdi>");
            if (!l.date.empty()) meta += (meta.empty() ? "" : " · ") + esc(display_date(l.date));
            if (is_web_url(l.url))
                meta += (meta.empty() ? "" : " · ") +
                        ("<a href=\"" + esc(l.url) + "\" rel=\"noopener noreferrer\">original</a>");
            if (!meta.empty()) out_ += " <span class=\"small\">" + meta + "</span>";
            out_ += "</li>\n";
        }
        out_ += entries ? "</ol></section>\n" : "</ul></section>\n";
    }

    void document(const DocumentView& v) {
        const StoredFields& f = v.fields;
        out_ += "<article class=\"doc\">\n";
        if (!m_.query.empty())
            out_ += "<p class=\"back\"><a href=\"" + search_link(m_.query) + "\">‹ Back to the results</a></p>\n";
        out_ += "<h1 dir=\"auto\">";
        for (const auto& s : v.title) out_ += s.match ? "<mark>" + esc(s.text) + "</mark>" : esc(s.text);
        if (v.title.empty() || f.title.empty()) out_ += esc(f.id);
        out_ += "</h1>\n";
        metadata(v);
        text(v);
        out_ += "</article>\n";
        std::string copies_note;
        if (v.copies_total > v.copies.size())
            copies_note = "<p class=\"small\">The first " + std::to_string(v.copies.size()) + " of " +
                          std::to_string(v.copies_total) + ".</p>\n";
        link_list(v.copies_total == 1 ? "1 other copy of this story" : "Other copies of this story", v.copies, f.id,
                  false, copies_note);
        if (!v.live_blog.id.empty()) {
            std::string blog = "<p>Live blog: ";
            blog += v.live_blog.id == f.id
                        ? "this page"
                        : "<a href=\"" + doc_link(v.live_blog.id) + "\"><bdi>" +
                              esc(v.live_blog.title.empty() ? v.live_blog.id : v.live_blog.title) + "</bdi></a>";
            blog += "</p>\n";
            link_list("Entries of this live blog", v.entries, f.id, true, blog);
        }
        std::vector<DocumentLink> like;
        for (const auto& h : v.like)
            like.push_back(DocumentLink{h.fields.id, h.fields.title, h.fields.source, h.fields.date, "", 0, ""});
        link_list("More like this", like, f.id, false);
    }

    const DocumentPageModel& m_;
    std::string out_;
};

}  // namespace

std::string document_link(const std::string& script_name, const std::string& id, const std::string& query,
                          const std::string& db) {
    std::string url = script_name + "?doc=" + url_encode(id);
    if (!query.empty()) url += "&q=" + url_encode(query);
    if (!db.empty()) url += "&db=" + url_encode(db);
    return html_escape(url);
}

std::string render_document_page(const DocumentPageModel& model) { return DocumentWriter(model).render(); }

}  // namespace warsearch
