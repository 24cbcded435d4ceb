#include "nets/evaluation_cache.h"

#include <algorithm>
#include <mutex>

namespace tengen::nets {

namespace {

// splitmix64's finaliser: every input bit affects every output bit.
std::uint64_t mix(std::uint64_t x) {
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

std::uint64_t combine(std::uint64_t seed, std::uint64_t value) { return mix(seed ^ (value + 0x9E3779B97F4A7C15ull)); }

// Moves older than this look the same to the networks ("turns since" >= 8, nets/features.h),
// so they are left out of the key and transpositions still share entries.
constexpr int kRecentMoves = 7;

}  // namespace

EvaluationKey evaluationKey(const Game& game, std::span<const std::uint8_t> legal, Symmetry symmetry,
                            bool withPolicy) {
    EvaluationKey key;
    key.position = game.board().hash() ^ (game.toMove() == Color::Black ? 0x5BD1E9955BD1E995ull : 0);
    std::uint64_t context = combine(mix(static_cast<std::uint64_t>(symmetry) + 1), withPolicy ? 1 : 0);
    const auto& moves = game.moves();
    const std::size_t recent = std::min<std::size_t>(moves.size(), kRecentMoves);
    for (std::size_t i = moves.size() - recent; i < moves.size(); ++i)
        context = combine(context, static_cast<std::uint64_t>(static_cast<std::uint16_t>(moves[i].point)) << 8 |
                                       static_cast<std::uint64_t>(moves[i].color));
    context = combine(context, recent);
    // Legal moves, 64 at a time: nearly always "every empty point", but ko and superko differ.
    std::uint64_t word = 0;
    for (std::size_t i = 0; i < legal.size(); ++i) {
        word = word << 1 | (legal[i] ? 1 : 0);
        if (i % 64 == 63) context = combine(context, word), word = 0;
    }
    key.context = combine(context, word);
    return key;
}

EvaluationCache::EvaluationCache(std::size_t capacity) : generationCapacity_(capacity / 2) {
    if (generationCapacity_ > 0) {
        recent_ = std::make_unique<Generation>();
        older_ = std::make_unique<Generation>();
    }
}

std::size_t EvaluationCache::size() const {
    if (generationCapacity_ == 0) return 0;
    std::shared_lock lock(generationsMutex_);
    return recent_->size() + older_->size();
}

std::optional<Evaluation> EvaluationCache::find(const EvaluationKey& key) {
    if (generationCapacity_ == 0) return std::nullopt;
    std::optional<Evaluation> found;
    bool fromOlder = false;
    {
        std::shared_lock lock(generationsMutex_);
        Generation::const_accessor entry;
        if (recent_->find(entry, key)) {
            found = entry->second;
        } else if (older_->find(entry, key)) {
            found = entry->second;
            fromOlder = true;
        }
    }
    if (!found) return std::nullopt;
    hits_.fetch_add(1, std::memory_order_relaxed);
    if (fromOlder) store(key, *found);
    return found;
}

void EvaluationCache::insert(const EvaluationKey& key, const Evaluation& evaluation) {
    if (generationCapacity_ > 0) store(key, evaluation);
}

void EvaluationCache::store(const EvaluationKey& key, const Evaluation& evaluation) {
    {
        std::shared_lock lock(generationsMutex_);
        recent_->insert({key, evaluation});
        if (recent_->size() < generationCapacity_) return;
    }
    std::unique_ptr<Generation> dropped;
    {
        std::unique_lock lock(generationsMutex_);
        if (recent_->size() < generationCapacity_) return;  // another thread swapped first
        dropped = std::move(older_);
        older_ = std::move(recent_);
        recent_ = std::make_unique<Generation>();
    }
    // Freeing thousands of entries happens here, outside the lock, so look-ups do not wait.
}

}  // namespace tengen::nets
