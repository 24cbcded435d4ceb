#pragma once
// The value network v_theta, regressed on game outcomes: for a few positions of each game,
// the target is +1 if the player to move went on to win and -1 if not (AlphaGo's z), with
// mean squared error as the loss. Games come as SGF with RE[]: expert games first, and
// self-play games later in the same form, so one reader serves both.

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
};

// The games a value network learns from by default: even games with the komi of modern
// rules (5.5 to 7.5) that ended on the board. Expert archives hold many games with reduced
// komi for a rank difference and many lost on time; both make an outcome the board cannot
// explain.
GameFilter valueGameFilter();

// Trains (or resumes) and writes the model. Returns the final held-out metrics.
Metrics trainValue(const TrainingOptions& options, int positionsPerGame);

ValueEvaluation evaluateValue(Model& model, const std::vector<IndexedGame>& games,
                              const std::vector<PositionRef>& positions, const std::string& device,
                              int batchSize = 256);

}  // namespace tengen::nets
