#pragma once
// The one way the engine is put together: the networks are loaded once, and one batched
// evaluator serves every player built on them (a GTP session, a benchmark, or many
// self-play games at once), so that their requests fill the same batches.

#include <memory>
#include <optional>

#include "nets/batched_evaluator.h"
#include "nets/model_file.h"
#include "nets/rollout/policy.h"
#include "play/preset.h"

namespace tengen::play {

// What the players share. Either may be null: without a policy or value network the search
// keeps its cheap priors and scores leaves by rollouts; without p_pi rollouts are light.
struct SharedNetworks {
    std::shared_ptr<nets::BatchedEvaluator> evaluator;
    std::shared_ptr<const nets::RolloutPolicy> rollout;
};

// The networks of `models` that a search with these options uses: the value network only
// when lambda is below 1 (the evaluator would run it on every batch for nothing). Throws
// nets::ModelFileError or nets::RolloutModelError, naming the file, for a bad one.
// `maxBatch` 0 takes the search's own: threads times simulations in flight.
SharedNetworks loadSharedNetworks(const EnginePreset& preset, int maxBatch = 0);

// The batch a search keeps in flight.
int searchBatch(const mcts::SearchOptions& search);

// A policy (and optional value) network loaded for a player that asks them directly.
struct DirectNetworks {
    nets::Model policy;
    std::optional<nets::Model> value;
};
DirectNetworks loadDirectNetworks(const ModelFiles& models);

}  // namespace tengen::play
