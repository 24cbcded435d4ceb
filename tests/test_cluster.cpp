// Cluster runs: run.toml, the run directory's protocol, generations on one machine, the Slurm
// chain (against a fake sbatch, and against the real single-node Slurm of
// scripts/slurm-local.sh), the Kubernetes manifests parsed as YAML, and the package list the
// Dockerfile and the install script share.
#include <sys/file.h>
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "nets/model_file.h"
#include "selfplay/cluster_jobs.h"
#include "selfplay/generation.h"
#include "selfplay/model_evaluation.h"
#include "selfplay/networks.h"
#include "selfplay/run_directory.h"
#include "selfplay/shard.h"
#include "selfplay/slurm_driver.h"
#include "tests/command_output.h"
#include "tests/scratch_files.h"

// LibTorch brings glog's CHECK, which aborts; the tests want Catch's.
#undef CHECK
#include <catch2/catch.hpp>

using namespace tengen;
namespace fs = std::filesystem;

namespace {

fs::path tinyModel(const std::string& name, nets::NetworkKind kind = nets::NetworkKind::Policy) {
    const fs::path path = test::scratch(name);
    torch::manual_seed(5);
    nets::NetworkShape shape;
    shape.kind = kind;
    shape.features = kind == nets::NetworkKind::Policy ? nets::FeatureSet::AlphaGoPolicy : nets::FeatureSet::AlphaGoValue;
    shape.boardSize = 7;
    shape.layers = 2;
    shape.filters = 8;
    nets::Model model = nets::makeModel(shape);
    nets::saveModel(path, model);
    return path;
}

selfplay::RunSettings smallRun(int workers, int games) {
    selfplay::RunSettings s;
    s.workers = workers;
    s.gamesPerGeneration = games;
    s.gamesPerShard = 8;
    s.gamesPerStep = 16;
    s.threads = 1;
    s.tengen = TENGEN_BINARY;
    s.slurm.cpusPerTask = 1;
    s.slurm.time = "00:10:00";
    return s;
}

fs::path freshDirectory(const std::string& name) {
    const fs::path dir = test::scratch(name);
    fs::remove_all(dir);
    return dir;
}

std::string readText(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string binary() { return TENGEN_BINARY; }

// The games of each worker in a generation's shards.
std::map<int, int> gamesByWorker(const selfplay::RunDirectory& run, int n) { return run.progress(n).gamesByWorker; }

}  // namespace

TEST_CASE("run.toml reads back what was written, and names a key it does not know", "[cluster]") {
    selfplay::RunSettings s = smallRun(3, 100);
    s.learner.baseline = nets::Baseline::Value;
    s.slurm.extra = {"--qos=low", "--constraint=\"avx2\""};
    s.kubernetes.nameSpace = "go";
    s.evaluation = {64, "start", true};
    const fs::path file = test::scratch("cluster-run.toml");
    {
        std::ofstream out(file);
        out << selfplay::toToml(s);
    }
    const selfplay::RunSettings back = selfplay::readRunSettings(file);
    CHECK(selfplay::toToml(back) == selfplay::toToml(s));
    CHECK(back.learner.baseline == nets::Baseline::Value);
    CHECK(back.slurm.extra == s.slurm.extra);
    CHECK((back.evaluation.games == 64 && back.evaluation.opponent == "start" && back.evaluation.greedy));
    // 100 games over 3 workers: 34, 33, 33.
    CHECK(back.gamesForWorker(0) == 34);
    CHECK(back.gamesForWorker(1) == 33);
    CHECK(back.gamesForWorker(2) == 33);

    std::ofstream(file) << "[run]\nworkerz = 4\n";
    CHECK_THROWS_WITH(selfplay::readRunSettings(file), Catch::Contains("workerz") && Catch::Contains("not a setting"));
    std::ofstream(file) << "[learning]\nbaseline = \"greedy\"\n";
    CHECK_THROWS_WITH(selfplay::readRunSettings(file), Catch::Contains("baseline"));
    std::ofstream(file) << "[run]\nworkers = \"four\"\n";
    CHECK_THROWS_WITH(selfplay::readRunSettings(file), Catch::Contains("workers") && Catch::Contains("type"));
    std::ofstream(file) << "[run\nworkers = 4\n";
    CHECK_THROWS_WITH(selfplay::readRunSettings(file), Catch::Contains("line 1"));
    std::ofstream(file) << "[learning]\nlr = 3.0\n";
    CHECK_THROWS_WITH(selfplay::readRunSettings(file), Catch::Contains("learning rate"));
    std::ofstream(file) << "[evaluation]\ngames = 5\n";
    CHECK_THROWS_WITH(selfplay::readRunSettings(file), Catch::Contains("[evaluation] games must be even"));
    std::ofstream(file) << "[evaluation]\nopponent = \"best\"\n";
    CHECK_THROWS_WITH(selfplay::readRunSettings(file), Catch::Contains("opponent"));
}

TEST_CASE("a run directory starts from a policy, once, and its current model moves by promotion", "[cluster]") {
    const fs::path dir = freshDirectory("cluster-init");
    CHECK_THROWS_WITH(selfplay::RunDirectory::create(dir, tinyModel("cluster-value.model", nets::NetworkKind::Value),
                                                     smallRun(2, 16)),
                      Catch::Contains("value"));
    CHECK_THROWS_WITH(selfplay::RunDirectory(dir), Catch::Contains("no run"));
    const selfplay::RunDirectory run = selfplay::RunDirectory::create(dir, tinyModel("cluster-start.model"), smallRun(2, 16));
    CHECK(run.settings().boardSize == 7);
    CHECK(run.currentModel() == 0);
    CHECK(fs::exists(run.modelFile(0)));
    CHECK_THROWS_WITH(selfplay::RunDirectory::create(dir, tinyModel("cluster-start.model"), smallRun(2, 16)),
                      Catch::Contains("already holds a run"));
    CHECK(run.unfinishedWorkers(0) == std::vector<int>{0, 1});
    CHECK_THROWS_WITH(selfplay::trainGeneration(run), Catch::Contains("not complete") && Catch::Contains("0 of 16"));
}

TEST_CASE("a worker plays its share once; a second worker with its index refuses while the first plays",
          "[cluster]") {
    const fs::path dir = freshDirectory("cluster-worker");
    const selfplay::RunDirectory run = selfplay::RunDirectory::create(dir, tinyModel("cluster-start.model"), smallRun(2, 32));
    // Hold worker 1's lock as a running worker would.
    const std::uint64_t seed = run.settings().seed * 1000;
    fs::create_directories(run.shardDirectory(0));
    const int fd = ::open((run.shardDirectory(0) / fmt::format(".worker-1-seed-{}.lock", seed)).c_str(), O_RDWR | O_CREAT, 0644);
    REQUIRE(::flock(fd, LOCK_EX | LOCK_NB) == 0);
    CHECK_THROWS_WITH(selfplay::playGenerationShare(run, 1), Catch::Contains("another worker"));
    ::close(fd);

    const selfplay::WorkerReport first = selfplay::playGenerationShare(run, 1);
    CHECK(first.gamesKept == 16);
    const selfplay::WorkerReport again = selfplay::playGenerationShare(run, 1);  // requeued: nothing left to play
    CHECK(again.shardsWritten == 0);
    CHECK(again.shardsResumed == 2);
    CHECK(run.unfinishedWorkers(0) == std::vector<int>{0});
    CHECK_THROWS_WITH(selfplay::playGenerationShare(run, 2), Catch::Contains("outside"));
    // The learner took Black in half its games.
    int learnerBlack = 0;
    for (const auto& [path, shard] : selfplay::scanShards(run.shardDirectory(0)).shards)
        for (const selfplay::GameRecord& g : shard.games) learnerBlack += g.blackModel == selfplay::modelChecksum(run.modelFile(0));
    CHECK(learnerBlack == 16);  // model 0 meets only itself: both sides are the learner
}

TEST_CASE("training a generation writes the next model and promotes it, and finishes a promotion a kill cut short",
          "[cluster]") {
    const fs::path dir = freshDirectory("cluster-train");
    const selfplay::RunDirectory run = selfplay::RunDirectory::create(dir, tinyModel("cluster-start.model"), smallRun(2, 32));
    selfplay::playGenerationShare(run, 0);
    selfplay::playGenerationShare(run, 1);
    const selfplay::TrainReport report = selfplay::trainGeneration(run);
    CHECK(report.trained);
    CHECK(report.steps == 2);  // 32 games, 16 a step
    CHECK(run.currentModel() == 1);
    CHECK(selfplay::trainerProgress(run) == std::pair<int, long>{1, 2});
    // A kill between the checkpoint and the promotion: the rerun only promotes.
    const std::string trainedModel = readText(run.modelFile(1));
    run.promote(0);
    const selfplay::TrainReport rerun = selfplay::trainGeneration(run);
    CHECK_FALSE(rerun.trained);
    CHECK(run.currentModel() == 1);
    CHECK(readText(run.modelFile(1)) == trainedModel);
    // Generation 1's learner meets model 0 as well as itself.
    CHECK(run.opponentsFor(1) == std::vector<fs::path>{run.modelFile(0), run.modelFile(1)});
}

TEST_CASE("each promoted model is evaluated once, against the one before it", "[cluster]") {
    const fs::path dir = freshDirectory("cluster-evaluation");
    selfplay::RunSettings settings = smallRun(1, 16);
    settings.evaluation.games = 6;
    const selfplay::RunDirectory run = selfplay::RunDirectory::create(dir, tinyModel("cluster-start.model"), settings);
    CHECK(selfplay::evaluateModels(run).empty());  // model 0 has nothing before it
    for (int generation = 0; generation < 2; ++generation) {
        selfplay::playGenerationShare(run, 0);
        selfplay::trainGeneration(run);
    }
    const std::vector<selfplay::ModelEvaluation> played = selfplay::evaluateModels(run);
    REQUIRE(played.size() == 2);
    CHECK((played[0].model == 1 && played[0].opponent == 0 && played[1].model == 2 && played[1].opponent == 1));
    CHECK(played[1].wins + played[1].losses + played[1].draws == 6);
    const auto rows = selfplay::readEvaluations(run);
    REQUIRE(rows.size() == 2);
    CHECK(rows.at(2).wins == played[1].wins);
    CHECK(rows.at(2).losses == played[1].losses);
    // A requeued evaluation job finds nothing left to play.
    CHECK(selfplay::evaluateModels(run).empty());
    CHECK(selfplay::readEvaluations(run).size() == 2);
    // A damaged results file is named, not misread.
    std::ofstream(run.trainDirectory() / "evaluation.csv", std::ios::app) << "3,2,six\n";
    CHECK_THROWS_WITH(selfplay::readEvaluations(run), Catch::Contains("evaluation.csv: line 4"));
}

TEST_CASE("the Slurm chain: arrays and training jobs in order, and on a rerun only what is missing", "[cluster]") {
    const fs::path dir = freshDirectory("cluster-chain");
    const selfplay::RunDirectory run = selfplay::RunDirectory::create(dir, tinyModel("cluster-start.model"), smallRun(4, 32));
    std::vector<std::vector<std::string>> calls;
    std::string queue;
    int nextId = 100;
    bool failFourth = false;
    const selfplay::CommandRunner fake = [&](const std::string& program, const std::vector<std::string>& args) {
        std::vector<std::string> call{program};
        call.insert(call.end(), args.begin(), args.end());
        calls.push_back(call);
        if (program == "squeue") return selfplay::CommandResult{0, queue, ""};
        if (nextId == 104 && failFourth) return selfplay::CommandResult{1, "", "sbatch: error: QOSMaxSubmitJobPerUserLimit"};
        return selfplay::CommandResult{0, std::to_string(nextId++) + "\n", ""};
    };
    const selfplay::JobCommands commands{"tengen run worker X", "tengen run train X", "tengen run evaluate X"};
    std::vector<selfplay::SubmittedJob> jobs = selfplay::submitToSlurm(run, 2, commands, fake);
    REQUIRE(jobs.size() == 4);
    const auto sbatch = [&](std::size_t i) { return calls[i + 1]; };  // calls[0] is squeue
    CHECK(sbatch(0) == std::vector<std::string>{"sbatch", "--parsable", "--array=0,1,2,3",
                                                (run.slurmDirectory() / "selfplay.sbatch").string()});
    CHECK(sbatch(1) == std::vector<std::string>{"sbatch", "--parsable", "--dependency=afterok:100",
                                                "--kill-on-invalid-dep=yes", (run.slurmDirectory() / "train.sbatch").string()});
    CHECK(sbatch(2)[2] == "--dependency=afterok:101");
    CHECK(sbatch(3)[2] == "--dependency=afterok:102");
    // The scripts are kept, and say what the settings say.
    const std::string script = readText(run.slurmDirectory() / "selfplay.sbatch");
    CHECK_THAT(script, Catch::Contains("#SBATCH --cpus-per-task=1") && Catch::Contains("#SBATCH --requeue") &&
                           Catch::Contains("exec tengen run worker X"));

    // Workers 0 and 2 finished before the chain broke: a rerun submits workers 1 and 3.
    selfplay::playGenerationShare(run, 0);
    selfplay::playGenerationShare(run, 2);
    calls.clear();
    jobs = selfplay::submitToSlurm(run, 2, commands, fake);
    CHECK(calls[1][2] == "--array=1,3");
    CHECK(jobs.size() == 4);
    // Jobs of the run still queued: nothing is submitted twice.
    queue = "107 tengen-cluster-chain-selfplay PENDING\n";
    calls.clear();
    CHECK_THROWS_WITH(selfplay::submitToSlurm(run, 2, commands, fake), Catch::Contains("still in the queue"));
    CHECK(calls.size() == 1);
    // An sbatch that fails part way names the jobs already submitted.
    queue.clear();
    nextId = 101;
    failFourth = true;
    CHECK_THROWS_WITH(selfplay::submitToSlurm(run, 2, commands, fake),
                      Catch::Contains("QOSMaxSubmitJobPerUserLimit") && Catch::Contains("submitted before it: 101") &&
                          Catch::Contains("103"));
}

TEST_CASE("with an evaluation, each training job is followed by one, off the chain", "[cluster]") {
    const fs::path dir = freshDirectory("cluster-chain-evaluation");
    selfplay::RunSettings settings = smallRun(2, 16);
    settings.evaluation.games = 100;
    const selfplay::RunDirectory run = selfplay::RunDirectory::create(dir, tinyModel("cluster-start.model"), settings);
    std::vector<std::vector<std::string>> sbatch;
    int nextId = 200;
    const selfplay::CommandRunner fake = [&](const std::string& program, const std::vector<std::string>& args) {
        if (program == "squeue") return selfplay::CommandResult{0, "", ""};
        sbatch.push_back(args);
        return selfplay::CommandResult{0, std::to_string(nextId++) + "\n", ""};
    };
    const selfplay::JobCommands commands{"tengen run worker X", "tengen run train X", "tengen run evaluate X"};
    const std::vector<selfplay::SubmittedJob> jobs = selfplay::submitToSlurm(run, 2, commands, fake);
    REQUIRE(jobs.size() == 6);  // per generation: workers 200, training 201, evaluation 202
    const std::string evaluateScript = (run.slurmDirectory() / "evaluate.sbatch").string();
    CHECK(sbatch[2] == std::vector<std::string>{"--parsable", "--dependency=afterok:201", "--kill-on-invalid-dep=yes",
                                                evaluateScript});
    CHECK(sbatch[3][1] == "--dependency=afterok:201");  // the next workers wait for the training alone
    CHECK(sbatch[5][1] == "--dependency=afterok:204");
    CHECK(jobs[5].what == "model 2: evaluation");
    CHECK_THAT(readText(evaluateScript), Catch::Contains("exec tengen run evaluate X"));
}

TEST_CASE("the Kubernetes manifests are an Indexed Job of the run's workers and a training Job, on the run's volume",
          "[cluster]") {
    const fs::path dir = freshDirectory("cluster-k8s");
    selfplay::RunSettings settings = smallRun(6, 60);
    settings.kubernetes.cpu = "3";
    settings.kubernetes.memory = "5Gi";
    settings.kubernetes.claim = "go-runs";
    const selfplay::RunDirectory run = selfplay::RunDirectory::create(dir, tinyModel("cluster-start.model"), settings);
    const selfplay::JobCommands commands{"tengen run worker /run-dir", "tengen run train /run-dir",
                                         "tengen run evaluate /run-dir"};
    const YAML::Node workers = YAML::Load(selfplay::kubernetesWorkerJob(run, 0, commands));
    CHECK(workers["kind"].as<std::string>() == "Job");
    CHECK(workers["spec"]["completionMode"].as<std::string>() == "Indexed");
    CHECK(workers["spec"]["completions"].as<int>() == 6);
    CHECK(workers["spec"]["parallelism"].as<int>() == 6);
    const YAML::Node pod = workers["spec"]["template"]["spec"];
    CHECK(pod["restartPolicy"].as<std::string>() == "Never");
    const YAML::Node container = pod["containers"][0];
    // No index on the command line: the worker reads JOB_COMPLETION_INDEX, which Indexed Jobs set.
    CHECK(container["command"].as<std::vector<std::string>>() == std::vector<std::string>{"tengen", "run", "worker", "/run-dir"});
    CHECK(container["resources"]["requests"]["cpu"].as<std::string>() == "3");
    CHECK(container["resources"]["limits"]["memory"].as<std::string>() == "5Gi");
    CHECK(container["volumeMounts"][0]["mountPath"].as<std::string>() == "/run-dir");
    CHECK(pod["volumes"][0]["persistentVolumeClaim"]["claimName"].as<std::string>() == "go-runs");
    const YAML::Node train = YAML::Load(selfplay::kubernetesTrainJob(run, 0, commands));
    CHECK_FALSE(train["spec"]["completionMode"]);
    CHECK(train["spec"]["template"]["spec"]["containers"][0]["command"][2].as<std::string>() == "train");
    CHECK(train["metadata"]["name"].as<std::string>() == "tengen-cluster-k8s-train-000000");

    // The examples in deploy/k8s are what tengen writes for a default run named "run".
    const fs::path exampleDir = freshDirectory("run");
    const selfplay::RunDirectory example = selfplay::RunDirectory::create(exampleDir, tinyModel("cluster-start.model"), {});
    CHECK(readText(fs::path(TENGEN_TESTS_DIR) / "../deploy/k8s/workers.yaml") ==
          selfplay::kubernetesWorkerJob(example, 0, commands));
    CHECK(readText(fs::path(TENGEN_TESTS_DIR) / "../deploy/k8s/train.yaml") ==
          selfplay::kubernetesTrainJob(example, 0, commands));
}

TEST_CASE("the Dockerfile installs exactly the install script's package list", "[cluster]") {
    const fs::path root = fs::path(TENGEN_TESTS_DIR) / "..";
    const std::string dockerfile = readText(root / "Dockerfile"), script = readText(root / "scripts/install-deps.sh");
    // Both read the one list, and install nothing else from Debian.
    CHECK_THAT(dockerfile, Catch::Contains("COPY scripts/packages.txt"));
    CHECK_THAT(script, Catch::Contains("packages.txt"));
    CHECK(std::count(dockerfile.begin(), dockerfile.end(), '\n') > 0);
    const std::regex install("apt-get install[^\\n]*");
    for (const std::string& text : {dockerfile, script}) {
        std::size_t installs = 0;
        for (auto it = std::sregex_iterator(text.begin(), text.end(), install); it != std::sregex_iterator(); ++it)
            ++installs;
        CHECK(installs == 1);
    }
    const std::string list = readText(root / "scripts/packages.txt");
    for (const char* package : {"libtorch-dev", "libtomlplusplus-dev", "slurm-wlm", "munge", "gnugo"})
        CHECK_THAT(list, Catch::Contains(std::string("\n") + package + "\n"));
}

TEST_CASE("tengen run local plays and trains generations with worker processes and evaluates each model; status agrees",
          "[cluster][integration]") {
    const fs::path dir = freshDirectory("cluster-local");
    const fs::path start = tinyModel("cluster-start.model");
    const test::CommandOutput init =
        test::runCommand(fmt::format("{} run init {} --from {} --workers 3 --games 48", binary(), dir.string(), start.string()));
    REQUIRE(init.status == 0);
    selfplay::RunSettings settings = selfplay::readRunSettings(dir / "run.toml");
    settings.evaluation.games = 4;
    std::ofstream(dir / "run.toml") << selfplay::toToml(settings);
    const test::CommandOutput local = test::runCommand(fmt::format("{} run local {} --generations 2 --workers 2 2>&1", binary(), dir.string()));
    INFO(local.output);
    REQUIRE(local.status == 0);
    const selfplay::RunDirectory run(dir);
    CHECK(run.currentModel() == 2);
    for (int n = 0; n < 2; ++n) CHECK(gamesByWorker(run, n) == std::map<int, int>{{0, 16}, {1, 16}, {2, 16}});
    const test::CommandOutput status = test::runCommand(fmt::format("{} run status {} 2>&1", binary(), dir.string()));
    CHECK_THAT(status.output, Catch::Contains("model 2 is current") && Catch::Contains("2 generation(s) trained"));
    // Each model was evaluated after its training; the status shows the score, its interval
    // and the opponent.
    CHECK_THAT(local.output, Catch::Contains("model 1 against model 0") && Catch::Contains("model 2 against model 1"));
    CHECK_THAT(status.output, Catch::Contains("v 0 (4)") && Catch::Contains("v 1 (4)"));
}

TEST_CASE("with max_lag the trainer also learns from the models before, by truncated importance weights",
          "[cluster]") {
    const fs::path dir = freshDirectory("cluster-lag");
    selfplay::RunSettings settings = smallRun(1, 16);
    settings.maxLag = 1;
    settings.learner.importanceClip = 1;
    const selfplay::RunDirectory run = selfplay::RunDirectory::create(dir, tinyModel("cluster-start.model"), settings);
    selfplay::playGenerationShare(run, 0);
    CHECK(selfplay::trainGeneration(run).meanLag == 0);  // nothing older yet
    selfplay::playGenerationShare(run, 0);
    const selfplay::TrainReport report = selfplay::trainGeneration(run);
    CHECK(report.meanLag == Approx(0.5));  // 16 games of model 1, 16 of model 0
    CHECK(report.positions > 0);
    CHECK(report.last.meanImportanceWeight > 0);
    CHECK(report.last.meanImportanceWeight <= 1);
    // Without importance weights, older games are refused.
    std::ofstream(run.root() / "run.toml") << "[learning]\nmax_lag = 2\nimportance_clip = 0\n";
    CHECK_THROWS_WITH(selfplay::RunDirectory(run.root()), Catch::Contains("importance_clip"));
}
