#include "nets/trunk.h"

namespace tengen::nets {

namespace {

torch::nn::Conv2d convolution(int in, int out, int kernel) {
    return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, kernel).padding(kernel / 2));
}

}  // namespace

TrunkImpl::TrunkImpl(const NetworkShape& shape) : residual_(shape.residual) {
    first_ = register_module("first", convolution(shape.inputPlanes(), shape.filters, 5));
    hidden_ = register_module("hidden", torch::nn::ModuleList());
    for (int i = 1; i < shape.layers; ++i) hidden_->push_back(convolution(shape.filters, shape.filters, 3));
}

torch::Tensor TrunkImpl::forward(torch::Tensor x) {
    x = torch::relu(first_->forward(x));
    const std::size_t n = hidden_->size();
    if (!residual_) {
        for (std::size_t i = 0; i < n; ++i) x = torch::relu(hidden_[i]->as<torch::nn::Conv2d>()->forward(x));
        return x;
    }
    std::size_t i = 0;
    for (; i + 1 < n; i += 2) {
        const torch::Tensor inner = torch::relu(hidden_[i]->as<torch::nn::Conv2d>()->forward(x));
        x = torch::relu(x + hidden_[i + 1]->as<torch::nn::Conv2d>()->forward(inner));
    }
    if (i < n) x = torch::relu(hidden_[i]->as<torch::nn::Conv2d>()->forward(x));  // odd layer count
    return x;
}

}  // namespace tengen::nets
