#include "searcher/query_builder.h"

#include <algorithm>
#include <cctype>

#include "common/entities/entity_tokenizer.h"
#include "common/entities/thesaurus.h"
#include "common/index/schema.h"
#include "common/index/stored_fields.h"
#include "common/text/dates.h"
#include "common/text/text.h"
#include "searcher/entity_query.h"
#include "searcher/highlighter.h"
#include "searcher/query_lint.h"
#include "searcher/ranked_query.h"

namespace warsearch {
namespace {

// The documents dated within @a range (the date slot holds "YYYYMMDDHHMM").
Xapian::Query date_range_query(const DateRange& range) {
    if (range.low.empty()) return Xapian::Query(Xapian::Query::OP_VALUE_LE, schema::kDateSlot, range.high);
    if (range.high.empty()) return Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::kDateSlot, range.low);
    return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kDateSlot, range.low, range.high);
}

// The documents of @a db with one of @a ids (not empty).  Only the ids @a db has become
// terms of the query: Xapian 1.4 chains the postlists of absent terms under an OR, and
// their pruning took time quadratic in their number.  When none is there, one absent
// term stands for them: the query must match nothing, and an empty Query would read as
// "no filter" (match everything) once combined.
Xapian::Query ids_query(const Xapian::Database& db, const std::vector<std::string>& ids) {
    std::vector<Xapian::Query> terms;
    for (const auto& id : ids) {
        std::string term = id_term(id);
        if (db.term_exists(term)) terms.emplace_back(term);
    }
    if (terms.empty()) return Xapian::Query(id_term(ids.front()));
    return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

/// date:2016, date:2016-07, date:2016-07-01..2016-07-31, date:..2016, date:2016..
class DateFieldProcessor : public Xapian::FieldProcessor {
  public:
    /// @param deferred when set (inside QueryParser), errors are recorded there and
    ///        thrown after parsing: Xapian 1.4's parser leaks when a processor throws.
    explicit DateFieldProcessor(std::string* deferred = nullptr) : deferred_(deferred) {}
    Xapian::Query operator()(const std::string& value) override {
        std::string error;
        auto range = parse_date_range(value, error);
        if (!range) {
            std::string msg = "date:" + value + ": " + error;
            if (!deferred_) throw QueryError(msg);
            if (deferred_->empty()) *deferred_ = msg;
            return Xapian::Query::MatchNothing;
        }
        return date_range_query(*range);
    }

  private:
    std::string* deferred_;
};

/// source:Reuters -> the same slug the indexer wrote.  A source written another way
/// matches when its letters and digits are the same: source:"Daily Sabah" finds the
/// reports of "dailysabah", source:dailysabah those of "Daily Sabah".
class SourceFieldProcessor : public Xapian::FieldProcessor {
  public:
    explicit SourceFieldProcessor(const Xapian::Database& db) : db_(db) {}
    Xapian::Query operator()(const std::string& value) override {
        std::string term = source_term(value);
        std::string wanted = compact(term.substr(schema::kSourcePrefix.size()));
        std::vector<Xapian::Query> same;
        std::string prefix(schema::kSourcePrefix);
        for (auto t = db_.allterms_begin(prefix); t != db_.allterms_end(prefix); ++t)
            if (compact((*t).substr(prefix.size())) == wanted) same.emplace_back(*t);
        if (same.size() <= 1) return same.empty() ? Xapian::Query(term) : same[0];
        return Xapian::Query(Xapian::Query::OP_OR, same.begin(), same.end());
    }

  private:
    static std::string compact(const std::string& slug) {
        std::string out;
        for (char c : slug)
            if (c != '-') out += c;
        return out;
    }
    Xapian::Database db_;
};

/// dateline:Kabul, dateline:"San Salvador" -> the slug term the indexer wrote.
class DatelineFieldProcessor : public Xapian::FieldProcessor {
  public:
    Xapian::Query operator()(const std::string& value) override { return Xapian::Query(dateline_term(value)); }
};

/// A boolean field whose value is used as written (ids are case-sensitive).
class VerbatimFieldProcessor : public Xapian::FieldProcessor {
  public:
    explicit VerbatimFieldProcessor(std::string prefix) : prefix_(std::move(prefix)) {}
    Xapian::Query operator()(const std::string& value) override {
        if (prefix_ == schema::kIdPrefix) return Xapian::Query(id_term(value));
        return Xapian::Query(schema::make_term(prefix_, value));
    }

  private:
    std::string prefix_;
};

/// A boolean field matched case-insensitively (lang:EN = lang:en).
class SlugFieldProcessor : public Xapian::FieldProcessor {
  public:
    explicit SlugFieldProcessor(std::string prefix) : prefix_(std::move(prefix)) {}
    Xapian::Query operator()(const std::string& value) override { return Xapian::Query(prefix_ + slugify(value)); }

  private:
    std::string prefix_;
};

// Counts what the parser will see as terms or operators, to refuse absurd queries before
// they cost anything.
unsigned count_tokens(const std::string& text) {
    unsigned n = 0;
    bool in_word = false;
    for (unsigned char c : text) {
        bool word = !std::isspace(c);
        if (word && !in_word) ++n;
        in_word = word;
    }
    return n;
}

// Turns Xapian's terse parser messages into ones that say what to change.
std::string explain_parse_error(const std::string& text, const std::string& msg) {
    std::string out = "cannot parse query '" + text + "': " + msg;
    static const char* kOps[] = {"AND NOT", "AND", "OR", "XOR", "NEAR", "ADJ", "NOT"};
    for (const char* op : kOps) {
        if (msg.find(op) != std::string::npos) {
            out += " (the operator ";
            out += op;
            out += " needs a word or phrase on each side; write it in lower case to search for it)";
            break;
        }
    }
    return out;
}

}  // namespace

