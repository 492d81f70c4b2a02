// Newswire files holding many stories each: MUC-3/MUC-4 (FBIS) texts and Reuters-21578
// SGML.  Both are streamed record by record, so memory is bounded by one story.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <istream>
#include <optional>

#include "common/readers/reader_support.h"
#include "common/readers/readers.h"
#include "common/text/dates.h"
#include "common/text/text.h"

namespace warsearch {
namespace {

// ---- MUC ----

// "DEV-MUC3-0001 (NOSC)", "TST1-MUC3-0001", "TST4-MUC4-0100": returns the id or "".
std::string muc_id(std::string_view line) {
    line = detail::trim(line);
    std::size_t end = line.find(' ');
    std::string_view id = line.substr(0, end);
    std::string_view rest = end == std::string_view::npos ? std::string_view() : detail::trim(line.substr(end));
    if (!rest.empty() && rest.front() != '(') return {};
    std::size_t muc = id.find("-MUC");
    if (muc == std::string_view::npos || muc == 0) return {};
    for (std::size_t i = 0; i < muc; ++i)
        if (!std::isalnum(static_cast<unsigned char>(id[i]))) return {};
    std::size_t i = muc + 4;
    std::size_t digits = i;
    while (i < id.size() && std::isdigit(static_cast<unsigned char>(id[i]))) ++i;
    if (i == digits || i >= id.size() || id[i] != '-') return {};
    std::size_t num = ++i;
    while (i < id.size() && std::isdigit(static_cast<unsigned char>(id[i]))) ++i;
    if (i == num || i != id.size()) return {};
    return std::string(id);
}

// Skips the bracketed header groups that open a MUC body: "[REPORT] [ARMED FORCES
// PRESS COMMITTEE, COPREFA] [TEXT] THE ARCE ..." -> "THE ARCE ...".
std::string_view skip_brackets(std::string_view s) {
    s = detail::trim(s);
    while (!s.empty() && s.front() == '[') {
        std::size_t close = s.find(']');
        if (close == std::string_view::npos) break;
        s = detail::trim(s.substr(close + 1));
    }
    return s;
}

struct MucDateline {
    std::string place, source;
    std::string date_text;
    std::string_view after;  // the text after "--"
};

// "SAN SALVADOR, 3 JAN 90 -- ...", "RIO DE JANEIRO (BRAZIL), 22 DEC 88 (REDE GLOBO) --",
// "CLANDESTINE, 8 JAN 90 (RADIO VENCEREMOS)-- ..."
bool parse_dateline(std::string_view text, MucDateline& out) {
    std::size_t dashes = text.find("--");
    if (dashes == std::string_view::npos || dashes > 400) return false;
    std::string head = squeeze_space(text.substr(0, dashes));
    out.after = text.substr(dashes + 2);
    std::size_t comma = head.find(',');
    if (comma == std::string::npos) return false;
    std::string place = std::string(detail::trim(std::string_view(head).substr(0, comma)));
    std::string rest = std::string(detail::trim(std::string_view(head).substr(comma + 1)));
    std::string country;
    if (std::size_t open = place.find('('); open != std::string::npos) {
        std::size_t close = place.find(')', open);
        country = place.substr(open + 1, close == std::string::npos ? std::string::npos : close - open - 1);
        place = std::string(detail::trim(std::string_view(place).substr(0, open)));
    }
    std::string upper_place = place;
    for (char& c : upper_place) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (upper_place == "CLANDESTINE" || upper_place.rfind("NO CITY", 0) == 0) place = country;
    out.place = detail::place_case(place);
    if (std::size_t open = rest.find('('); open != std::string::npos) {
        std::size_t close = rest.rfind(')');
        out.source =
            rest.substr(open + 1, close == std::string::npos || close < open ? std::string::npos : close - open - 1);
        rest = std::string(detail::trim(std::string_view(rest).substr(0, open)));
    }
    out.date_text = rest;
    return true;
}

void finish_muc(const std::string& id, std::string& raw, const Provenance& from, const ReadOptions& options,
                const ReadSink& sink) {
    std::string warning;
    std::string text = detail::to_utf8(raw, warning);
    raw.clear();
    std::vector<std::string> warnings;
    if (!warning.empty()) warnings.push_back(warning);
    Article a;
    a.id = id;
    a.from = from;
    a.lang = "en";
    a.body = std::string(detail::trim(text));
    std::string_view lead = a.body;
    MucDateline dl;
    if (parse_dateline(a.body, dl)) {
        a.dateline = dl.place;
        if (!a.dateline.empty()) {
            // The dateline runs to "--" and the spaces after it.
            std::size_t end = static_cast<std::size_t>(dl.after.data() - a.body.data());
            while (end < a.body.size() && (a.body[end] == ' ' || a.body[end] == '\n')) ++end;
            a.dateline_length = end;
        }
        a.source = dl.source;
        lead = dl.after;
        std::string upper = dl.date_text;
        for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        // A few datelines put the month first: "JUNE 11 89".
        if (std::size_t sp = upper.find(' ');
            sp != std::string::npos && sp >= 3 && std::isalpha(static_cast<unsigned char>(upper[0]))) {
            std::size_t sp2 = upper.find(' ', sp + 1);
            if (sp2 != std::string::npos)
                dl.date_text = dl.date_text.substr(sp + 1, sp2 - sp - 1) + " " + dl.date_text.substr(0, sp) +
                               dl.date_text.substr(sp2);
        }
        if (!dl.date_text.empty() && upper != "NO DATE") {
            if (auto d = parse_date(dl.date_text, options.date_order))
                a.date = *d;
            else
                warnings.push_back("unreadable dateline date '" + dl.date_text + "', left empty");
        }
    } else {
        warnings.push_back("no dateline (PLACE, DATE --) found");
    }
    lead = skip_brackets(lead);
    // MUC-3 texts are all upper case: give the title sentence case, keep the body.
    a.title = detail::title_from_line(detail::readable_case(squeeze_space(detail::first_sentence(lead))));
    if (a.body.empty()) {
        sink.failure({from.where(), "document " + id + " has no text"});
        return;
    }
    detail::warn_all(sink, from.where(), warnings);
    detail::emit(std::move(a), {}, options, sink);
}

// ---- Reuters-21578 ----

// Decodes the character references found in the collection (&lt; &amp; &#3; ...);
// control characters such as &#3; (end-of-text marks) carry nothing and are dropped.
std::string decode_entities(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '&') {
            out += s[i];
            continue;
        }
        std::size_t semi = s.find(';', i);
        if (semi == std::string_view::npos || semi - i > 10) {
            out += '&';
            continue;
        }
        std::string_view name = s.substr(i + 1, semi - i - 1);
        unsigned long cp = 0;
        bool known = true;
        if (name == "lt")
            cp = '<';
        else if (name == "gt")
            cp = '>';
        else if (name == "amp")
            cp = '&';
        else if (name == "quot")
            cp = '"';
        else if (name == "apos")
            cp = '\'';
        else if (name.size() > 1 && name[0] == '#') {
            bool hex = name[1] == 'x' || name[1] == 'X';
            std::string digits(name.substr(hex ? 2 : 1));
            char* end = nullptr;
            cp = std::strtoul(digits.c_str(), &end, hex ? 16 : 10);
            known = !digits.empty() && end && *end == '\0' && cp <= 0x10FFFF;
        } else {
            known = false;
        }
        if (!known) {
            out += '&';
            continue;
        }
        i = semi;
        if (cp < 0x20 && cp != '\n' && cp != '\t') continue;
        // A surrogate is not a character: UTF-8 cannot carry it (found by fuzz_reuters_reader).
        if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }
    return out;
}

