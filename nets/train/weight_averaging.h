#pragma once
// Averaging the weights of several snapshots of one training run (Polyak averaging, as in
// stochastic weight averaging). Late in a run the optimiser's steps scatter the weights
// around the minimum it is circling; their mean can sit closer to it than any one snapshot,
// at no cost in play (how much it gains depends on the learning rate: see docs/training.md). The
// snapshots must come from one run (or one warm start): the mean of unrelated networks is
// meaningless, and nothing here can tell, so the caller chooses them.

#include <vector>

#include "nets/model_file.h"

namespace tengen::nets {

// The element-wise mean of every floating-point parameter and buffer, in a new model with
// the first one's metadata. Throws std::invalid_argument for an empty list or for models of
// different shapes.
Model averageModels(std::vector<Model> models);

}  // namespace tengen::nets
