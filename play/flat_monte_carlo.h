#pragma once
// Flat Monte Carlo analysis: light playouts after each candidate move, round after round,
// reporting each candidate's win rate. The analysis of the players that have no search.

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <vector>

#include "go/random.h"
#include "play/player.h"

namespace tengen::play {

struct ScoredMove {
    Point move;
    double prior;  // how the player ranks it before any playout; shown as the prior
    // The mover's win probability after this move from a value network, if there is one.
    // Reported win rates then mix it with the playouts' as AlphaGo's leaves do:
    // (1 - lambda) * value + lambda * playouts, with lambda = 0.5.
    std::optional<double> valueWinrate = std::nullopt;
};

// Runs until `stop`; calls `report` about every `interval` and once at the end. Candidates
// come out best win rate first.
void flatMonteCarlo(const Game& game, Color color, const std::vector<ScoredMove>& moves, const std::atomic<bool>& stop,
                    std::chrono::milliseconds interval, const std::function<void(const AnalysisSnapshot&)>& report,
                    Random& rng);

}  // namespace tengen::play
