#include "selfplay/run_directory.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "go/atomic_file.h"
#include "nets/model_file.h"
#include "selfplay/shard.h"

namespace tengen::selfplay {

std::string generationName(int n) { return fmt::format("{:06}", n); }

RunDirectory::RunDirectory(std::filesystem::path root) : root_(std::move(root)) {
    if (!std::filesystem::exists(root_ / "run.toml"))
        throw std::invalid_argument(fmt::format("{} holds no run (no run.toml): create one with `tengen run init`",
                                                root_.string()));
    settings_ = readRunSettings(root_ / "run.toml");
}

RunDirectory RunDirectory::create(const std::filesystem::path& root, const std::filesystem::path& slModel,
                                  RunSettings settings) {
    if (std::filesystem::exists(root / "run.toml"))
        throw std::invalid_argument(fmt::format("{} already holds a run", root.string()));
    nets::Model model = nets::loadModel(slModel);
    settings.boardSize = model.metadata.shape.boardSize;
    // Refused before anything is written, so that a corrected command can start afresh.
    const std::string toml = toToml(settings);
    parseRunSettings(toml, root / "run.toml");
    if (model.metadata.shape.kind != nets::NetworkKind::Policy)
        throw std::invalid_argument(fmt::format("{} is a {} network: a run starts from a policy", slModel.string(),
                                                nets::networkKindName(model.metadata.shape.kind)));
    for (const char* folder : {"models", "selfplay", "pool", "train", "slurm"})
        std::filesystem::create_directories(root / folder);
    model.metadata.training["run_model"] = 0;
    nets::saveModel(root / "models" / (generationName(0) + ".model"), model);
    writeFileAtomically(root / "current", generationName(0) + "\n");
    // Last: a directory is a run once its settings are there, and they read back.
    writeFileAtomically(root / "run.toml", toml);
    return RunDirectory(root);
}

int RunDirectory::currentModel() const {
    std::ifstream in(root_ / "current");
    int model = -1;
    if (!(in >> model) || model < 0)
        throw std::runtime_error(fmt::format("{} does not name a model", (root_ / "current").string()));
    return model;
}

void RunDirectory::promote(int model) const {
    if (!std::filesystem::exists(modelFile(model)))
        throw std::logic_error(fmt::format("cannot promote {}: it does not exist", modelFile(model).string()));
    writeFileAtomically(root_ / "current", generationName(model) + "\n");
}

std::filesystem::path RunDirectory::modelFile(int n) const { return root_ / "models" / (generationName(n) + ".model"); }

std::filesystem::path RunDirectory::shardDirectory(int n) const { return root_ / "selfplay" / generationName(n); }

std::vector<std::filesystem::path> RunDirectory::opponentsFor(int n) const {
    std::vector<std::filesystem::path> models;
    for (int m = 0; m <= n; ++m) models.push_back(modelFile(m));
    if (settings_.poolLatest > 0 && static_cast<int>(models.size()) > settings_.poolLatest)
        models.erase(models.begin(), models.end() - settings_.poolLatest);
    std::vector<std::filesystem::path> extra;
    for (const auto& entry : std::filesystem::directory_iterator(poolDirectory()))
        if (entry.path().extension() == ".model") extra.push_back(entry.path());
    std::sort(extra.begin(), extra.end());
    models.insert(models.end(), extra.begin(), extra.end());
    return models;
}

GenerationProgress RunDirectory::progress(int n) const {
    GenerationProgress p;
    if (!std::filesystem::exists(shardDirectory(n))) return p;
    ShardScan scan = scanShards(shardDirectory(n));
    p.refused = std::move(scan.refused);
    for (auto& [path, shard] : scan.shards) {
        ++p.shards;
        p.games += static_cast<int>(shard.games.size());
        p.gamesByWorker[shard.header.worker] += static_cast<int>(shard.games.size());
        for (GameRecord& g : shard.games) p.records.push_back(std::move(g));
    }
    return p;
}

std::vector<int> RunDirectory::unfinishedWorkers(const GenerationProgress& p) const {
    std::vector<int> workers;
    for (int w = 0; w < settings_.workers; ++w) {
        const auto found = p.gamesByWorker.find(w);
        if ((found == p.gamesByWorker.end() ? 0 : found->second) < settings_.gamesForWorker(w)) workers.push_back(w);
    }
    return workers;
}

}  // namespace tengen::selfplay
