#pragma once
// The training loop every network shares: a full random order of positions each epoch,
// random symmetries, an optimiser with a learning-rate schedule, held-out evaluation, a
// CSV log, a model file written at each evaluation, and checkpoints from which a killed
// run resumes with the very next batch. What differs between networks is a TrainingTask.

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "go/game_index.h"
#include "nets/model_file.h"
#include "nets/train/optimizer.h"
#include "nets/train/position_batch.h"
#include "nets/precision.h"
#include "go/training_files.h"

namespace tengen::nets {

struct TrainingOptions {
    std::vector<std::string> data;      // SGF archives, folders or files
    // Directories of self-play shards, for the model's record: the trainer that reads them
    // (train-value) is handed its games already indexed.
    std::vector<std::string> shards;
    std::filesystem::path out;          // the model; checkpoint and CSV sit beside it
    NetworkShape shape;
    GameFilter filter;
    int batchSize = 64;
    OptimizerSettings optimizer;
    long steps = 10000;
    double maxHours = 0;                // stop earlier after this much training time (0: no limit)
    long evalEvery = 500;               // steps between held-out evaluations
    int evalPositions = 2000;
    long checkpointEvery = 250;         // steps
    std::uint64_t seed = 1;
    std::string device = "cpu";
    // bf16: mixed precision (float weights and optimiser, bfloat16 convolutions) on CPU.
    std::string precision = "fp32";
    int threads = 2;
    std::string commandLine;            // recorded in the model's metadata
    // A fresh run starts from this model's weights (see warm_start.h); empty: random.
    std::filesystem::path initialModel;
};

// Named figures, in a fixed order: they become CSV columns and model metadata.
using Metrics = std::vector<std::pair<std::string, double>>;

class TrainingTask {
public:
    virtual ~TrainingTask() = default;
    virtual const std::vector<PositionRef>& trainingPositions() const = 0;
    // The batch's mean loss, to be minimised, and `trainMetric()` summed over the batch. May
    // run under a MixedPrecisionScope: losses are to be taken on float outputs.
    virtual std::pair<torch::Tensor, double> loss(Model& model, const std::vector<PositionRef>& positions,
                                                  const std::vector<Symmetry>& symmetries, torch::Device device) = 0;
    virtual std::string trainMetric() const = 0;   // e.g. "top1"
    virtual Metrics evaluate(Model& model) = 0;    // on held-out data; names fixed across calls
    virtual std::vector<std::string> evaluationNames() const = 0;
    // What the model's metadata should say about the data.
    virtual nlohmann::json describeData() const = 0;
};

// Trains (or resumes) and writes the model. Returns the final held-out metrics.
Metrics runTraining(const TrainingOptions& options, TrainingTask& task);

// Indexes the data with the options' filter, logging what was kept.
GameIndex indexTrainingGames(const TrainingOptions& options);

}  // namespace tengen::nets
