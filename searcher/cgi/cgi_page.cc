#include "searcher/cgi/cgi_page.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <utility>

#include "common/text/text.h"
#include "searcher/cgi/document_page.h"
#include "searcher/cgi/page_text.h"
#include "searcher/explain.h"
#include "searcher/render.h"

namespace warsearch {
namespace {

// Shorthand: escape for HTML text or a double-quoted attribute.
std::string esc(std::string_view s) { return page_escape(s); }

std::string segments_html(const std::vector<SnippetSegment>& segments) {
    std::string out;
    for (const auto& s : segments) out += s.match ? "<mark>" + esc(s.text) + "</mark>" : esc(s.text);
    return out;
}

std::string filter_field(const std::string& f) { return f.substr(0, f.find(':')); }
std::string filter_value(const std::string& f) { return f.substr(f.find(':') + 1); }

const char* location_level_name(const std::string& dimension) {
    if (dimension == "location.country") return "Country";
    if (dimension == "location.admin1") return "Region";
    if (dimension == "location.admin2") return "District";
    if (dimension == "location.admin3") return "Subdistrict";
    if (dimension == "location.city") return "City";
    if (dimension == "location.town") return "Town";
    if (dimension == "location.locality") return "Locality";
    return nullptr;
}

// The facet dimension a filter field's values appear under.
bool dimension_matches(const std::string& field, const std::string& dimension) {
    if (field == "location") return dimension.rfind("location.", 0) == 0;
    if (field == "date") return dimension == "month";
    return field == dimension;
}

class PageWriter {
  public:
    explicit PageWriter(const PageModel& m) : m_(m), r_(m.result) {
        base_ = m.form;
        base_.rev = 0;  // only the permalink pins a revision
    }

    std::string render() {
        std::string title = m_.form.query.empty() ? "warsearch" : m_.form.query + " – warsearch";
        out_ += page_head_start(m_.script_name, title);
        if (r_)
            out_ += "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Newest matches (Atom)\" href=\"" +
                    format_link("atom") + "\">\n";
        out_ += "</head>\n<body>\n<a class=\"skip\" href=\"#results\">Skip to the results</a>\n";
        header();
        out_ += "<main id=\"main\" class=\"layout\">\n";
        // The facets come first in the document, so the keyboard reaches them before
        // the results; the grid draws them beside (or, on a phone, below) the results.
        if (r_) facets();
        results();
        out_ +=
            "</main>\n<footer class=\"foot\"><p>warsearch — full-text search of war reporting. "
            "Works without JavaScript.</p></footer>\n</body>\n</html>\n";
        return std::move(out_);
    }

  private:
    std::string link(const PageForm& f) const { return page_link(m_.script_name, f); }

    // This search (every page) in another format: "csv", "jsonl", "atom".
    std::string format_link(const char* format) const {
        PageForm f = base_;
        f.page = 1;
        f.per_page_given = false;
        std::string url = link(f);
        return url + (url.find('?') == std::string::npos ? "?" : "&amp;") + "format=" + format;
    }

    // The current state with one filter added (or removed when already active).
    std::string toggle_filter_link(const std::string& filter) const {
        PageForm f = base_;
        f.page = 1;
        auto it = std::find(f.filters.begin(), f.filters.end(), filter);
        if (it != f.filters.end())
            f.filters.erase(it);
        else
            f.filters.push_back(filter);
        return link(f);
    }

    bool active(const std::string& filter) const {
        return std::find(m_.form.filters.begin(), m_.form.filters.end(), filter) != m_.form.filters.end();
    }

    void header() {
        const PageForm& f = m_.form;
        out_ += "<header class=\"top\">\n<a class=\"brand\" href=\"" + esc(m_.script_name) +
                "\">war<b>search</b></a>\n<form class=\"search\" method=\"get\" action=\"" + esc(m_.script_name) +
                "\" role=\"search\">\n<div class=\"qrow\"><label for=\"q\" class=\"vh\">Search reports</label>"
                "<input id=\"q\" name=\"q\" type=\"search\" value=\"" +
                esc(f.query) +
                "\" placeholder=\"e.g. shelling Darayya\" maxlength=\"2000\" autocomplete=\"off\">"
                "<button type=\"submit\">Search</button></div>\n<div class=\"opts\">"
                "<span class=\"opt\"><label for=\"from\">From</label><input id=\"from\" name=\"from\" value=\"" +
                esc(f.from) +
                "\" placeholder=\"YYYY-MM-DD\" size=\"10\" maxlength=\"10\" inputmode=\"numeric\" "
                "pattern=\"\\d{4}(-\\d{2}(-\\d{2})?)?\"></span>"
                "<span class=\"opt\"><label for=\"to\">To</label><input id=\"to\" name=\"to\" value=\"" +
                esc(f.to) +
                "\" placeholder=\"YYYY-MM-DD\" size=\"10\" maxlength=\"10\" inputmode=\"numeric\" "
                "pattern=\"\\d{4}(-\\d{2}(-\\d{2})?)?\"></span>"
                "<span class=\"opt\"><label for=\"sort\">Sort</label><select id=\"sort\" name=\"sort\">";
        for (auto [value, label] : {std::pair{"relevance", "Relevance"}, std::pair{"date", "Newest first"},
                                    std::pair{"date-asc", "Oldest first"}}) {
            out_ += std::string("<option value=\"") + value + "\"" + (f.sort == value ? " selected" : "") + ">" +
                    label + "</option>";
        }
        out_ += "</select></span>";
        if (!m_.databases.empty()) {
            out_ += "<span class=\"opt\"><label for=\"db\">Collection</label><select id=\"db\" name=\"db\">";
            for (const auto& name : m_.databases)
                out_ += "<option value=\"" + esc(name) + "\"" + (f.db == name ? " selected" : "") + ">" + esc(name) +
                        "</option>";
            out_ += "</select></span>";
        }
        // Active filters stay on when the query changes (each is removable below).
        for (const auto& filter : f.filters) out_ += "<input type=\"hidden\" name=\"f\" value=\"" + esc(filter) + "\">";
        if (f.per_page_given) out_ += "<input type=\"hidden\" name=\"n\" value=\"" + std::to_string(f.per_page) + "\">";
        out_ += "</div>\n</form>\n</header>\n";
    }

