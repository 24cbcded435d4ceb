#pragma once
// Positions drawn from indexed games, turned into the tensors a policy network trains and
// is evaluated on: features, the expert's move, and which moves were legal.

#include <cstdint>
#include <vector>

#include <torch/torch.h>

#include "nets/features.h"
#include "nets/game_index.h"
#include "nets/symmetry.h"

namespace tengen::nets {

// One position: the game and the move about to be played in it.
struct PositionRef {
    std::uint32_t game = 0;
    std::uint32_t move = 0;
};

std::vector<PositionRef> allPositions(const std::vector<IndexedGame>& games);

struct PositionBatch {
    torch::Tensor features;  // [batch, planes, size, size] float
    torch::Tensor target;    // [batch] long: row * size + col, or size * size for pass
    torch::Tensor legal;     // [batch, size * size + 1] bool
};

// Each position is seen through its symmetry (identity for evaluation).
PositionBatch makeBatch(const std::vector<IndexedGame>& games, const std::vector<PositionRef>& positions,
                        const std::vector<Symmetry>& symmetries, FeatureSet features, int boardSize);

}  // namespace tengen::nets
