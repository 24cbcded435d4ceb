#pragma once
// Policy-gradient RL over self-play (AlphaGo's p_rho): the policy starts from the SL network
// and, each iteration, plays a mini-batch of games against one opponent drawn from a pool of
// its earlier versions, both sides sampling, the learner taking each colour in half of them;
// then it takes one step of REINFORCE on its own moves (selfplay/policy_learner.h).
//
// MIXER's curriculum (Ranzato et al. 2016), both parts optional: games start from move K of an
// expert game, the K teacher-forced moves trained by cross-entropy in the same sum (so K =
// the whole game is an SL step, and K = 0 plain REINFORCE), with K annealed to 0; and a
// cross-entropy term on expert positions, its weight annealed from w to 0.
//
// Checkpoints hold the weights, both optimisers, the mean baseline, the pool and the
// iteration. Every random draw (games, opponents, sampled moves, expert positions) derives
// from the seed and the iteration, and the games' evaluations run in fixed-shape batches, so a
// killed run resumes to the weights an uninterrupted run reaches.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "selfplay/game_runner.h"
#include "selfplay/opponent_pool.h"
#include "selfplay/policy_learner.h"

namespace tengen::selfplay {

// MIXER's SL-to-RL curriculum. Both annealings are linear, to 0 at `annealIterations` (0:
// constant for the whole run).
struct Curriculum {
    std::vector<std::string> expertData;  // SGF archives the expert positions and openings come from
    double slWeight = 0;                  // w: the cross-entropy term on expert positions
    int expertPrefix = 0;                 // K: games start from move K of an expert game
    long annealIterations = 0;
    // Teacher games from `tengen match --random-opening N` open with N random moves: they are
    // played as part of a prefix but learnt from in neither term.
    int expertRandomOpening = 0;

    double slWeightAt(long iteration) const;    // iteration counted from 0
    int expertPrefixAt(long iteration) const;
};

struct RlOptions {
    std::filesystem::path initialModel;  // the SL policy the learner starts from
    std::filesystem::path out;           // the model; checkpoint and CSV beside it
    // Extra pool members beside the SL start, which always joins first. Snapshots go to
    // pool.directory (default: <out>.pool).
    std::vector<std::filesystem::path> poolSeeds;
    PoolSettings pool;
    double komi = 7.5;
    std::string rules = "chinese";
    int maxMoves = 0;                     // 0: three times the points
    int gamesPerIteration = 128;          // even: the learner takes each colour in half
    long iterations = 10000;
    double maxHours = 0;                  // stop earlier after this much time (0: no limit)
    PolicySampling sampling;              // both sides, while playing
    LearnerSettings learner;
    Curriculum curriculum;
    long varianceEvery = 10;              // iterations between gradient-variance measurements (0: never)
    long checkpointEvery = 1;             // iterations
    std::uint64_t seed = 1;
    int threads = 2;
    int evaluatorBatch = 32;
    // The games' evaluators (learner and opponents). bf16 plays faster where the CPU has it,
    // but the learner's fp32 probabilities then differ a little from those its moves were
    // drawn with: learner.importanceClip weighs each move by their ratio.
    nets::Precision playPrecision = nets::Precision::Float32;
    std::string commandLine;              // recorded in the model's metadata
};

// One iteration's figures: a row of the CSV.
struct IterationRecord {
    long iteration = 0;                         // counted from 1
    std::string opponent;                       // the pool member played
    double winRateBlack = 0, winRateWhite = 0;  // the learner's, by its colour
    StepRecord step;
    double slWeight = 0;
    int expertPrefix = 0;
    double playSeconds = 0, learnSeconds = 0;
    int greedyGames = 0;                        // the self-critical baseline's extra games
};

// Trains (or resumes) and writes the model, the pool's snapshots, the checkpoint and the
// CSV. Refuses, before any game, an initial model that is not a policy, a pool member that
// does not fit it, and rates out of range (std::invalid_argument). A loss that is not finite
// stops the run with std::runtime_error naming the iteration and the last good checkpoint.
void trainRl(const RlOptions& options);

}  // namespace tengen::selfplay
