#pragma once
// Plays the policy network's best legal move, as AlphaGo's raw SL policy does, until search
// arrives. Never fills its own true eyes, and passes when the network prefers passing or no
// sensible move is left. On board sizes the network was not trained for, it hands over to
// the simple player. Its analysis looks one move ahead at the network's favourite moves:
// light playouts after each, mixed with the value network's verdict when there is one.
// With averageSymmetries it asks the network about all 8 symmetric views of the position and
// plays the best move of their mean (nets/symmetry_ensemble.h), which predicts experts better.

#include <memory>

#include "play/simple_player.h"
#include "nets/model_file.h"
#include "play/setup.h"

namespace tengen::play {

class PolicyPlayer final : public Player {
public:
    // The value network, if any, must be for the policy network's board size.
    PolicyPlayer(DirectNetworks networks, std::uint64_t seed, bool averageSymmetries = false);
    std::string name() const override { return "policy"; }
    Point chooseMove(const Game& game, const MoveRequest& request) override;
    void analyse(const Game& game, Color color, const std::atomic<bool>& stop, std::chrono::milliseconds interval,
                 const std::function<void(const AnalysisSnapshot&)>& report) override;

private:
    // Probabilities over the sensible moves (pass included) for `color`, by Point; pass at kMaxPoints.
    std::vector<double> moveProbabilities(const Game& game, Color color);

    // The mover's win probability after each move, from the value network.
    std::vector<double> winratesAfter(const Game& game, Color color, const std::vector<Point>& moves);

    nets::Model model_;
    std::optional<nets::Model> value_;
    bool averageSymmetries_;
    SimplePlayer fallback_;
    Random rng_;
};

}  // namespace tengen::play
