#pragma once
// AlphaGo's asynchronous policy-and-value search (Nature 2016): workers share one tree,
// select by PUCT with virtual loss, expand leaves at once with cheap priors that the policy
// network's replace when it answers, and score leaves by mixing the value network with a
// rollout. Each worker keeps several simulations in flight, so that the batched evaluator
// gets full batches while the worker runs their rollouts.
//
//   Search search(options, &evaluator);      // or no evaluator: uniform priors, rollouts only
//   SearchResult result = search.run(game);
//   game.play({game.toMove(), result.bestMove});
//   search.run(game);                        // goes on from the subtree of the moves played

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "go/game.h"
#include "mcts/search_tree.h"
#include "nets/rollout/options.h"

namespace tengen::nets {
class BatchedEvaluator;
class RolloutPolicy;
}

namespace tengen::mcts {

// Memory per tree node, for converting a memory cap into SearchOptions::maxNodes.
constexpr std::size_t kNodeBytes = sizeof(Node);

struct SearchOptions {
    int visits = 800;
    int threads = 1;
    SelectionOptions selection;  // c_puct and first play urgency
    // Leaf value = (1 - lambda) * value network + lambda * rollout. Without a value network
    // the rollout is all there is, whatever lambda says.
    double lambda = 0.5;
    nets::RolloutOptions rollout;  // how p_pi playouts deviate from the policy
    // AlphaGo's n_vl: lost visits each pending simulation adds to the nodes on its path.
    int virtualLoss = 3;
    // Simulations each worker keeps waiting on the network at once: threads times this is
    // the batch the evaluator can fill. Needs virtual loss to spread them over the tree.
    int simulationsInFlight = 8;
    // AlphaGo's n_thr: a leaf gets children once it has this many visits.
    int expansionThreshold = 1;
    // Memory cap: past this many nodes leaves are evaluated but no longer expanded. Tree reuse
    // frees what the moves played made unreachable. kNodeBytes each.
    std::size_t maxNodes = 10'000'000;
    std::uint64_t seed = 1;
    // Self-play exploration: P = (1 - epsilon) * P + epsilon * Dirichlet(alpha) at the root.
    double dirichletAlpha = 0.03;
    double dirichletEpsilon = 0;  // 0: no noise
    // Move choice in proportion to visits^(1 / temperature); 0 takes the most visited.
    double temperature = 0;
    // Resign when the chosen move's win rate (0..1) is below this; 0 never resigns. Never
    // in the opening: before a fifth of the board's points have been played.
    double resignThreshold = 0;
    // Cleanup (kgs-genmove_cleanup, Tromp-Taylor opponents): no passing while the
    // opponent has dead stones on the board.
    bool cleanup = false;
};

// Lambda 1 scores leaves by rollouts alone: a value network would be loaded and run for
// nothing (the evaluator runs every network it holds on every batch).
inline bool usesValueNetwork(const SearchOptions& options) { return options.lambda < 1; }

struct MoveStatistics {
    Point move = kPass;
    int visits = 0;
    double q = 0;  // mean value for the player to move at the root, -1..1
    float prior = 0;
    std::vector<Point> principalVariation;  // starting with move
    // Mean final score margin of the rollouts, in points for the player to move at the root
    // (komi included); nullopt when the search plays no rollouts (lambda 0).
    std::optional<double> scoreLead;
};

struct SearchResult {
    Point bestMove = kPass;  // kResign when resigning; set in the final result, not in reports
    std::vector<MoveStatistics> moves;  // the root's children, most visited first
    int visits = 0;                     // simulations this run
    double seconds = 0;
    std::size_t nodes = 0;              // nodes in the tree, root included
    int reusedVisits = 0;               // simulations the root had from earlier runs
};

// Optional control of a running search, for GTP analysis and time limits.
struct SearchControl {
    const std::atomic<bool>* stop = nullptr;  // ends the search early once set
    std::optional<std::chrono::steady_clock::time_point> deadline;
    // Called from a worker with the statistics so far, about every reportEvery.
    std::function<void(const SearchResult&)> report;
    std::chrono::milliseconds reportEvery{1000};
    // Stop as soon as the most visited move can no longer be overtaken within the visits or
    // the time left (for genmove; analysis wants the whole picture).
    bool stopWhenDecided = false;
    // Stop once the tree reaches options.maxNodes (pondering: nothing more to store).
    bool stopWhenFull = false;
};

class Search {
public:
    // The evaluator may be null, and may hold only one of the networks: without a policy
    // network the cheap priors stay, without a value network leaves are scored by rollouts
    // alone. The rollout policy p_pi, if given, plays the rollouts and gives the cheap
    // priors (AlphaGo's tree policy) on any board size, its features being local; without it
    // rollouts are light and cheap priors uniform. Both must outlive the search.
    explicit Search(const SearchOptions& options, nets::BatchedEvaluator* evaluator = nullptr,
                    const nets::RolloutPolicy* rolloutPolicy = nullptr);

    ~Search();
    Search(const Search&) = delete;
    Search& operator=(const Search&) = delete;

    // Searches from the game's position for the player to move, for options.visits
    // simulations or until the control stops it. When the game continues the position of
    // the previous run (same setup, that run's moves then more), the subtree of the moves
    // played since is kept and the rest freed. Not reentrant: one run at a time.
    SearchResult run(const Game& game, const SearchControl& control = {});
    // Forgets the tree.
    void clear();

    const SearchOptions& options() const { return options_; }
    void setOptions(const SearchOptions& options);

private:
    // Makes root_ the node for `game`: reuses a subtree when it can, else a fresh root.
    void moveRootTo(const Game& game);

    SearchOptions options_;
    nets::BatchedEvaluator* evaluator_;
    const nets::RolloutPolicy* rolloutPolicy_;
    std::unique_ptr<Node> root_;
    std::optional<Game> rootGame_;  // the position root_ stands for
};

}  // namespace tengen::mcts
