#pragma once
// Submits a cluster run's generations to Slurm: for each generation, a job array of self-play
// workers, then a training job that waits for the array (afterok, and --kill-on-invalid-dep
// so that a failed array does not leave it pending forever), each generation's array waiting
// on the training before it; with [evaluation], a job after each training evaluates the new
// model, off the chain. Run again on a run half done, it submits only what is missing: the
// workers whose share is not in shards, then the rest of the chain.

#include <functional>
#include <string>
#include <vector>

#include "selfplay/cluster_jobs.h"
#include "selfplay/run_directory.h"

namespace tengen::selfplay {

struct CommandResult {
    int exitCode = 0;
    std::string out, err;
};
// Runs a program found on PATH with these arguments, and waits for it.
using CommandRunner = std::function<CommandResult(const std::string& program, const std::vector<std::string>& args)>;
CommandResult runCommand(const std::string& program, const std::vector<std::string>& args);

struct SubmittedJob {
    std::string id;
    std::string what;  // e.g. "generation 3: workers 0-3"
};

// Writes the batch scripts into the run's slurm/ folder and submits the jobs that take the run
// to model `targetModel`. Throws std::runtime_error if jobs of this run are still queued or
// running (submitting again would duplicate them), or if sbatch fails.
std::vector<SubmittedJob> submitToSlurm(const RunDirectory& run, int targetModel, const JobCommands& commands,
                                        const CommandRunner& runner = runCommand);

}  // namespace tengen::selfplay