// The content of the first <TAG ...>...</TAG> in @a s; nullopt when absent.
std::optional<std::string_view> element(std::string_view s, std::string_view tag) {
    std::string open = "<" + std::string(tag);
    std::size_t at = 0;
    while ((at = s.find(open, at)) != std::string_view::npos) {
        char next = at + open.size() < s.size() ? s[at + open.size()] : '\0';
        if (next == '>' || next == ' ') break;
        at += open.size();
    }
    if (at == std::string_view::npos) return std::nullopt;
    std::size_t gt = s.find('>', at);
    if (gt == std::string_view::npos) return std::nullopt;
    std::string close = "</" + std::string(tag) + ">";
    std::size_t end = s.find(close, gt + 1);
    // SGML lets some closing tags go missing; the record's end closes them.
    if (end == std::string_view::npos) end = s.size();
    return s.substr(gt + 1, end - gt - 1);
}

std::string attribute(std::string_view open_tag, std::string_view name) {
    std::string key = " " + std::string(name) + "=\"";
    std::size_t at = open_tag.find(key);
    if (at == std::string_view::npos) return {};
    at += key.size();
    std::size_t end = open_tag.find('"', at);
    return std::string(open_tag.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at));
}

std::string strip_tags(std::string_view s) {
    std::string out;
    bool in_tag = false;
    for (char c : s) {
        if (c == '<')
            in_tag = true;
        else if (c == '>' && in_tag)
            in_tag = false;
        else if (!in_tag)
            out += c;
    }
    return out;
}

