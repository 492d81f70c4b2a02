#include "searcher/query_lint.h"

#include <algorithm>
#include <cctype>

#include "common/index/schema.h"
#include "searcher/search_types.h"

namespace warsearch {
namespace {

struct FieldName {
    std::string_view typed;
    std::string_view canonical;
};

// Canonical names first (the order of known_fields()), then the aliases people type.
constexpr FieldName kFieldNames[] = {
    {"title", "title"},
    {"source", "source"},
    {"date", "date"},
    {"faction", "faction"},
    {"location", "location"},
    {"organisation", "organisation"},
    {"lang", "lang"},
    {"id", "id"},
    {"parent", "parent"},
    {"kind", "kind"},
    {"dateline", "dateline"},
    {"f", "faction"},
    {"f", "faction"},
    {"org", "organisation"},
    {"organization", "organisation"},
    {"orgs", "organisation"},
    {"group", "faction"},
    {"actor", "faction"},
    {"l", "location"},
    {"place", "location"},
    {"country", "location"},
    {"where", "location"},
    {"loc", "location"},
    {"language", "lang"},
    {"outlet", "source"},
    {"headline", "title"},
    {"filed", "dateline"},
    {"filedfrom", "dateline"},
};
constexpr std::size_t kCanonicalFields = 10;

enum class Kind { word, phrase, open, close };

struct Token {
    Kind kind;
    std::string text;
};

bool is_binary_operator(std::string_view w) {
    return w == "AND" || w == "OR" || w == "XOR" || w == "NEAR" || w == "ADJ" || w.rfind("NEAR/", 0) == 0 ||
           w.rfind("ADJ/", 0) == 0;
}

bool is_operator(const Token& t) { return t.kind == Kind::word && (is_binary_operator(t.text) || t.text == "NOT"); }

// A word or phrase that can stand beside an operator.
bool is_operand(const Token& t) { return t.kind == Kind::phrase || (t.kind == Kind::word && !is_operator(t)); }

std::vector<Token> tokenize(std::string_view text) {
    std::vector<Token> out;
    std::size_t i = 0, n = text.size();
    while (i < n) {
        char c = text[i];
        if (std::isspace(static_cast<unsigned char>(c))) {
            ++i;
        } else if (c == '(' || c == ')') {
            out.push_back({c == '(' ? Kind::open : Kind::close, std::string(1, c)});
            ++i;
        } else {
            // A word, possibly glued to a phrase (title:"...", -"..."), or a phrase.
            std::size_t j = i;
            bool quoted = false;
            while (j < n) {
                char d = text[j];
                if (d == '"') {
                    std::size_t end = text.find('"', j + 1);
                    j = end == std::string_view::npos ? n : end + 1;
                    quoted = true;
                    continue;
                }
                if (std::isspace(static_cast<unsigned char>(d)) || d == '(' || d == ')') break;
                ++j;
            }
            out.push_back({quoted ? Kind::phrase : Kind::word, std::string(text.substr(i, j - i))});
            i = j;
        }
    }
    return out;
}

// "name:rest" with a name of letters (and '_'), rest not empty and not "//" (a URL).
bool split_field(const std::string& token, std::string& sign, std::string& name, std::string& rest) {
    std::size_t start = (!token.empty() && (token[0] == '+' || token[0] == '-')) ? 1 : 0;
    std::size_t colon = token.find(':', start);
    if (colon == std::string::npos || colon == start || colon + 1 >= token.size()) return false;
    for (std::size_t k = start; k < colon; ++k)
        if (!std::isalpha(static_cast<unsigned char>(token[k])) && token[k] != '_') return false;
    if (token.compare(colon + 1, 2, "//") == 0) return false;
    sign = token.substr(0, start);
    name = token.substr(start, colon - start);
    rest = token.substr(colon + 1);
    return true;
}

}  // namespace

std::string canonical_field(std::string_view name) {
    std::string lower;
    for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const auto& f : kFieldNames)
        if (f.typed == lower) return std::string(f.canonical);
    return {};
}

std::string known_fields() {
    std::string out;
    for (std::size_t i = 0; i < kCanonicalFields; ++i) out += (i ? ", " : "") + std::string(kFieldNames[i].typed) + ":";
    return out;
}

