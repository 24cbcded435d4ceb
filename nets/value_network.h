#pragma once
// AlphaGo's value network v_theta: the trunk, one more 3x3 convolution, a 1x1 convolution to
// one plane, a fully connected layer of 256 and a tanh output: the expected outcome for the
// player to move, from -1 (loss) to +1 (win).

#include <torch/torch.h>

#include "nets/trunk.h"

namespace tengen::nets {

class ValueNetworkImpl : public torch::nn::Module {
public:
    explicit ValueNetworkImpl(const NetworkShape& shape);
    // [batch, planes, size, size] -> [batch] in [-1, 1]
    torch::Tensor forward(torch::Tensor x);
    const NetworkShape& shape() const { return shape_; }

private:
    NetworkShape shape_;
    Trunk trunk_{nullptr};
    torch::nn::Conv2d extra_{nullptr}, toPlane_{nullptr};
    torch::nn::Linear hidden_{nullptr}, out_{nullptr};
};
TORCH_MODULE(ValueNetwork);

}  // namespace tengen::nets
