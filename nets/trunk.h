#pragma once
// The convolutional stack that AlphaGo's policy and value networks share: a 5x5 layer, then
// 3x3 layers (plain, as in the paper, or in residual pairs), each followed by ReLU.

#include <torch/torch.h>

#include "nets/network_shape.h"

namespace tengen::nets {

class TrunkImpl : public torch::nn::Module {
public:
    explicit TrunkImpl(const NetworkShape& shape);
    // [batch, inputPlanes, size, size] -> [batch, filters, size, size]
    torch::Tensor forward(torch::Tensor x);

private:
    bool residual_;
    torch::nn::Conv2d first_{nullptr};
    torch::nn::ModuleList hidden_;
};
TORCH_MODULE(Trunk);

}  // namespace tengen::nets