    std::string filter_label(const std::string& filter) const {
        if (!filter.empty() && filter[0] == '-') return "Not " + filter_label(filter.substr(1));
        std::string field = filter_field(filter), value = filter_value(filter);
        if (std::size_t bar = value.find('|'); bar != std::string::npos) {
            std::string label = filter_label(field + ":" + value.substr(0, bar));
            for (const auto& v : split_choice(value.substr(bar + 1))) label += " or " + value_label(field, v);
            return label;
        }
        if (field == "date" && value.size() == 4) return "Year: " + value;
        return field_name(field) + value_label(field, value);
    }

    // "Faction: " for "faction" ("" for a field without a name).
    static std::string field_name(const std::string& field) {
        static const std::pair<const char*, const char*> names[] = {
            {"faction", "Faction"}, {"organisation", "Organisation"}, {"location", "Location"}, {"source", "Source"},
            {"date", "Month"},      {"dateline", "Filed from"},       {"parent", "Live blog"}};
        for (auto [k, n] : names)
            if (field == k) return std::string(n) + ": ";
        return "";
    }

    static std::vector<std::string> split_choice(const std::string& values) {
        std::vector<std::string> out;
        std::size_t start = 0;
        while (start <= values.size()) {
            std::size_t bar = values.find('|', start);
            out.push_back(values.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
            if (bar == std::string::npos) break;
            start = bar + 1;
        }
        return out;
    }

    // A filter value as shown: the facet's label for it when the page has one.
    std::string value_label(const std::string& field, const std::string& value) const {
        std::string label = value;
        if (field == "date") {
            label = value.size() == 7 ? month_label(value) : value;
        } else if (r_) {
            for (const auto& facet : r_->facets) {
                if (!dimension_matches(field, facet.dimension)) continue;
                for (const auto& v : facet.values)
                    if (v.key == value) label = v.label;
            }
        }
        return label;
    }

    void active_filters() {
        const PageForm& f = m_.form;
        if (f.filters.empty() && f.from.empty() && f.to.empty()) return;
        out_ += "<ul class=\"active\" aria-label=\"Active filters\">\n";
        for (const auto& filter : f.filters) {
            out_ += "<li><a class=\"chip on\" href=\"" + toggle_filter_link(filter) +
                    "\" title=\"Remove this filter\">" + esc(filter_label(filter)) +
                    " <span aria-hidden=\"true\">×</span><span class=\"vh\"> (remove)</span></a></li>\n";
        }
        if (!f.from.empty() || !f.to.empty()) {
            PageForm g = base_;
            g.page = 1;
            g.from.clear();
            g.to.clear();
            std::string range = (f.from.empty() ? "…" : f.from) + " – " + (f.to.empty() ? "…" : f.to);
            out_ += "<li><a class=\"chip on\" href=\"" + link(g) +
                    "\" title=\"Remove the date range\">Dates: " + esc(range) +
                    " <span aria-hidden=\"true\">×</span><span class=\"vh\"> (remove)</span></a></li>\n";
        }
        if (f.filters.size() + (f.from.empty() && f.to.empty() ? 0 : 1) > 1) {
            PageForm g = base_;
            g.page = 1;
            g.filters.clear();
            g.from.clear();
            g.to.clear();
            out_ += "<li><a class=\"clear\" href=\"" + link(g) + "\">Clear all</a></li>\n";
        }
        out_ += "</ul>\n";
    }

    void start_page() {
        out_ +=
            "<div class=\"intro\"><h1>Search war reporting</h1>\n"
            "<p>Any spelling of a place or armed group finds the others (Darayya, Daraya, داريا); "
            "filters by faction, place, source and month narrow the results; syndicated copies of a "
            "story are shown once.</p>\n<p>Try: ";
        const char* examples[] = {"shelling Darayya", "\"barrel bombs\" Aleppo", "ceasefire date:2016",
                                  "hospital NEAR strike"};
        bool firstex = true;
        for (const char* ex : examples) {
            PageForm f;
            f.query = ex;
            f.db = base_.db;
            if (!firstex) out_ += ", ";
            firstex = false;
            out_ += "<a href=\"" + link(f) + "\">" + esc(ex) + "</a>";
        }
        out_ += "</p></div>\n";
    }

    void results() {
        out_ += "<section class=\"results\" id=\"results\" aria-label=\"Results\">\n";
        if (r_) out_ += "<h1 class=\"vh\">Results for <bdi>" + esc(m_.form.query) + "</bdi></h1>\n";
        if (!m_.error.empty()) out_ += "<p class=\"alert\" role=\"alert\">" + esc(m_.error) + "</p>\n";
        if (!m_.notice.empty()) out_ += "<p class=\"notice\" role=\"status\">" + esc(m_.notice) + "</p>\n";
        active_filters();
        if (!r_) {
            if (m_.error.empty()) start_page();
            out_ += "</section>\n";
            return;
        }
        for (const auto& n : r_->notices)
            out_ += "<p class=\"notice\" role=\"status\">Your query was read so: " + esc(n) + "</p>\n";
        for (const auto& w : r_->warnings)
            out_ += "<p class=\"notice warn\" role=\"status\">Note: " + esc(w) + "</p>\n";
        if (!r_->suggestion.empty() && r_->suggestion != m_.form.query) {
            PageForm f = base_;
            f.query = r_->suggestion;
            f.page = 1;
            out_ +=
                "<p class=\"suggest\">Did you mean <a href=\"" + link(f) + "\">" + esc(r_->suggestion) + "</a>?</p>\n";
        }
        summary();
        timeline();
        if (r_->hits.empty()) {
            empty_state();
        } else {
            out_ += "<ol class=\"hits\" start=\"" + std::to_string(r_->offset + 1) + "\">\n";
            for (const auto& h : r_->hits) hit(h);
            out_ += "</ol>\n";
            pager();
        }
        out_ += "</section>\n";
    }

    void summary() {
        const SearchResult& r = *r_;
        bool exact = r.lower_bound == r.upper_bound;
        std::string count = std::to_string(r.estimate);
        out_ += "<div class=\"summary\"><p class=\"count\" role=\"status\"><strong>" +
                (exact ? "" : std::string("About ")) + count + (r.estimate == 1 ? " result" : " results") + "</strong>";
        if (!r.hits.empty() && (r.offset > 0 || r.estimate > r.hits.size()))
            out_ += ", showing " + std::to_string(r.offset + 1) + "–" + std::to_string(r.offset + r.hits.size());
        char secs[32];
        std::snprintf(secs, sizeof secs, "%.3f", r.seconds);
        out_ += " <span class=\"time\">(" + std::string(secs) + " s)</span></p>";
        PageForm p = m_.form;
        p.rev = r.index_revision;
        out_ += "<p class=\"links\"><a href=\"" + link(p) + "\" title=\"This search, pinned to index revision " +
                std::to_string(r.index_revision) + "\">Permalink</a> <span class=\"rev\">rev " +
                std::to_string(r.index_revision) + "</span>";
        if (!r.facets.empty()) out_ += " <a class=\"tofacets\" href=\"#refine\">Refine ↓</a>";
        if (r.estimate > 0)
            out_ += " <span class=\"exports\">Every match: <a href=\"" + format_link("csv") +
                    "\" title=\"Every match as CSV, one row per story\">CSV</a> <a href=\"" + format_link("jsonl") +
                    "\" title=\"Every match as JSON Lines\">JSON Lines</a> · <a href=\"" + format_link("atom") +
                    "\" title=\"The 50 newest matches as an Atom feed\">Feed</a></span>";
        out_ += "</p></div>\n";
    }

    // The matches over time as an inline SVG bar chart (no script; presentation
    // attributes, not style attributes, so the CSP allows it): a bar per month (per year
    // over long spans, as the sidebar), each a link that filters on it.
    void timeline() {
        const Facet* facet = nullptr;
        for (const auto& f : r_->facets)
            if (f.dimension == date_histogram_dimension(*r_)) facet = &f;
        if (!facet || facet->values.size() < 2) return;
        bool years = facet->dimension == "year";
        std::vector<FacetCount> bars = continuous(facet->values, years);
        Xapian::doccount max = 1;
        for (const auto& v : bars) max = std::max(max, v.count);
        const int width = 600, height = 60, n = static_cast<int>(bars.size());
        const double bar = static_cast<double>(width) / n;
        out_ += "<figure class=\"timeline\"><figcaption class=\"small\">Matches by " +
                std::string(years ? "year" : "month") + " (a bar filters on it)</figcaption>\n<svg viewBox=\"0 0 " +
                std::to_string(width) + " " + std::to_string(height) +
                "\" preserveAspectRatio=\"none\" width=\"100%\" height=\"" + std::to_string(height) +
                "\" role=\"list\">";
        for (int i = 0; i < n; ++i) {
            const FacetCount& v = bars[static_cast<std::size_t>(i)];
            if (v.count == 0) continue;  // a month without matches: a gap, not a link
            double h = std::max(2.0, (height - 2.0) * v.count / max);
            char geometry[128];
            std::snprintf(geometry, sizeof geometry, "x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"",
                          i * bar + bar * 0.1, height - h, bar * 0.8, h);
            std::string label = (years ? v.label : month_label(v.label)) + ": " + count(v);
            out_ += "<a role=\"listitem\" href=\"" + toggle_filter_link("date:" + v.key) + "\" aria-label=\"" +
                    esc(label) + "\"><rect " + geometry + " fill=\"" +
                    (active("date:" + v.key) ? "#1f5fbf" : "#7ea6e0") + "\"><title>" + esc(label) +
                    "</title></rect></a>";
        }
        out_ += "</svg>\n<p class=\"small tlends\"><span>" +
                esc(years ? facet->values.front().label : month_label(facet->values.front().label)) + "</span><span>" +
                esc(years ? facet->values.back().label : month_label(facet->values.back().label)) +
                "</span></p></figure>\n";
    }

    // @a values (sorted "YYYY-MM" or "YYYY" keys) with the months or years between them
    // that have no match added at 0, so the chart's time axis is even (up to 240 bars).
    static std::vector<FacetCount> continuous(const std::vector<FacetCount>& values, bool years) {
        auto index = [&](const std::string& k) {
            int y = std::atoi(k.substr(0, 4).c_str());
            return years ? y : y * 12 + (k.size() >= 7 ? std::atoi(k.substr(5, 2).c_str()) - 1 : 0);
        };
        int first = index(values.front().key), last = index(values.back().key);
        if (last < first || last - first >= 240) return values;
        std::vector<FacetCount> out;
        std::size_t at = 0;
        for (int i = first; i <= last; ++i) {
            if (at < values.size() && index(values[at].key) == i) {
                out.push_back(values[at++]);
                continue;
            }
            char key[16];
            if (years)
                std::snprintf(key, sizeof key, "%04d", i);
            else
                std::snprintf(key, sizeof key, "%04d-%02d", i / 12, i % 12 + 1);
            out.push_back(FacetCount{key, key, 0});
        }
        return at == values.size() ? out : values;
    }

    void empty_state() {
        out_ += "<div class=\"empty\"><h2>No reports found</h2>\n<ul>";
        if (r_->estimate > 0 && r_->offset >= r_->estimate) {
            PageForm f = base_;
            f.page = 1;
            out_ += "<li>This page is past the last result: <a href=\"" + link(f) + "\">go to the first page</a>.</li>";
        } else {
            out_ += "<li>Check the spelling, or try fewer or more general words.</li>";
            if (!m_.form.filters.empty() || !m_.form.from.empty() || !m_.form.to.empty()) {
                PageForm f = base_;
                f.page = 1;
                f.filters.clear();
                f.from.clear();
                f.to.clear();
                out_ += "<li><a href=\"" + link(f) + "\">Search again without filters</a>.</li>";
            }
            out_ += "<li>Use <code>OR</code> between alternatives: <code>truce OR ceasefire</code>.</li>";
        }
        out_ += "</ul></div>\n";
    }

    void chips(const std::vector<std::string>& names, const char* cls, const char* label) {
        if (names.empty()) return;
        out_ += std::string("<ul class=\"chips ") + cls + "\" aria-label=\"" + label + "\">";
        for (const auto& n : names) out_ += "<li class=\"chip\">" + esc(n) + "</li>";
        out_ += "</ul>";
    }

    void hit(const Hit& h) {
        const StoredFields& d = h.fields;
        out_ += "<li class=\"hit\">\n<h2 class=\"title\">";
        std::string title =
            h.title_marked.empty() ? esc(d.title.empty() ? d.id : d.title) : segments_html(h.title_marked);
        out_ += "<a href=\"" + document_link(m_.script_name, d.id, m_.form.query, m_.form.db) + "\" dir=\"auto\">" +
                title + "</a>";
        out_ += "</h2>\n<p class=\"meta\">";
        if (!d.source.empty()) {
            // The same filter as the sidebar's source facet (its keys are slugs).
            std::string filter = "source:" + slugify(d.source);
            out_ += "<a class=\"source\" href=\"" + toggle_filter_link(filter) + "\"" +
                    (active(filter) ? " aria-current=\"true\" title=\"Remove this source filter\">"
                                    : " title=\"Only this source\">") +
                    "<bdi>" + esc(h.source_name.empty() ? d.source : h.source_name) + "</bdi></a>";
        }
        const char* sep = d.source.empty() ? "" : " · ";
        if (!d.date.empty()) {
            out_ +=
                std::string(sep) + "<time datetime=\"" + esc(d.date) + "\">" + esc(display_date(d.date)) + "</time>";
            sep = " · ";
        }
        if (!d.dateline.empty()) {
            out_ += std::string(sep) + "<span class=\"dateline\">filed from " + esc(d.dateline) + "</span>";
            sep = " · ";
        }
        if (is_web_url(d.url))
            out_ += std::string(sep) + "<a class=\"url\" href=\"" + esc(d.url) + "\" rel=\"noopener noreferrer\">" +
                    esc(d.url) + "</a>";
        out_ += "</p>\n";
        if (!d.parent.empty()) {
            out_ += "<p class=\"entry\">Live-blog entry";
            if (d.entry > 0) out_ += " " + std::to_string(d.entry);
            // A time the indexer could not convert ("10:00 local time") is shown as written.
            if (!d.time.empty())
                out_ += " at <time datetime=\"" + esc(d.time) + "\">" + esc(entry_time_label(d)) + "</time>";
            else if (!d.time_text.empty())
                out_ += " at " + esc(d.time_text);
            out_ += " in <a href=\"" + toggle_filter_link("parent:" + d.parent) +
                    "\" title=\"Every entry of this live blog\">" +
                    esc(d.parent_title.empty() ? d.parent : d.parent_title) + "</a></p>\n";
        }
        if (!h.snippet.empty()) out_ += "<p class=\"snippet\">" + segments_html(h.snippet) + "</p>\n";
        if (!d.factions.empty() || !d.places.empty() || !d.organisations.empty()) {
            out_ += "<div class=\"tags\">";
            chips(d.factions, "faction", "Factions mentioned");
            chips(d.organisations, "organisation", "Organisations mentioned");
            chips(d.places, "place", "Places mentioned");
            out_ += "</div>\n";
        }
        if (h.copies > 0) {
            out_ += "<p class=\"copies\">+" + std::to_string(h.copies) + (h.copies == 1 ? " copy" : " copies");
            if (!h.copy_sources.empty()) {
                out_ += " from ";
                for (std::size_t i = 0; i < h.copy_sources.size(); ++i)
                    out_ += (i ? ", " : "") + esc(h.copy_sources[i]);
            }
            out_ += "</p>\n";
        }
        if (!h.reasons.empty()) {
            out_ += "<details class=\"why\"><summary>Why this matched</summary><ul>";
            for (const auto& words : reasons_in_words(h.reasons)) out_ += "<li>" + esc(words) + "</li>";
            out_ += "</ul></details>\n";
        }
        out_ += "</li>\n";
    }

    void pager() {
        const SearchResult& r = *r_;
        std::size_t per = m_.form.per_page;
        std::size_t pages = std::min<std::size_t>(1000, (r.estimate + per - 1) / per);
        std::size_t cur = m_.form.page;
        if (pages <= 1 && cur == 1) return;
        auto page_url = [&](std::size_t n) {
            PageForm f = base_;
            f.page = n;
            return link(f);
        };
        out_ += "<nav class=\"pager\" aria-label=\"Pages\"><ul>";
        if (cur > 1) out_ += "<li><a rel=\"prev\" href=\"" + page_url(cur - 1) + "\">‹ Previous</a></li>";
        std::size_t lo = cur > 2 ? cur - 2 : 1, hi = std::min(pages, cur + 2);
        if (lo > 1)
            out_ += "<li><a href=\"" + page_url(1) + "\">1</a></li>" + (lo > 2 ? "<li class=\"gap\">…</li>" : "");
        for (std::size_t n = lo; n <= hi; ++n) {
            if (n == cur)
                out_ += "<li><span class=\"cur\" aria-current=\"page\">" + std::to_string(n) + "</span></li>";
            else
                out_ += "<li><a href=\"" + page_url(n) + "\">" + std::to_string(n) + "</a></li>";
        }
        if (hi < pages)
            out_ += std::string(hi + 1 < pages ? "<li class=\"gap\">…</li>" : "") + "<li><a href=\"" + page_url(pages) +
                    "\">" + std::to_string(pages) + "</a></li>";
        if (cur < pages) out_ += "<li><a rel=\"next\" href=\"" + page_url(cur + 1) + "\">Next ›</a></li>";
        out_ += "</ul></nav>\n";
    }

    // The active filter "field:A[|B...]" of @a field (not an exclusion), or end().
    std::vector<std::string>::const_iterator choice_filter(const std::string& field) const {
        return std::find_if(m_.form.filters.begin(), m_.form.filters.end(),
                            [&](const std::string& f) { return f.rfind(field + ":", 0) == 0; });
    }

    // The current state with @a filter replaced by @a with ("" removes it).
    std::string replace_filter_link(const std::string& filter, const std::string& with) const {
        PageForm f = base_;
        f.page = 1;
        auto it = std::find(f.filters.begin(), f.filters.end(), filter);
        if (it == f.filters.end()) return link(f);
        if (with.empty())
            f.filters.erase(it);
        else
            *it = with;
        return link(f);
    }

    // One facet value: the link that filters on it (or removes it), and beside it "or"
    // (adds it as an alternative to the active value of this field: field:A|B) and "not"
    // (excludes it: -field:V).
    // In the dimension that lists the active value (counted without it: multi-select,
    // CgiApp), another value's link switches to it instead of adding a filter (no report
    // is both).
    void facet_value(const FacetCount& v, const std::string& field, const Facet& facet) {
        std::string filter = field + ":" + v.key;
        auto choice = choice_filter(field);
        std::vector<std::string> chosen;
        if (choice != m_.form.filters.end()) chosen = split_choice(filter_value(*choice));
        bool choice_here = std::any_of(facet.values.begin(), facet.values.end(), [&](const FacetCount& c) {
            return std::find(chosen.begin(), chosen.end(), c.key) != chosen.end();
        });
        bool in_choice = chosen.size() > 1 && std::find(chosen.begin(), chosen.end(), v.key) != chosen.end();
        bool on = active(filter) || in_choice;
        std::string href = toggle_filter_link(filter);
        if (!on && choice_here) href = replace_filter_link(*choice, filter);
        if (in_choice) {
            std::string rest;
            for (const auto& c : chosen)
                if (c != v.key) rest += (rest.empty() ? "" : "|") + c;
            href = replace_filter_link(*choice, field + ":" + rest);
        }
        out_ += "<li><a href=\"" + href + "\"" + (on ? " class=\"on\" aria-current=\"true\"" : "") +
                "><span class=\"label\"><bdi>" + esc(v.label) + "</bdi></span><span class=\"n\">" + count(v) +
                "</span></a>";
        if (!on && choice_here)
            out_ += "<a class=\"alt\" href=\"" + replace_filter_link(*choice, *choice + "|" + v.key) +
                    "\" title=\"Also " + esc(v.label) + " (either)\">or</a>";
        std::string exclude = "-" + filter;
        if (!on)
            out_ += "<a class=\"alt\" href=\"" + toggle_filter_link(exclude) + "\" title=\"Exclude " + esc(v.label) +
                    "\">not</a>";
        out_ += "</li>";
    }

    // A facet's values: its first kFacetShown and a "more" link, or, when it is the one
    // shown whole (`more=`), a page of kFacetMorePage with links to the pages around.
    void facet_list(const Facet& facet, const std::string& field, const std::string& heading) {
        if (facet.values.empty()) return;
        bool whole = m_.form.more == facet.dimension;
        std::size_t page = whole ? m_.form.more_page : 1;
        std::size_t begin = whole ? (page - 1) * kFacetMorePage : 0;
        std::size_t end = std::min(facet.values.size(), whole ? begin + kFacetMorePage : kFacetShown);
        out_ += "<h3>" + esc(heading) + "</h3>\n<ul class=\"facet\" id=\"facet-" + esc(facet.dimension) + "\">";
        for (std::size_t i = begin; i < end; ++i) facet_value(facet.values[i], field, facet);
        out_ += "</ul>\n";
        auto more_link = [&](const std::string& dimension, std::size_t p) {
            PageForm f = base_;
            f.more = dimension;
            f.more_page = p;
            std::string url = link(f);
            if (!dimension.empty()) {
                url += "&amp;more=" + url_encode(dimension);
                if (p > 1) url += "&amp;mp=" + std::to_string(p);
            }
            return url + "#facet-" + esc(facet.dimension);
        };
        std::string nav;
        if (whole && page > 1)
            nav += "<a href=\"" + more_link(facet.dimension, page - 1) + "\">‹ Previous " +
                   std::to_string(kFacetMorePage) + "</a> ";
        if (end < facet.values.size())
            nav += "<a href=\"" + more_link(facet.dimension, whole ? page + 1 : 1) + "\">" +
                   (whole ? "Next " + std::to_string(kFacetMorePage) + " ›" : std::string("More ›")) + "</a> ";
        if (whole) nav += "<a href=\"" + more_link("", 1) + "\">Fewer</a>";
        if (!nav.empty()) out_ += "<p class=\"facetmore\">" + nav + "</p>\n";
    }

    // A facet count as shown: "≈ N" when the facets are estimates.
    std::string count(const FacetCount& v) const {
        return (r_->facets_exact ? std::string() : std::string("≈ ")) + std::to_string(v.count);
    }

    // The date histogram, by month or by year (date_histogram_dimension); a bar filters
    // on its month or year.
    void dates(const Facet& facet) {
        if (facet.values.empty()) return;
        bool years = facet.dimension == "year";
        Xapian::doccount max = 1;
        for (const auto& v : facet.values) max = std::max(max, v.count);
        out_ += years ? "<h3>Year</h3>\n<ul class=\"months\" aria-label=\"Results by year\">"
                      : "<h3>Month</h3>\n<ul class=\"months\" aria-label=\"Results by month\">";
        for (const auto& v : facet.values) {
            std::string filter = "date:" + v.key;
            bool on = active(filter);
            // Bar widths in 5% steps as classes: the CSP forbids inline style attributes.
            int step = static_cast<int>(std::lround(20.0 * v.count / max));
            out_ += "<li><a href=\"" + toggle_filter_link(filter) + "\"" +
                    (on ? " class=\"on\" aria-current=\"true\"" : "") + "><span class=\"m\">" +
                    esc(years ? v.label : month_label(v.label)) + "</span><span class=\"bar\"><span class=\"w" +
                    std::to_string(std::max(step, 1) * 5) + "\"></span></span><span class=\"n\">" + count(v) +
                    "</span></a></li>";
        }
        out_ += "</ul>\n";
    }

    void facets() {
        const SearchResult& r = *r_;
        if (r.facets.empty()) return;
        out_ += "<aside class=\"facets\" id=\"refine\" aria-label=\"Refine the results\">\n<h2>Refine</h2>\n";
        if (!r.facets_exact)
            out_ += "<p class=\"small\">Estimated counts (≈): counted over the first " +
                    std::to_string(r.facet_documents) + " matches, scaled to all of them.</p>\n";
        auto find = [&](const std::string& dim) -> const Facet* {
            for (const auto& f : r.facets)
                if (f.dimension == dim) return &f;
            return nullptr;
        };
        if (const Facet* f = find("faction")) facet_list(*f, "faction", "Faction");
        if (const Facet* f = find("organisation")) facet_list(*f, "organisation", "Organisation");
        // Locations from the widest level down: after choosing a country the regions
        // listed are that country's, and so on.
        for (const char* dim : {"location.country", "location.admin1", "location.admin2", "location.admin3",
                                "location.city", "location.town", "location.locality"})
            if (const Facet* f = find(dim)) facet_list(*f, "location", location_level_name(dim));
        for (const auto& f : r.facets) {
            if (f.dimension.rfind("location.", 0) == 0 && !location_level_name(f.dimension))
                facet_list(f, "location", "Place (" + f.dimension.substr(9) + ")");
        }
        if (const Facet* f = find("source")) facet_list(*f, "source", "Source");
        if (const Facet* f = find("dateline")) facet_list(*f, "dateline", "Filed from");
        if (const Facet* f = find(date_histogram_dimension(r))) dates(*f);
        out_ += "</aside>\n";
    }

    const PageModel& m_;
    const SearchResult* r_;
    PageForm base_;
    std::string out_;
};

}  // namespace

std::string month_label(const std::string& key) {
    if (key.size() == 7 && key[4] == '-' &&
        std::all_of(key.begin(), key.begin() + 4, [](unsigned char c) { return std::isdigit(c); }))
        return display_date(key);
    return key;
}

std::string page_link(const std::string& script_name, const PageForm& form) {
    std::string url = script_name + "?";
    bool any = false;
    auto add = [&](std::string_view name, std::string_view value) {
        if (any) url += '&';
        any = true;
        url += name;
        url += '=';
        url += url_encode(value);
    };
    if (!form.query.empty()) add("q", form.query);
    for (const auto& f : form.filters) add("f", f);
    if (!form.from.empty()) add("from", form.from);
    if (!form.to.empty()) add("to", form.to);
    if (form.sort != "relevance") add("sort", form.sort);
    if (form.page > 1) add("page", std::to_string(form.page));
    if (form.per_page_given) add("n", std::to_string(form.per_page));
    if (!form.db.empty()) add("db", form.db);
    if (form.rev) add("rev", std::to_string(form.rev));
    if (!any) url.pop_back();
    return html_escape(url);
}

std::string render_search_page(const PageModel& model) { return PageWriter(model).render(); }

const std::string& page_favicon() {
    static const std::string svg =
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 16 16\"><rect width=\"16\" height=\"16\" rx=\"3\" "
        "fill=\"#1f5fbf\"/><circle cx=\"7\" cy=\"7\" r=\"3.5\" fill=\"none\" stroke=\"#fff\" stroke-width=\"1.8\"/>"
        "<path d=\"M9.6 9.6l3.4 3.4\" stroke=\"#fff\" stroke-width=\"1.8\"/></svg>\n";
    return svg;
}

const std::string& page_stylesheet() {
    static const std::string css = [] {
        std::string s =
            R"CSS(:root{--fg:#1d2330;--muted:#5b6474;--line:#dde1e8;--bg:#fff;--soft:#f4f6f9;--accent:#1f5fbf;--mark:#ffe58a;--chip:#eef1f6;--on:#1f5fbf}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Arabic",sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--accent)}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,summary:focus-visible{outline:3px solid #a14a00;outline-offset:2px}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.top{border-bottom:1px solid var(--line);background:var(--soft);padding:14px 20px;display:flex;gap:8px 24px;align-items:flex-start;flex-wrap:wrap}
.brand{font-size:1.35rem;text-decoration:none;color:var(--fg);padding-top:4px;letter-spacing:-.01em}
.brand b{color:var(--accent)}
.search{flex:1;min-width:260px;max-width:820px}
.qrow{display:flex;gap:8px}
.qrow input{flex:1;min-width:0;font:inherit;padding:8px 12px;border:1px solid #b9c0cc;border-radius:8px;background:#fff}
button{font:inherit;padding:8px 18px;border:0;border-radius:8px;background:var(--accent);color:#fff;cursor:pointer}
.opts{display:flex;flex-wrap:wrap;gap:6px 16px;margin-top:8px;font-size:.9rem;color:var(--muted)}
.opt{display:inline-flex;align-items:center;gap:6px}
.opts input,.opts select{font:inherit;padding:3px 6px;border:1px solid #b9c0cc;border-radius:6px;background:#fff;color:var(--fg)}
.layout{display:grid;grid-template-columns:250px minmax(0,1fr);grid-template-areas:"facets results";gap:32px;max-width:1180px;margin:0 auto;padding:20px}
.results{grid-area:results;min-width:0}
.facets{grid-area:facets;font-size:.9rem;min-width:0}
.facets h2{font-size:1rem;margin:0 0 4px}
.facets h3{font-size:.78rem;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);margin:18px 0 4px}
.facet,.months{list-style:none;margin:0;padding:0}
.facet li{display:flex;align-items:center}
.facet li>a:first-child{flex:1;min-width:0}
.timeline{margin:8px 0 4px}
.timeline svg{display:block;background:var(--soft);border-radius:4px}
.timeline a:focus-visible rect{stroke:#a14a00;stroke-width:3}
.tlends{display:flex;justify-content:space-between;margin:2px 0 0}
.facetmore{margin:2px 0 0 6px;font-size:.8rem}
.facet a.alt{flex:none;font-size:.75rem;color:var(--muted);padding:3px 4px}
.facet a,.months a{display:flex;align-items:center;gap:8px;padding:3px 6px;border-radius:6px;text-decoration:none;color:var(--fg)}
.facet a:hover,.months a:hover{background:var(--soft)}
.facet a.on,.months a.on{background:var(--on);color:#fff}
.facet .label{flex:1;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.n{color:var(--muted);font-variant-numeric:tabular-nums;font-size:.85em}
a.on .n{color:#fff}
.months{max-height:360px;overflow-y:auto}
.months .m{width:6.2em;flex:none;font-variant-numeric:tabular-nums}
.months .bar{flex:1;height:10px;background:var(--soft);border-radius:3px;overflow:hidden}
.months .bar span{display:block;height:100%;background:#7ea6e0}
a.on .bar span{background:#fff}
.small{color:var(--muted);font-size:.85em}
.summary{display:flex;flex-wrap:wrap;justify-content:space-between;gap:4px 16px;align-items:baseline;border-bottom:1px solid var(--line);padding-bottom:8px;margin-bottom:4px}
.summary p{margin:0}
.time,.rev{color:var(--muted);font-size:.9em}
.links a{margin-right:6px}
.tofacets{display:none}
.skip{position:absolute;left:-9999px;top:0;background:#fff;padding:6px 12px;z-index:2}
.skip:focus{left:8px}
.exports{font-size:.9em}
.docpage{max-width:860px;margin:0 auto;padding:20px}
.doc h1{font-size:1.5rem;line-height:1.3;margin:8px 0 12px;overflow-wrap:anywhere}
.docmeta{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:4px 16px;font-size:.92rem;margin:0 0 16px}
.docmeta dt{color:var(--muted)}
.docmeta dd{margin:0;overflow-wrap:anywhere}
.doctext{white-space:pre-wrap;overflow-wrap:anywhere;line-height:1.65;border-top:1px solid var(--line);padding-top:12px}
.hn{font-size:.8em;text-decoration:none;padding:0 2px}
.related{border-top:1px solid var(--line);margin-top:20px}
.related h2{font-size:1.05rem}
.back{margin:0;font-size:.9rem}
.hits{list-style:none;margin:0;padding:0}
.hit{padding:16px 0;border-bottom:1px solid var(--line)}
.hit .title{font-size:1.15rem;line-height:1.35;margin:0 0 2px;font-weight:600;overflow-wrap:anywhere}
.hit .title a{text-decoration:none}
.hit .title a:hover{text-decoration:underline}
.meta,.entry,.copies{margin:0;color:var(--muted);font-size:.88rem}
.meta .source{color:#136b3b;font-weight:500;text-decoration:none}
.meta .url{overflow-wrap:anywhere}
.entry a{color:inherit}
.snippet{margin:6px 0;overflow-wrap:anywhere}
mark{background:var(--mark);color:inherit;padding:0 1px;border-radius:2px}
.tags{display:flex;flex-wrap:wrap;gap:4px 10px;margin:6px 0}
.chips{list-style:none;display:flex;flex-wrap:wrap;gap:4px;margin:0;padding:0}
.chip{display:inline-block;max-width:100%;overflow-wrap:anywhere;background:var(--chip);border-radius:999px;padding:1px 10px;font-size:.8rem;color:var(--fg);text-decoration:none}
.chips.faction .chip{background:#fbe9e7;color:#8a2a12}
.chips.place .chip{background:#e6f2ea;color:#1c5a33}
.chips.organisation .chip{background:#e8eaf6;color:#283593}
.active{list-style:none;display:flex;flex-wrap:wrap;gap:6px;padding:0;margin:0 0 12px;align-items:center}
.chip.on{background:var(--on);color:#fff;padding:3px 12px;font-size:.85rem}
.clear{font-size:.85rem}
.why{margin-top:6px;font-size:.85rem}
.why summary{cursor:pointer;color:var(--muted)}
.why ul{margin:4px 0;padding-left:20px}
code{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:.9em;background:var(--soft);padding:0 3px;border-radius:3px}
.alert{background:#fdecea;border:1px solid #f5c2bd;color:#7a1d12;padding:10px 14px;border-radius:8px}
.notice{background:#eef4fd;border:1px solid #c9dbf6;padding:8px 14px;border-radius:8px}
.notice.warn{background:#fff6e0;border-color:#f1dca0}
.suggest{font-size:1.02rem}
.empty h2{font-size:1.15rem}
.intro h1{font-size:1.5rem;margin-top:0}
.intro{max-width:640px}
.pager ul{list-style:none;display:flex;flex-wrap:wrap;gap:6px;padding:0;margin:20px 0}
.pager a,.pager span{display:inline-block;min-width:2.4em;text-align:center;padding:5px 10px;border:1px solid var(--line);border-radius:6px;text-decoration:none}
.pager .cur{background:var(--accent);color:#fff;border-color:var(--accent)}
.pager .gap{padding:5px 2px;color:var(--muted)}
.foot{max-width:1180px;margin:0 auto;padding:8px 20px 24px;color:var(--muted);font-size:.8rem}
@media (max-width:760px){
.top{padding:10px 12px}
.layout{grid-template-columns:minmax(0,1fr);grid-template-areas:"results" "facets";padding:12px;gap:16px}
.facets{border-top:2px solid var(--line);padding-top:12px}
.tofacets{display:inline}
.hit .title{font-size:1.05rem}
.meta .url{display:none}
}
)CSS";
        for (int w = 5; w <= 100; w += 5) s += ".w" + std::to_string(w) + "{width:" + std::to_string(w) + "%}\n";
        return s;
    }();
    return css;
}

}  // namespace warsearch
