#pragma once
// Which stones are dead at the end of a game, for final_score, final_status_list and a
// match referee. Benson's pass-alive stones and territory are certain; the rest is judged
// by who ends up owning each chain's points over many light playouts that keep sekis, as
// Pachi and other playout engines do when they have no ownership network.

#include <cstdint>

#include "go/game.h"

namespace tengen {

struct DeadStoneOptions {
    int playouts = 400;
    std::uint64_t seed = 1;
};

PointSet findDeadStones(const Game& game, const DeadStoneOptions& options = {});

}  // namespace tengen
