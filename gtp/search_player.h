#pragma once
// Plays with the tree search (mcts/): PUCT over the policy network's priors, leaves scored
// by the value network mixed with rollouts. Without networks for the board size it still
// searches, with uniform priors and rollouts alone. Its analysis is the search itself,
// reported as it grows.

#include <memory>
#include <optional>

#include "gtp/player.h"
#include "mcts/search.h"
#include "nets/batched_evaluator.h"

namespace tengen::gtp {

struct SearchPlayerOptions {
    mcts::SearchOptions search;
    nets::EvaluatorOptions evaluator;
    std::optional<std::string> policyModel, valueModel;
    // Thinking time per move when the game has no clock (0: visits alone decide).
    double secondsPerMove = 0;
};

class SearchPlayer final : public Player {
public:
    // Throws nets::ModelFileError for bad model files.
    explicit SearchPlayer(SearchPlayerOptions options);
    std::string name() const override { return "search"; }
    Point chooseMove(const Game& game, const MoveRequest& request) override;
    void analyse(const Game& game, Color color, const std::atomic<bool>& stop, std::chrono::milliseconds interval,
                 const std::function<void(const AnalysisSnapshot&)>& report) override;

private:
    // The evaluator for the game's board size, or null: the networks know one size only.
    nets::BatchedEvaluator* evaluatorFor(const Game& game);

    SearchPlayerOptions options_;
    std::unique_ptr<nets::BatchedEvaluator> evaluator_;
};

// How long to think with this clock: a share of the main time (more in the middle game,
// when many points are still open), or most of a byo-yomi period, minus a safety margin.
std::optional<std::chrono::duration<double>> thinkingTime(const ClockState& clock, const Game& game);

}  // namespace tengen::gtp
