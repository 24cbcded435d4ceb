#pragma once
// The learning half of policy-gradient RL, apart from where the games come from: one optimiser
// step of REINFORCE (nets/train/policy_gradient.h) on the learner's moves of a batch of
// finished games,
//
//   loss = sum_t w_t * [ -(z - b_t) * log pi(a_t | s_t) - beta * H(pi(. | s_t)) ] / sum_t w_t
//
// with the baseline b_t as chosen (none, a running mean, a value critic trained alongside, or
// the outcome of the learner's greedy game from the same start) and w_t the weight that keeps a
// sample of each game's moves unbiased. Moves of an expert opening are teacher-forced instead:
// cross-entropy on the expert's move, in the same sum (MIXER). An optional cross-entropy term
// on expert positions is added with its own weight.
//
// `tengen train-rl` feeds it the games it has just played; `tengen run train` the shards of a
// generation that cluster workers played.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "go/game_index.h"
#include "nets/model_file.h"
#include "nets/precision.h"
#include "nets/symmetry.h"
#include "nets/train/optimizer.h"
#include "nets/train/policy_gradient.h"
#include "selfplay/game_record.h"

namespace tengen::selfplay {

struct LearnerSettings {
    nets::Baseline baseline = nets::Baseline::None;
    double meanBaselineDecay = 0.9;
    double entropyWeight = 0;   // beta
    int movesPerGame = 0;       // K moves sampled from each game (0: all of them)
    nets::OptimizerSettings optimizer{"sgd", 1e-3, 0.9, 0, 0};
    double clipNorm = 0;        // the gradient's largest L2 norm (0: no clipping)
    // The value baseline's critic, trained on the same games with MSE: starts from this value
    // model, or else from the start policy's trunk (as train-value's warm start does).
    std::filesystem::path criticModel;
    nets::OptimizerSettings criticOptimizer{"adam", 1e-3, 0.9, 0, 0};
    // Off-policy correction: 0 (on-policy) or the clip c of truncated importance weights, each
    // REINFORCE move weighed by min(c, pi(a|s) / mu(a|s)) with mu the probability the policy
    // that played it gave it (as the games record it), as IMPALA's V-trace truncates them. For
    // games of earlier models, and for a generation's later steps, whose games an earlier
    // version of the weights played.
    double importanceClip = 0;
    int varianceGames = 16;     // games whose gradients are measured one by one, when asked
    int trainBatch = 256;       // positions per forward-backward pass (gradients add up)
    int slBatch = 128;          // expert positions in the SL term, per step
    std::string precision = "fp32";
};

// Throws std::invalid_argument for settings out of range: learning rates outside (0, 1], an
// entropy weight outside [0, 1], batch sizes below 1.
void checkLearnerSettings(const LearnerSettings& settings);

// Which colours the learner played in a game: one in games against the pool, both when it
// met itself.
struct LearnerSides {
    bool black = false, white = false;
};

// The learner's training positions from a batch of games, and how to weigh them.
struct LearnerMoves {
    std::vector<IndexedGame> games;     // as the position batches read them
    std::vector<int> gameOf;            // per position: its game in `games`
    std::vector<std::uint32_t> moveOf;  // per position: moves played before it
    std::vector<float> weights;         // w_t: game moves / sampled moves
    std::vector<bool> teacherForced;    // an expert prefix move: cross-entropy, not REINFORCE
    std::vector<float> rewards;         // z for the player to move: +1, -1, or 0 for a draw
    std::vector<float> behaviour;       // mu(a|s): the move's probability when it was played
    std::vector<nets::Symmetry> views;  // the view of the board the move was drawn through
};

// The positions of the learner's moves, leaving out moves it did not choose (forced passes);
// with `teacherForced`, the openings' expert moves too, of both colours, but for their first
// `untaughtMoves` (random moves a teacher game opened with). With movesPerGame > 0, that many
// per game, drawn by the seed, each weighed so that the sum stays unbiased.
LearnerMoves learnerMoves(const std::vector<GameRecord>& games, const std::vector<LearnerSides>& sides,
                          bool teacherForced, int movesPerGame, std::uint64_t seed, int untaughtMoves = 0);

// What a loss computation adds up besides the loss, over REINFORCE moves.
struct LossTotals {
    double entropy = 0;     // weighted by w_t
    double importance = 0;  // the truncated importance weights, summed (with importanceClip > 0)
    long moves = 0;
};

// The loss of positions [begin, end), divided by `totalWeight` (the sum of w_t over the whole
// batch, so that chunks add up to the formula above). `advantages` holds z - b_t for every
// position (ignored for teacher-forced ones); `importanceClip` as LearnerSettings has it.
torch::Tensor learnerLoss(nets::Model& policy, const LearnerMoves& moves, std::size_t begin, std::size_t end,
                          const std::vector<float>& advantages, double entropyWeight, double importanceClip,
                          double totalWeight, LossTotals& totals);

// One step's games.
struct StepGames {
    const std::vector<GameRecord>* games = nullptr;
    std::vector<LearnerSides> sides;
    // The greedy baseline's games, one per game in `games` with the same seed; else null.
    const std::vector<GameRecord>* greedy = nullptr;
    bool teacherForced = false;  // the games' openings are expert prefixes to learn by cross-entropy
    int untaughtMoves = 0;       // ... but for this many moves at their start (random, not the expert's)
};

// One step's figures.
struct StepRecord {
    double meanReward = 0;                      // of the learner, per game
    double meanAdvantage = 0, advantageVariance = 0;
    double gradientVariance = -1;               // -1: not measured this step
    double entropy = 0;                         // the learner's mean policy entropy on its moves
    double criticMse = -1;                      // before the critic's step; -1 without a critic
    double meanImportanceWeight = -1;           // -1: on-policy, no weights
    double loss = 0;
    long positions = 0;
};

class PolicyLearner {
public:
    // Starts from `start` (a policy model); `expert` holds the expert games of the SL term
    // (may be null when slWeight is always 0).
    PolicyLearner(const LearnerSettings& settings, const nets::Model& start, const GameIndex* expert);

    // One optimiser step. `stepNumber` (from 0) sets the learning rate's schedule; `seed` every
    // draw of the step. Throws std::runtime_error, leaving the weights as they were, when the
    // loss is not finite.
    StepRecord step(const StepGames& games, double slWeight, std::uint64_t seed, long stepNumber,
                    bool measureVariance);

    nets::Model& policy() { return policy_; }
    const nets::NetworkShape& shape() const { return policy_.metadata.shape; }

    // Weights, optimisers and the mean baseline, into or out of a checkpoint archive.
    void save(torch::serialize::OutputArchive& archive);
    void load(torch::serialize::InputArchive& archive);

private:
    std::vector<float> advantages(const StepGames& games, const LearnerMoves& moves, StepRecord& record);
    double measureGradientVariance(const LearnerMoves& moves, const std::vector<float>& advantage, double totalWeight);
    torch::Tensor expertLoss(std::uint64_t seed);
    void trainCritic(const LearnerMoves& moves);

    LearnerSettings settings_;
    nets::Precision precision_ = nets::Precision::Float32;
    nets::Model policy_;
    std::unique_ptr<torch::optim::Optimizer> optimizer_;
    std::optional<nets::Model> critic_;
    std::unique_ptr<torch::optim::Optimizer> criticOptimizer_;
    nets::MeanBaseline meanBaseline_;
    const GameIndex* expert_;
};

}  // namespace tengen::selfplay