std::string clean(std::string_view s) { return decode_entities(strip_tags(s)); }

void finish_reuters(std::string_view raw, const Provenance& from, const ReadOptions& options, const ReadSink& sink) {
    std::string warning;
    std::string rec = detail::to_utf8(raw, warning);
    std::vector<std::string> warnings;
    if (!warning.empty()) warnings.push_back(warning);
    std::string_view r = rec;
    Article a;
    a.from = from;
    a.source = "reuters";
    a.lang = "en";
    std::string newid = attribute(r.substr(0, r.find('>')), "NEWID");
    if (!newid.empty()) a.id = "reuters-" + newid;
    if (auto d = element(r, "DATE")) {
        std::string text = squeeze_space(clean(*d));
        // Some dates carry teletype residue after the time ("... 03:48:23.00 F RM").
        std::string two_tokens = text.substr(0, text.find(' ', text.find(' ') + 1));
        if (auto date = parse_date(text, options.date_order))
            a.date = *date;
        else if (auto trimmed = parse_date(two_tokens, options.date_order))
            a.date = *trimmed;
        else if (auto day = parse_date(text.substr(0, text.find(' ')), options.date_order))
            a.date = *day;
        else if (!text.empty())
            warnings.push_back("unreadable date '" + text + "', left empty");
    }
    if (auto places = element(r, "PLACES")) {
        std::string_view p = *places;
        while (auto d = element(p, "D")) {
            std::string place = squeeze_space(clean(*d));
            if (!place.empty()) a.places.push_back(place);
            std::size_t next = p.find("</D>");
            if (next == std::string_view::npos) break;
            p.remove_prefix(next + 4);
        }
    }
    std::string_view text = element(r, "TEXT").value_or(std::string_view());
    std::size_t text_tag = r.find("<TEXT");
    std::string type = text_tag == std::string_view::npos ? std::string() : attribute(r.substr(text_tag, 40), "TYPE");
    // Reuters headlines are kept as written (upper case, but with their acronyms:
    // sentence case would turn "IMF" and "EC" into "Imf" and "Ec").
    if (auto t = element(text, "TITLE")) a.title = squeeze_space(clean(*t));
    if (auto dl = element(text, "DATELINE")) {
        std::string place = squeeze_space(clean(*dl));
        a.dateline = detail::place_case(std::string(detail::trim(std::string_view(place).substr(0, place.find(',')))));
    }
    if (auto au = element(text, "AUTHOR")) {
        std::string by = squeeze_space(clean(*au));
        if (std::string b = detail::byline_of(by); !b.empty()) by = b;
        if (std::size_t comma = by.find(", Reuters"); comma != std::string::npos) by.resize(comma);
        a.byline = by;
    }
    if (auto body = element(text, "BODY")) {
        a.body = std::string(detail::trim(clean(*body)));
    } else if (type != "BRIEF") {
        // Unprocessed stories (TYPE="UNPROC") are bare text inside <TEXT>.
        a.body = std::string(detail::trim(clean(text)));
    }
    // The collection's trailing "Reuter" sign-off and &#3; end mark are not text.
    for (const char* tail : {"Reuter", "REUTER"}) {
        std::string_view b = a.body;
        if (b.size() > 6 && b.substr(b.size() - 6) == tail)
            a.body = std::string(detail::trim(b.substr(0, b.size() - 6)));
    }
    if (a.title.empty()) a.title = detail::title_from_text(a.body, options.date_order);
    if (a.title.empty() && a.body.empty()) {
        sink.failure({from.where(), "story has no title and no text"});
        return;
    }
    detail::warn_all(sink, from.where(), warnings);
    detail::emit(std::move(a), {}, options, sink);
}

}  // namespace