std::string QueryBuilder::stem_term(const std::string& word) const {
    return stem_some_ ? std::string(schema::kStemPrefix) + stemmer_(word) : stemmer_(word);
}

std::string QueryBuilder::word_term(const std::string& word) const { return stem_some_ ? word : stemmer_(word); }

QueryBuilder::QueryBuilder(const Xapian::Database& db, const std::string& stem_language)
    : db_(db),
      stemmer_(stem_language == "none" ? Xapian::Stem() : Xapian::Stem(stem_language)),
      resolver_(std::make_unique<EntityResolver>(db_)) {
    // An index written before schema 5 holds unprefixed stems only: read it so.
    std::string version = db_.get_metadata(std::string(schema::kMetaSchemaVersion));
    stem_some_ = version.empty() || std::atoi(version.c_str()) >= schema::kFirstStemSomeSchema;
}

QueryBuilder::~QueryBuilder() = default;

Xapian::Query QueryBuilder::parse_filter(const std::string& filter) {
    size_t colon = filter.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == filter.size())
        throw QueryError("filter '" + filter + "' is not FIELD:VALUE");
    std::string field = filter.substr(0, colon), value = filter.substr(colon + 1);
    if (field == schema::kDateField) return DateFieldProcessor()(value);
    if (field == "faction" || field == "f")
        return EntityFieldProcessor(*resolver_, EntityField::faction, reasons_)(value);
    if (field == "location" || field == "l")
        return EntityFieldProcessor(*resolver_, EntityField::location, reasons_)(value);
    if (field == "organisation" || field == "org")
        return EntityFieldProcessor(*resolver_, EntityField::organisation, reasons_)(value);
    if (field == "source") return SourceFieldProcessor(db_)(value);
    if (field == "dateline") return DatelineFieldProcessor()(value);
    for (const auto& f : schema::kQueryFields) {
        if (f.name != field) continue;
        if (!f.boolean) return Xapian::Query(std::string(f.prefix) + fold_for_matching(value));
        if (f.prefix == schema::kLangPrefix || f.prefix == schema::kKindPrefix)
            return SlugFieldProcessor(std::string(f.prefix))(value);
        return VerbatimFieldProcessor(std::string(f.prefix))(value);
    }
    throw QueryError("unknown filter field '" + field + "'");
}

