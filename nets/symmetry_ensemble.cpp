#include "nets/symmetry_ensemble.h"

#include <vector>

#include "nets/symmetry.h"

namespace tengen::nets {

namespace {

// For each point i of the original, where symmetry s sends it (pass stays last when withPass).
torch::Tensor destinations(Symmetry s, int size, bool withPass) {
    const int area = size * size;
    std::vector<long> to(static_cast<std::size_t>(area + (withPass ? 1 : 0)));
    for (int i = 0; i < area; ++i) to[static_cast<std::size_t>(i)] = transformIndex(s, i, size);
    if (withPass) to.back() = area;
    return torch::tensor(to, torch::kLong);
}

}  // namespace

torch::Tensor symmetryAveragedLogProbabilities(PolicyNetwork& policy, const torch::Tensor& planes) {
    const long batch = planes.size(0);
    const int size = static_cast<int>(planes.size(2));
    const torch::Tensor flat = planes.flatten(2);
    std::vector<torch::Tensor> views;
    for (Symmetry s : kAllSymmetries) {
        // view[to[i]] = plane[i]: scatter through the destinations, i.e. gather through the inverse.
        const torch::Tensor from = destinations(inverse(s), size, false).to(planes.device());
        views.push_back(flat.index_select(2, from).view_as(planes));
    }
    const torch::Tensor probabilities =
        torch::softmax(policy->forward(torch::cat(views)).to(torch::kFloat), 1);
    torch::Tensor sum = torch::zeros({batch, size * size + 1}, probabilities.options());
    for (std::size_t k = 0; k < kAllSymmetries.size(); ++k) {
        // The view's answer for original point i sits where the symmetry sent i.
        const torch::Tensor to = destinations(kAllSymmetries[k], size, true).to(planes.device());
        sum += probabilities.narrow(0, static_cast<long>(k) * batch, batch).index_select(1, to);
    }
    // Clamped so that a move no view gives any weight still has a finite loss.
    return (sum / static_cast<double>(kAllSymmetries.size())).clamp_min(1e-30).log();
}

}  // namespace tengen::nets