namespace {

// Brackets without a partner are dropped.
std::vector<Token> without_unmatched_brackets(std::vector<Token> tokens, std::vector<std::string>& notices) {
    std::vector<std::size_t> open;
    std::vector<bool> drop(tokens.size(), false);
    bool dropped_close = false, dropped_open = false;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (tokens[i].kind == Kind::open) open.push_back(i);
        if (tokens[i].kind != Kind::close) continue;
        if (open.empty()) {
            drop[i] = dropped_close = true;
        } else {
            open.pop_back();
        }
    }
    for (std::size_t i : open) drop[i] = dropped_open = true;
    if (dropped_close) notices.push_back("ignored an unmatched ')'");
    if (dropped_open) notices.push_back("ignored an unmatched '('");
    std::vector<Token> kept;
    for (std::size_t i = 0; i < tokens.size(); ++i)
        if (!drop[i]) kept.push_back(std::move(tokens[i]));
    return kept;
}

// Lower-case operators between words are read as meant; field names become canonical.
// @throws QueryError for a field that does not exist.
std::vector<Token> with_operators_and_fields_read(const std::vector<Token>& kept, std::vector<std::string>& notices) {
    std::vector<Token> words;
    for (std::size_t i = 0; i < kept.size(); ++i) {
        Token t = kept[i];
        bool between = i > 0 && i + 1 < kept.size() && (is_operand(kept[i - 1]) || kept[i - 1].kind == Kind::close) &&
                       (is_operand(kept[i + 1]) || kept[i + 1].kind == Kind::open);
        if (t.kind == Kind::word && between && t.text == "or") {
            t.text = "OR";
            notices.push_back("read 'or' as the operator OR (write \"or\" in quotes to search for the word)");
        } else if (t.kind == Kind::word && between && t.text == "and") {
            notices.push_back(
                "read 'and' as joining the words: every word counts (write \"and\" in quotes to "
                "search for the word)");
            continue;
        } else if (t.kind == Kind::word && t.text == "not" && i + 1 < kept.size() && is_operand(kept[i + 1])) {
            notices.push_back(
                "searched 'not' as a word; to leave out reports with a word, write NOT word or "
                "-word");
        }
        std::string sign, name, rest;
        if (split_field(t.text, sign, name, rest)) {
            std::string field = canonical_field(name);
            if (field.empty())
                throw QueryError("unknown field '" + name + ":' in '" + t.text + "'; the fields are " + known_fields() +
                                 " (write \"" + t.text + "\" in quotes to search for the text)");
            t.text = sign + field + ":" + rest;
        }
        words.push_back(std::move(t));
    }
    return words;
}

// Operators need a word (or bracket) on each side; NOT only after it.  Brackets the
// removals leave empty ("( )") go too.
void drop_dangling_operators(std::vector<Token>& words, std::vector<std::string>& notices) {
    bool changed = true;
    while (changed) {
        changed = false;
        for (std::size_t i = 0; i < words.size(); ++i) {
            if (!is_operator(words[i])) continue;
            bool left = i > 0 && (is_operand(words[i - 1]) || words[i - 1].kind == Kind::close);
            bool right = i + 1 < words.size() && (is_operand(words[i + 1]) || words[i + 1].kind == Kind::open ||
                                                  (words[i].text != "NOT" && words[i + 1].text == "NOT"));
            bool ok = words[i].text == "NOT" ? right : left && right;
            if (ok) continue;
            notices.push_back("ignored '" + words[i].text + "': it needs a word on " +
                              (words[i].text == "NOT" || left ? "its right" : "each side"));
            words.erase(words.begin() + static_cast<std::ptrdiff_t>(i));
            changed = true;
            break;
        }
    }
    for (std::size_t i = 0; i + 1 < words.size();) {
        if (words[i].kind == Kind::open && words[i + 1].kind == Kind::close) {
            words.erase(words.begin() + static_cast<std::ptrdiff_t>(i),
                        words.begin() + static_cast<std::ptrdiff_t>(i) + 2);
            i = i > 0 ? i - 1 : 0;
        } else {
            ++i;
        }
    }
}

}  // namespace

LintedQuery lint_query(std::string_view input) {
    LintedQuery out;
    std::string text(input);
    if (std::count(text.begin(), text.end(), '"') % 2 == 1) {
        text += '"';
        out.notices.push_back("closed the unmatched quote at the end of the query");
    }
    std::vector<Token> kept = without_unmatched_brackets(tokenize(text), out.notices);
    std::vector<Token> words = with_operators_and_fields_read(kept, out.notices);
    drop_dangling_operators(words, out.notices);
    for (const auto& t : words) {
        if (!out.text.empty()) out.text += ' ';
        out.text += t.text;
        out.clauses.push_back(t.text);
        if (t.kind == Kind::open || t.kind == Kind::close || is_operator(t)) out.has_operators = true;
        if ((t.kind == Kind::word || t.kind == Kind::phrase) && (t.text[0] == '+' || t.text[0] == '-') &&
            t.text.size() > 1)
            out.has_operators = true;
    }
    return out;
}

}  // namespace warsearch
