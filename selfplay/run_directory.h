#pragma once
// The shared-directory protocol of a cluster run: the contract between self-play workers,
// the trainer and the schedulers (Slurm, Kubernetes, or none). Everything is a file on a
// shared file system, and every change is an atomic rename:
//
//   run.toml               the settings (run_settings.h)
//   models/NNNNNN.model    model N, written once
//   current                the number of the model workers play with; switched by rename
//   selfplay/NNNNNN/       the shards model N's workers wrote (worker.h's series, one per worker)
//   pool/                  further opponents (.model files) beside the run's own models
//   train/                 the trainer's checkpoint and CSV
//   slurm/                 the generated batch scripts and job logs
//
// Generation N is the self-play of model N followed by the training that makes model N + 1.
// Work is counted in shards: a generation is complete when its shards hold the games the
// settings ask for.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "selfplay/game_record.h"
#include "selfplay/run_settings.h"

namespace tengen::selfplay {

// "000042": how models and generations are named.
std::string generationName(int n);

// What a generation's shards hold, decoded once for the counts and for whoever reads the
// games (the trainer, the status).
struct GenerationProgress {
    int games = 0, shards = 0;
    std::vector<std::pair<std::filesystem::path, std::string>> refused;  // damaged shards, with why
    std::map<int, int> gamesByWorker;
    std::vector<GameRecord> records;
};

class RunDirectory {
public:
    // Opens an existing run. Throws std::invalid_argument if `root` holds no run.toml.
    explicit RunDirectory(std::filesystem::path root);

    // Creates the run: the settings (board size from the model), model 0 as a copy of the SL
    // policy, and `current` naming it. Refuses a directory that already holds a run, and a
    // model that is not a policy network.
    static RunDirectory create(const std::filesystem::path& root, const std::filesystem::path& slModel,
                               RunSettings settings);

    const std::filesystem::path& root() const { return root_; }
    const RunSettings& settings() const { return settings_; }

    int currentModel() const;
    // Points `current` at model n (atomically). The model must exist.
    void promote(int model) const;

    std::filesystem::path modelFile(int n) const;
    std::filesystem::path shardDirectory(int n) const;
    std::filesystem::path trainDirectory() const { return root_ / "train"; }
    std::filesystem::path slurmDirectory() const { return root_ / "slurm"; }
    std::filesystem::path poolDirectory() const { return root_ / "pool"; }

    // Model n's opponents: models 0 to n, or the latest poolLatest of them, and pool/'s models.
    std::vector<std::filesystem::path> opponentsFor(int n) const;
    GenerationProgress progress(int n) const;
    bool complete(const GenerationProgress& p) const { return p.games >= settings_.gamesPerGeneration; }
    // The workers whose share of a generation is not yet in shards.
    std::vector<int> unfinishedWorkers(int n) const { return unfinishedWorkers(progress(n)); }
    std::vector<int> unfinishedWorkers(const GenerationProgress& p) const;

private:
    std::filesystem::path root_;
    RunSettings settings_;
};

}  // namespace tengen::selfplay
