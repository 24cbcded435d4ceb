#include "app/options.h"

#include <stdexcept>

#include <fmt/format.h>

#include "go/point.h"
#include "nets/device.h"
#include "nets/precision.h"

namespace tengen::app {

EngineFlags::EngineFlags(play::EnginePreset tuned)
    : preset(std::move(tuned)),
      fpuReduction(preset.search.selection.fpuReduction.value_or(-1)),
      tunedModels(preset.models) {}

play::EnginePreset EngineFlags::resolve() const {
    play::EnginePreset resolved = preset;
    resolved.search.selection.fpuReduction =
        fpuReduction >= 0 ? std::optional<double>(fpuReduction) : std::nullopt;
    resolved.evaluator.precision = nets::requirePrecisionOrAuto(precision);
    if (resolved.maxTreeMegabytes <= 0) throw std::invalid_argument("--max-tree-mb must be positive");
    resolved.search.maxNodes = play::treeNodesFor(resolved.maxTreeMegabytes);
    if (resolved.models != tunedModels) resolved.otherSizesModelsDir.clear();
    return resolved;
}

void addModelOptions(CLI::App* command, EngineFlags& flags) {
    play::ModelFiles& models = flags.preset.models;
    command->add_option("--policy-model", models.policy, "Policy network (priors; empty: uniform)")
        ->capture_default_str();
    command->add_option("--value-model", models.value, "Value network (leaf values; empty: none)")
        ->capture_default_str();
    command->add_option("--rollout-model", models.rollout,
                        "Rollout policy p_pi (rollouts, cheap priors; empty: light rollouts)")
        ->capture_default_str();
}

void addSearchOptions(CLI::App* command, EngineFlags& flags) {
    mcts::SearchOptions& search = flags.preset.search;
    command->add_option("--visits", search.visits, "Simulations per move (a clock or a time limit may stop sooner)")
        ->capture_default_str();
    command->add_option("--search-threads", search.threads, "Search worker threads")->capture_default_str();
    command->add_option("--in-flight", search.simulationsInFlight,
                        "Simulations each worker keeps waiting on the network")
        ->capture_default_str();
    command->add_option("--lambda", search.lambda,
                        "Rollout share of a leaf's value (0: value network only, 1: rollouts only)")
        ->capture_default_str();
    command->add_option("--c-puct", search.selection.cPuct, "PUCT exploration constant")->capture_default_str();
    command->add_option("--fpu-reduction", flags.fpuReduction,
                        "Unvisited moves count as the parent's value less this times sqrt(prior visited), "
                        "Leela Zero's first play urgency (negative: as even, the paper's)")
        ->capture_default_str();
    command->add_option("--score-utility", search.selection.scoreUtility,
                        "Weight of the rollouts' mean score margin, relative to the root's, beside the win rate "
                        "(KataGo's dynamic score utility; 0: win rate alone)")
        ->capture_default_str();
    command->add_option("--virtual-loss", search.virtualLoss, "Virtual loss per pending simulation")
        ->capture_default_str();
    command->add_option("--expansion-threshold", search.expansionThreshold, "Visits before a leaf is expanded")
        ->capture_default_str();
    command->add_option("--rollout-sharpness", flags.preset.rolloutSharpness,
                        "Rollouts draw moves in proportion to exp(this * p_pi's score): above 1 they keep to its "
                        "likely moves")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    command->add_option("--reject-self-atari", search.rollout.rejectSelfAtariFrom,
                        "Rollouts redraw a move that puts an own chain of this many stones in atari (0: never)")
        ->capture_default_str();
    command->add_option("--max-tree-mb", flags.preset.maxTreeMegabytes, "Memory cap of the search tree, in MiB")
        ->capture_default_str();
}

void addEvaluatorOptions(CLI::App* command, EngineFlags& flags) {
    command->add_option("--threads", flags.preset.evaluator.threads, "Torch threads for the networks")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    command->add_option("--precision", flags.precision,
                        "Network arithmetic: fp32, bf16 (CPUs with AVX-512 BF16), or auto: the faster of the two "
                        "on this machine, timed at start-up")
        ->capture_default_str()
        ->check(CLI::IsMember({"fp32", "bf16", "auto"}));
}

nets::EvaluatorOptions BatchFlags::resolve() const {
    nets::EvaluatorOptions options;
    options.maxBatch = batch;
    options.threads = threads;
    options.precision = nets::requirePrecisionOrAuto(precision);
    nets::setTorchThreads(threads);
    return options;
}

void addBatchOptions(CLI::App* command, BatchFlags& flags) {
    command->add_option("--batch", flags.batch, "Most positions per network batch")->capture_default_str()
        ->check(CLI::PositiveNumber);
    command->add_option("--threads", flags.threads, "Torch threads")->capture_default_str()
        ->check(CLI::PositiveNumber);
    command->add_option("--precision", flags.precision, "fp32, bf16 or auto (the faster here, timed at start-up)")
        ->capture_default_str()
        ->check(CLI::IsMember({"fp32", "bf16", "auto"}));
}

void addFilterOptions(CLI::App* command, GameFilter& filter) {
    command->add_option("--min-dan", filter.minimumDan, "Both players at least this many dan")->capture_default_str();
    command->add_flag("!--with-handicap", filter.evenGamesOnly, "Also use handicap games");
    command->add_option("--min-komi", filter.minimumKomi, "Only games with at least this komi")->capture_default_str();
    command->add_option("--max-komi", filter.maximumKomi, "Only games with at most this komi")->capture_default_str();
    command->add_flag("--decided-on-board,!--any-result", filter.decidedOnBoardOnly,
                      "Only games won by count or resignation, not on time or by forfeit (--any-result: keep all)")
        ->capture_default_str();
    command->add_option("--held-out-every", filter.heldOutEvery,
                        "Hold out one game in N (by a hash of its moves) for evaluation")
        ->capture_default_str();
    command->add_option("--skip-opening", filter.skipOpeningMoves,
                        "Leave out each game's first N positions (teacher games from tengen match "
                        "--random-opening N open with N random moves)")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
}

void requireBoardSize(int size, const std::string& flag) {
    if (size < kMinBoardSize || size > kMaxBoardSize)
        throw std::invalid_argument(fmt::format("{} must be {}..{}", flag, kMinBoardSize, kMaxBoardSize));
}

}  // namespace tengen::app
