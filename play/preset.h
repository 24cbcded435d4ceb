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

    friend bool operator==(const ModelFiles&, const ModelFiles&) = default;
};

struct EnginePreset {
    mcts::SearchOptions search;
    nets::EvaluatorOptions evaluator;
    ModelFiles models;
    // Where the networks for board sizes other than the models' own are bundled (see
    // bundledModels); empty: those sizes search with the rollout policy alone.
    std::string otherSizesModelsDir;
    // Rollouts draw moves in proportion to exp(sharpness * p_pi's score).
    double rolloutSharpness = 1;
    // Memory cap of the search tree, turned into search.maxNodes by treeNodesFor.
    double maxTreeMegabytes = 2048;
    // Consecutive searches of ours below the resign threshold before resigning.
    int resignSearches = mcts::kResignSearches;
};

// The networks bundled in `modelsDir` for one board size: the files named
// `<role>-<size>.model` or `<role>-<size>-<description>.model`, role being policy, value or
// rollout; an empty path where there is none. Throws std::runtime_error when two files
// claim the same role and size.
ModelFiles bundledModels(const std::filesystem::path& modelsDir, int boardSize = 19);

// The tuned preset on the bundled networks, for 19x19 and the other sizes bundled.
EnginePreset tunedPreset(const std::filesystem::path& modelsDir);

// The node cap of a tree that may use this much memory.
std::size_t treeNodesFor(double megabytes);

}  // namespace tengen::play
