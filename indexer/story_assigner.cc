#include "indexer/story_assigner.h"

#include <unordered_set>

#include "common/index/schema.h"
#include "common/text/text.h"

namespace warsearch {

std::string StoryAssigner::assign(const std::string& id, const Fingerprint& fp) {
    std::string best_story;
    double best = kSameStorySimilarity;
    auto consider = [&](double sim, const std::string& story) {
        if (story.empty() || sim < best) return;
        if (sim > best || best_story.empty() || story < best_story) best_story = story;
        best = sim;
    };
    std::vector<std::string> keys = fp.band_keys();
    if (!fp.empty) {
        // Copies seen earlier in this run.
        std::unordered_set<std::uint32_t> looked;
        for (const auto& key : keys) {
            auto it = bands_.find(key);
            if (it == bands_.end()) continue;
            for (std::uint32_t i : it->second)
                if (looked.insert(i).second) consider(fp.similarity(seen_[i].fp), stories_[seen_[i].story]);
        }
        // Copies indexed by earlier runs (a re-indexed document finds its old self).
        // This run's own commits recycle the blocks of the revision opened at the start
        // (glass keeps two revisions), so a long run must move to the latest one.
        for (int attempt = 0; existing_.get_doccount() > 0; ++attempt) {
            try {
                std::unordered_set<Xapian::docid> docs;
                for (const auto& key : keys) {
                    std::string term = schema::make_term(schema::kBandPrefix, key);
                    int n = 0;
                    for (auto p = existing_.postlist_begin(term); p != existing_.postlist_end(term) && n < 50;
                         ++p, ++n) {
                        if (!docs.insert(*p).second) continue;
                        Xapian::Document other = existing_.get_document(*p);
                        consider(fp.similarity(Fingerprint::unserialise(other.get_value(schema::kFingerprintSlot))),
                                 other.get_value(schema::kStorySlot));
                    }
                }
                break;
            } catch (const Xapian::DatabaseModifiedError&) {
                if (attempt == 3) throw;
                existing_.reopen();
            }
        }
    }
    std::string story = best_story.empty() ? hex64(hash64(id)) : best_story;
    if (!fp.empty) {
        auto [it, inserted] = story_index_.emplace(story, static_cast<std::uint32_t>(stories_.size()));
        if (inserted) stories_.push_back(story);
        auto index = static_cast<std::uint32_t>(seen_.size());
        seen_.push_back({fp, it->second});
        for (const auto& key : keys) bands_[key].push_back(index);
    }
    return story;
}

}  // namespace warsearch
