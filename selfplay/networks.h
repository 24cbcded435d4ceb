#pragma once
// The networks of a self-play run, each model file loaded once, with one batched evaluator
// per distinct network that every game playing with it shares.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "nets/batched_evaluator.h"
#include "selfplay/game_runner.h"

namespace tengen::selfplay {

class NetworkSet {
public:
    // Policy and rollout games replay byte for byte only with options.fixedBatchShape:
    // otherwise a game's recorded probabilities depend on which games shared its batches.
    explicit NetworkSet(nets::EvaluatorOptions options) : options_(std::move(options)) {}
    // The policy network in `file`, loaded on first use. Throws nets::ModelFileError.
    const Network& policy(const std::filesystem::path& file);
    // A player of one network file, or of a pool: every .model file in a folder, each game
    // drawing one uniformly.
    SidePlayer player(const std::filesystem::path& fileOrPool, const PolicySampling& sampling);
    // The rollout policy p_pi in `file`, loaded on first use, its playouts at this sharpness
    // (p_pi's features are local, so a 19x19 policy serves any board). Throws
    // nets::RolloutModelError.
    std::shared_ptr<const nets::RolloutPolicy> rollout(const std::filesystem::path& file, double playoutSharpness);

private:
    nets::EvaluatorOptions options_;
    std::map<std::string, Network> networks_;
    std::map<std::string, std::shared_ptr<const nets::RolloutPolicy>> rollouts_;
};

// The model files a player names: the file itself, or a folder's .model files in name order.
// Throws std::invalid_argument for a folder with none.
std::vector<std::filesystem::path> modelFilesOf(const std::filesystem::path& fileOrPool);

// 16 hex digits of a model file's FNV-1a checksum, as shards name the models that played.
std::string modelChecksum(const std::filesystem::path& file);

}  // namespace tengen::selfplay
