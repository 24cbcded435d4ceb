#include "play/setup.h"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace tengen::play {

int searchBatch(const mcts::SearchOptions& search) {
    return std::max(1, search.threads * search.simulationsInFlight);
}

SharedNetworks loadSharedNetworks(const EnginePreset& preset, int maxBatch) {
    SharedNetworks shared;
    std::optional<nets::Model> policy, value;
    if (!preset.models.policy.empty())
        policy = nets::loadModel(preset.models.policy, {nets::NetworkKind::Policy, std::nullopt});
    if (!preset.models.value.empty()) {
        if (mcts::usesValueNetwork(preset.search))
            value = nets::loadModel(preset.models.value, {nets::NetworkKind::Value, std::nullopt});
        else
            spdlog::info("value network {} not loaded: lambda 1 scores leaves by rollouts alone", preset.models.value);
    }
    if (policy || value) {
        nets::EvaluatorOptions options = preset.evaluator;
        options.maxBatch = maxBatch > 0 ? maxBatch : searchBatch(preset.search);
        shared.evaluator = std::make_shared<nets::BatchedEvaluator>(policy, value, options);
    }
    if (!preset.models.rollout.empty()) {
        auto rollout = std::make_shared<nets::RolloutPolicy>(nets::loadRolloutPolicy(preset.models.rollout));
        rollout->setPlayoutSharpness(preset.rolloutSharpness);
        shared.rollout = std::move(rollout);
    }
    return shared;
}

DirectNetworks loadDirectNetworks(const ModelFiles& models) {
    DirectNetworks networks{nets::loadModel(models.policy, {nets::NetworkKind::Policy, std::nullopt}), std::nullopt};
    if (!models.value.empty())
        networks.value =
            nets::loadModel(models.value, {nets::NetworkKind::Value, networks.policy.metadata.shape.boardSize});
    networks.policy.module().eval();
    if (networks.value) networks.value->module().eval();
    return networks;
}

}  // namespace tengen::play
