#pragma once
// A cluster run's evaluation of its models (run.toml's [evaluation]): each model n >= 1
// against model n - 1, or against model 0 (the SL start), as raw policies. The results are
// train/evaluation.csv, one row per model, rewritten atomically. Evaluating is idempotent
// and safe for two jobs at once: they take turns on a lock, and each plays only the models
// that have no row yet, so a requeued or doubled evaluation job never counts a model twice.

#include <functional>
#include <map>
#include <vector>

#include "selfplay/run_directory.h"

namespace tengen::selfplay {

struct ModelEvaluation {
    int model = 0, opponent = 0;
    int wins = 0, losses = 0, draws = 0;  // the model's
    double seconds = 0;
};

// Evaluates, in order, every model from 1 to the current one without a row, calling
// `onEvaluated` after each is recorded; returns those. Nothing when the settings ask for no
// games.
std::vector<ModelEvaluation> evaluateModels(const RunDirectory& run,
                                            const std::function<void(const ModelEvaluation&)>& onEvaluated = {});

// The rows of train/evaluation.csv by model; none without the file. Throws
// std::runtime_error naming the file and line for a malformed row.
std::map<int, ModelEvaluation> readEvaluations(const RunDirectory& run);

}  // namespace tengen::selfplay
