#include "nets/train/warm_start.h"

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

// Net2Net's widening. Filter j of the wider network copies filter `source[j]` of the
// narrower one: itself for the first ones, a random one for the added. A layer that reads a
// filter with several copies gives each copy its share of the original's weight, so the sums
// it computes, and so the whole network's output, stay what they were.
class Widening {
public:
    Widening(long narrow, long wide) : narrow_(narrow), wide_(wide) {
        source_ = torch::cat({torch::arange(narrow), torch::randint(narrow, {wide - narrow})}).to(torch::kLong);
        const torch::Tensor copies = torch::bincount(source_, {}, narrow).to(torch::kFloat);
        share_ = 1.0f / copies.index_select(0, source_);
    }

    // `original` with its filter dimensions widened: dimension 0 when it holds one entry per
    // output filter, dimension 1 when `readsFilters` and it holds one per input filter.
    torch::Tensor apply(torch::Tensor original, bool readsFilters) const {
        if (original.size(0) == narrow_) original = copiedOutputs(original);
        if (readsFilters && original.dim() >= 2 && original.size(1) == narrow_) {
            std::vector<long> shareShape(original.dim(), 1);
            shareShape[1] = wide_;
            original = original.index_select(1, source_) * share_.view(shareShape);
        }
        return original;
    }

private:
    torch::Tensor copiedOutputs(const torch::Tensor& original) const {
        torch::Tensor widened = original.index_select(0, source_);
        if (original.dim() > 1) {
            // Copies of one filter would otherwise get the same gradients and stay the same
            // filter for good; a little noise lets training tell them apart.
            torch::Tensor added = widened.narrow(0, narrow_, wide_ - narrow_);
            added.add_(torch::randn_like(added) * (0.01f * original.std().item<float>()));
        }
        return widened;
    }

    long narrow_, wide_;
    torch::Tensor source_, share_;
};

}  // namespace

void warmStart(const Model& from, Model& to) {
    const NetworkShape& a = from.metadata.shape;
    const NetworkShape& b = to.metadata.shape;
    // Board sizes may differ: convolutions do not depend on them, so a 19x19 trunk starts a
    // 9x9 network with its shape knowledge. Parameters laid out over the points (the policy's
    // per-point bias, the value head's hidden layer) keep their fresh start.
    const bool otherSize = a.boardSize != b.boardSize;
    if (a.residual != b.residual || a.inputPlanes() > b.inputPlanes())
        throw std::invalid_argument("the networks differ in trunk type, or the new one reads fewer planes");
    if (b.filters < a.filters) throw std::invalid_argument("the new network has fewer filters than the one it starts from");
    if (b.layers < a.layers) throw std::invalid_argument("the new network has fewer layers than the one it starts from");
    if (b.layers > a.layers && b.residual) throw std::invalid_argument("only plain trunks can be deepened");
    const bool sameKind = a.kind == b.kind;
    const auto source = const_cast<Model&>(from).module().named_parameters();
    torch::NoGradGuard noGrad;
    const Widening widening(a.filters, b.filters);
    for (auto& target : to.module().named_parameters()) {
        const std::string& name = target.key();
        const bool inTrunk = name.starts_with("trunk.");
        if (!inTrunk && !sameKind) continue;  // another kind's head learns from scratch
        torch::Tensor& value = target.value();
        const torch::Tensor* original = source.find(name);
        if (!original) {
            if (!name.starts_with("trunk.hidden.")) throw std::invalid_argument("the source network has no " + name);
            startAsIdentity(value);
            continue;
        }
        // The first layer reads feature planes, not filters.
        const bool readsPlanes = name == "trunk.first.weight";
        torch::Tensor copied = a.filters == b.filters ? *original : widening.apply(*original, !readsPlanes);
        if (readsPlanes && copied.size(1) < value.size(1)) {
            // The shared planes come first in both feature sets; the rest start at zero.
            value.zero_();
            value.narrow(1, 0, copied.size(1)).copy_(copied);
        } else if (copied.sizes() == value.sizes()) {
            value.copy_(copied);
        } else if (!otherSize) {
            throw std::invalid_argument("parameter " + name + " has another shape in the source network");
        }
    }
}

}  // namespace tengen::nets