Xapian::Query QueryBuilder::parse_filter_choice(const std::string& filter) {
    std::size_t colon = filter.find(':');
    if (colon == std::string::npos || filter.find('|', colon) == std::string::npos) return parse_filter(filter);
    std::vector<Xapian::Query> either;
    std::size_t start = colon + 1;
    while (start <= filter.size()) {
        std::size_t bar = filter.find('|', start);
        std::string value = filter.substr(start, bar == std::string::npos ? std::string::npos : bar - start);
        if (!value.empty()) either.push_back(parse_filter(filter.substr(0, colon + 1) + value));
        if (bar == std::string::npos) break;
        start = bar + 1;
    }
    if (either.empty()) throw QueryError("filter '" + filter + "' has no value");
    return Xapian::Query(Xapian::Query::OP_OR, either.begin(), either.end());
}

namespace {

// Records, for each term of the parsed query, which typed word produced it.
void explain_terms(const Xapian::Query& query, const std::string& folded_text, const Xapian::Stem& stemmer,
                   std::map<std::string, MatchReason>& reasons) {
    // Terms already explained (aliases, entity fields) keep their reason.
    std::map<std::string, std::string> typed_by_stem;
    std::set<std::string> typed_words;
    std::string word;
    auto flush = [&] {
        if (word.empty()) return;
        std::string lower = Xapian::Unicode::tolower(word);
        typed_by_stem.emplace(stemmer(lower), word);
        typed_words.insert(lower);
        word.clear();
    };
    for (Xapian::Utf8Iterator it(folded_text), end; it != end; ++it) {
        if (Xapian::Unicode::is_wordchar(*it))
            Xapian::Unicode::append_utf8(word, *it);
        else
            flush();
    }
    flush();
    for (auto t = query.get_unique_terms_begin(); t != query.get_unique_terms_end(); ++t) {
        std::string term = *t;
        MatchReason r;
        r.term = term;
        std::string bare = term;
        bool stem = !term.empty() && term[0] == schema::kStemPrefix[0];  // Z...: a stem; else a word as written
        if (stem) bare = term.substr(1);
        if (!bare.empty() && bare[0] == schema::kTitlePrefix[0] && bare.size() > 1 &&
            !(bare[1] >= 'A' && bare[1] <= 'Z')) {
            r.field = "title";
            bare = bare.substr(1);
        } else if (!bare.empty() && bare[0] >= 'A' && bare[0] <= 'Z') {
            r.field = "filter";
            r.origin = "filter";
            r.from = term;
            reasons.emplace(term, r);
            continue;
        } else {
            r.field = "text";
        }
        if (!stem && typed_words.count(bare)) {
            r.origin = "word";
            r.from = bare;
            reasons.emplace(term, r);
            continue;
        }
        auto typed = typed_by_stem.find(bare);
        r.origin = typed == typed_by_stem.end() ? "wildcard" : (typed->second == bare ? "word" : "stem");
        r.from = typed == typed_by_stem.end() ? bare : typed->second;
        reasons.emplace(term, r);
    }
}

}  // namespace

namespace {

// The phrases of @a query (BuiltQuery::phrases), the terms inside them and the terms
// outside any.
void collect_phrases(const Xapian::Query& query, const Xapian::Stem& stemmer,
                     std::vector<std::vector<std::string>>& phrases, std::set<std::string>& inside,
                     std::set<std::string>& outside) {
    if (query.get_type() == Xapian::Query::LEAF_TERM) {
        outside.insert(*query.get_terms_begin());
        return;
    }
    std::size_t n = query.get_num_subqueries();
    if (query.get_type() == Xapian::Query::OP_PHRASE) {
        std::vector<std::string> terms;
        for (std::size_t i = 0; i < n && terms.size() == i; ++i) {
            Xapian::Query sub = query.get_subquery(i);
            if (sub.get_type() == Xapian::Query::LEAF_TERM) terms.push_back(*sub.get_terms_begin());
        }
        if (terms.size() == n && n > 1) {
            std::vector<std::string> stems;
            for (const auto& t : terms) stems.push_back(highlight_stem(t, stemmer));
            phrases.push_back(std::move(stems));
            inside.insert(terms.begin(), terms.end());
            return;
        }
    }
    for (std::size_t i = 0; i < n; ++i) collect_phrases(query.get_subquery(i), stemmer, phrases, inside, outside);
}

}  // namespace

