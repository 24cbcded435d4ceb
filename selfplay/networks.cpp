#include "selfplay/networks.h"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "go/framed_file.h"
#include "nets/model_file.h"

namespace tengen::selfplay {

namespace {

// Model files are small (a few MB); the limit only guards the allocation.
constexpr std::uintmax_t kMaxModelBytes = 1ull << 31;

}  // namespace

std::string modelChecksum(const std::filesystem::path& file) {
    std::string whyNot;
    const std::optional<std::string> bytes = readWholeFile(file, kMaxModelBytes, whyNot);
    if (!bytes) throw nets::ModelFileError(file.string() + " " + whyNot);
    return fmt::format("{:016x}", fnv1a(*bytes));
}

std::shared_ptr<const nets::RolloutPolicy> NetworkSet::rollout(const std::filesystem::path& file,
                                                               double playoutSharpness) {
    const std::string key = fmt::format("{}@{}", file.lexically_normal().string(), playoutSharpness);
    if (const auto found = rollouts_.find(key); found != rollouts_.end()) return found->second;
    auto policy = std::make_shared<nets::RolloutPolicy>(nets::loadRolloutPolicy(file));
    policy->setPlayoutSharpness(playoutSharpness);
    return rollouts_.emplace(key, std::move(policy)).first->second;
}

const Network& NetworkSet::policy(const std::filesystem::path& file) {
    const std::string key = file.lexically_normal().string();
    if (const auto found = networks_.find(key); found != networks_.end()) return found->second;
    const nets::Model model = nets::loadModel(file, {nets::NetworkKind::Policy, std::nullopt});
    Network network{std::make_shared<nets::BatchedEvaluator>(model, std::nullopt, options_), key, modelChecksum(file)};
    return networks_.emplace(key, std::move(network)).first->second;
}

SidePlayer NetworkSet::player(const std::filesystem::path& fileOrPool, const PolicySampling& sampling) {
    SidePlayer side;
    side.sampling = sampling;
    for (const std::filesystem::path& file : modelFilesOf(fileOrPool)) side.pool.push_back(policy(file));
    return side;
}

std::vector<std::filesystem::path> modelFilesOf(const std::filesystem::path& fileOrPool) {
    if (!std::filesystem::is_directory(fileOrPool)) return {fileOrPool};
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(fileOrPool))
        if (entry.path().extension() == ".model") files.push_back(entry.path());
    if (files.empty()) throw std::invalid_argument(fmt::format("the pool {} holds no .model file", fileOrPool.string()));
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace tengen::selfplay
