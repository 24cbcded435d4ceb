#pragma once
// Policy-gradient RL over self-play (AlphaGo's p_rho): the policy starts from the SL network
// and, each iteration, plays a mini-batch of games against one opponent drawn from a pool of
// its earlier versions, both sides sampling, the learner taking each colour in half of them.
// It then takes one optimiser step on its own moves with REINFORCE (nets/train/policy_gradient.h):
//
//   loss = sum_t w_t * [ -(z - b_t) * log pi(a_t | s_t) - beta * H(pi(. | s_t)) ] / sum_t w_t
//
// over the learner's moves t, with the baseline b_t as chosen (none, a running mean, a value
// critic trained alongside, or the outcome of the learner's greedy game from the same start)
// and w_t the weight that keeps a sample of each game's moves unbiased.
//
// MIXER's curriculum (Ranzato et al. 2016), both parts optional: games start from move K of an
// expert game, the K teacher-forced moves trained by cross-entropy in the same sum (so K =
// the whole game is an SL step, and K = 0 plain REINFORCE), with K annealed to 0; and a
// cross-entropy term on expert positions, its weight annealed from w to 0.
//
// Positions are trained as they were played (no symmetry: the games already saw the board
// through random symmetries). Checkpoints hold the weights, both optimisers, the mean
// baseline, the pool and the iteration. Every random draw (games, opponents, sampled moves,
// expert positions) derives from the seed and the iteration, and the games' evaluations run in
// fixed-shape batches, so a killed run resumes to the weights an uninterrupted run reaches.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "go/game_index.h"
#include "nets/model_file.h"
#include "nets/train/optimizer.h"
#include "nets/train/policy_gradient.h"
#include "selfplay/game_record.h"
#include "selfplay/game_runner.h"
#include "selfplay/opponent_pool.h"

namespace tengen::selfplay {

// MIXER's SL-to-RL curriculum. Both annealings are linear, to 0 at `annealIterations` (0:
// constant for the whole run).
struct Curriculum {
    std::vector<std::string> expertData;  // SGF archives the expert positions and openings come from
    double slWeight = 0;                  // w: the cross-entropy term on expert positions
    int slBatch = 128;                    // expert positions in that term, per iteration
    int expertPrefix = 0;                 // K: games start from move K of an expert game
    long annealIterations = 0;

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
    nets::Baseline baseline = nets::Baseline::None;
    double meanBaselineDecay = 0.9;
    double entropyWeight = 0;             // beta
    int movesPerGame = 0;                 // K moves sampled from each game (0: all of them)
    Curriculum curriculum;
    nets::OptimizerSettings optimizer{"sgd", 1e-3, 0.9, 0, 0};
    double clipNorm = 0;                  // the gradient's largest L2 norm (0: no clipping)
    // The value baseline's critic: trained on the same games with MSE; starts from this value
    // model, or else from the SL policy's trunk (as train-value's warm start does).
    std::filesystem::path criticModel;
    nets::OptimizerSettings criticOptimizer{"adam", 1e-3, 0.9, 0, 0};
    long varianceEvery = 10;              // iterations between gradient-variance measurements (0: never)
    int varianceGames = 16;               // games whose gradients are measured one by one
    int trainBatch = 256;                 // positions per forward-backward pass (gradients add up)
    long checkpointEvery = 1;             // iterations
    std::uint64_t seed = 1;
    int threads = 2;
    std::string precision = "fp32";       // training; play evaluates in float
    int evaluatorBatch = 32;
    std::string commandLine;              // recorded in the model's metadata
};

// One iteration's figures: a row of the CSV.
struct IterationRecord {
    long iteration = 0;                    // counted from 1
    std::string opponent;                  // the pool member played
    double winRateBlack = 0, winRateWhite = 0;  // the learner's, by its colour
    double meanReward = 0, meanAdvantage = 0, advantageVariance = 0;
    double gradientVariance = -1;          // -1: not measured this iteration
    double entropy = 0;                    // the learner's mean policy entropy on its moves
    double criticMse = -1;                 // before the critic's step; -1 without a critic
    double slWeight = 0;
    int expertPrefix = 0;
    long positions = 0;                    // trained on
    double playSeconds = 0, learnSeconds = 0;
    int greedyGames = 0;                   // the self-critical baseline's extra games
    double loss = 0;
};

// Trains (or resumes) and writes the model, the pool's snapshots, the checkpoint and the
// CSV. Refuses, before any game, an initial model that is not a policy, a pool member that
// does not fit it, and rates out of range (std::invalid_argument). A loss that is not finite
// stops the run with std::runtime_error naming the iteration and the last good checkpoint.
void trainRl(const RlOptions& options);

// The learner's training positions from one iteration's games, and how to weigh them.
struct LearnerMoves {
    std::vector<IndexedGame> games;    // as the position batches read them
    std::vector<int> gameOf;           // per position: its game in `games`
    std::vector<std::uint32_t> moveOf; // per position: moves played before it
    std::vector<float> weights;        // w_t: game moves / sampled moves
    std::vector<bool> teacherForced;   // an expert prefix move: cross-entropy, not REINFORCE
    std::vector<float> rewards;        // z for the player to move: +1, -1, or 0 for a draw
};

// The positions of the learner's moves (its colour in each game given by learnerBlack),
// leaving out moves it did not choose (forced passes); with `teacherForced`, the openings'
// expert moves too, of both colours. With movesPerGame > 0, that many per game, drawn by the
// seed, each weighed so that the sum stays unbiased.
LearnerMoves learnerMoves(const std::vector<GameRecord>& games, const std::vector<bool>& learnerBlack,
                          bool teacherForced, int movesPerGame, std::uint64_t seed);

// The loss of one chunk of positions [begin, end), divided by `totalWeight` (the sum of w_t
// over the whole iteration, so that chunks add up to the formula above). `advantages` holds
// z - b_t for every position (ignored for teacher-forced ones). Adds the chunk's entropy sum
// (over REINFORCE moves, weighted) to `entropySum`.
torch::Tensor learnerLoss(nets::Model& policy, const LearnerMoves& moves, std::size_t begin, std::size_t end,
                          const std::vector<float>& advantages, double entropyWeight, double totalWeight,
                          double& entropySum);

}  // namespace tengen::selfplay
