// Groups near-duplicate copies into stories (internal to the indexer).  Candidates come
// from this run (an in-memory LSH table) and from what is already indexed (band terms in
// a read-only view of every output database), so the grouping is the same whether the
// index is one database or many shards, and whatever order the writers run in.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "indexer/fingerprint.h"

namespace warsearch {

class StoryAssigner {
  public:
    /// @param existing what was indexed before this run (may be an empty Database).
    explicit StoryAssigner(Xapian::Database existing) : existing_(std::move(existing)) {}

    /// The story key for a document: that of the most similar earlier copy (similarity
    /// kSameStorySimilarity or more; ties go to the smaller key), else one derived from
    /// @a id.  Remembers the document for later ones.
    std::string assign(const std::string& id, const Fingerprint& fp);

  private:
    struct Seen {
        Fingerprint fp;
        std::uint32_t story;  // index into stories_
    };
    Xapian::Database existing_;
    std::vector<Seen> seen_;
    std::vector<std::string> stories_;
    std::unordered_map<std::string, std::uint32_t> story_index_;
    std::unordered_map<std::string, std::vector<std::uint32_t>> bands_;  // band key -> seen_ indexes
};

}  // namespace warsearch
