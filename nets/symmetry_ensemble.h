#pragma once
// The policy network's move probabilities averaged over the 8 symmetries of the board, as
// Leela Zero and AlphaGo's evaluations do. The network is not exactly symmetric, and each
// view of a position errs somewhat differently, so their mean predicts better than any one
// view, at 8 times the cost. Worth it where one evaluation decides a move (the raw policy
// player, measuring accuracy), not inside a search, where random views already average out.

#include <torch/torch.h>

#include "nets/policy_network.h"

namespace tengen::nets {

// planes: [batch, planes, size, size] in the position's own orientation. Returns the log of
// the mean probability of each of the size * size points and pass, [batch, size * size + 1],
// in that same orientation; mask illegal moves afterwards as for logits.
torch::Tensor symmetryAveragedLogProbabilities(PolicyNetwork& policy, const torch::Tensor& planes);

}  // namespace tengen::nets
