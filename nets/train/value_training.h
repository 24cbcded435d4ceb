#pragma once
// The value network v_theta, regressed on game outcomes: for a few positions of each game,
// the target is +1 if the player to move went on to win and -1 if not (AlphaGo's z), with
// mean squared error as the loss. Games come indexed (go/game_index.h): expert games from
// SGF with RE[], and self-play games from shards, whose value data gives one position each.

#include "nets/train/training_loop.h"

namespace tengen::nets {

struct ValueEvaluation {
    std::size_t positions = 0;
    double mse = 0;
    double accuracy = 0;  // the sign of the value matches the outcome
    // The spread of the predictions, which a network that learnt only the baseline below
    // also has: its MSE is what tells them apart.
    double predictionMean = 0, predictionStdDev = 0;
    // The MSE of the best prediction from whose turn it is alone (the mean outcome for each
    // colour to move, which komi tilts): what a network that reads the board must beat.
    double baselineMse = 0;
    // The MSE by how far the game had gone: positions after moves 0-49, 50-99, ... on 19x19
    // (the paper's Figure 2b), in buckets of movesPerBucket (movesPerBucketFor the board).
    // Buckets run to the last one holding a position.
    int movesPerBucket = 50;
    struct Stage {
        std::size_t positions = 0;
        double mse = 0;
    };
    std::vector<Stage> byMoveNumber;
};

// About a seventh of the board's points, in tens: 50 moves on 19x19, 10 on 9x9, so that a
// typical game spans five or six buckets.
int movesPerBucketFor(int boardSize);

// The games a value network learns from by default: even games with the komi of modern
// rules (5.5 to 7.5) that ended on the board. Expert archives hold many games with reduced
// komi for a rank difference and many lost on time; both make an outcome the board cannot
// explain.
GameFilter valueGameFilter();

// Trains (or resumes) and writes the model on `games` (expert games, self-play games, or
// both: see selfplay/training_games.h). Returns the final held-out metrics.
Metrics trainValue(const TrainingOptions& options, GameIndex games, int positionsPerGame);

ValueEvaluation evaluateValue(Model& model, const std::vector<IndexedGame>& games,
                              const std::vector<PositionRef>& positions, const std::string& device,
                              int batchSize = 256);

}  // namespace tengen::nets
