#pragma once
// AlphaGo's asynchronous policy-and-value search (Nature 2016): workers share one tree,
// select by PUCT with virtual loss, expand leaves with the policy network's priors, and
// score leaves by mixing the value network with a light rollout.
//
//   Search search(options, &evaluator);      // or no evaluator: uniform priors, rollouts only
//   SearchResult result = search.run(game);
//   game.play({game.toMove(), result.bestMove});

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "go/game.h"
#include "mcts/search_tree.h"

namespace tengen::nets {
class BatchedEvaluator;
}

namespace tengen::mcts {

struct SearchOptions {
    int visits = 800;
    int threads = 1;
    double cPuct = 5;
    // Leaf value = (1 - lambda) * value network + lambda * rollout. Without a value network
    // the rollout is all there is, whatever lambda says.
    double lambda = 0.5;
    // AlphaGo's n_vl: lost visits each pending simulation adds to the nodes on its path.
    int virtualLoss = 3;
    // AlphaGo's n_thr: a leaf gets children once it has this many visits.
    int expansionThreshold = 1;
    std::uint64_t seed = 1;
    // Self-play exploration: P = (1 - epsilon) * P + epsilon * Dirichlet(alpha) at the root.
    double dirichletAlpha = 0.03;
    double dirichletEpsilon = 0;  // 0: no noise
    // Move choice in proportion to visits^(1 / temperature); 0 takes the most visited.
    double temperature = 0;
    // Resign when the chosen move's win rate (0..1) is below this; 0 never resigns.
    double resignThreshold = 0;
};

struct MoveStatistics {
    Point move = kPass;
    int visits = 0;
    double q = 0;  // mean value for the player to move at the root, -1..1
    float prior = 0;
    std::vector<Point> principalVariation;  // starting with move
};

struct SearchResult {
    Point bestMove = kPass;  // kResign when resigning
    std::vector<MoveStatistics> moves;  // the root's children, most visited first
    int visits = 0;                     // simulations run
    double seconds = 0;
    std::size_t nodes = 0;              // nodes in the tree, root included
};

// Optional control of a running search, for GTP analysis and time limits.
struct SearchControl {
    const std::atomic<bool>* stop = nullptr;  // ends the search early once set
    std::optional<std::chrono::steady_clock::time_point> deadline;
    // Called from a worker with the statistics so far, about every reportEvery.
    std::function<void(const SearchResult&)> report;
    std::chrono::milliseconds reportEvery{1000};
};

class Search {
public:
    // The evaluator may be null, and may hold only one of the networks: without a policy
    // network priors are uniform over the legal moves, without a value network leaves are
    // scored by rollouts alone. It must outlive the search.
    explicit Search(const SearchOptions& options, nets::BatchedEvaluator* evaluator = nullptr);

    // Searches from the game's position for the player to move, for options.visits
    // simulations or until the control stops it.
    SearchResult run(const Game& game, const SearchControl& control = {});

    const SearchOptions& options() const { return options_; }

private:
    SearchOptions options_;
    nets::BatchedEvaluator* evaluator_;
};

}  // namespace tengen::mcts
