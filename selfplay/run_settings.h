#pragma once
// A cluster run's settings, as `run.toml` in its directory holds them: the games, the
// learning, and what the Slurm batch scripts and Kubernetes manifests ask for. Read with
// toml++ (Debian's libtomlplusplus-dev): a misspelt or unknown key is an error naming it, as
// for the command line's config files.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "selfplay/policy_learner.h"

namespace tengen::selfplay {

struct SlurmSettings {
    std::string partition;          // empty: the cluster's default
    std::string account;
    std::string time = "01:00:00";  // each job's limit
    int cpusPerTask = 2;
    std::string memory;             // e.g. "4G"; empty: the cluster's default
    std::vector<std::string> extra;  // further #SBATCH lines, e.g. "--qos=low"
};

struct KubernetesSettings {
    std::string image = "tengen:latest";
    std::string claim = "tengen-run";  // the PersistentVolumeClaim holding the run directory
    std::string mountPath = "/run-dir";
    std::string cpu = "2";
    std::string memory = "4Gi";
    std::string nameSpace;  // empty: the current one
};

// Each new model against an earlier one, after its training: raw policies, colours swapped
// in half the games (`tengen eval-policy`'s match). Its own job on Slurm, not in the chain.
struct EvaluationSettings {
    int games = 0;                       // even; 0: no evaluation
    std::string opponent = "previous";   // "previous" (model n - 1) or "start" (model 0, the SL policy)
    bool greedy = false;                 // both play their most probable move instead of sampling
};

struct RunSettings {
    // Games.
    int boardSize = 19;  // set from the SL model at init
    double komi = 7.5;
    std::string rules = "chinese";
    int workers = 4;                 // self-play workers (array tasks) per generation
    int gamesPerGeneration = 512;
    int gamesPerShard = 32;          // even: the learner takes Black in every other game of a shard
    double temperature = 1;          // both sides sample (REINFORCE needs 1)
    int poolLatest = 0;              // opponents among the latest k models (0: every model)
    std::uint64_t seed = 1;
    // Learning: one step per gamesPerStep games of the generation.
    int gamesPerStep = 128;
    // Off-policy: the trainer also learns from the shards of the maxLag models before the
    // current one, weighing moves by truncated importance weights (learner.importanceClip,
    // which must then be positive). 0: on-policy, the current model's games only.
    int maxLag = 0;
    LearnerSettings learner;
    EvaluationSettings evaluation;
    // Where to run.
    std::string tengen;  // the binary the scripts run (default: the one that ran `run init`)
    int threads = 2;     // torch threads of the trainer; a worker runs one inference thread per network
    SlurmSettings slurm;
    KubernetesSettings kubernetes;

    // The games each worker plays: an even share, the first workers taking one more.
    int gamesForWorker(int worker) const;
};

// Throws std::invalid_argument naming the file and key for unreadable TOML, unknown keys and
// values out of range.
RunSettings readRunSettings(const std::filesystem::path& file);
// The same, from text; `file` names it in errors.
RunSettings parseRunSettings(const std::string& text, const std::filesystem::path& file);
// TOML that readRunSettings reads back to the same settings.
std::string toToml(const RunSettings& settings);

}  // namespace tengen::selfplay
