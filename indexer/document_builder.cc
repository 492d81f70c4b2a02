#include "indexer/document_builder.h"

#include <absl/container/flat_hash_map.h>

#include "common/entities/entity_terms.h"
#include "common/index/database_layout.h"
#include "common/index/schema.h"
#include "common/index/stored_fields.h"
#include "common/text/text.h"

namespace warsearch {

namespace {

// Xapian's Snowball stemmer in front of a cache: a news corpus repeats its words, and
// stemming is a large share of indexing's instructions.  The cache is per builder (one
// per writer thread) and starts again when it grows large.  A flat table (Abseil's),
// not std::unordered_map: see SpellingVocabulary::Counts.
class CachingStemmer : public Xapian::StemImplementation {
  public:
    explicit CachingStemmer(const Xapian::Stem& inner) : inner_(inner) {}
    std::string operator()(const std::string& word) override {
        auto found = cache_.find(word);
        if (found != cache_.end()) return found->second;
        if (cache_.size() >= kMaxWords) cache_.clear();
        return cache_.emplace(word, inner_(word)).first->second;
    }
    std::string get_description() const override { return "cached " + inner_.get_description(); }

  private:
    static constexpr std::size_t kMaxWords = 500000;
    Xapian::Stem inner_;
    absl::flat_hash_map<std::string, std::string> cache_;
};

}  // namespace

DocumentBuilder::DocumentBuilder(const std::string& stem_language)
    : stemmer_(stem_language == "none" ? Xapian::Stem() : Xapian::Stem(stem_language)) {
    term_generator_.set_stemmer(stem_language == "none" ? stemmer_ : Xapian::Stem(new CachingStemmer(stemmer_)));
    term_generator_.set_stemming_strategy(schema::kIndexStemStrategy);
}

Xapian::Document DocumentBuilder::build(const Article& a, const Extraction& entities) {
    return build_folded(a, fold_for_matching(a.title), fold_for_matching(a.body), entities);
}

Xapian::Document DocumentBuilder::build_folded(const Article& a, const std::string& title, const std::string& body,
                                               const Extraction& entities) {
    using namespace schema;
    Xapian::Document doc;
    term_generator_.set_document(doc);

    term_generator_.index_text(title, 1, std::string(kTitlePrefix));
    term_generator_.index_text(title, kTitleWdf);
    term_generator_.increase_termpos();
    term_generator_.index_text(body);

    doc.add_boolean_term(id_term(a.id));
    doc.add_value(kIdSlot, a.id);
    doc.add_value(kDateSortSlot, (a.date.empty() ? std::string(12, '0') : a.date.sortable()) + a.id);
    if (!a.source.empty()) {
        doc.add_boolean_term(source_term(a.source));
        doc.add_value(kSourceSlot, a.source);
    }
    if (!a.lang.empty()) doc.add_boolean_term(std::string(kLangPrefix) + slugify(a.lang));
    if (!a.dateline.empty()) doc.add_boolean_term(dateline_term(a.dateline));
    if (!a.parent.empty()) {
        doc.add_boolean_term(make_term(kParentPrefix, a.parent));
        doc.add_boolean_term(std::string(kKindPrefix) + "entry");
    } else {
        doc.add_boolean_term(std::string(kKindPrefix) + (a.live_blog ? "liveblog" : "article"));
    }
    if (!a.from.file.empty()) doc.add_boolean_term(file_term(a.from.file));
    if (!a.date.empty()) {
        std::string sortable = a.date.sortable();
        doc.add_value(kDateSlot, sortable);
        doc.add_boolean_term(std::string(kYearPrefix) + sortable.substr(0, 4));
        doc.add_boolean_term(std::string(kMonthPrefix) + sortable.substr(0, 6));
        doc.add_value(kMonthSlot, sortable.substr(0, 4) + "-" + sortable.substr(4, 2));
        doc.add_value(kDaySlot, sortable.substr(0, 8));
        doc.add_boolean_term(std::string(kDayPrefix) + sortable.substr(0, 8));
    }

    StoredFields f;
    f.id = a.id;
    f.title = a.title;
    f.date = a.date.iso();
    f.source = a.source;
    f.url = a.url;
    f.lang = a.lang;
    f.byline = a.byline;
    f.parent = a.parent;
    f.parent_title = a.parent_title;
    f.entry = a.entry;
    f.time = a.time;
    f.time_text = a.time_text;
    f.dateline = a.dateline;
    f.file = a.from.where();
    std::size_t keep = a.body.size();
    if (keep > kStoredBodyBytes) {
        keep = kStoredBodyBytes;
        while (keep > 0 && (static_cast<unsigned char>(a.body[keep]) & 0xC0) == 0x80) --keep;
    }
    f.body = a.body.substr(0, keep);
    if (keep < a.body.size()) doc.add_value(kBodyTailSlot, a.body.substr(keep));
    add_entity_terms(doc, entities);
    for (const auto& x : entities.factions) f.factions.push_back(x.entity->name);
    for (const auto& x : entities.places) f.places.push_back(x.entity->name);
    for (const auto& x : entities.organisations) f.organisations.push_back(x.entity->name);
    doc.set_data(serialise_stored_fields(f));
    return doc;
}

}  // namespace warsearch
