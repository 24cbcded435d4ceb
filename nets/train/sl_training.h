#pragma once
// Supervised learning of the policy network on expert games (AlphaGo's p_sigma): the
// expert's move as the target, cross-entropy over the legal moves, accuracy as the measure.

#include <filesystem>
#include <string>
#include <vector>

#include "nets/train/training_loop.h"

namespace tengen::nets {

struct PolicyEvaluation {
    std::size_t positions = 0;
    double loss = 0;   // cross-entropy over the legal moves
    double top1 = 0;   // the expert's move is the network's best legal move
    double top5 = 0;
};

// The supervised loss: the mean cross-entropy of the expert's moves over the legal moves.
// logits [B, A] float, legal [B, A] bool, target [B] long.
torch::Tensor expertMoveLoss(const torch::Tensor& logits, const torch::Tensor& legal, const torch::Tensor& target);

// Trains (or resumes) and writes the model. Returns the final held-out metrics.
Metrics trainPolicy(const TrainingOptions& options);

// Evaluates a policy model on up to maxPositions positions of the games, chosen evenly
// (deterministic), as they stand, or with the network's answers averaged over the 8
// symmetries of each (symmetry_ensemble.h).
PolicyEvaluation evaluatePolicy(Model& model, const std::vector<IndexedGame>& games, int maxPositions,
                                const std::string& device, bool averageSymmetries = false, int batchSize = 256);


}  // namespace tengen::nets
