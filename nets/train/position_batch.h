#pragma once
// Positions drawn from indexed games, turned into the tensors a policy network trains and
// is evaluated on: features, the expert's move, and which moves were legal.

#include <cstdint>
#include <vector>

#include <torch/torch.h>

#include "nets/features.h"
#include "go/game_index.h"
#include "nets/symmetry.h"

namespace tengen::nets {

// One position: the game and the move about to be played in it.
struct PositionRef {
    std::uint32_t game = 0;
    std::uint32_t move = 0;
};

std::vector<PositionRef> allPositions(const std::vector<IndexedGame>& games);

// `perGame` positions from each game with a known winner, spread at random over the game
// but the same on every run with this seed (AlphaGo took one per game to keep the value
// network from learning whole games by heart). A value-data game gives its one sampled
// position instead.
std::vector<PositionRef> sampledPositions(const std::vector<IndexedGame>& games, int perGame, std::uint64_t seed);

struct PositionBatch {
    torch::Tensor features;  // [batch, planes, size, size] float
    torch::Tensor target;    // [batch] long: row * size + col, or size * size for pass
    torch::Tensor legal;     // [batch, size * size + 1] bool
    // [batch, size * size + 1] bool: legal moves that fill one of the mover's own true eyes,
    // which self-play's players never choose (selfplay/policy_choice.h).
    torch::Tensor ownTrueEyes;
    torch::Tensor outcome;   // [batch] float: +1 if the player to move won the game, -1 if lost, 0 unknown
};

// Each position is seen through its symmetry (identity for evaluation).
PositionBatch makeBatch(const std::vector<IndexedGame>& games, const std::vector<PositionRef>& positions,
                        const std::vector<Symmetry>& symmetries, FeatureSet features, int boardSize);

}  // namespace tengen::nets
