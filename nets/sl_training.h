#pragma once
// Supervised learning of the policy network on expert games (AlphaGo's p_sigma): SGD over
// a full random order of positions with random symmetries, held-out evaluation, CSV logs,
// and checkpoints from which a killed run resumes exactly where it stopped.

#include <filesystem>
#include <string>
#include <vector>

#include "nets/game_index.h"
#include "nets/model_file.h"

namespace tengen::nets {

struct SlTrainingOptions {
    std::vector<std::string> data;
    std::filesystem::path out;          // the finished model; checkpoint and CSV sit beside it
    NetworkShape shape;
    GameFilter filter;
    int batchSize = 64;
    std::string optimizer = "sgd";      // sgd (with momentum) or adam
    double learningRate = 0.05;
    double momentum = 0.9;
    double weightDecay = 1e-4;
    long learningRateHalfLife = 0;      // steps; 0 keeps the rate constant
    long steps = 10000;
    double maxHours = 0;                // stop earlier after this long (0: no limit)
    long evalEvery = 500;               // steps between held-out evaluations
    int evalPositions = 2000;
    long checkpointEvery = 250;         // steps
    std::uint64_t seed = 1;
    std::string device = "cpu";
    int threads = 2;
    std::string commandLine;            // recorded in the model's metadata
};

struct PolicyEvaluation {
    std::size_t positions = 0;
    double loss = 0;   // cross-entropy over the legal moves
    double top1 = 0;   // the expert's move is the network's best legal move
    double top5 = 0;
};

// Trains (or resumes) and writes the model. Returns the final held-out evaluation.
PolicyEvaluation trainPolicy(const SlTrainingOptions& options);

// Evaluates a policy model on up to maxPositions positions of the games, chosen evenly
// (deterministic), as they stand (no symmetry).
PolicyEvaluation evaluatePolicy(Model& model, const std::vector<IndexedGame>& games, int maxPositions,
                                const std::string& device, int batchSize = 256);

std::filesystem::path checkpointPath(const std::filesystem::path& out);
std::filesystem::path csvPath(const std::filesystem::path& out);

}  // namespace tengen::nets
