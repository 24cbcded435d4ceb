#pragma once
// AlphaGo's policy network p_sigma: the trunk, a final 1x1 convolution with a bias for every
// point, and a pass logit the paper did not need (its games ended by resignation; ours end
// by passing). Outputs logits; softmax over the legal moves happens where legality is known.

#include <torch/torch.h>

#include "nets/trunk.h"

namespace tengen::nets {

class PolicyNetworkImpl : public torch::nn::Module {
public:
    explicit PolicyNetworkImpl(const NetworkShape& shape);
    // [batch, planes, size, size] -> logits [batch, size*size + 1], pass last.
    torch::Tensor forward(torch::Tensor x);
    const NetworkShape& shape() const { return shape_; }

private:
    NetworkShape shape_;
    Trunk trunk_{nullptr};
    torch::nn::Conv2d toPoints_{nullptr};
    torch::Tensor pointBias_;
    torch::nn::Linear pass_{nullptr};
};
TORCH_MODULE(PolicyNetwork);

// Logits of illegal moves set to -inf so that softmax gives them nothing. legal: [batch,
// size*size + 1] of bool.
torch::Tensor maskIllegal(const torch::Tensor& logits, const torch::Tensor& legal);

}  // namespace tengen::nets
