#pragma once
// What the networks say about one position, in the form search consumes: move
// probabilities already restricted to the legal moves, and the value for the player to move.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "go/game.h"
#include "nets/features.h"

namespace tengen::nets {

struct Evaluation {
    // One probability per move, indexed as the policy network's outputs are: row * size + col
    // (row 0 at the top, as Geometry counts rows), then pass at size * size. Illegal moves get
    // exactly zero and the rest sum to one. Empty when no policy network was asked.
    std::vector<float> policy;
    // Expected outcome for the player to move, from -1 (loss) to +1 (win); nullopt when no
    // value network was asked.
    std::optional<float> value;
};

// Where a move's probability sits in Evaluation::policy: a board point or kPass.
inline int policyIndex(Point move, const Geometry& geometry) {
    if (move == kPass) return geometry.size() * geometry.size();
    return geometry.row(move) * geometry.size() + geometry.col(move);
}

// The move at an index of Evaluation::policy.
inline Point policyMove(int index, const Geometry& geometry) {
    const int size = geometry.size();
    if (index == size * size) return kPass;
    return geometry.point(index % size, index / size);
}

// Which moves the player to move may play, in Evaluation::policy order: 1 for legal (superko
// included, under the game's rules), 0 for illegal. Pass is always legal.
std::vector<std::uint8_t> legalMoveMask(const Game& game);

// The same, read from the capture-size planes of AlphaGo features (either set), which mark
// every legal empty point and only those: free once the features exist, where the legality
// pass above costs about as much again as extracting them.
std::vector<std::uint8_t> legalMoveMaskFromFeatures(std::span<const float> alphagoFeatures, int size);

// Softmax of the logits over the moves the mask allows, zero elsewhere; in and out have the
// mask's length and may be the same array. At least one move must be allowed.
void softmaxOverLegal(const float* logits, std::span<const std::uint8_t> legal, float* out);

}  // namespace tengen::nets
