#pragma once
// Plays the policy network's best legal move, as AlphaGo's raw SL policy does, until search
// arrives. Never fills its own true eyes, and passes when the network prefers passing or no
// sensible move is left. On board sizes the network was not trained for, it hands over to
// the simple player. Its analysis is flat Monte Carlo over the network's favourite moves.

#include <memory>

#include "gtp/simple_player.h"
#include "nets/model_file.h"

namespace tengen::gtp {

class PolicyPlayer final : public Player {
public:
    // Throws nets::ModelFileError for a bad model file.
    PolicyPlayer(const std::string& modelPath, std::uint64_t seed);
    std::string name() const override { return "policy"; }
    Point chooseMove(const Game& game, const MoveRequest& request) override;
    void analyse(const Game& game, Color color, const std::atomic<bool>& stop, std::chrono::milliseconds interval,
                 const std::function<void(const AnalysisSnapshot&)>& report) override;

private:
    // Probabilities over the sensible moves (pass included) for `color`, by Point; pass at kMaxPoints.
    std::vector<double> moveProbabilities(const Game& game, Color color);

    nets::Model model_;
    SimplePlayer fallback_;
    Random rng_;
};

}  // namespace tengen::gtp