BuiltQuery QueryBuilder::build(const std::string& text, const std::vector<std::string>& filters, DefaultOperator op,
                               const QueryLimits& limits) {
    return build_with(text, filters, {}, op, limits);
}

BuiltQuery QueryBuilder::build(const SearchRequest& request) {
    std::vector<Xapian::Query> typed;
    if (request.dates && !(request.dates->low.empty() && request.dates->high.empty()))
        typed.push_back(date_range_query(*request.dates));
    if (!request.ids.empty()) typed.push_back(ids_query(db_, request.ids));
    return build_with(request.query, request.filters, typed, request.default_op, request.limits);
}

void QueryBuilder::configure_parser(Xapian::QueryParser& qp, DefaultOperator op, const QueryLimits& limits,
                                    std::string& deferred, const std::vector<Xapian::Query>& alias_groups) {
    qp.set_database(db_);
    qp.set_stemmer(stemmer_);
    qp.set_stemming_strategy(stem_some_ ? schema::kQueryStemStrategy
                                        : schema::query_stem_strategy(Xapian::TermGenerator::STEM_ALL));
    qp.set_default_op(op == DefaultOperator::op_or ? Xapian::Query::OP_OR : Xapian::Query::OP_AND);
    qp.set_max_expansion(limits.wildcard_expansion, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    for (const auto& f : schema::kQueryFields) {
        std::string name(f.name), prefix(f.prefix);
        if (!f.boolean) {
            qp.add_prefix(name, prefix);
        } else if (prefix == schema::kSourcePrefix) {
            qp.add_boolean_prefix(name, (new SourceFieldProcessor(db_))->release());
        } else if (prefix == schema::kDatelinePrefix) {
            qp.add_boolean_prefix(name, (new DatelineFieldProcessor)->release());
        } else if (prefix == schema::kLangPrefix || prefix == schema::kKindPrefix) {
            qp.add_boolean_prefix(name, (new SlugFieldProcessor(prefix))->release());
        } else {
            qp.add_boolean_prefix(name, (new VerbatimFieldProcessor(prefix))->release());
        }
    }
    qp.add_boolean_prefix(std::string(schema::kDateField), (new DateFieldProcessor(&deferred))->release());
    for (const char* name : {"faction", "f"})
        qp.add_boolean_prefix(
            name, (new EntityFieldProcessor(*resolver_, EntityField::faction, reasons_, &deferred))->release());
    for (const char* name : {"location", "l"})
        qp.add_boolean_prefix(
            name, (new EntityFieldProcessor(*resolver_, EntityField::location, reasons_, &deferred))->release());
    for (const char* name : {"organisation", "org"})
        qp.add_boolean_prefix(
            name, (new EntityFieldProcessor(*resolver_, EntityField::organisation, reasons_, &deferred))->release());
    qp.add_prefix(kAliasGroupField, (new AliasGroupProcessor(alias_groups))->release());
}

namespace {

constexpr unsigned kParserFlags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD |
                                  Xapian::QueryParser::FLAG_PURE_NOT | Xapian::QueryParser::FLAG_CJK_NGRAM;

Xapian::Query parse_or_explain(Xapian::QueryParser& qp, const std::string& text, const std::string& raw_text,
                               const std::string& deferred) {
    Xapian::Query query;
    try {
        query = qp.parse_query(text, kParserFlags);
    } catch (const Xapian::QueryParserError& e) {
        throw QueryError(explain_parse_error(raw_text, e.get_msg()));
    } catch (const Xapian::WildcardError& e) {
        throw QueryError("wildcard matches too many words: " + e.get_msg());
    }
    if (!deferred.empty()) throw QueryError(deferred);
    return query;
}

// A clause of a query without operators that is a plain word (or words joined by
// hyphens, apostrophes, dots: "ez-zor"), not a phrase, field or wildcard.
bool is_bare(const std::string& clause) {
    return clause.find_first_of("\":*") == std::string::npos && clause.front() != '+' && clause.front() != '-';
}

// The field a "name:value" clause names (canonical, see query_lint.h), or "".
std::string field_of(const std::string& clause) {
    std::size_t colon = clause.find(':');
    if (colon == std::string::npos || colon == 0) return {};
    std::size_t start = clause.front() == '+' || clause.front() == '-' ? 1 : 0;
    return canonical_field(clause.substr(start, colon - start));
}

bool is_filter_field(const std::string& field) { return !field.empty() && field != "title"; }

}  // namespace

Xapian::Query QueryBuilder::build_ranked(const std::vector<std::string>& clauses, const QueryLimits& limits,
                                         std::vector<Xapian::Query>& filters, BuiltQuery& built) {
    std::string deferred;
    std::vector<Xapian::Query> no_groups;
    Xapian::QueryParser qp;
    configure_parser(qp, DefaultOperator::op_and, limits, deferred, no_groups);
    ThesaurusReader thesaurus(db_);
    std::vector<QueryConcept> concepts;
    std::vector<std::vector<std::string>> run;  // bare clauses in a row, as words
    std::vector<bool> capitals;                 // ...each typed in capitals or not
    // Filters on one field are alternatives (OR), on different fields all apply (AND), as
    // Xapian's parser reads boolean prefixes.
    std::map<std::string, std::vector<Xapian::Query>> by_field;
    auto flush = [&] {
        std::vector<QueryConcept> found = find_concepts(run, capitals, *resolver_, thesaurus, db_);
        for (auto& c : found) concepts.push_back(std::move(c));
        run.clear();
        capitals.clear();
    };
    for (const auto& clause : clauses) {
        if (is_bare(clause)) {
            std::vector<std::string> words;
            for_each_word(clause, [&](const WordView& w) { words.emplace_back(w.text); });
            if (!words.empty()) {
                run.push_back(std::move(words));
                capitals.push_back(std::all_of(clause.begin(), clause.end(), [](char ch) {
                    return std::isupper(static_cast<unsigned char>(ch)) || ch == '.';
                }));
            }
            continue;
        }
        flush();
        Xapian::Query parsed = parse_or_explain(qp, clause, clause, deferred);
        if (parsed.empty()) continue;
        if (std::string field = field_of(clause); is_filter_field(field)) {
            by_field[field].push_back(parsed);
        } else {
            QueryConcept c;
            c.typed = clause;
            c.parsed = parsed;
            c.is_parsed = true;
            concepts.push_back(std::move(c));
        }
    }
    flush();
    for (const auto& [field, alternatives] : by_field)
        filters.push_back(alternatives.size() == 1
                              ? alternatives[0]
                              : Xapian::Query(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end()));
    if (concepts.empty()) return Xapian::Query();
    for (const auto& c : concepts)
        for (const auto& term : c.entity_terms) {
            // A report the entity term matched gets the name's spellings marked.
            auto& phrases = built.highlight_with[term];
            std::vector<std::string> stems;
            for (const auto& w : c.words) stems.push_back(stemmer_(w));
            phrases.push_back(std::move(stems));
            for (const auto& alias : resolver_->named_entities(normalise_name(c.typed)).aliases) {
                std::vector<std::string> alias_stems;
                for_each_word(fold_for_matching(alias),
                              [&](const WordView& w) { alias_stems.push_back(stemmer_(std::string(w.text))); });
                if (!alias_stems.empty()) phrases.push_back(std::move(alias_stems));
            }
        }
    return ranked_query(concepts, stemmer_, RankingWeights{}, reasons_);
}

Xapian::Query QueryBuilder::build_parsed(const std::string& text, DefaultOperator op, const QueryLimits& limits,
                                         BuiltQuery& built, std::string& inline_text) {
    AliasExpansion expansion = expand_entity_aliases(text, *resolver_, db_, stemmer_, reasons_);
    inline_text = expansion.inline_text;
    // Each group's placeholder stands for the OR of its entity terms; a hit that matches
    // one gets the group's spellings marked.
    std::vector<Xapian::Query> alias_groups;
    for (const auto& g : expansion.groups) {
        alias_groups.emplace_back(Xapian::Query::OP_OR, g.entity_terms.begin(), g.entity_terms.end());
        for (const auto& term : g.entity_terms) {
            auto& phrases = built.highlight_with[term];
            phrases.insert(phrases.end(), g.phrases.begin(), g.phrases.end());
        }
    }
    Xapian::QueryParser qp;
    std::string deferred;  // the first error a field processor met while parsing
    configure_parser(qp, op, limits, deferred, alias_groups);
    std::string trimmed = squeeze_space(expansion.text);
    if (trimmed.empty()) return Xapian::Query();
    return parse_or_explain(qp, trimmed, text, deferred);
}

BuiltQuery QueryBuilder::build_with(const std::string& raw_text, const std::vector<std::string>& filters,
                                    const std::vector<Xapian::Query>& typed_filters, DefaultOperator op,
                                    const QueryLimits& limits) {
    if (raw_text.size() > limits.max_query_bytes)
        throw QueryError("query is " + std::to_string(raw_text.size()) + " bytes; the limit is " +
                         std::to_string(limits.max_query_bytes));
    if (!is_valid_utf8(raw_text)) throw QueryError("query is not valid UTF-8 text");
    std::string text = fold_for_matching(raw_text);
    // Control characters carry no meaning in a query; treat them as spaces.
    for (char& c : text)
        if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    unsigned tokens = count_tokens(text);
    if (tokens > limits.max_terms)
        throw QueryError("query has " + std::to_string(tokens) + " words and operators; the limit is " +
                         std::to_string(limits.max_terms));

    BuiltQuery built;
    LintedQuery linted = lint_query(text);
    built.notices = linted.notices;
    reasons_.clear();
    std::vector<Xapian::Query> filter_queries;
    Xapian::Query query;
    std::string inline_text = linted.text;
    if (op == DefaultOperator::ranked && stem_some_ && !linted.has_operators) {
        query = build_ranked(linted.clauses, limits, filter_queries, built);
    } else {
        query = build_parsed(linted.text, op, limits, built, inline_text);
    }
    // A query of only stop-words or punctuation parses to nothing; say so rather than
    // silently matching everything.
    if (query.empty() && filter_queries.empty() && !squeeze_space(linted.text).empty() && filters.empty() &&
        typed_filters.empty())
        throw QueryError("query '" + raw_text + "' has no searchable words");
    std::set<std::string> outside;
    collect_phrases(query, stemmer_, built.phrases, built.phrase_only, outside);
    for (const auto& t : outside) built.phrase_only.erase(t);
    std::vector<Xapian::Query> excluded;
    for (const auto& f : filters) {
        if (!f.empty() && f[0] == '-')
            excluded.push_back(parse_filter_choice(f.substr(1)));
        else
            filter_queries.push_back(parse_filter_choice(f));
    }
    filter_queries.insert(filter_queries.end(), typed_filters.begin(), typed_filters.end());
    if (!filter_queries.empty()) {
        Xapian::Query all_filters(Xapian::Query::OP_AND, filter_queries.begin(), filter_queries.end());
        query = query.empty() ? Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, all_filters, 0.0)
                              : Xapian::Query(Xapian::Query::OP_FILTER, query, all_filters);
    }
    if (query.empty()) query = Xapian::Query::MatchAll;
    if (!excluded.empty())
        query = Xapian::Query(Xapian::Query::OP_AND_NOT, query,
                              Xapian::Query(Xapian::Query::OP_OR, excluded.begin(), excluded.end()));
    built.query = query;
    built.reasons = reasons_;
    explain_terms(query, inline_text, stemmer_, built.reasons);
    return built;
}

}  // namespace warsearch
