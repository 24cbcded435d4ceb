// tengen train-sl / train-value / eval-sl / eval-value / average-models: training the networks on
// expert (and later self-play) games, and measuring them.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "app/commands.h"
#include "app/options.h"
#include "nets/batched_evaluator.h"
#include "nets/device.h"
#include "nets/train/sl_training.h"
#include "nets/train/value_training.h"
#include "nets/train/weight_averaging.h"
#include "selfplay/training_games.h"

namespace tengen::app {

namespace {

void addShapeOptions(CLI::App* command, nets::NetworkShape& shape) {
    command->add_option("--layers", shape.layers, "Convolution layers (AlphaGo: 13)")->capture_default_str();
    command->add_option("--filters", shape.filters, "Filters per layer (AlphaGo: 192)")->capture_default_str();
    command->add_flag("--residual", shape.residual, "Residual pairs of 3x3 layers instead of a plain stack");
    command->add_option("--board", shape.boardSize, "Board size")->capture_default_str();
}

}  // namespace

namespace {

// Value networks learn from expert games and from self-play: --data for SGF, --shards for
// directories of self-play shards; at least one of them (checked by indexGameSources).
void addGameSourceOptions(CLI::App* command, std::vector<std::string>& data, std::vector<std::string>& shards) {
    command->add_option("--data", data, "SGF archives (.tar.gz, .zip...), folders or files");
    command->add_option("--shards", shards, "Directories of self-play shards (tengen selfplay --out)");
}

GameIndex indexGameSources(const std::vector<std::string>& data, const std::vector<std::string>& shards,
                           const GameFilter& filter) {
    if (data.empty() && shards.empty()) throw std::runtime_error("no games: give --data, --shards or both");
    GameIndex index = data.empty() ? GameIndex{} : indexGames(data, filter);
    for (const std::string& directory : shards) {
        const selfplay::ShardIndexing counts = selfplay::indexShardGames(index, filter, directory);
        spdlog::info("{}: {} shards, {} games; {} shards refused", directory, counts.shards, counts.games,
                     counts.refusedShards);
    }
    return index;
}

// What eval-sl and eval-value share: a model, the games to evaluate it on, how to run it.
struct EvalOptions {
    std::string model;
    std::vector<std::string> data, shards;
    GameFilter filter;
    bool allGames = false;
    std::string device = "cpu";
    std::string precision = "fp32";
    int threads = 2;
};

void addEvalOptions(CLI::App* command, EvalOptions& options, const std::string& modelHelp) {
    command->add_option("--model", options.model, modelHelp)->required();
    command->add_flag("--all-games", options.allGames,
                      "Use every game, not only the held-out ones (for data the model never trained on)");
    addFilterOptions(command, options.filter);
    command->add_option("--device", options.device, "cpu, cuda or cuda:N")->capture_default_str();
    command->add_option("--threads", options.threads, "Torch threads")->capture_default_str();
    command->add_option("--precision", options.precision, "fp32 or bf16 (bfloat16 inference, as bench nn measures)")
        ->capture_default_str()
        ->check(CLI::IsMember({"fp32", "bf16"}));
}

struct EvaluationSetup {
    nets::Model model;
    GameIndex index;  // the games to evaluate on are index.heldOut
};

EvaluationSetup prepareEvaluation(const EvalOptions& options, nets::NetworkKind kind) {
    nets::setTorchThreads(options.threads);
    nets::Model model = nets::loadModel(options.model, {kind, std::nullopt});
    model.module().to(nets::parseDevice(options.device), nets::dtypeOf(nets::requirePrecision(options.precision)));
    GameFilter filter = options.filter;
    filter.boardSize = model.metadata.shape.boardSize;
    if (options.allGames) filter.heldOutEvery = 1;
    GameIndex index = indexGameSources(options.data, options.shards, filter);
    requireGames(index, filter, GameSet::HeldOut);
    return {std::move(model), std::move(index)};
}

}  // namespace

std::string joinArguments(int argc, char** argv) {
    std::string line;
    for (int i = 0; i < argc; ++i) line += (i ? " " : "") + std::string(argv[i]);
    return line;
}

// The options train-sl and train-value share. The model path is kept apart because
// CLI11 needs a string to fill.
void addTrainingOptions(CLI::App* train, nets::TrainingOptions& options, std::string& out) {
    train->add_option("--out", out, "Model file to write; checkpoint and CSV log go beside it")->required();
    addShapeOptions(train, options.shape);
    addFilterOptions(train, options.filter);
    train->add_option("--batch", options.batchSize, "Positions per step")->capture_default_str()
        ->check(CLI::PositiveNumber);
    train->add_option("--optimizer", options.optimizer.kind, "sgd (with momentum) or adam")->capture_default_str()
        ->check(CLI::IsMember({"sgd", "adam"}));
    train->add_option("--lr", options.optimizer.learningRate, "Learning rate")->capture_default_str()
        ->check(CLI::PositiveNumber);
    train->add_option("--momentum", options.optimizer.momentum, "SGD momentum")->capture_default_str();
    train->add_option("--weight-decay", options.optimizer.weightDecay, "L2 weight decay")->capture_default_str();
    train->add_option("--lr-half-life", options.optimizer.learningRateHalfLife, "Halve the rate every N steps (0: never)")
        ->capture_default_str();
    train->add_option("--steps", options.steps, "Training steps")->capture_default_str()
        ->check(CLI::PositiveNumber);
    train->add_option("--hours", options.maxHours, "Stop after this many hours of training (0: no limit)")
        ->capture_default_str();
    train->add_option("--eval-every", options.evalEvery, "Steps between held-out evaluations")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    train->add_option("--eval-positions", options.evalPositions, "Held-out positions per evaluation")
        ->capture_default_str();
    train->add_option("--checkpoint-every", options.checkpointEvery, "Steps between checkpoints")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    train->add_option("--seed", options.seed, "Random seed")->capture_default_str();
    train->add_option("--device", options.device, "cpu, cuda or cuda:N")->capture_default_str();
    train->add_option("--init-from", options.initialModel,
                      "Start a fresh run from this model: its trunk (and its head, for the same kind of network) "
                      "is copied, 3x3 layers it lacks start as identities and added filters as copies of its own; "
                      "e.g. a value network from the policy network, or a deeper or wider policy network from "
                      "a smaller one");
    train->add_option("--threads", options.threads, "Torch threads")->capture_default_str();
    train->add_option("--precision", options.precision,
                      "fp32, or bf16: mixed precision on CPU (float weights, bfloat16 convolutions)")
        ->capture_default_str()
        ->check(CLI::IsMember({"fp32", "bf16"}));
}

void addTrainCommands(CLI::App& app, int argc, char** argv) {
    auto policy = std::make_shared<nets::TrainingOptions>();
    auto policyOut = std::make_shared<std::string>();
    policy->commandLine = joinArguments(argc, argv);
    CLI::App* trainSl = app.add_subcommand(
        "train-sl", "Train the policy network on expert games (AlphaGo's SL policy p_sigma); rerun to resume");
    trainSl->add_option("--data", policy->data, "SGF archives (.tar.gz, .zip...), folders or files")->required();
    addTrainingOptions(trainSl, *policy, *policyOut);
    trainSl->callback([policy, policyOut] {
        policy->out = *policyOut;
        nets::trainPolicy(*policy);
    });

    auto value = std::make_shared<nets::TrainingOptions>();
    auto valueOut = std::make_shared<std::string>();
    auto perGame = std::make_shared<int>(8);
    value->commandLine = policy->commandLine;
    value->shape.kind = nets::NetworkKind::Value;
    value->shape.features = nets::FeatureSet::AlphaGoValue;
    value->optimizer.kind = "adam";
    value->optimizer.learningRate = 1e-3;
    value->filter = nets::valueGameFilter();
    CLI::App* trainValue = app.add_subcommand(
        "train-value", "Train the value network on game outcomes (AlphaGo's v_theta); rerun to resume");
    addGameSourceOptions(trainValue, value->data, value->shards);
    addTrainingOptions(trainValue, *value, *valueOut);
    trainValue->add_option("--positions-per-game", *perGame,
                           "Positions sampled from each game (value-data games give their one)")
        ->capture_default_str();
    trainValue->callback([value, valueOut, perGame] {
        value->out = *valueOut;
        GameFilter filter = value->filter;
        filter.boardSize = value->shape.boardSize;
        GameIndex games = indexGameSources(value->data, value->shards, filter);
        spdlog::info("{}", games.summary());
        requireGames(games, filter, GameSet::Training);
        nets::trainValue(*value, std::move(games), *perGame);
    });

    auto evalSl = std::make_shared<EvalOptions>();
    auto slPositions = std::make_shared<int>(10000);
    CLI::App* evalSlCommand =
        app.add_subcommand("eval-sl", "Top-1/top-5 accuracy and loss of a policy model on expert games");
    evalSlCommand->add_option("--data", evalSl->data, "SGF archives, folders or files")->required();
    addEvalOptions(evalSlCommand, *evalSl, "Policy model file");
    evalSlCommand->add_option("--positions", *slPositions, "Positions to evaluate, spread evenly")
        ->capture_default_str();
    auto averageSymmetries = std::make_shared<bool>(false);
    evalSlCommand->add_flag("--average-symmetries", *averageSymmetries,
                            "Average the network's answers over the 8 symmetries of each position (8x the cost)");
    evalSlCommand->callback([evalSl, slPositions, averageSymmetries] {
        EvaluationSetup setup = prepareEvaluation(*evalSl, nets::NetworkKind::Policy);
        const nets::PolicyEvaluation result =
            nets::evaluatePolicy(setup.model, setup.index.heldOut, *slPositions, evalSl->device, *averageSymmetries);
        fmt::print("model: {}\nnetwork: {}\nprecision: {}\nsymmetries: {}\ngames: {}\npositions: {}\n"
                   "top-1: {:.4f}\ntop-5: {:.4f}\nloss: {:.4f}\n",
                   evalSl->model, setup.model.metadata.shape.describe(), evalSl->precision,
                   *averageSymmetries ? "8, averaged" : "1", setup.index.heldOut.size(), result.positions, result.top1,
                   result.top5, result.loss);
    });

    auto evalValue = std::make_shared<EvalOptions>();
    evalValue->filter = nets::valueGameFilter();
    auto valuePerGame = std::make_shared<int>(8);
    auto valueSeed = std::make_shared<std::uint64_t>(1);
    CLI::App* evalValueCommand = app.add_subcommand(
        "eval-value", "Mean squared error and sign accuracy of a value model on games' outcomes");
    addGameSourceOptions(evalValueCommand, evalValue->data, evalValue->shards);
    addEvalOptions(evalValueCommand, *evalValue, "Value model file");
    evalValueCommand->add_option("--positions-per-game", *valuePerGame, "Positions sampled from each game")
        ->capture_default_str();
    evalValueCommand->add_option("--seed", *valueSeed, "Seed of the sample (train-value's --seed samples the same)")
        ->capture_default_str();
    evalValueCommand->callback([evalValue, valuePerGame, valueSeed] {
        EvaluationSetup setup = prepareEvaluation(*evalValue, nets::NetworkKind::Value);
        const std::vector<nets::PositionRef> positions =
            nets::sampledPositions(setup.index.heldOut, *valuePerGame, *valueSeed);
        const nets::ValueEvaluation result =
            nets::evaluateValue(setup.model, setup.index.heldOut, positions, evalValue->device);
        fmt::print("model: {}\nnetwork: {}\nprecision: {}\ngames: {}\npositions: {}\nmse: {:.4f}\n"
                   "baseline mse: {:.4f} (from whose turn it is alone)\nsign right: {:.4f}\n"
                   "predictions: mean {:.4f}, standard deviation {:.4f}\nmse by move number:\n",
                   evalValue->model, setup.model.metadata.shape.describe(), evalValue->precision,
                   setup.index.heldOut.size(), result.positions, result.mse, result.baselineMse, result.accuracy,
                   result.predictionMean, result.predictionStdDev);
        for (std::size_t i = 0; i < result.byMoveNumber.size(); ++i) {
            const int first = static_cast<int>(i) * result.movesPerBucket;
            const nets::ValueEvaluation::Stage& stage = result.byMoveNumber[i];
            if (stage.positions > 0)
                fmt::print("  moves {:>3}-{:<3} positions {:>6}  mse {:.4f}\n", first,
                           first + result.movesPerBucket - 1, stage.positions, stage.mse);
        }
    });

    auto snapshots = std::make_shared<std::vector<std::string>>();
    auto averageOut = std::make_shared<std::string>();
    auto commandLine = std::make_shared<std::string>(policy->commandLine);
    CLI::App* average = app.add_subcommand(
        "average-models", "Average the weights of snapshots of one training run (stochastic weight averaging)");
    average->add_option("models", *snapshots, "Model files of the same shape, saved by one run")->required();
    average->add_option("--out", *averageOut, "Model file to write")->required();
    average->callback([snapshots, averageOut, commandLine] {
        std::vector<nets::Model> models;
        for (const std::string& path : *snapshots) models.push_back(nets::loadModel(path));
        nets::Model mean = nets::averageModels(models);
        // The newest snapshot's record describes the run; its held-out figures were measured
        // on another network, so they go, and eval-sl measures the mean afresh.
        nlohmann::json training = models.back().metadata.training;
        for (auto it = training.begin(); it != training.end();)
            it = it.key().starts_with("held_out_") ? training.erase(it) : std::next(it);
        training["averaged_from"] = *snapshots;
        training["averaging_command"] = *commandLine;
        mean.metadata.training = training;
        nets::saveModel(*averageOut, mean);
        fmt::print("averaged {} models into {}\n", models.size(), *averageOut);
    });
}

}  // namespace tengen::app
