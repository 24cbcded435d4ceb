#include "play/preset.h"

#include <regex>
#include <stdexcept>

namespace tengen::play {

ModelFiles bundledModels(const std::filesystem::path& modelsDir, int boardSize) {
    ModelFiles files;
    std::error_code error;
    if (!std::filesystem::is_directory(modelsDir, error)) return files;
    static const std::regex bundledName(R"((policy|value|rollout)-(\d{1,2})(-[^/]*)?\.model)");
    for (const auto& entry : std::filesystem::directory_iterator(modelsDir)) {
        std::smatch match;
        const std::string name = entry.path().filename().string();
        if (!std::regex_match(name, match, bundledName) || std::stoi(match[2]) != boardSize) continue;
        std::string& slot = match[1] == "policy" ? files.policy : match[1] == "value" ? files.value : files.rollout;
        if (!slot.empty())
            throw std::runtime_error("two " + match[1].str() + " networks for " + std::to_string(boardSize) + "x" +
                                     std::to_string(boardSize) + " in " + modelsDir.string() + ": " +
                                     std::filesystem::path(slot).filename().string() + " and " + name);
        slot = entry.path().string();
    }
    return files;
}

EnginePreset tunedPreset(const std::filesystem::path& modelsDir) {
    EnginePreset preset;
    preset.models = bundledModels(modelsDir);
    preset.otherSizesModelsDir = modelsDir.string();
    mcts::SearchOptions& search = preset.search;
    search.visits = 1600;
    search.threads = 2;
    search.resignThreshold = 0.1;
    // Rollouts alone: mixing in the bundled value network lost 3-18 at equal time, each
    // mixed leaf waiting for a network evaluation (docs/search.md).
    search.lambda = 1;
    // At 0.5 s a move 2 beat the paper's 5 by 33-14, and 1 by 46-29 (docs/search.md).
    search.selection.cPuct = 2;
    // First play urgency: Leela Zero's 0.25 on its 0..1 scale; against the paper's even
    // value it won 45-20 at 400 visits (docs/search.md).
    search.selection.fpuReduction = 0.5;
    // Expanding a leaf once it has two visits rather than one sends half as many positions
    // to the network, which sets the pace with two workers: 31% more visits a second, and
    // 26-21 in self-play at 0.5 s a move (docs/search.md).
    search.expansionThreshold = 2;
    // A playout that lets a group of two or more stones put itself in atari counts it
    // wrongly; rejecting such moves made playouts name the winner of Tengen's games
    // against GNU Go more often (docs/rollout.md).
    search.rollout.rejectSelfAtariFrom = 2;
    // Sharper playouts predict games' winners better (docs/rollout.md).
    preset.rolloutSharpness = 1.5;
    search.maxNodes = treeNodesFor(preset.maxTreeMegabytes);
    // One torch thread beside the two search workers: a second one fights them for the two
    // cores (bench search: 1,096 visits/s against 966 with two; docs/benchmarks.md).
    preset.evaluator.threads = 1;
    // Whichever of fp32 and bf16 a timing at start-up finds faster on this machine.
    preset.evaluator.precision = std::nullopt;
    return preset;
}

std::size_t treeNodesFor(double megabytes) {
    return static_cast<std::size_t>(megabytes * 1024 * 1024 / mcts::kNodeBytes);
}

}  // namespace tengen::play
