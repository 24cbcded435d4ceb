// `tengen run slurm` against a real Slurm: the single-node cluster scripts/slurm-local.sh
// starts (CTest's slurm fixture starts it before these tests and stops it after them, even
// when they fail). Tiny 7x7 runs: two generations of a 4-task array, a cancelled array task
// resubmitted with no shard lost or counted twice, and a failing worker that ends the
// training job rather than leaving it pending.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <fmt/format.h>

#include "nets/model_file.h"
#include "selfplay/cluster_jobs.h"
#include "selfplay/model_evaluation.h"
#include "selfplay/run_directory.h"
#include "selfplay/slurm_driver.h"
#include "tests/command_output.h"
#include "tests/scratch_files.h"

// LibTorch brings glog's CHECK, which aborts; the tests want Catch's.
#undef CHECK
#include <catch2/catch.hpp>

using namespace tengen;
namespace fs = std::filesystem;

namespace {

// A run directory where slurmd (root) can write, with a tiny random 7x7 policy as model 0.
selfplay::RunDirectory slurmRun(const std::string& name, int gamesPerWorker, int evaluationGames = 0) {
    const fs::path dir = test::scratch(name);
    fs::remove_all(dir);
    const fs::path start = test::scratch(name + "-start.model");
    torch::manual_seed(3);
    nets::NetworkShape shape;
    shape.boardSize = 7;
    shape.layers = 2;
    shape.filters = 8;
    nets::Model model = nets::makeModel(shape);
    nets::saveModel(start, model);
    selfplay::RunSettings s;
    s.workers = 4;
    s.gamesPerGeneration = 4 * gamesPerWorker;
    s.gamesPerShard = 8;
    s.gamesPerStep = 32;
    s.threads = 1;
    s.tengen = TENGEN_BINARY;
    s.slurm.cpusPerTask = 1;  // two tasks at once on two CPUs
    s.slurm.time = "00:05:00";
    s.evaluation.games = evaluationGames;
    return selfplay::RunDirectory::create(dir, start, s);
}

selfplay::JobCommands commandsFor(const selfplay::RunDirectory& run) {
    const std::string dir = fs::absolute(run.root()).string();
    return {fmt::format("{} run worker {}", TENGEN_BINARY, dir), fmt::format("{} run train {}", TENGEN_BINARY, dir),
            fmt::format("{} run evaluate {}", TENGEN_BINARY, dir)};
}

// Waits until no job of the run is pending or running (at most three minutes).
void waitForQueue(const selfplay::RunDirectory& run) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(3);
    while (std::chrono::steady_clock::now() < deadline) {
        const selfplay::CommandResult q = selfplay::runCommand(
            "squeue", {"--noheader", "--format=%i %T",
                       fmt::format("--name={},{},{}", selfplay::jobName(run, "selfplay"), selfplay::jobName(run, "train"),
                                   selfplay::jobName(run, "evaluate"))});
        REQUIRE(q.exitCode == 0);
        if (q.out.find_first_not_of(" \n") == std::string::npos) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    FAIL("the run's jobs did not finish within three minutes");
}

std::string jobState(const std::string& id) {
    const selfplay::CommandResult r = selfplay::runCommand("scontrol", {"show", "job", id});
    const std::size_t at = r.out.find("JobState=");
    return at == std::string::npos ? "" : r.out.substr(at + 9, r.out.find(' ', at) - at - 9);
}

std::string idOf(const std::vector<selfplay::SubmittedJob>& jobs, const std::string& what) {
    for (const selfplay::SubmittedJob& j : jobs)
        if (j.what.find(what) != std::string::npos) return j.id;
    return "";
}

}  // namespace

TEST_CASE("tengen run slurm plays, trains and evaluates two generations of a 4-task array, in order",
          "[slurm][integration]") {
    const selfplay::RunDirectory run = slurmRun("slurm-two-generations", 16, 4);
    const test::CommandOutput submitted =
        test::runCommand(fmt::format("{} run slurm {} --generations 2 2>&1", TENGEN_BINARY, run.root().string()));
    INFO(submitted.output);
    REQUIRE(submitted.status == 0);
    CHECK_THAT(submitted.output, Catch::Contains("generation 1: training into model 2"));
    waitForQueue(run);
    CHECK(run.currentModel() == 2);
    for (int n = 0; n < 2; ++n) {
        INFO("generation " << n);
        CHECK(run.progress(n).gamesByWorker == std::map<int, int>{{0, 16}, {1, 16}, {2, 16}, {3, 16}});
        CHECK(run.progress(n).shards == 8);
    }
    // The trainer refuses an incomplete generation, so two rows mean each ran after its array.
    std::ifstream csv(run.trainDirectory() / "train.csv");
    std::string line;
    int rows = -1;
    while (std::getline(csv, line)) ++rows;
    CHECK(rows == 2);
    // Each model's evaluation job ran after its training.
    const auto evaluations = selfplay::readEvaluations(run);
    CHECK(evaluations.size() == 2);
    for (const auto& [model, e] : evaluations) CHECK(e.wins + e.losses + e.draws == 4);
    const test::CommandOutput status =
        test::runCommand(fmt::format("{} run status {} 2>&1", TENGEN_BINARY, run.root().string()));
    CHECK_THAT(status.output, Catch::Contains("model 2 is current") && Catch::Contains("2 generation(s) trained"));
    // Everything is done: a rerun has nothing to submit.
    const test::CommandOutput again =
        test::runCommand(fmt::format("{} run slurm {} --generations 2 2>&1", TENGEN_BINARY, run.root().string()));
    CHECK_THAT(again.output, Catch::Contains("nothing to submit"));
}

TEST_CASE("a cancelled array task is resubmitted alone; no shard lost or doubled", "[slurm][integration]") {
    const selfplay::RunDirectory run = slurmRun("slurm-cancelled-task", 48);
    const std::vector<selfplay::SubmittedJob> jobs = selfplay::submitToSlurm(run, 1, commandsFor(run));
    const std::string array = idOf(jobs, "workers"), train = idOf(jobs, "training");
    REQUIRE(selfplay::runCommand("scancel", {array + "_3"}).exitCode == 0);
    waitForQueue(run);
    // The array failed, so the training job was killed rather than left pending.
    CHECK(jobState(train) == "CANCELLED");
    CHECK(run.currentModel() == 0);
    CHECK(run.unfinishedWorkers(0) == std::vector<int>{3});

    const std::vector<selfplay::SubmittedJob> rerun = selfplay::submitToSlurm(run, 1, commandsFor(run));
    REQUIRE(rerun.size() == 2);
    CHECK(rerun[0].what == "generation 0: workers 3");
    waitForQueue(run);
    CHECK(run.currentModel() == 1);
    CHECK(run.progress(0).gamesByWorker == std::map<int, int>{{0, 48}, {1, 48}, {2, 48}, {3, 48}});
    CHECK(run.progress(0).shards == 24);
    CHECK(run.progress(0).refused.empty());
}

TEST_CASE("a failing worker ends the training job instead of leaving it pending", "[slurm][integration]") {
    const selfplay::RunDirectory run = slurmRun("slurm-failing-worker", 8);
    // A damaged model 0: every worker fails on loading it.
    fs::resize_file(run.modelFile(0), 100);
    const std::vector<selfplay::SubmittedJob> jobs = selfplay::submitToSlurm(run, 1, commandsFor(run));
    waitForQueue(run);
    CHECK(jobState(idOf(jobs, "training")) == "CANCELLED");
    CHECK(run.currentModel() == 0);
    CHECK(run.progress(0).games == 0);
}
