#include "nets/train/optimizer.h"

#include <cmath>
#include <stdexcept>

namespace tengen::nets {

std::unique_ptr<torch::optim::Optimizer> makeOptimizer(const OptimizerSettings& s,
                                                       const std::vector<torch::Tensor>& parameters) {
    if (!(s.learningRate > 0) || !std::isfinite(s.learningRate))
        throw std::invalid_argument("the learning rate must be positive");
    if (s.kind == "sgd")
        return std::make_unique<torch::optim::SGD>(
            parameters, torch::optim::SGDOptions(s.learningRate).momentum(s.momentum).weight_decay(s.weightDecay));
    if (s.kind == "adam")
        return std::make_unique<torch::optim::Adam>(parameters,
                                                    torch::optim::AdamOptions(s.learningRate).weight_decay(s.weightDecay));
    throw std::invalid_argument("the optimizer must be sgd or adam");
}

double learningRateAt(const OptimizerSettings& s, long step) {
    return s.learningRateHalfLife > 0
               ? s.learningRate * std::pow(0.5, static_cast<double>(step) / static_cast<double>(s.learningRateHalfLife))
               : s.learningRate;
}

void setLearningRate(torch::optim::Optimizer& optimizer, double rate) {
    for (auto& group : optimizer.param_groups()) group.options().set_lr(rate);
}

}  // namespace tengen::nets
