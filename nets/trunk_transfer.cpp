#include "nets/trunk_transfer.h"

#include <stdexcept>
#include <string>

namespace tengen::nets {

void copyTrunk(const Model& from, Model& to) {
    const NetworkShape& a = from.metadata.shape;
    const NetworkShape& b = to.metadata.shape;
    if (a.layers != b.layers || a.filters != b.filters || a.residual != b.residual || a.boardSize != b.boardSize ||
        a.inputPlanes() > b.inputPlanes())
        throw std::invalid_argument("the trunks differ in shape; copying needs the same layers, filters and board");
    const auto source = const_cast<Model&>(from).module().named_parameters();
    torch::NoGradGuard noGrad;
    int copied = 0;
    for (auto& target : to.module().named_parameters()) {
        if (target.key().rfind("trunk.", 0) != 0) continue;
        const torch::Tensor* original = source.find(target.key());
        if (!original) throw std::invalid_argument("the source network has no parameter " + target.key());
        torch::Tensor& value = target.value();
        if (original->sizes() == value.sizes()) {
            value.copy_(*original);
        } else if (original->dim() == 4 && value.dim() == 4 && original->size(1) < value.size(1)) {
            // The first layer: the shared planes come first in both feature sets.
            value.zero_();
            value.narrow(1, 0, original->size(1)).copy_(*original);
        } else {
            throw std::invalid_argument("parameter " + target.key() + " has another shape in the source network");
        }
        ++copied;
    }
    if (copied == 0) throw std::invalid_argument("no trunk parameters to copy");
}

}  // namespace tengen::nets