bool detail::is_muc_id_line(std::string_view line) { return !muc_id(line).empty(); }

void read_muc(std::istream& in, const std::string& path, const ReadOptions& options, const ReadSink& sink) {
    std::string line, id, raw;
    std::uint64_t line_no = 0, record = 0, length = 0;
    Provenance from;
    bool too_big = false, any_text_before = false;
    auto finish = [&] {
        if (!id.empty() && !too_big) finish_muc(id, raw, from, options, sink);
        raw.clear();
        too_big = false;
    };
    while (detail::read_bounded_line(in, line, options.max_record_bytes + 1, length)) {
        ++line_no;
        if (line_no == 1 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (std::string next = muc_id(line); !next.empty()) {
            finish();
            id = next;
            from = Provenance{path, line_no, ++record};
            continue;
        }
        if (id.empty()) {
            any_text_before = any_text_before || !detail::trim(line).empty();
            continue;
        }
        if (too_big) continue;
        raw += line;
        raw += '\n';
        if (raw.size() > options.max_record_bytes) {
            sink.failure({from.where(), "document " + id + " is over the record size limit"});
            too_big = true;
            raw.clear();
        }
    }
    finish();
    if (record == 0)
        sink.failure({path, "no MUC document id line (like DEV-MUC3-0001) found", true});
    else if (any_text_before && sink.warning)
        sink.warning({path, "text before the first document id was skipped"});
}

void read_reuters(std::istream& in, const std::string& path, const ReadOptions& options, const ReadSink& sink) {
    // The SGML is a flat list of <REUTERS> records with fixed tags.  A scan for those
    // tags is used rather than Gumbo: an HTML tree builder treats <BODY> and <TITLE>
    // as page structure (merging BODY into the document body and moving TITLE out), so
    // the story boundaries are lost; the scan is also tolerant of the stray non-UTF-8
    // byte in reut2-017 (each record is repaired on its own) and streams.
    std::string buffer;
    std::string block(1 << 16, '\0');
    std::uint64_t line_at_buffer = 1, record = 0;
    bool eof = false;
    while (!eof || !buffer.empty()) {
        std::size_t start = buffer.find("<REUTERS");
        std::size_t end = start == std::string::npos ? std::string::npos : buffer.find("</REUTERS>", start);
        if (start == std::string::npos && buffer.size() > 16) {
            // Between stories: keep only what could be the start of a "<REUTERS".
            std::size_t keep_from = buffer.size() - 16;
            line_at_buffer += static_cast<std::uint64_t>(
                std::count(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(keep_from), '\n'));
            buffer.erase(0, keep_from);
        }
        if (end == std::string::npos && !eof) {
            if (buffer.size() > options.max_record_bytes) {
                sink.failure({Provenance{path, line_at_buffer, record + 1}.where(),
                              "story is over the record size limit (no </REUTERS>?), skipped"});
                line_at_buffer += static_cast<std::uint64_t>(std::count(buffer.begin(), buffer.end(), '\n'));
                buffer.clear();
            }
            in.read(block.data(), static_cast<std::streamsize>(block.size()));
            std::size_t got = static_cast<std::size_t>(in.gcount());
            if (got == 0) eof = true;
            buffer.append(block.data(), got);
            continue;
        }
        if (start == std::string::npos) break;
        if (end == std::string::npos) {
            // The last story lost its closing tag: read what there is.
            end = buffer.size();
        }
        std::uint64_t line =
            line_at_buffer + static_cast<std::uint64_t>(
                                 std::count(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(start), '\n'));
        ++record;
        std::size_t stop = std::min(buffer.size(), end + 10);
        finish_reuters(std::string_view(buffer).substr(start, end - start), Provenance{path, line, record}, options,
                       sink);
        line_at_buffer += static_cast<std::uint64_t>(
            std::count(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(stop), '\n'));
        buffer.erase(0, stop);
    }
    if (record == 0) sink.failure({path, "no <REUTERS> story found", true});
}

}  // namespace warsearch
