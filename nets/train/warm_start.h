#pragma once
// Starting a training run from a trained network instead of random weights.
// - A value network begins from a policy network's trunk, which already reads the board, so
//   that only its head has to learn from scratch. Game outcomes are a far weaker signal than
//   expert moves (one bit per game), and a value network trained from random weights on them
//   learns slowly.
// - A deeper network begins from a shallower one of the same kind (Net2Net's deepening): the
//   source's layers and head are copied and each added 3x3 layer starts as the identity,
//   which the ReLU after it leaves unchanged because its input is already non-negative. The
//   deeper network so starts out computing exactly what the source did, and training spends
//   the added layers on what the source could not yet see instead of relearning the board.
// - A wider network begins from a narrower one (Net2Net's widening): each added filter copies
//   one of the source's, and the layers reading it share out the original's weights, so the
//   wider network too starts out computing what the source did (up to the small noise that
//   lets the copies drift apart).
// - A network for another board size begins from one trained on 19x19: the trunk's
//   convolutions and the policy head do not depend on the size, and local shape carries over.

#include "nets/model_file.h"

namespace tengen::nets {

// Copies `from` into `to`: the trunk always, the head too when both are the same kind of
// network. Both must have the same board and trunk type; `to` may read more input planes
// (the value feature set appends planes to the policy set's; those start at zero), have more
// filters and, for plain trunks, more layers (appended after the copied ones, as identities).
// Throws std::invalid_argument for networks that do not fit.
void warmStart(const Model& from, Model& to);

}  // namespace tengen::nets
