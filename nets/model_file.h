#pragma once
// Model files: the weights and everything needed to use them (kind, shape, board size,
// features) and how they were trained, in one file. Written atomically; read back with
// every part checked, so a missing, truncated, corrupted or mismatched file is a clear
// error rather than a crash or a silently wrong network.

#include <filesystem>
#include <optional>
#include <stdexcept>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "nets/policy_network.h"
#include "nets/value_network.h"

namespace tengen::nets {

class ModelFileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct ModelMetadata {
    NetworkShape shape;
    // How it was trained: data, steps, positions, accuracy, loss, command line... Free-form
    // so that training can record what matters without a format change.
    nlohmann::json training = nlohmann::json::object();
};

struct Model {
    ModelMetadata metadata;
    PolicyNetwork policy{nullptr};  // set for policy models
    ValueNetwork value{nullptr};    // set for value models
    torch::nn::Module& module();
};

// A freshly initialised network of the given shape.
Model makeModel(const NetworkShape& shape);
// A deep copy. Model holds its modules by shared pointer, so a plain copy (as the argument
// is) shares the weights, and converting those (bf16, GPU) would change the original too.
Model copyModel(Model model);

void saveModel(const std::filesystem::path& path, Model& model);

struct ModelExpectations {
    std::optional<NetworkKind> kind;
    std::optional<int> boardSize;
};
// Throws ModelFileError naming the file and what is wrong with it.
Model loadModel(const std::filesystem::path& path, const ModelExpectations& expect = {});

}  // namespace tengen::nets
