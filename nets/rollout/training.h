#pragma once
// Training the rollout policy p_pi on expert games, as AlphaGo did on KGS: maximise the
// log-likelihood of the expert's move under the softmax over candidate moves, with sparse
// Adagrad updates (only the features present in a position move). The data, filter and
// training / held-out split are train-sl's (nets/game_index.h), so both are measured on the
// same held-out games.

#include <filesystem>
#include <string>
#include <vector>

#include "go/game_index.h"
#include "nets/rollout/policy.h"

namespace tengen::nets {

struct RolloutTrainingOptions {
    std::vector<std::string> data;
    std::filesystem::path out;          // the model, written at every evaluation; CSV log beside it
    GameFilter filter;
    // Expert moves to train on, over as many epochs as that takes. On KGS 6d+, held-out
    // accuracy stops rising after about two epochs (7 M positions).
    long positions = 8'000'000;
    double maxHours = 0;                // stop earlier after this much training time (0: no limit)
    double learningRate = 0.2;          // Adagrad's base rate; 0.1 to 0.3 did about as well
    long evalEvery = 1'000'000;         // positions between held-out evaluations
    int evalPositions = 100'000;        // held-out positions per evaluation, spread evenly
    // Games trained on at once, a random one moving on at each step: positions from one game
    // are alike, and a stochastic gradient wants its samples less correlated than that.
    int interleavedGames = 32;
    std::uint64_t seed = 1;
    int threads = 1;                    // for held-out evaluation; training itself is sequential
    std::string commandLine;            // recorded in the model's metadata
};

struct RolloutEvaluation {
    std::size_t positions = 0;  // expert moves on the board (passes are not predicted)
    double top1 = 0;            // the policy's most probable move is the expert's
    double loss = 0;            // mean -log p(expert move), over the moves that are candidates
    double uncovered = 0;       // share of expert moves that are not candidates (own-eye fills...)
};

// On up to maxPositions expert moves of the games, chosen evenly (deterministic).
RolloutEvaluation evaluateRolloutPolicy(const RolloutPolicy& policy, const std::vector<IndexedGame>& games,
                                        int maxPositions, int threads = 1);

struct RolloutTrainingResult {
    RolloutPolicy policy;
    RolloutEvaluation heldOut;     // final
    long positions = 0;            // trained on
    double seconds = 0;
    double firstTrainLoss = 0;     // mean over the first evaluation interval
    double lastTrainLoss = 0;      // mean over the last one
};

// Trains on index.training and evaluates on index.heldOut. With options.out set, writes the
// model, its CSV log and a checkpoint (nets/training_files.h) at every evaluation, so a
// killed run leaves a usable model, and the same command run again goes on from the
// checkpoint, taking the same steps an uninterrupted run would have. Remove the checkpoint
// to start afresh.
RolloutTrainingResult trainRolloutPolicy(const RolloutTrainingOptions& options, const GameIndex& index);

// Indexes options.data with options.filter, then trains as above.
RolloutTrainingResult trainRolloutPolicy(const RolloutTrainingOptions& options);

// The starting position of a game record: its size and setup stones.
Board startingBoard(const GameRecord& record);

}  // namespace tengen::nets
