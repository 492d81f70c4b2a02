#include "searcher/atom.h"

#include "common/text/text.h"
#include "searcher/highlighter.h"

namespace warsearch {
namespace {

// XML 1.0 allows no C0 controls but tab, LF and CR.
std::string xml(const std::string& s) {
    std::string clean;
    clean.reserve(s.size());
    for (unsigned char c : s)
        if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') clean += static_cast<char>(c);
    return html_escape(clean);
}

}  // namespace

std::string atom_date(const std::string& iso) {
    if (iso.size() < 4) return {};
    std::string date = iso.substr(0, 10);
    if (date.size() == 4) date += "-01-01";
    if (date.size() == 7) date += "-01";
    if (iso.size() >= 16 && iso[10] == 'T') {
        std::string time = iso.substr(11);
        std::string zone = "Z";
        std::size_t z = time.find_first_of("Z+-");
        if (z != std::string::npos) {
            if (time[z] != 'Z') zone = time.substr(z);
            time.resize(z);
        }
        if (time.size() == 5) time += ":00";
        return date + "T" + time + zone;
    }
    return date + "T00:00:00Z";
}

std::string render_atom(const SearchResult& result, const AtomLinks& links) {
    std::string updated;
    for (const auto& h : result.hits) updated = std::max(updated, atom_date(h.fields.date));
    if (updated.empty()) updated = "1970-01-01T00:00:00Z";
    std::string out =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>" +
        xml(links.title) + "</title>\n<id>urn:warsearch:search:" + hex64(hash64(links.self)) + "</id>\n<updated>" +
        xml(updated) + "</updated>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"" + xml(links.self) +
        "\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"" + xml(links.alternate) +
        "\"/>\n<author><name>warsearch</name></author>\n<generator>warsearch</generator>\n";
    for (const auto& h : result.hits) {
        const StoredFields& f = h.fields;
        std::string date = atom_date(f.date);
        out += "<entry>\n<id>urn:warsearch:report:" + xml(url_encode(f.id)) + "</id>\n<title>" +
               xml(f.title.empty() ? f.id : f.title) + "</title>\n<updated>" +
               xml(date.empty() ? "1970-01-01T00:00:00Z" : date) + "</updated>\n";
        out += "<link rel=\"alternate\" type=\"text/html\" href=\"" + xml(links.document_prefix + url_encode(f.id)) +
               "\"/>\n";
        if (f.url.rfind("http://", 0) == 0 || f.url.rfind("https://", 0) == 0)
            out += "<link rel=\"via\" href=\"" + xml(f.url) + "\"/>\n";
        if (!f.source.empty()) out += "<author><name>" + xml(f.source) + "</name></author>\n";
        if (!h.snippet.empty()) out += "<summary>" + xml(join_segments(h.snippet, "", "")) + "</summary>\n";
        out += "</entry>\n";
    }
    out += "</feed>\n";
    return out;
}

}  // namespace warsearch
