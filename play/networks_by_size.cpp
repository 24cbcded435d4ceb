#include "play/networks_by_size.h"

#include <spdlog/spdlog.h>

namespace tengen::play {

NetworksBySize::NetworksBySize(EnginePreset preset, int maxBatch)
    : preset_(std::move(preset)), maxBatch_(maxBatch), presetNetworks_(loadSharedNetworks(preset_, maxBatch)) {
    if (presetNetworks_.evaluator) bySize_.emplace(presetNetworks_.evaluator->boardSize(), presetNetworks_);
}

SharedNetworks NetworksBySize::forSize(int boardSize) {
    std::lock_guard lock(mutex_);
    if (const auto found = bySize_.find(boardSize); found != bySize_.end()) return found->second;
    return bySize_.emplace(boardSize, loadBundled(boardSize)).first->second;
}

SharedNetworks NetworksBySize::loadBundled(int boardSize) const {
    const SharedNetworks none{nullptr, presetNetworks_.rollout};
    if (preset_.otherSizesModelsDir.empty()) return none;
    ModelFiles bundled = bundledModels(preset_.otherSizesModelsDir, boardSize);
    if (bundled.policy.empty() && bundled.value.empty()) {
        spdlog::info("no networks bundled for {}x{} in {}: searching with the rollout policy alone", boardSize,
                     boardSize, preset_.otherSizesModelsDir);
        return none;
    }
    EnginePreset sized = preset_;
    sized.models = bundled;
    // The rollout policy's features are local shapes, so the preset's serves every size that
    // has none of its own (docs/rollout.md).
    const bool ownRollout = !bundled.rollout.empty();
    if (!ownRollout) sized.models.rollout.clear();
    SharedNetworks networks = loadSharedNetworks(sized, maxBatch_);
    if (!ownRollout) networks.rollout = presetNetworks_.rollout;
    spdlog::info("loaded the networks bundled for {}x{}: {} {}", boardSize, boardSize, bundled.policy, bundled.value);
    return networks;
}

}  // namespace tengen::play
