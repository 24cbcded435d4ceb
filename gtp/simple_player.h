#pragma once
// The built-in player used until networks exist: plays legal, never fills its own eyes,
// captures and saves stones when it can, passes when nothing useful is left, never resigns.

#include "go/random.h"
#include "gtp/player.h"

namespace tengen::gtp {

class SimplePlayer final : public Player {
public:
    explicit SimplePlayer(std::uint64_t seed = 1) : rng_(seed) {}
    std::string name() const override { return "simple"; }
    Point chooseMove(const Game& game, const MoveRequest& request) override;

private:
    Random rng_;
};

}  // namespace tengen::gtp
