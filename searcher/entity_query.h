// Entity-aware parts of the query language (internal to the query builder):
// faction:/location:/organisation: fields resolved through the catalog the index carries, and free-text
// words that are aliases expanded to the entity's other spellings.
#pragma once

#include <xapian.h>

#include <map>
#include <string>
#include <vector>

#include "common/entities/entity_resolver.h"
#include "searcher/search_types.h"

namespace warsearch {

/// faction:NAME / location:NAME / organisation:NAME: the documents about the entity or
/// any descendant.  faction: also follows the faction's renamings (EntityResolver::
/// lineage: faction:HTS finds Jabhat al-Nusra's reports, each reason says so);
/// faction:=NAME is the one name only.  Throws QueryError naming the closest known names
/// when NAME is unknown.
class EntityFieldProcessor : public Xapian::FieldProcessor {
  public:
    /// @param deferred when set (inside QueryParser), an unknown name is recorded there
    ///        and thrown after parsing: Xapian 1.4's parser leaks when a processor throws.
    EntityFieldProcessor(const EntityResolver& resolver, EntityField field, std::map<std::string, MatchReason>& reasons,
                         std::string* deferred = nullptr)
        : resolver_(resolver), field_(field), reasons_(reasons), deferred_(deferred) {}
    Xapian::Query operator()(const std::string& value) override;

  private:
    const EntityResolver& resolver_;
    EntityField field_;
    std::map<std::string, MatchReason>& reasons_;
    std::string* deferred_;
};

/// A free-text name the query expanded, searched as
///   typed OR entity_terms
/// where the entity terms (XF<id>/XL<id>) mark the documents the indexer found the
/// entity in, weighted by its number of mentions (schema 3).  One posting list instead
/// of an OR of the entity's alias phrases: those, over common words ("syrian
/// government", "government of syria"), were the slowest queries by far; and the
/// extractor's rules apply, so "government forces" in an article about Colombia no
/// longer matches "assad regime".  The typed words and the other spellings are marked
/// (as phrases) in the documents the entity terms matched.
struct AliasGroup {
    std::vector<std::string> entity_terms;  ///< XF<id>/XL<id> of the entities named
    /// The typed words and each alternate as stems, to mark in the documents matched.
    std::vector<std::vector<std::string>> phrases;
};

/// The field that stands for an AliasGroup's entity terms in the rewritten query text
/// ("(typed OR wsaliasgroup:N)", N its index); QueryBuilder maps it back to their OR.
inline constexpr const char* kAliasGroupField = "wsaliasgroup";

/// What expand_entity_aliases() produced.
struct AliasExpansion {
    std::string text;         ///< the query text to parse (groups as placeholders)
    std::string inline_text;  ///< the same with every group written out as text
    std::vector<AliasGroup> groups;
};

/// Rewrites free-text words and word sequences that name a catalog entity, leaving
/// phrases, fields, operators and prefixed words alone.  Where @a db holds weighted
/// entity terms for them (indexed by schema 3 with extraction on), the name becomes a
/// "(typed OR placeholder)" for an AliasGroup; otherwise (older index, or none extracted) it is
/// written out as "(typed OR alias OR "multi word alias" ...)".  Records the alias
/// stems and entity terms in @a reasons.
AliasExpansion expand_entity_aliases(const std::string& folded_query, const EntityResolver& resolver,
                                     const Xapian::Database& db, const Xapian::Stem& stemmer,
                                     std::map<std::string, MatchReason>& reasons);

/// Maps "wsaliasgroup:N" back to the query built for group N (MatchNothing for an N
/// that is not one).
class AliasGroupProcessor : public Xapian::FieldProcessor {
  public:
    explicit AliasGroupProcessor(const std::vector<Xapian::Query>& groups) : groups_(groups) {}
    Xapian::Query operator()(const std::string& value) override;

  private:
    const std::vector<Xapian::Query>& groups_;
};

}  // namespace warsearch
