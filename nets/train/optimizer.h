#pragma once
// The optimiser every trainer of the networks shares: SGD with momentum (as AlphaGo's SL and
// RL policies were trained) or Adam, with a learning rate that halves at a set interval.

#include <memory>
#include <string>
#include <vector>

#include <torch/torch.h>

namespace tengen::nets {

struct OptimizerSettings {
    std::string kind = "sgd";       // sgd (with momentum) or adam
    double learningRate = 0.05;
    double momentum = 0.9;          // sgd only
    double weightDecay = 1e-4;
    long learningRateHalfLife = 0;  // steps; 0 keeps the rate constant
};

// Throws std::invalid_argument for an unknown kind or a rate that is not positive and finite.
std::unique_ptr<torch::optim::Optimizer> makeOptimizer(const OptimizerSettings& settings,
                                                       const std::vector<torch::Tensor>& parameters);
double learningRateAt(const OptimizerSettings& settings, long step);
void setLearningRate(torch::optim::Optimizer& optimizer, double rate);

}  // namespace tengen::nets
