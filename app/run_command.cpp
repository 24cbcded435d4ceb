// tengen run: cluster runs of self-play and RL in generations, over a shared run directory
// (selfplay/run_directory.h). `init` creates one; `worker`, `train` and `evaluate` are what
// the jobs run; `local`, `slurm` and `k8s` drive generations on one machine, on Slurm, or
// print Kubernetes manifests; `status` says where a run stands.
#include <unistd.h>

#include <chrono>
#include <iostream>

#include <boost/process/args.hpp>
#include <boost/process/child.hpp>
#include <fmt/format.h>

#include "app/commands.h"
#include "selfplay/cluster_jobs.h"
#include "match/stats.h"
#include "selfplay/generation.h"
#include "selfplay/model_evaluation.h"
#include "selfplay/networks.h"
#include "selfplay/slurm_driver.h"

namespace tengen::app {

namespace {

std::filesystem::path ownBinary() { return std::filesystem::read_symlink("/proc/self/exe"); }

// The binary the jobs run: the settings' `tengen`, or this one.
std::string jobBinary(const selfplay::RunDirectory& run) {
    return run.settings().tengen.empty() ? ownBinary().string() : run.settings().tengen;
}

// A word for a POSIX shell: quoted when it holds anything but safe characters.
std::string shellWord(const std::string& word) {
    if (!word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+=:,@") ==
                             std::string::npos)
        return word;
    std::string quoted = "'";
    for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

selfplay::JobCommands commandsFor(const std::string& binary, const std::string& directory) {
    return {fmt::format("{} run worker {}", shellWord(binary), shellWord(directory)),
            fmt::format("{} run train {}", shellWord(binary), shellWord(directory)),
            fmt::format("{} run evaluate {}", shellWord(binary), shellWord(directory))};
}

selfplay::JobCommands localCommands(const selfplay::RunDirectory& run) {
    return commandsFor(jobBinary(run), std::filesystem::absolute(run.root()).string());
}

void reportWorker(const selfplay::WorkerReport& r, int worker) {
    std::cout << fmt::format("worker {}: {} shard(s) written, {} found done, {} games played\n", worker, r.shardsWritten,
                             r.shardsResumed, r.gamesPlayed);
}

void reportTraining(const selfplay::TrainReport& r) {
    if (!r.trained) {
        std::cout << fmt::format("generation {} had been trained: model {} promoted\n", r.generation, r.generation + 1);
        return;
    }
    std::cout << fmt::format("generation {}: {} step(s) on {} positions in {:.1f} s, mean reward {:+.3f}, entropy "
                             "{:.3f}; model {} is current\n",
                             r.generation, r.steps, r.positions, r.seconds, r.last.meanReward, r.last.entropy,
                             r.generation + 1)
              << std::flush;
}

void reportEvaluation(const selfplay::ModelEvaluation& e) {
    std::cout << fmt::format("model {} against model {}: {} in {:.0f} s\n", e.model, e.opponent,
                             match::describePairing(match::pairingStats({e.wins, e.losses, e.draws})), e.seconds)
              << std::flush;
}

// "55.0% [50.1, 59.8] v 9": a model's evaluation score, its 95% interval, and the opponent.
std::string evaluationCell(const std::map<int, selfplay::ModelEvaluation>& evaluations, int n) {
    const auto found = evaluations.find(n);
    if (found == evaluations.end()) return "-";
    const selfplay::ModelEvaluation& e = found->second;
    const match::PairingStats stats = match::pairingStats({e.wins, e.losses, e.draws});
    return fmt::format("{:.1f}% [{:.1f}, {:.1f}] v {} ({})", 100 * stats.score, 100 * stats.scoreInterval.low,
                       100 * stats.scoreInterval.high, e.opponent, stats.record.games());
}

void printStatus(const selfplay::RunDirectory& run) {
    const selfplay::RunSettings& s = run.settings();
    const int current = run.currentModel();
    const auto [trained, steps] = selfplay::trainerProgress(run);
    std::cout << fmt::format("run {}: {}x{}, {} worker(s), {} games per generation; model {} is current; {} "
                             "generation(s) trained in {} step(s)\n",
                             run.root().string(), s.boardSize, s.boardSize, s.workers, s.gamesPerGeneration, current,
                             trained, steps);
    const std::map<int, selfplay::ModelEvaluation> evaluations = selfplay::readEvaluations(run);
    std::cout << "generation  games       shards  refused  complete  trained  win rate  vs previous  evaluation\n";
    for (int n = 0; n <= current; ++n) {
        const selfplay::GenerationProgress p = run.progress(n);
        const selfplay::GenerationResults r = selfplay::generationResults(run, n, p);
        std::cout << fmt::format("{:>10}  {:>5}/{:<5}  {:>6}  {:>7}  {:>8}  {:>7}  {:>8}  {:>11}  {}\n", n, p.games,
                                 s.gamesPerGeneration, p.shards, p.refused.size(), run.complete(p) ? "yes" : "no",
                                 trained > n ? "yes" : "no", r.games ? fmt::format("{:.1f}%", 100 * r.learnerWinRate) : "-",
                                 r.gamesAgainstPrevious ? fmt::format("{:.1f}% ({})", 100 * r.winRateAgainstPrevious,
                                                                      r.gamesAgainstPrevious)
                                                        : "-",
                                 evaluationCell(evaluations, n));
        for (const auto& [path, why] : p.refused) std::cout << fmt::format("  refused {}: {}\n", path.string(), why);
    }
}

// Plays the current generation's unfinished shares with `concurrency` worker processes at
// once, then trains it; until model `target` is current.
void runLocal(const selfplay::RunDirectory& run, int concurrency, int target) {
    namespace bp = boost::process;
    const std::string binary = jobBinary(run), directory = std::filesystem::absolute(run.root()).string();
    while (run.currentModel() < target) {
        const int n = run.currentModel();
        const auto started = std::chrono::steady_clock::now();
        const selfplay::GenerationProgress before = run.progress(n);
        std::vector<int> pending = run.unfinishedWorkers(before);
        std::vector<std::pair<int, bp::child>> running;
        int failures = 0;
        while (!pending.empty() || !running.empty()) {
            while (!pending.empty() && static_cast<int>(running.size()) < concurrency) {
                const int w = pending.front();
                pending.erase(pending.begin());
                running.emplace_back(
                    w, bp::child(binary, bp::args({"run", "worker", directory, "--worker-index", std::to_string(w)})));
            }
            running.front().second.wait();
            if (running.front().second.exit_code() != 0) {
                std::cerr << fmt::format("worker {} of generation {} failed (exit code {})\n", running.front().first, n,
                                         running.front().second.exit_code());
                ++failures;
            }
            running.erase(running.begin());
        }
        if (failures > 0) throw std::runtime_error(fmt::format("{} worker(s) of generation {} failed", failures, n));
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        const int played = run.progress(n).games - before.games;
        std::cout << fmt::format("generation {}: {} games in {:.1f} s ({:.2f} games/s) with {} worker process(es)\n", n,
                                 played, seconds, played / std::max(seconds, 1e-9), concurrency)
                  << std::flush;
        reportTraining(selfplay::trainGeneration(run));
        selfplay::evaluateModels(run, reportEvaluation);
    }
}

struct RunCommandOptions {
    std::string directory;
    std::string from, config;
    int workers = 0;  // init: the run's workers; local: processes at once (0: the run's workers)
    int gamesPerGeneration = 0;
    int generations = 0;
    int workerIndex = -1;
    std::string part = "workers";
    int generation = -1;
    bool print = false;
};

}  // namespace

void addRunCommand(CLI::App& app) {
    auto o = std::make_shared<RunCommandOptions>();
    CLI::App* run = app.add_subcommand("run", "Cluster runs: self-play and RL in generations over a shared directory "
                                              "(Slurm job arrays, Kubernetes Indexed Jobs, or one machine)");
    run->require_subcommand(1);

    CLI::App* init = run->add_subcommand("init", "Create a run directory from an SL policy and settings");
    init->add_option("directory", o->directory, "The run directory")->required();
    init->add_option("--from", o->from, "The SL policy model (model 0)")->required();
    init->add_option("--config", o->config, "A run.toml to start from (see docs/cluster.md)");
    init->add_option("--workers", o->workers, "Self-play workers per generation (overrides the config)");
    init->add_option("--games", o->gamesPerGeneration, "Games per generation (overrides the config)");
    init->callback([o] {
        selfplay::RunSettings settings = o->config.empty() ? selfplay::RunSettings{} : selfplay::readRunSettings(o->config);
        if (o->workers > 0) settings.workers = o->workers;
        if (o->gamesPerGeneration > 0) settings.gamesPerGeneration = o->gamesPerGeneration;
        if (settings.tengen.empty()) settings.tengen = ownBinary().string();
        const selfplay::RunDirectory created = selfplay::RunDirectory::create(o->directory, o->from, settings);
        std::cout << fmt::format("created {}: model 0 is {}; settings in {}\n", o->directory, o->from,
                                 (created.root() / "run.toml").string());
    });

    CLI::App* worker = run->add_subcommand("worker", "Play one worker's share of the current generation (what the "
                                                     "jobs run)");
    worker->add_option("directory", o->directory, "The run directory")->required();
    worker->add_option("--worker-index", o->workerIndex,
                       "This worker's index (default: SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX, or 0)");
    worker->callback([o] {
        const selfplay::RunDirectory dir(o->directory);
        const int index = o->workerIndex >= 0 ? o->workerIndex : selfplay::schedulerWorkerIndex();
        reportWorker(selfplay::playGenerationShare(dir, index), index);
    });

    CLI::App* train = run->add_subcommand("train", "Train the current generation into the next model and promote it "
                                                   "(what the training job runs)");
    train->add_option("directory", o->directory, "The run directory")->required();
    train->callback([o] { reportTraining(selfplay::trainGeneration(selfplay::RunDirectory(o->directory))); });

    CLI::App* evaluate = run->add_subcommand("evaluate", "Evaluate the promoted models that have no result yet, as "
                                                         "[evaluation] asks (what the evaluation job runs)");
    evaluate->add_option("directory", o->directory, "The run directory")->required();
    evaluate->callback([o] {
        const selfplay::RunDirectory dir(o->directory);
        if (dir.settings().evaluation.games == 0)
            throw std::invalid_argument(fmt::format("{}'s [evaluation] asks for no games", (dir.root() / "run.toml").string()));
        if (selfplay::evaluateModels(dir, reportEvaluation).empty()) std::cout << "every model had been evaluated\n";
    });

    CLI::App* local = run->add_subcommand("local", "Run generations on this machine, with worker processes");
    local->add_option("directory", o->directory, "The run directory")->required();
    local->add_option("--generations", o->generations, "Run until this model is current")->required();
    local->add_option("--workers", o->workers, "Worker processes at once (default: the run's workers)");
    local->callback([o] {
        const selfplay::RunDirectory dir(o->directory);
        runLocal(dir, o->workers > 0 ? o->workers : dir.settings().workers, o->generations);
        printStatus(dir);
    });

    CLI::App* slurm = run->add_subcommand("slurm", "Submit the generations to Slurm (rerun to submit what is missing)");
    slurm->add_option("directory", o->directory, "The run directory")->required();
    slurm->add_option("--generations", o->generations, "Submit until this model is current")->required();
    slurm->callback([o] {
        const selfplay::RunDirectory dir(o->directory);
        const std::vector<selfplay::SubmittedJob> jobs = selfplay::submitToSlurm(dir, o->generations, localCommands(dir));
        if (jobs.empty()) std::cout << fmt::format("model {} is already current: nothing to submit\n", o->generations);
        for (const selfplay::SubmittedJob& job : jobs) std::cout << fmt::format("submitted {}: {}\n", job.id, job.what);
    });

    CLI::App* status = run->add_subcommand("status", "Generations, games, shards, training and win rates of a run");
    status->add_option("directory", o->directory, "The run directory")->required();
    status->callback([o] { printStatus(selfplay::RunDirectory(o->directory)); });

    CLI::App* k8s = run->add_subcommand("k8s", "Kubernetes manifests of a generation (deploy/k8s/README.md)");
    k8s->add_option("directory", o->directory, "The run directory")->required();
    k8s->add_flag("--print", o->print, "Print the manifests (the only action: apply them with kubectl)")->required();
    k8s->add_option("--part", o->part, "workers (an Indexed Job), train or evaluate (Jobs)")
        ->check(CLI::IsMember({"workers", "train", "evaluate"}))
        ->capture_default_str();
    k8s->add_option("--generation", o->generation, "Which generation (default: the current one)");
    k8s->callback([o] {
        const selfplay::RunDirectory dir(o->directory);
        const int n = o->generation >= 0 ? o->generation : dir.currentModel();
        const selfplay::JobCommands commands = commandsFor("tengen", dir.settings().kubernetes.mountPath);
        std::cout << (o->part == "workers" ? selfplay::kubernetesWorkerJob(dir, n, commands)
                      : o->part == "train" ? selfplay::kubernetesTrainJob(dir, n, commands)
                                           : selfplay::kubernetesEvaluateJob(dir, n, commands));
    });
}

}  // namespace tengen::app
