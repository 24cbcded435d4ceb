#pragma once
// Plays the policy network's best legal move, as AlphaGo's raw SL policy does, until search
// arrives. Never fills its own true eyes, and passes when the network prefers passing or no
// sensible move is left. It plays each board size on the network for it (the preset's, or
// one bundled for that size); on a size with none it hands over to the simple player. Its
// analysis looks one move ahead at the network's favourite moves: light playouts after each,
// mixed with the value network's verdict when there is one.
// With averageSymmetries it asks the network about all 8 symmetric views of the position and
// plays the best move of their mean (nets/symmetry_ensemble.h), which predicts experts better.

#include <memory>

#include "play/simple_player.h"
#include "nets/model_file.h"
#include "play/networks_by_size.h"

namespace tengen::play {

class PolicyPlayer final : public Player {
public:
    PolicyPlayer(std::shared_ptr<DirectNetworksBySize> networks, std::uint64_t seed, bool averageSymmetries = false);
    std::string name() const override { return "policy"; }
    Point chooseMove(const Game& game, const MoveRequest& request) override;
    void analyse(const Game& game, Color color, const std::atomic<bool>& stop, std::chrono::milliseconds interval,
                 const std::function<void(const AnalysisSnapshot&)>& report) override;

private:
    // Probabilities over the sensible moves (pass included) for `color`, by Point; pass at kMaxPoints.
    std::vector<double> moveProbabilities(nets::Model& policy, const Game& game, Color color);

    // The mover's win probability after each move, from the value network.
    static std::vector<double> winratesAfter(nets::Model& value, const Game& game, Color color,
                                             const std::vector<Point>& moves);

    std::shared_ptr<DirectNetworksBySize> networks_;
    bool averageSymmetries_;
    SimplePlayer fallback_;
    Random rng_;
};

}  // namespace tengen::play
