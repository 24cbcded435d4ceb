#pragma once
// One generation of a cluster run (run_directory.h): the workers' self-play with the current
// model against its opponents, and the training that turns their shards into the next model.
// Both are idempotent, so a scheduler may run either again after a kill or a requeue: a
// worker goes on with its own shard series, and a trainer that finds its generation already
// trained only finishes the promotion.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "selfplay/policy_learner.h"
#include "selfplay/run_directory.h"
#include "selfplay/worker.h"

namespace tengen::selfplay {

// Plays worker `worker`'s share of the current generation: the current model against an
// opponent drawn per game from its pool, taking Black in every other game, into
// selfplay/NNNNNN/. Throws ShardError if another worker holds this index.
WorkerReport playGenerationShare(const RunDirectory& run, int worker,
                                 const std::function<void(const GameRecord&)>& onGameEnd = {});

// How model n fared in its generation's games (`progress`, as run.progress(n) read them).
struct GenerationResults {
    int games = 0;
    double learnerWinRate = 0;        // against all opponents
    int gamesAgainstPrevious = 0;     // against model n - 1
    double winRateAgainstPrevious = 0;
};
GenerationResults generationResults(const RunDirectory& run, int n, const GenerationProgress& progress);

struct TrainReport {
    int generation = 0;
    bool trained = false;  // false: it had been trained before a kill; this run only promoted it
    int steps = 0;
    long positions = 0;    // trained on, over all steps
    double meanLag = 0;    // models between the one that played a game and the one trained, averaged
    StepRecord last;       // the last step's figures
    double seconds = 0;
};

// Trains the current generation into the next model, writes it and promotes it. Throws
// std::runtime_error, naming what is missing, when the generation is not complete.
TrainReport trainGeneration(const RunDirectory& run);

// The trainer's progress: generations trained and steps taken (0 and 0 before the first).
std::pair<int, long> trainerProgress(const RunDirectory& run);

}  // namespace tengen::selfplay
