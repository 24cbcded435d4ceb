// tengen train-rollout / eval-rollout: AlphaGo's fast rollout policy p_pi, trained and measured
// on the same games and held-out split as the policy network.
#include <fmt/format.h>

#include "app/commands.h"
#include "app/options.h"
#include "nets/rollout/outcome.h"
#include "nets/rollout/playout.h"
#include "nets/rollout/training.h"
#include "nets/train/value_training.h"

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
    trainRollout->add_option("--lr", t.learningRate, "Adagrad learning rate")->capture_default_str()
        ->check(CLI::PositiveNumber);
    trainRollout->add_option("--eval-every", t.evalEvery, "Positions between held-out evaluations (and model writes)")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    trainRollout->add_option("--eval-positions", t.evalPositions, "Held-out positions per evaluation")
        ->capture_default_str();
    trainRollout->add_option("--seed", t.seed, "Random seed")->capture_default_str();
    trainRollout->add_option("--threads", t.threads, "Threads for held-out evaluation (training is sequential)")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
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
        GameFilter filter;
        bool allGames = false;
        int positions = 100000;
        int threads = 1;
        double playoutSeconds = 5;
        double sharpness = 1;
        int boardSize = 0;  // 0: the size the model learnt on
        nets::RolloutOutcomeOptions outcomes;
        EvalOptions() { outcomes.positions = 0; }  // outcomes only when asked: they take minutes
    };
    auto eval = std::make_shared<EvalOptions>();
    CLI::App* evalRollout = app.add_subcommand(
        "eval-rollout", "Top-1 accuracy of a rollout policy on held-out expert games, and its playout speed");
    evalRollout->add_option("--model", eval->model, "Rollout model file")->required();
    evalRollout->add_option("--data", eval->data, "SGF archives, folders or files (none: speed only)");
    evalRollout->add_flag("--all-games", eval->allGames,
                          "Use every game, not only the held-out ones (for data the model never trained on)");
    addFilterOptions(evalRollout, eval->filter);
    evalRollout->add_option("--board", eval->boardSize,
                            "Board size of the games and playouts (default: the size the model learnt on; its "
                            "features are local shapes, so it plays any size)");
    evalRollout->add_option("--positions", eval->positions, "Positions to evaluate, spread evenly")
        ->capture_default_str();
    evalRollout->add_option("--threads", eval->threads, "Threads for evaluation and playouts")->capture_default_str();
    evalRollout->add_option("--playout-seconds", eval->playoutSeconds,
                            "Time full-board playouts for this long (0: skip)")
        ->capture_default_str();
    evalRollout->add_option("--outcome-positions", eval->outcomes.positions,
                            "Predict the winner of this many positions by playouts, as mean squared error "
                            "(0: skip; games with modern komi that ended on the board)")
        ->capture_default_str();
    evalRollout->add_option("--outcome-playouts", eval->outcomes.playoutsPerPosition, "Playouts per position")
        ->capture_default_str();
    evalRollout->add_option("--sharpness", eval->sharpness,
                            "Outcome playouts draw moves in proportion to exp(this * p_pi's score): above 1 they keep to "
                            "its likely moves; move prediction is unchanged")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    evalRollout->add_option("--reject-self-atari", eval->outcomes.rollout.rejectSelfAtariFrom,
                            "In those playouts, redraw moves that put an own chain of this many stones in atari "
                            "(0: never)")
        ->capture_default_str();
    evalRollout->callback([eval] {
        nets::RolloutPolicy policy = nets::loadRolloutPolicy(eval->model);
        policy.setPlayoutSharpness(eval->sharpness);
        if (eval->boardSize != 0) {
            requireBoardSize(eval->boardSize, "--board");
            policy.setBoardSize(eval->boardSize);
        }
        fmt::print("model: {}\nboard: {}x{}\n", eval->model, policy.boardSize(), policy.boardSize());
        if (!eval->data.empty() && eval->positions > 0) {
            GameFilter filter = eval->filter;
            filter.boardSize = policy.boardSize();
            if (eval->allGames) filter.heldOutEvery = 1;
            const GameIndex index = indexHeldOutGames(eval->data, filter);
            const nets::RolloutEvaluation e =
                nets::evaluateRolloutPolicy(policy, index.heldOut, eval->positions, eval->threads);
            fmt::print("games: {}\npositions: {}\ntop-1: {:.4f}\nloss: {:.4f}\nnot candidates: {:.4f}\n",
                       index.heldOut.size(), e.positions, e.top1, e.loss, e.uncovered);
        }
        if (!eval->data.empty() && eval->outcomes.positions > 0) {
            GameFilter filter = nets::valueGameFilter();
            filter.boardSize = policy.boardSize();
            filter.minimumDan = eval->filter.minimumDan;
            if (eval->allGames) filter.heldOutEvery = 1;
            const GameIndex index = indexHeldOutGames(eval->data, filter);
            nets::RolloutOutcomeOptions options = eval->outcomes;
            options.threads = eval->threads;
            const nets::RolloutOutcomeEvaluation e = nets::evaluateRolloutOutcomes(policy, index.heldOut, options);
            auto line = [](const char* name, const nets::OutcomeError& error) {
                fmt::print("outcome {}: positions {}, mse {:.4f} +- {:.4f}, winner right {:.4f}\n", name,
                           error.positions, error.mse, error.mseStdError, error.accuracy);
            };
            fmt::print("outcome games: {}\noutcome playouts/position: {}\nsharpness: {}\nreject self-atari from: {}\n",
                       index.heldOut.size(), options.playoutsPerPosition, eval->sharpness,
                       options.rollout.rejectSelfAtariFrom);
            line("all", e.all);
            line("first third", e.byThird[0]);
            line("second third", e.byThird[1]);
            line("last third", e.byThird[2]);
            fmt::print("ms/playout (CPU): {:.3f}\n", 1000 * e.secondsPerPlayout);
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
