#include "nets/value_network.h"

namespace tengen::nets {

ValueNetworkImpl::ValueNetworkImpl(const NetworkShape& shape) : shape_(shape) {
    trunk_ = register_module("trunk", Trunk(shape));
    extra_ = register_module("extra", torch::nn::Conv2d(torch::nn::Conv2dOptions(shape.filters, shape.filters, 3).padding(1)));
    toPlane_ = register_module("to_plane", torch::nn::Conv2d(torch::nn::Conv2dOptions(shape.filters, 1, 1)));
    hidden_ = register_module("hidden", torch::nn::Linear(shape.points(), 256));
    out_ = register_module("out", torch::nn::Linear(256, 1));
}

torch::Tensor ValueNetworkImpl::forward(torch::Tensor x) {
    x = torch::relu(extra_->forward(trunk_->forward(x)));
    // No rectifier on the single 1x1 plane: one channel that goes negative everywhere would
    // cut the value off from the board for good (a dead ReLU), and the layer after it is
    // rectified anyway.
    x = toPlane_->forward(x).flatten(1);
    return torch::tanh(out_->forward(torch::relu(hidden_->forward(x)))).squeeze(1);
}

}  // namespace tengen::nets
