// libFuzzer target: the renderers (HTML page, text, JSON) on a SearchResult synthesized
// from the input.  Documents are untrusted: the page must never carry a tag that came
// from them, and the JSON must parse.
#include <fuzzer/FuzzedDataProvider.h>

#include <nlohmann/json.hpp>

#include "fuzz_support.h"
#include "searcher/cgi/cgi_page.h"
#include "searcher/render.h"

namespace {

std::string str(FuzzedDataProvider& p) { return p.ConsumeRandomLengthString(256); }

std::vector<warsearch::SnippetSegment> segments(FuzzedDataProvider& p) {
    std::vector<warsearch::SnippetSegment> out(p.ConsumeIntegralInRange<int>(0, 4));
    for (auto& s : out) {
        s.match = p.ConsumeBool();
        s.text = str(p);
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider p(data, size);
    warsearch::SearchResult r;
    r.query = str(p);
    r.parsed = str(p);
    r.estimate = p.ConsumeIntegral<Xapian::doccount>();
    r.lower_bound = p.ConsumeIntegral<Xapian::doccount>();
    r.upper_bound = p.ConsumeIntegral<Xapian::doccount>();
    r.offset = p.ConsumeIntegral<Xapian::doccount>();
    r.limit = p.ConsumeIntegral<Xapian::doccount>();
    r.index_revision = p.ConsumeIntegral<std::uint64_t>();
    r.seconds = p.ConsumeFloatingPoint<double>();
    r.suggestion = str(p);
    r.collapsed = p.ConsumeBool();
    r.facets_exact = p.ConsumeBool();
    for (int n = p.ConsumeIntegralInRange<int>(0, 2); n > 0; --n) r.warnings.push_back(str(p));
    for (int n = p.ConsumeIntegralInRange<int>(0, 3); n > 0; --n) {
        warsearch::Facet f;
        f.dimension = str(p);
        for (int k = p.ConsumeIntegralInRange<int>(0, 3); k > 0; --k)
            f.values.push_back({str(p), str(p), p.ConsumeIntegral<Xapian::doccount>()});
        r.facets.push_back(std::move(f));
    }
    for (int n = p.ConsumeIntegralInRange<int>(0, 4); n > 0; --n) {
        warsearch::Hit h;
        h.rank = p.ConsumeIntegral<Xapian::doccount>();
        h.score = p.ConsumeFloatingPoint<double>();
        h.percent = p.ConsumeIntegral<int>();
        h.fields.id = str(p);
        h.fields.title = str(p);
        h.fields.date = str(p);
        h.fields.source = str(p);
        h.fields.url = str(p);
        h.fields.parent = str(p);
        h.fields.parent_title = str(p);
        h.fields.entry = p.ConsumeIntegral<int>();
        h.fields.time = str(p);
        h.fields.places.push_back(str(p));
        h.fields.factions.push_back(str(p));
        h.snippet = segments(p);
        h.title_marked = segments(p);
        h.copies = p.ConsumeIntegral<Xapian::doccount>();
        h.copy_sources.push_back(str(p));
        h.story = str(p);
        h.reasons.push_back({str(p), str(p), str(p), str(p)});
        r.hits.push_back(std::move(h));
    }

    warsearch::PageModel model;
    model.form.query = r.query;
    model.form.filters.push_back(str(p));
    model.form.from = str(p);
    model.form.to = str(p);
    model.form.page = p.ConsumeIntegralInRange<std::size_t>(1, 1000);
    model.form.per_page = p.ConsumeIntegralInRange<std::size_t>(1, 50);
    model.form.per_page_given = p.ConsumeBool();
    model.form.rev = p.ConsumeIntegral<std::uint64_t>();
    model.notice = str(p);
    model.error = p.ConsumeBool() ? str(p) : "";
    model.result = p.ConsumeBool() ? &r : nullptr;

    std::string html = warsearch::render_search_page(model);
    warsearch::fuzz::require(html.find("<script") == std::string::npos, "no script element in the page");
    warsearch::fuzz::require(html.find("<x-fuzz") == std::string::npos, "no tag from the input in the page");

    warsearch::TextRenderOptions text_options;
    text_options.explain = p.ConsumeBool();
    text_options.ansi = p.ConsumeBool();
    (void)warsearch::render_text(r, text_options);

    std::string json = warsearch::render_json(r);
    warsearch::fuzz::require(nlohmann::json::accept(json), "render_json writes valid JSON");
    return 0;
}
