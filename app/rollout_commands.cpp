// tengen train-rollout / eval-rollout: AlphaGo's fast rollout policy p_pi, trained and measured
// on the same games and held-out split as the policy network.
#include <fmt/format.h>

#include "app/commands.h"
#include "nets/rollout_playout.h"
#include "nets/rollout_training.h"

namespace tengen::app {

void addRolloutCommands(CLI::App& app, int argc, char** argv) {
    struct TrainOptions {
        nets::RolloutTrainingOptions training;
        std::string out;  // CLI11 fills a string
    };
    auto train = std::make_shared<TrainOptions>();
    train->training.commandLine = joinArguments(argc, argv);
    CLI::App* trainRollout = app.add_subcommand(
        "train-rollout", "Train the fast rollout policy (AlphaGo's p_pi) on expert games, with sparse Adagrad");
    nets::RolloutTrainingOptions& t = train->training;
    trainRollout->add_option("--data", t.data, "SGF archives (.tar.gz, .zip...), folders or files")->required();
    trainRollout->add_option("--out", train->out, "Model file to write; a CSV log goes beside it")->required();
    trainRollout->add_option("--board", t.filter.boardSize, "Board size of the games to use")->capture_default_str();
    addFilterOptions(trainRollout, t.filter);
    trainRollout->add_option("--positions", t.positions, "Expert moves to train on (several epochs if need be)")
        ->capture_default_str();
    trainRollout->add_option("--hours", t.maxHours, "Stop after this many hours of training (0: no limit)")
        ->capture_default_str();
    trainRollout->add_option("--lr", t.learningRate, "Adagrad learning rate")->capture_default_str();
    trainRollout->add_option("--eval-every", t.evalEvery, "Positions between held-out evaluations (and model writes)")
        ->capture_default_str();
    trainRollout->add_option("--eval-positions", t.evalPositions, "Held-out positions per evaluation")
        ->capture_default_str();
    trainRollout->add_option("--seed", t.seed, "Random seed")->capture_default_str();
    trainRollout->add_option("--threads", t.threads, "Threads for held-out evaluation (training is sequential)")
        ->capture_default_str();
    trainRollout->callback([train] {
        train->training.out = train->out;
        const nets::RolloutTrainingResult result = nets::trainRolloutPolicy(train->training);
        fmt::print("model: {}\npositions trained: {}\nheld-out positions: {}\nheld-out top-1: {:.4f}\n"
                   "held-out loss: {:.4f}\n",
                   train->out, result.positions, result.heldOut.positions, result.heldOut.top1, result.heldOut.loss);
    });

    struct EvalOptions {
        std::string model;
        std::vector<std::string> data;
        nets::GameFilter filter;
        bool allGames = false;
        int positions = 100000;
        int threads = 1;
        double playoutSeconds = 5;
    };
    auto eval = std::make_shared<EvalOptions>();
    CLI::App* evalRollout = app.add_subcommand(
        "eval-rollout", "Top-1 accuracy of a rollout policy on held-out expert games, and its playout speed");
    evalRollout->add_option("--model", eval->model, "Rollout model file")->required();
    evalRollout->add_option("--data", eval->data, "SGF archives, folders or files (none: speed only)");
    evalRollout->add_flag("--all-games", eval->allGames,
                          "Use every game, not only the held-out ones (for data the model never trained on)");
    addFilterOptions(evalRollout, eval->filter);
    evalRollout->add_option("--positions", eval->positions, "Positions to evaluate, spread evenly")
        ->capture_default_str();
    evalRollout->add_option("--threads", eval->threads, "Threads for evaluation and playouts")->capture_default_str();
    evalRollout->add_option("--playout-seconds", eval->playoutSeconds,
                            "Time full-board playouts for this long (0: skip)")
        ->capture_default_str();
    evalRollout->callback([eval] {
        const nets::RolloutPolicy policy = nets::loadRolloutPolicy(eval->model);
        fmt::print("model: {}\nboard: {}x{}\n", eval->model, policy.boardSize(), policy.boardSize());
        if (!eval->data.empty()) {
            nets::GameFilter filter = eval->filter;
            filter.boardSize = policy.boardSize();
            if (eval->allGames) filter.heldOutEvery = 1;
            const nets::GameIndex index = nets::indexGames(eval->data, filter);
            const nets::RolloutEvaluation e =
                nets::evaluateRolloutPolicy(policy, index.heldOut, eval->positions, eval->threads);
            fmt::print("games: {}\npositions: {}\ntop-1: {:.4f}\nloss: {:.4f}\nnot candidates: {:.4f}\n",
                       index.heldOut.size(), e.positions, e.top1, e.loss, e.uncovered);
        }
        if (eval->playoutSeconds > 0) {
            nets::RolloutBenchmarkOptions bench;
            bench.boardSize = policy.boardSize();
            bench.seconds = eval->playoutSeconds;
            bench.threads = eval->threads;
            const nets::RolloutBenchmarkResult r = nets::benchmarkRolloutPolicy(policy, bench);
            fmt::print("playout threads: {}\nplayouts: {}\nmoves/playout: {:.1f}\nplayouts/s: {:.0f}\n"
                       "us/move (wall time per thread): {:.3f}\nus/move (CPU time): {:.3f}\n"
                       "mean margin (B-W, komi 7.5): {:.2f}\n",
                       r.threads, r.playouts, r.movesPerPlayout(), r.playoutsPerSecond(), r.microsecondsPerMove(),
                       r.cpuMicrosecondsPerMove(), r.meanMargin);
        }
    });
}

}  // namespace tengen::app
