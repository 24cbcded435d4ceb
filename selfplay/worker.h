#pragma once
// One self-play worker: a series of shards in an output directory, each holding a fixed block
// of the worker's games (shard k: games k * gamesPerShard onwards), played concurrently.
// Rerunning the same command goes on from the shards already written: a killed worker loses
// only the block in progress, and a resumed series is the series an uninterrupted run writes.
// Shard names carry the worker index and the seed, so many workers share one directory.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "selfplay/game_runner.h"
#include "selfplay/shard.h"

namespace tengen::selfplay {

struct WorkerOptions {
    RunnerOptions runner;
    std::filesystem::path outDir;
    int worker = 0;
    std::uint64_t seed = 1;
    int games = 1000;  // in this worker's series
    int gamesPerShard = 256;
};

// The settings that decide the games, as shards record them: a series is resumed only with
// the same ones. Leaves out what does not change a game (how many run at once, how many in all).
std::string settingsFingerprint(const WorkerOptions& options);

struct WorkerReport {
    int shardsWritten = 0;   // by this run
    int shardsResumed = 0;   // found complete from an earlier run
    int gamesPlayed = 0;     // by this run, dropped value-data games included
    int gamesKept = 0;       // written to shards by this run
};

// The worker index a scheduler gives: SLURM_ARRAY_TASK_ID (Slurm job arrays), else
// JOB_COMPLETION_INDEX (Kubernetes Indexed Jobs), else 0. Throws std::invalid_argument for a
// value that is not an index.
int schedulerWorkerIndex();

// What a worker tells its caller as the series goes (for progress lines).
struct WorkerEvents {
    std::function<void(const GameRecord&)> gameEnded;  // each game as it ends
    // A complete shard of the series was found from an earlier run: the games it stands for
    // (value-data games dropped from it included).
    std::function<void(int games)> gamesResumed;
};

// Plays the series. Throws ShardError when the directory holds a shard of this series from
// other settings.
WorkerReport runWorker(const WorkerOptions& options, const WorkerEvents& events = {});

}  // namespace tengen::selfplay
