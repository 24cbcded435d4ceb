#include "play/networks_by_size.h"

#include <spdlog/spdlog.h>

namespace tengen::play {

NetworksBySize::NetworksBySize(EnginePreset preset, int maxBatch)
    : preset_(std::move(preset)),
      maxBatch_(maxBatch),
      presetNetworks_(loadSharedNetworks(preset_, maxBatch)),
      bySize_([this](int boardSize) { return loadBundled(boardSize); }) {
    if (presetNetworks_.evaluator) bySize_.set(presetNetworks_.evaluator->boardSize(), presetNetworks_);
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

DirectNetworksBySize::DirectNetworksBySize(const EnginePreset& preset)
    : otherSizesModelsDir_(preset.otherSizesModelsDir),
      bySize_([this](int boardSize) -> std::shared_ptr<DirectNetworks> {
          if (otherSizesModelsDir_.empty()) return nullptr;
          const ModelFiles bundled = bundledModels(otherSizesModelsDir_, boardSize);
          if (bundled.policy.empty()) return nullptr;
          spdlog::info("loaded the policy network bundled for {}x{}: {}", boardSize, boardSize, bundled.policy);
          return std::make_shared<DirectNetworks>(loadDirectNetworks(bundled));
      }) {
    auto own = std::make_shared<DirectNetworks>(loadDirectNetworks(preset.models));
    const int boardSize = own->policy.metadata.shape.boardSize;
    bySize_.set(boardSize, std::move(own));
}

}  // namespace tengen::play
