#pragma once
// Starting a network from another's trunk: a value network begins from a trained policy
// network's convolutions, which already read the board, so that only its head has to learn
// from scratch. Game outcomes are a far weaker signal than expert moves (one bit per game),
// and a value network trained from random weights on them learns slowly.

#include "nets/model_file.h"

namespace tengen::nets {

// Copies every trunk parameter of `from` into `to`. Both must have the same layers and
// filters; the first layer may read more input planes in `to` (the value feature set
// appends planes to the policy set's), and those extra planes start at zero, so the copied
// trunk computes what it did. Throws std::invalid_argument for trunks that do not fit.
void copyTrunk(const Model& from, Model& to);

}  // namespace tengen::nets
