#include "nets/warm_start.h"

#include <stdexcept>
#include <string>

namespace tengen::nets {

namespace {

void startAsIdentity(torch::Tensor& parameter) {
    parameter.zero_();
    if (parameter.dim() != 4) return;  // a bias
    const long centre = parameter.size(2) / 2;
    for (long c = 0; c < parameter.size(0); ++c) parameter[c][c][centre][centre] = 1.0f;
}

}  // namespace

void warmStart(const Model& from, Model& to) {
    const NetworkShape& a = from.metadata.shape;
    const NetworkShape& b = to.metadata.shape;
    if (a.filters != b.filters || a.residual != b.residual || a.boardSize != b.boardSize ||
        a.inputPlanes() > b.inputPlanes())
        throw std::invalid_argument("the networks differ in filters, board size or trunk type");
    if (b.layers < a.layers) throw std::invalid_argument("the new network has fewer layers than the one it starts from");
    if (b.layers > a.layers && b.residual) throw std::invalid_argument("only plain trunks can be deepened");
    const bool sameKind = a.kind == b.kind;
    const auto source = const_cast<Model&>(from).module().named_parameters();
    torch::NoGradGuard noGrad;
    for (auto& target : to.module().named_parameters()) {
        const std::string& name = target.key();
        const bool inTrunk = name.starts_with("trunk.");
        if (!inTrunk && !sameKind) continue;  // another kind's head learns from scratch
        torch::Tensor& value = target.value();
        const torch::Tensor* original = source.find(name);
        if (!original) {
            if (!name.starts_with("trunk.hidden.")) throw std::invalid_argument("the source network has no " + name);
            startAsIdentity(value);
        } else if (original->sizes() == value.sizes()) {
            value.copy_(*original);
        } else if (original->dim() == 4 && value.dim() == 4 && original->size(1) < value.size(1)) {
            // The first layer: the shared planes come first in both feature sets.
            value.zero_();
            value.narrow(1, 0, original->size(1)).copy_(*original);
        } else {
            throw std::invalid_argument("parameter " + name + " has another shape in the source network");
        }
    }
}

}  // namespace tengen::nets
