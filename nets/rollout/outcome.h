#pragma once
// How well p_pi playouts predict who wins: from positions of expert games, the mean
// playout outcome against the game's result, as mean squared error (AlphaGo, Nature 2016,
// Figure 2b, where rollouts are compared with the value network this way). A playout
// change that makes the search's leaf values truer lowers it; move-prediction accuracy
// cannot show that.

#include <array>
#include <cstdint>
#include <vector>

#include "go/game_index.h"
#include "nets/rollout/options.h"
#include "nets/rollout/policy.h"

namespace tengen::nets {

struct RolloutOutcomeOptions {
    int positions = 2000;  // spread evenly over all the games' moves
    int playoutsPerPosition = 32;
    int threads = 1;
    std::uint64_t seed = 1;
    RolloutOptions rollout;
};

struct OutcomeError {
    std::size_t positions = 0;
    double mse = 0;           // of the mean outcome (+1 win, -1 loss for the player to move)
    double mseStdError = 0;
    double accuracy = 0;      // the mean outcome's sign names the winner
};

struct RolloutOutcomeEvaluation {
    OutcomeError all;
    // By how far into its game a position is: first, second and last third of the moves.
    std::array<OutcomeError, 3> byThird;
    double secondsPerPlayout = 0;  // CPU time per playout
};

RolloutOutcomeEvaluation evaluateRolloutOutcomes(const RolloutPolicy& policy, const std::vector<IndexedGame>& games,
                                                 const RolloutOutcomeOptions& options);

}  // namespace tengen::nets
