// The index schema: every Xapian term prefix, value slot and query field name, defined
// once.  The indexer writes with these and the searcher reads with them; nothing else in
// the code spells a prefix or a slot number.  Prefixes follow Omega's conventions (Q id,
// S title) and use X... for our own.
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>

namespace warsearch::schema {

// ---- term prefixes ----
inline constexpr std::string_view kIdPrefix = "Q";                      ///< unique id, one per document
inline constexpr std::string_view kTitlePrefix = "S";                   ///< title words (probabilistic)
inline constexpr std::string_view kSourcePrefix = "XSRC";               ///< source slug (boolean)
inline constexpr std::string_view kLangPrefix = "L";                    ///< language (boolean)
inline constexpr std::string_view kParentPrefix = "XART";               ///< parent live blog's id (boolean)
inline constexpr std::string_view kKindPrefix = "XK";                   ///< "article", "liveblog", "entry"
inline constexpr std::string_view kFilePrefix = "XPATH";                ///< hash of the source file path
inline constexpr std::string_view kYearPrefix = "XY";                   ///< YYYY, for cheap year filters
inline constexpr std::string_view kMonthPrefix = "XM";                  ///< YYYYMM (facets, filters)
inline constexpr std::string_view kFactionPrefix = "XF";                ///< faction id, as mentioned
inline constexpr std::string_view kFactionAncestorPrefix = "XFP";       ///< faction id or an ancestor
inline constexpr std::string_view kPlacePrefix = "XL";                  ///< place id, as mentioned
inline constexpr std::string_view kPlaceAncestorPrefix = "XLP";         ///< place id or an ancestor
inline constexpr std::string_view kOrganisationPrefix = "XO";           ///< organisation id, as mentioned
inline constexpr std::string_view kOrganisationAncestorPrefix = "XOP";  ///< organisation id or an ancestor
inline constexpr std::string_view kStoryPrefix = "XSTORY";              ///< near-duplicate story key
inline constexpr std::string_view kBandPrefix = "XBAND";                ///< fingerprint LSH band (finds copies)
inline constexpr std::string_view kDayPrefix = "XD";                    ///< YYYYMMDD (recency weights)
/// Where a story was filed from: its dateline place in slug form ("XWkabul",
/// "XWsan-salvador"; stored_fields.h dateline_term()), for a `dateline:` filter.  Not
/// "XD...": the searcher enumerates the XD day terms by prefix.
inline constexpr std::string_view kDatelinePrefix = "XW";

// ---- value slots ----
enum Slot : Xapian::valueno {
    kDateSlot = 0,         ///< Date::sortable(), "YYYYMMDDHHMM"
    kStorySlot = 1,        ///< story key (collapse key for near-duplicates)
    kSourceSlot = 2,       ///< source as written (facet)
    kMonthSlot = 3,        ///< "YYYY-MM" (facet)
    kFactionsSlot = 4,     ///< serialised list of faction ids incl. ancestors (facet)
    kPlacesSlot = 5,       ///< serialised list of place ids incl. ancestors (facet)
    kFingerprintSlot = 6,  ///< MinHash signature of the text (fingerprint.h), hex
    kFacetSlot = 7,        ///< story key + every facet value of the document (facet_values.h)
    kDaySlot = 8,          ///< "YYYYMMDD", for the recency boost
    kIdSlot = 9,           ///< the document id: breaks ranking ties the same way on any sharding
    kDateSortSlot = 10,    ///< Date::sortable() (or 12 zeros) + id: date order without ties
    /// The text beyond the stored body's kStoredBodyBytes (stored_fields.h), for the
    /// document page's full text; absent when the text fits (and in indexes before it).
    /// A value, not document data: a search's hits never read it.
    kBodyTailSlot = 11,
    kOrganisationsSlot = 12,  ///< serialised list of organisation ids incl. ancestors (facet)
};

// ---- stemming ----
/// How words are indexed: each word as written (lower-cased, with positions, so phrases
/// match those very forms: "shelling" is not "shell") and its stem with the prefix
/// kStemPrefix (no positions), which plain query words search (STEM_SOME).  Indexes of
/// schema 4 and older hold stems only, unprefixed (STEM_ALL); searchers read them so.
inline constexpr Xapian::TermGenerator::stem_strategy kIndexStemStrategy = Xapian::TermGenerator::STEM_SOME;
/// The prefix of stem terms (Xapian's own convention for STEM_SOME).
inline constexpr std::string_view kStemPrefix = "Z";
/// The QueryParser strategy that reads an index written with @a s.
inline constexpr Xapian::QueryParser::stem_strategy query_stem_strategy(Xapian::TermGenerator::stem_strategy s) {
    switch (s) {
        case Xapian::TermGenerator::STEM_NONE:
            return Xapian::QueryParser::STEM_NONE;
        case Xapian::TermGenerator::STEM_SOME:
            return Xapian::QueryParser::STEM_SOME;
        case Xapian::TermGenerator::STEM_ALL:
            return Xapian::QueryParser::STEM_ALL;
        case Xapian::TermGenerator::STEM_ALL_Z:
            return Xapian::QueryParser::STEM_ALL_Z;
        case Xapian::TermGenerator::STEM_SOME_FULL_POS:
            return Xapian::QueryParser::STEM_SOME_FULL_POS;
    }
    return Xapian::QueryParser::STEM_ALL;
}
/// What the query side uses for an index written with kIndexStemStrategy.
inline constexpr Xapian::QueryParser::stem_strategy kQueryStemStrategy = query_stem_strategy(kIndexStemStrategy);
/// The first schema version whose words are indexed with kIndexStemStrategy.
inline constexpr int kFirstStemSomeSchema = 5;

// ---- indexing weights ----
/// Title words count this many times a body word, so a title match ranks higher.
inline constexpr Xapian::termcount kTitleWdf = 3;

/// Every prefix above, for checks that no term of one prefix can be read as another's.
inline constexpr std::string_view kAllPrefixes[] = {kIdPrefix,
                                                    kTitlePrefix,
                                                    kSourcePrefix,
                                                    kLangPrefix,
                                                    kParentPrefix,
                                                    kKindPrefix,
                                                    kFilePrefix,
                                                    kYearPrefix,
                                                    kMonthPrefix,
                                                    kFactionPrefix,
                                                    kFactionAncestorPrefix,
                                                    kPlacePrefix,
                                                    kPlaceAncestorPrefix,
                                                    kOrganisationPrefix,
                                                    kOrganisationAncestorPrefix,
                                                    kStoryPrefix,
                                                    kBandPrefix,
                                                    kDayPrefix,
                                                    kDatelinePrefix};

/// A boolean term: prefix + value, with Xapian's ':' separator when the value starts
/// with a capital letter (so "XART" + "DEV-1" cannot be read as another prefix's term).
inline std::string make_term(std::string_view prefix, std::string_view value) {
    std::string term(prefix);
    if (!value.empty() && value.front() >= 'A' && value.front() <= 'Z') term += ':';
    term += value;
    return term;
}

/// How a query field maps to the index.
struct QueryField {
    std::string_view name;    ///< as typed by users, before the colon
    std::string_view prefix;  ///< term prefix
    bool boolean;             ///< a filter (true) or a free-text field (false)
};

/// Fields users can type as "name:value" in a query.  date:, faction:, location:,
/// organisation: (alias org:) are
/// handled by their own processors and listed here only for documentation.
inline constexpr QueryField kQueryFields[] = {
    {"title", kTitlePrefix, false},      {"source", kSourcePrefix, true},
    {"lang", kLangPrefix, true},         {"id", kIdPrefix, true},
    {"parent", kParentPrefix, true},     {"kind", kKindPrefix, true},
    {"dateline", kDatelinePrefix, true},
};

/// Name of the date field ("date:2016-07").
inline constexpr std::string_view kDateField = "date";

// ---- database metadata keys ----
inline constexpr std::string_view kMetaSchemaVersion = "warsearch.schema";
/// 7: organisations (XO/XOP terms, kOrganisationsSlot, facet group 'o'); the full text
///    past the stored body in kBodyTailSlot.
/// 6: the facet slot has a dateline group (facet_slot.h, code 'w'); a searcher of
///    schema 5 cannot decode such slots and leaves those documents out of its facets.
/// 5: words indexed as written and as Z-prefixed stems (kIndexStemStrategy), the
///    thesaurus stored as metadata; 4 and older hold unprefixed stems only.
/// 4: XW dateline terms; stored `time` is ISO 8601 UTC ("time_text" keeps it as
///    written) and `dateline` is stored.
/// 3: XF/XL terms (entity as mentioned) carry the mention count as wdf, so free-text
///    names search them instead of alias phrases; 2 had them boolean.
/// 2: the facet slot is binary with hashed keys (facet_values.h); 1 held it as text.
inline constexpr std::string_view kSchemaVersion = "7";
/// Our revision counter: +1 on every finished index run (and nightly run).  Searchers
/// report the sum over shards; unlike Xapian's revision it can be read from remote shards.
inline constexpr std::string_view kMetaRevision = "warsearch.revision";
/// Spelling vocabulary: "wsspell:" + folded word -> its frequency (decimal).
inline constexpr std::string_view kMetaSpellingPrefix = "wsspell:";

}  // namespace warsearch::schema
