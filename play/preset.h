#pragma once
// The tuned engine: the settings `tengen gtp` plays with, which `tengen bench search` and
// self-play start from and change only where asked. docs/search.md gives the measurement
// behind each value.

#include <filesystem>
#include <string>

#include "mcts/move_choice.h"
#include "mcts/search.h"
#include "nets/batched_evaluator.h"

namespace tengen::play {

// Model files; an empty path means none.
struct ModelFiles {
    std::string policy;
    std::string value;
    std::string rollout;
};

struct EnginePreset {
    mcts::SearchOptions search;
    nets::EvaluatorOptions evaluator;
    ModelFiles models;
    // Rollouts draw moves in proportion to exp(sharpness * p_pi's score).
    double rolloutSharpness = 1;
    // Memory cap of the search tree, turned into search.maxNodes by treeNodesFor.
    double maxTreeMegabytes = 2048;
    // Consecutive searches of ours below the resign threshold before resigning.
    int resignSearches = mcts::kResignSearches;
};

// The networks bundled in `modelsDir`, for 19x19.
ModelFiles bundledModels(const std::filesystem::path& modelsDir);

// The tuned preset on the bundled networks.
EnginePreset tunedPreset(const std::filesystem::path& modelsDir);

// The node cap of a tree that may use this much memory.
std::size_t treeNodesFor(double megabytes);

}  // namespace tengen::play
