#pragma once
// What the schedulers run for a cluster run (run_directory.h), generated from its settings:
// the Slurm batch scripts (a job array of self-play workers, a training job, and the optional
// evaluation job) and the Kubernetes manifests (an Indexed Job of workers, and Jobs for the
// training and the evaluation). The scripts are kept in
// the run directory, so a user can read them and submit them by hand.

#include <string>

#include "selfplay/run_directory.h"

namespace tengen::selfplay {

// The shell command lines a job runs, given by the caller (the tengen binary knows its own
// command line): a worker, which takes its index from SLURM_ARRAY_TASK_ID or
// JOB_COMPLETION_INDEX, the trainer, and the evaluation of new models.
struct JobCommands {
    std::string worker;
    std::string train;
    std::string evaluate;
};

// The job names of a run: one per run directory, so that its jobs can be found in the queue.
std::string jobName(const RunDirectory& run, const std::string& role);  // "selfplay", "train", "evaluate"

std::string slurmWorkerScript(const RunDirectory& run, const JobCommands& commands);
std::string slurmTrainScript(const RunDirectory& run, const JobCommands& commands);
std::string slurmEvaluateScript(const RunDirectory& run, const JobCommands& commands);

// Generation n's workers as an Indexed Job, and the Job that trains it once they are done
// (Kubernetes has no dependencies between Jobs: `kubectl wait` sits between the two). The
// commands see the run directory at the settings' mount path.
std::string kubernetesWorkerJob(const RunDirectory& run, int n, const JobCommands& commands);
std::string kubernetesTrainJob(const RunDirectory& run, int n, const JobCommands& commands);
// Evaluates model n + 1 once generation n's training Job is complete.
std::string kubernetesEvaluateJob(const RunDirectory& run, int n, const JobCommands& commands);

}  // namespace tengen::selfplay
