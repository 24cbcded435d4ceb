#pragma once
// How a raw policy network plays a self-play move: it samples from its output (sharpened or
// flattened by a temperature, optionally cut to its k likeliest moves), or takes its most
// probable move. It never fills one of its own true eyes, and passes when nothing else is
// left or when the pass is what it draws: raw policies almost never choose to pass, so
// without the eye rule their games would not end.

#include "go/game.h"
#include "go/random.h"
#include "nets/evaluation.h"

namespace tengen::selfplay {

struct PolicySampling {
    double temperature = 1;  // probabilities ^ (1 / temperature); 0: the most probable move
    int topK = 0;            // draw among this many likeliest moves only (0: all of them)
};

struct PolicyMove {
    Point move = kPass;
    // The move's probability in the distribution it was drawn from (1 for a greedy or forced
    // move): the behaviour policy an RL trainer weighs the move by.
    float probability = 1;
};

// The move for the player to move in `game`, from `evaluation` (its policy for that position).
// Throws std::runtime_error for a policy that is not finite (a broken network).
PolicyMove choosePolicyMove(const Game& game, const nets::Evaluation& evaluation, const PolicySampling& sampling,
                            Random& rng);

}  // namespace tengen::selfplay
