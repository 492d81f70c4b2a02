#include "searcher/query_builder.h"

#include <algorithm>
#include <cctype>

#include "common/index/schema.h"
#include "common/index/stored_fields.h"
#include "common/text/dates.h"
#include "common/text/text.h"
#include "searcher/entity_query.h"
#include "searcher/highlighter.h"

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

/// source:Reuters -> the same slug the indexer wrote.
class SourceFieldProcessor : public Xapian::FieldProcessor {
  public:
    Xapian::Query operator()(const std::string& value) override { return Xapian::Query(source_term(value)); }
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

QueryBuilder::QueryBuilder(const Xapian::Database& db, const std::string& stem_language)
    : db_(db),
      stemmer_(stem_language == "none" ? Xapian::Stem() : Xapian::Stem(stem_language)),
      resolver_(std::make_unique<EntityResolver>(db_)) {}

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
    if (field == "source") return SourceFieldProcessor()(value);
    for (const auto& f : schema::kQueryFields) {
        if (f.name != field) continue;
        if (!f.boolean) return Xapian::Query(std::string(f.prefix) + fold_for_matching(value));
        if (f.prefix == schema::kLangPrefix || f.prefix == schema::kKindPrefix)
            return SlugFieldProcessor(std::string(f.prefix))(value);
        return VerbatimFieldProcessor(std::string(f.prefix))(value);
    }
    throw QueryError("unknown filter field '" + field + "'");
}

namespace {

// Records, for each term of the parsed query, which typed word produced it.
void explain_terms(const Xapian::Query& query, const std::string& folded_text, const Xapian::Stem& stemmer,
                   std::map<std::string, MatchReason>& reasons) {
    // Terms already explained (aliases, entity fields) keep their reason.
    std::map<std::string, std::string> typed_by_stem;
    std::string word;
    auto flush = [&] {
        if (word.empty()) return;
        std::string lower = Xapian::Unicode::tolower(word);
        typed_by_stem.emplace(stemmer(lower), word);
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
        if (!term.empty() && term[0] == schema::kTitlePrefix[0] && term.size() > 1 &&
            !(term[1] >= 'A' && term[1] <= 'Z')) {
            r.field = "title";
            bare = term.substr(1);
        } else if (!term.empty() && term[0] >= 'A' && term[0] <= 'Z') {
            r.field = "filter";
            r.origin = "filter";
            r.from = term;
            reasons.emplace(term, r);
            continue;
        } else {
            r.field = "text";
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
void collect_phrases(const Xapian::Query& query, std::vector<std::vector<std::string>>& phrases,
                     std::set<std::string>& inside, std::set<std::string>& outside) {
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
            for (const auto& t : terms) stems.push_back(highlight_stem(t));
            phrases.push_back(std::move(stems));
            inside.insert(terms.begin(), terms.end());
            return;
        }
    }
    for (std::size_t i = 0; i < n; ++i) collect_phrases(query.get_subquery(i), phrases, inside, outside);
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

    reasons_.clear();
    AliasExpansion expansion = expand_entity_aliases(text, *resolver_, db_, stemmer_, reasons_);
    text = expansion.text;
    // Each group's placeholder stands for the OR of its entity terms; a hit that matches
    // one gets the group's spellings marked.
    std::vector<Xapian::Query> alias_groups;
    std::map<std::string, std::vector<std::vector<std::string>>> highlight;
    for (const auto& g : expansion.groups) {
        alias_groups.emplace_back(Xapian::Query::OP_OR, g.entity_terms.begin(), g.entity_terms.end());
        for (const auto& term : g.entity_terms) {
            auto& phrases = highlight[term];
            phrases.insert(phrases.end(), g.phrases.begin(), g.phrases.end());
        }
    }

    Xapian::QueryParser qp;
    qp.set_database(db_);
    qp.set_stemmer(stemmer_);
    qp.set_stemming_strategy(schema::kQueryStemStrategy);
    qp.set_default_op(op == DefaultOperator::op_and ? Xapian::Query::OP_AND : Xapian::Query::OP_OR);
    qp.set_max_expansion(limits.wildcard_expansion, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    for (const auto& f : schema::kQueryFields) {
        std::string name(f.name), prefix(f.prefix);
        if (!f.boolean) {
            qp.add_prefix(name, prefix);
        } else if (prefix == schema::kSourcePrefix) {
            qp.add_boolean_prefix(name, (new SourceFieldProcessor)->release());
        } else if (prefix == schema::kLangPrefix || prefix == schema::kKindPrefix) {
            qp.add_boolean_prefix(name, (new SlugFieldProcessor(prefix))->release());
        } else {
            qp.add_boolean_prefix(name, (new VerbatimFieldProcessor(prefix))->release());
        }
    }
    std::string deferred;  // the first error a field processor met while parsing
    qp.add_boolean_prefix(std::string(schema::kDateField), (new DateFieldProcessor(&deferred))->release());
    for (const char* name : {"faction", "f"})
        qp.add_boolean_prefix(
            name, (new EntityFieldProcessor(*resolver_, EntityField::faction, reasons_, &deferred))->release());
    for (const char* name : {"location", "l"})
        qp.add_boolean_prefix(
            name, (new EntityFieldProcessor(*resolver_, EntityField::location, reasons_, &deferred))->release());

    qp.add_prefix(kAliasGroupField, (new AliasGroupProcessor(alias_groups))->release());

    unsigned flags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD |
                     Xapian::QueryParser::FLAG_PURE_NOT | Xapian::QueryParser::FLAG_CJK_NGRAM;
    Xapian::Query query;
    std::string trimmed = squeeze_space(text);
    if (!trimmed.empty()) {
        try {
            query = qp.parse_query(trimmed, flags);
        } catch (const Xapian::QueryParserError& e) {
            throw QueryError(explain_parse_error(raw_text, e.get_msg()));
        } catch (const Xapian::WildcardError& e) {
            throw QueryError("wildcard matches too many words: " + e.get_msg());
        }
        if (!deferred.empty()) throw QueryError(deferred);
        // A query of only stop-words or punctuation parses to nothing; say so rather
        // than silently matching everything.
        if (query.empty() && filters.empty() && typed_filters.empty())
            throw QueryError("query '" + raw_text + "' has no searchable words");
    }
    std::vector<std::vector<std::string>> phrases;
    std::set<std::string> phrase_only, outside;
    collect_phrases(query, phrases, phrase_only, outside);
    for (const auto& t : outside) phrase_only.erase(t);
    std::vector<Xapian::Query> filter_queries;
    for (const auto& f : filters) filter_queries.push_back(parse_filter(f));
    filter_queries.insert(filter_queries.end(), typed_filters.begin(), typed_filters.end());
    if (!filter_queries.empty()) {
        Xapian::Query all_filters(Xapian::Query::OP_AND, filter_queries.begin(), filter_queries.end());
        query = query.empty() ? Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, all_filters, 0.0)
                              : Xapian::Query(Xapian::Query::OP_FILTER, query, all_filters);
    }
    if (query.empty()) query = Xapian::Query::MatchAll;
    BuiltQuery built;
    built.query = query;
    built.reasons = reasons_;
    built.highlight_with = std::move(highlight);
    built.phrases = std::move(phrases);
    built.phrase_only = std::move(phrase_only);
    explain_terms(query, expansion.inline_text, stemmer_, built.reasons);
    return built;
}

}  // namespace warsearch
