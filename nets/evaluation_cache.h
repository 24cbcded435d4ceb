#pragma once
// Remembers network evaluations so that a position search meets again (transpositions,
// re-visits of a node, the same position in several self-play games) costs a look-up instead
// of a forward pass. Shared by every thread that submits to the evaluator.
//
// Bounded by two generations (a cheap approximation of least-recently-used): new entries go
// into the recent generation; when it is full it becomes the older one and the previous older
// one is dropped. A hit in the older generation is copied forward, so what search keeps using
// survives. Each generation is a tbb::concurrent_hash_map, so look-ups and insertions from
// many threads run concurrently, locking only the entry they touch; they all share a reader
// lock that only the rare generation swap takes exclusively.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <shared_mutex>

#include <tbb/concurrent_hash_map.h>

#include "go/game.h"
#include "nets/evaluation.h"
#include "nets/symmetry.h"

namespace tengen::nets {

// Identifies everything a network's output depends on, given the network: the stones and the
// player to move, the ages of the last moves (the "turns since" planes), which moves are legal
// (ko and superko, under the game's rules), and the symmetry the network looked through; and
// whether the entry holds the policy at all, so that a value-only answer never serves a request
// that wants the policy. Komi is not an input of the networks, so positions differing only in komi share entries.
struct EvaluationKey {
    std::uint64_t position = 0;  // Board::hash() and the player to move
    std::uint64_t context = 0;   // recent moves, legal moves, symmetry and whether the policy is held
    friend bool operator==(const EvaluationKey&, const EvaluationKey&) = default;
};

// legal is legalMoveMask(game).
EvaluationKey evaluationKey(const Game& game, std::span<const std::uint8_t> legal, Symmetry symmetry,
                            bool withPolicy = true);

class EvaluationCache {
public:
    // At most `capacity` entries are kept; 0 turns the cache off.
    explicit EvaluationCache(std::size_t capacity);

    std::optional<Evaluation> find(const EvaluationKey& key);
    void insert(const EvaluationKey& key, const Evaluation& evaluation);

    std::size_t capacity() const { return 2 * generationCapacity_; }
    std::size_t size() const;
    std::uint64_t hits() const { return hits_.load(std::memory_order_relaxed); }

private:
    struct KeyHashCompare {
        static std::size_t hash(const EvaluationKey& key) { return key.position ^ (key.context * 0x9E3779B97F4A7C15ull); }
        static bool equal(const EvaluationKey& a, const EvaluationKey& b) { return a == b; }
    };
    using Generation = tbb::concurrent_hash_map<EvaluationKey, Evaluation, KeyHashCompare>;

    // Inserts into the recent generation, then swaps generations if it is full.
    void store(const EvaluationKey& key, const Evaluation& evaluation);

    std::size_t generationCapacity_;
    mutable std::shared_mutex generationsMutex_;  // shared for look-ups and inserts; exclusive to swap
    std::unique_ptr<Generation> recent_, older_;
    std::atomic<std::uint64_t> hits_{0};
};

}  // namespace tengen::nets
