#pragma once
// The built-in player used until networks exist. Its moves are legal, never fill its own
// eyes, capture and save stones when they can, and it passes when nothing useful is left
// and never resigns. Its analysis is flat Monte Carlo: light playouts after each candidate.

#include "go/random.h"
#include "play/player.h"

namespace tengen::play {

class SimplePlayer final : public Player {
public:
    explicit SimplePlayer(std::uint64_t seed = 1) : rng_(seed) {}
    std::string name() const override { return "simple"; }
    Point chooseMove(const Game& game, const MoveRequest& request) override;
    void analyse(const Game& game, Color color, const std::atomic<bool>& stop, std::chrono::milliseconds interval,
                 const std::function<void(const AnalysisSnapshot&)>& report) override;

private:
    struct Candidate {
        Point move;
        double heuristic;  // higher is better; > 0
    };
    // Every move worth considering, with the heuristic that ranks them; empty: pass.
    std::vector<Candidate> candidates(const Game& game, Color mover);

    Random rng_;
};

}  // namespace tengen::play
