// tengen train-rl: policy-gradient RL over self-play against an opponent pool; and
// tengen eval-policy A B: two raw policies against each other in-process, with the match
// library's statistics.
#include <iostream>

#include <fmt/format.h>

#include "app/commands.h"
#include "app/options.h"
#include "match/stats.h"
#include "nets/device.h"
#include "selfplay/policy_match.h"
#include "selfplay/rl_training.h"

namespace tengen::app {

namespace {

void addTrainRl(CLI::App& app, const std::string& commandLine) {
    auto options = std::make_shared<selfplay::RlOptions>();
    auto baseline = std::make_shared<std::string>("none");
    auto poolSeeds = std::make_shared<std::vector<std::string>>();
    auto pool = std::make_shared<std::string>();
    auto critic = std::make_shared<std::string>();
    auto playPrecision = std::make_shared<std::string>("fp32");
    CLI::App* rl = app.add_subcommand("train-rl", "Train a policy by REINFORCE over self-play against a pool of its "
                                                  "earlier versions (AlphaGo's RL policy)");
    selfplay::RlOptions& o = *options;
    rl->add_option("--init-from", o.initialModel, "The SL policy model to start from")->required();
    rl->add_option("-o,--out", o.out, "The RL model; checkpoint, CSV and pool sit beside it")->required();
    rl->add_option("--iterations", o.iterations, "Mini-batches of games (AlphaGo: 10,000)")->capture_default_str();
    rl->add_option("--games", o.gamesPerIteration, "Games per iteration, even (AlphaGo: 128)")->capture_default_str();
    rl->add_option("--max-hours", o.maxHours, "Stop after this much time (0: no limit)")->capture_default_str();
    rl->add_option("--pool", *pool, "Folder of the pool's snapshots (default: <out>.pool)");
    rl->add_option("--pool-every", o.pool.addEvery, "The learner joins the pool every N iterations")->capture_default_str();
    rl->add_option("--pool-latest", o.pool.latest, "Draw opponents among the latest k members only (0: all)")
        ->capture_default_str();
    rl->add_option("--pool-seed", *poolSeeds, "Further policy models to start the pool with (the SL start always joins)");
    rl->add_option("--baseline", *baseline, "none, mean, value (a critic trained alongside) or greedy (self-critical)")
        ->capture_default_str();
    rl->add_option("--mean-decay", o.learner.meanBaselineDecay, "The mean baseline's decay per iteration")->capture_default_str();
    rl->add_option("--critic", *critic, "The value baseline's starting value model (default: the SL policy's trunk)");
    rl->add_option("--critic-lr", o.learner.criticOptimizer.learningRate, "The critic's Adam learning rate")->capture_default_str();
    rl->add_option("--entropy", o.learner.entropyWeight, "Entropy bonus beta")->capture_default_str();
    rl->add_option("--moves-per-game", o.learner.movesPerGame, "Learner moves sampled from each game (0: all)")
        ->capture_default_str();
    rl->add_option("--sl-weight", o.curriculum.slWeight, "MIXER: weight of a cross-entropy term on expert positions")
        ->capture_default_str();
    rl->add_option("--sl-batch", o.learner.slBatch, "Expert positions in that term per iteration")->capture_default_str();
    rl->add_option("--expert-prefix", o.curriculum.expertPrefix,
                   "MIXER: games start from move K of an expert game, those K moves trained by cross-entropy")
        ->capture_default_str();
    rl->add_option("--anneal", o.curriculum.annealIterations,
                   "Iterations over which the SL weight and the expert prefix fall linearly to 0 (0: constant)")
        ->capture_default_str();
    rl->add_option("--expert-data", o.curriculum.expertData, "SGF archives, folders or files of expert games");
    rl->add_option("--expert-random-opening", o.curriculum.expertRandomOpening,
                   "The expert games open with N random moves (teacher games from tengen match --random-opening N): "
                   "played in a prefix, learnt from in neither MIXER term")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    rl->add_option("--optimizer", o.learner.optimizer.kind, "sgd (with momentum, as AlphaGo) or adam")->capture_default_str();
    rl->add_option("--lr", o.learner.optimizer.learningRate, "Learning rate (AlphaGo: 0.001)")->capture_default_str();
    rl->add_option("--momentum", o.learner.optimizer.momentum, "SGD momentum")->capture_default_str();
    rl->add_option("--lr-half-life", o.learner.optimizer.learningRateHalfLife, "Halve the rate every N iterations (0: never)")
        ->capture_default_str();
    rl->add_option("--clip", o.learner.clipNorm, "Clip the gradient's L2 norm to this (0: no clipping)")->capture_default_str();
    rl->add_option("--temperature", o.sampling.temperature, "Sampling temperature of both sides")->capture_default_str();
    rl->add_option("--komi", o.komi, "Komi")->capture_default_str();
    rl->add_option("--rules", o.rules, "Rules")->capture_default_str();
    rl->add_option("--max-moves", o.maxMoves, "Score games after this many moves (0: three times the points)")
        ->capture_default_str();
    rl->add_option("--variance-every", o.varianceEvery, "Iterations between gradient-variance measurements (0: never)")
        ->capture_default_str();
    rl->add_option("--variance-games", o.learner.varianceGames, "Games measured one by one for it")->capture_default_str();
    rl->add_option("--train-batch", o.learner.trainBatch, "Positions per forward-backward pass")->capture_default_str();
    rl->add_option("--checkpoint-every", o.checkpointEvery, "Iterations between checkpoints")->capture_default_str();
    rl->add_option("--seed", o.seed, "Seed of every random draw")->capture_default_str();
    rl->add_option("--threads", o.threads, "Torch threads for learning")->capture_default_str();
    rl->add_option("--precision", o.learner.precision, "Learning precision: fp32 or bf16")->capture_default_str();
    rl->add_option("--play-precision", *playPrecision,
                   "The games' networks: fp32, or bf16 (faster on CPUs with bf16 arithmetic; the learner's fp32 "
                   "probabilities then differ a little from those the moves were drawn with: see --importance-clip)")
        ->capture_default_str()
        ->check(CLI::IsMember({"fp32", "bf16"}));
    rl->add_option("--importance-clip", o.learner.importanceClip,
                   "Weigh each learner move by the ratio of its probability now to the one it was drawn with, "
                   "truncated at this (0: no weights, on-policy)")
        ->capture_default_str();
    rl->callback([options, baseline, poolSeeds, pool, critic, playPrecision, commandLine] {
        selfplay::RlOptions& o = *options;
        const std::optional<nets::Baseline> chosen = nets::parseBaseline(*baseline);
        if (!chosen) throw std::invalid_argument("--baseline must be none, mean, value or greedy");
        o.learner.baseline = *chosen;
        o.poolSeeds.assign(poolSeeds->begin(), poolSeeds->end());
        o.pool.directory = *pool;
        o.learner.criticModel = *critic;
        o.playPrecision = nets::requirePrecision(*playPrecision);
        o.commandLine = commandLine;
        selfplay::trainRl(o);
    });
}

struct EvalPolicyOptions {
    std::string first, second;
    selfplay::PolicyMatchOptions match;
    int threads = 2;
};

void runEvalPolicy(const EvalPolicyOptions& o) {
    nets::setTorchThreads(1);
    selfplay::PolicyMatchOptions games = o.match;
    games.inferenceThreads = std::max(1, o.threads / 2);  // one inference thread per network
    const selfplay::PolicyMatchResult result = selfplay::playPolicyMatch(o.first, o.second, games);
    std::cout << fmt::format("{} vs {}: {} games, {}, {}x{}, komi {}\n", o.first, o.second, result.games(),
                             games.greedy ? "greedy" : fmt::format("sampling at temperature {}", games.temperature),
                             result.boardSize, result.boardSize, games.komi)
              << match::describePairing(match::pairingStats({result.wins, result.losses, result.draws})) << "\n"
              << fmt::format("{} as Black won {} of {}\n", o.first, result.firstWinsAsBlack, games.games / 2);
}

void addEvalPolicy(CLI::App& app) {
    auto options = std::make_shared<EvalPolicyOptions>();
    EvalPolicyOptions& o = *options;
    CLI::App* eval = app.add_subcommand("eval-policy", "Play two raw policies against each other, no search");
    eval->add_option("first", o.first, "The first policy model")->required();
    eval->add_option("second", o.second, "The second policy model")->required();
    eval->add_option("--games", o.match.games, "Games, even: each policy takes Black in half")->capture_default_str();
    eval->add_flag("--greedy", o.match.greedy, "Both play their most probable move instead of sampling");
    eval->add_option("--temperature", o.match.temperature, "Sampling temperature")->capture_default_str();
    eval->add_option("--random-opening", o.match.randomOpening, "Start each game from this many random balanced moves")
        ->capture_default_str();
    eval->add_option("--komi", o.match.komi, "Komi")->capture_default_str();
    eval->add_option("--rules", o.match.rules, "Rules")->capture_default_str();
    eval->add_option("--seed", o.match.seed, "Seed")->capture_default_str();
    eval->add_option("--parallel", o.match.parallelGames, "Games at once")->capture_default_str();
    eval->add_option("--threads", o.threads, "Cores to use")->capture_default_str();
    eval->callback([options] { runEvalPolicy(*options); });
}

}  // namespace

void addRlCommands(CLI::App& app, int argc, char** argv) {
    addTrainRl(app, joinArguments(argc, argv));
    addEvalPolicy(app);
}

}  // namespace tengen::app
