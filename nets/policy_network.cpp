#include "nets/policy_network.h"

namespace tengen::nets {

PolicyNetworkImpl::PolicyNetworkImpl(const NetworkShape& shape) : shape_(shape) {
    trunk_ = register_module("trunk", Trunk(shape));
    toPoints_ = register_module(
        "to_points", torch::nn::Conv2d(torch::nn::Conv2dOptions(shape.filters, 1, 1).bias(false)));
    pointBias_ = register_parameter("point_bias", torch::zeros({shape.points()}));
    // Not "pass": archives are TorchScript, where that name is a keyword.
    pass_ = register_module("pass_logit", torch::nn::Linear(shape.filters, 1));
}

torch::Tensor PolicyNetworkImpl::forward(torch::Tensor x) {
    const torch::Tensor features = trunk_->forward(x);
    const torch::Tensor points = toPoints_->forward(features).flatten(1) + pointBias_;
    // Passing is a whole-board judgement: it sees the trunk averaged over the board.
    const torch::Tensor pass = pass_->forward(features.mean({2, 3}));
    return torch::cat({points, pass}, 1);
}

torch::Tensor maskIllegal(const torch::Tensor& logits, const torch::Tensor& legal) {
    return logits.masked_fill(legal.logical_not(), -std::numeric_limits<float>::infinity());
}

}  // namespace tengen::nets
