#include "nets/train/weight_averaging.h"

#include <stdexcept>

namespace tengen::nets {

Model averageModels(std::vector<Model> models) {
    if (models.empty()) throw std::invalid_argument("no models to average");
    for (const Model& model : models)
        if (!(model.metadata.shape == models.front().metadata.shape))
            throw std::invalid_argument("models of different shapes cannot be averaged: " +
                                        models.front().metadata.shape.describe() + " and " +
                                        model.metadata.shape.describe());
    Model mean = copyModel(models.front());
    torch::NoGradGuard noGrad;
    const double share = 1.0 / static_cast<double>(models.size());
    auto average = [&](auto tensorsOf) {
        auto sums = tensorsOf(mean);
        for (auto& sum : sums)
            if (sum.value().is_floating_point()) sum.value().zero_();
        for (Model& model : models) {
            const auto tensors = tensorsOf(model);
            for (auto& sum : sums)  // counters, if any, stay as the first model has them
                if (sum.value().is_floating_point()) sum.value().add_(tensors[sum.key()], share);
        }
    };
    average([](Model& m) { return m.module().named_parameters(true); });
    average([](Model& m) { return m.module().named_buffers(true); });
    return mean;
}

}  // namespace tengen::nets
