#pragma once
// Flat Monte Carlo analysis: light playouts after each candidate move, round after round,
// reporting each candidate's win rate. The analysis of the players that have no search.

#include <atomic>
#include <chrono>
#include <functional>
#include <vector>

#include "go/random.h"
#include "gtp/player.h"

namespace tengen::gtp {

struct ScoredMove {
    Point move;
    double prior;  // how the player ranks it before any playout; shown as the prior
};

// Runs until `stop`; calls `report` about every `interval` and once at the end. Candidates
// come out best win rate first.
void flatMonteCarlo(const Game& game, Color color, const std::vector<ScoredMove>& moves, const std::atomic<bool>& stop,
                    std::chrono::milliseconds interval, const std::function<void(const AnalysisSnapshot&)>& report,
                    Random& rng);

}  // namespace tengen::gtp
