#pragma once
// The command-line flags of the option groups that several subcommands share, bound in
// this one place so that each flag has one name, one help text and one default: the
// engine's search, its evaluator and its models (tengen gtp, bench search, and later
// selfplay, all over play::tunedPreset), and the filters that pick training games.

#include <string>

#include <CLI/CLI.hpp>

#include "go/game_index.h"
#include "play/preset.h"

namespace tengen::app {

// The engine's settings as flags take them. Most flags write into the preset directly; a
// few take a form of their own, which resolve() turns into the preset's.
struct EngineFlags {
    play::EnginePreset preset;
    // Negative: unvisited moves count as even (the paper); else the preset's reduction.
    double fpuReduction = 0;
    std::string precision = "auto";  // fp32, bf16 or auto
    // The preset's own models: models named on the command line are for their own board
    // size alone, and the networks bundled for other sizes are not mixed in with them.
    play::ModelFiles tunedModels;

    explicit EngineFlags(play::EnginePreset tuned);
    // The preset with the flags applied. Throws std::invalid_argument naming a bad flag.
    play::EnginePreset resolve() const;
};

// --policy-model, --value-model, --rollout-model.
void addModelOptions(CLI::App* command, EngineFlags& flags);
// --visits, --search-threads, --in-flight, --lambda, --c-puct, --fpu-reduction,
// --score-utility, --virtual-loss, --expansion-threshold, --rollout-sharpness,
// --reject-self-atari, --max-tree-mb.
void addSearchOptions(CLI::App* command, EngineFlags& flags);
// --threads (torch's), --precision.
void addEvaluatorOptions(CLI::App* command, EngineFlags& flags);

// The evaluator of a run that batches many games (self-play, bench selfplay): --batch,
// --threads, --precision. Setting the torch threads is part of resolving them.
struct BatchFlags {
    int batch = 64;
    int threads = 1;
    std::string precision = "auto";
    nets::EvaluatorOptions resolve() const;
};
void addBatchOptions(CLI::App* command, BatchFlags& flags);

// Throws std::invalid_argument naming `flag` ("--size must be 2..25") for a size the rules
// engine does not play.
void requireBoardSize(int size, const std::string& flag);

// Which games count: --min-dan, --with-handicap, --min-komi, --max-komi, --any-result,
// --held-out-every.
void addFilterOptions(CLI::App* command, GameFilter& filter);

}  // namespace tengen::app
