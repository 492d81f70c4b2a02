// Entity-aware parts of the query language (internal to the query builder):
// faction:/location: fields resolved through the catalog the index carries, and free-text
// words that are aliases expanded to the entity's other spellings.
#pragma once

#include <map>
#include <string>

#include <xapian.h>

#include "warsearch/entity_resolver.h"
#include "warsearch/search_types.h"

namespace warsearch {

/// faction:NAME / location:NAME: the documents about the entity or any descendant.
/// Throws QueryError naming the closest known names when NAME is unknown.
class EntityFieldProcessor : public Xapian::FieldProcessor {
public:
    /// @param deferred when set (inside QueryParser), an unknown name is recorded there
    ///        and thrown after parsing: Xapian 1.4's parser leaks when a processor throws.
    EntityFieldProcessor(const EntityResolver& resolver, EntityField field,
                         std::map<std::string, MatchReason>& reasons, std::string* deferred = nullptr)
        : resolver_(resolver), field_(field), reasons_(reasons), deferred_(deferred) {}
    Xapian::Query operator()(const std::string& value) override;

private:
    const EntityResolver& resolver_;
    EntityField field_;
    std::map<std::string, MatchReason>& reasons_;
    std::string* deferred_;
};

/// Rewrites free-text words and word sequences that name a catalog entity into
/// "(typed OR alias OR "multi word alias" ...)", leaving phrases, fields, operators and
/// prefixed words alone.  Records the alias stems in @a reasons.
std::string expand_entity_aliases(const std::string& folded_query, const EntityResolver& resolver,
                                  const Xapian::Stem& stemmer, std::map<std::string, MatchReason>& reasons);

}  // namespace warsearch
