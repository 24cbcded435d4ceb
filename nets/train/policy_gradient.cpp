#include "nets/train/policy_gradient.h"

#include <stdexcept>

#include "nets/policy_network.h"

namespace tengen::nets {

std::optional<Baseline> parseBaseline(std::string_view name) {
    if (name == "none") return Baseline::None;
    if (name == "mean") return Baseline::Mean;
    if (name == "value") return Baseline::Value;
    if (name == "greedy") return Baseline::Greedy;
    return std::nullopt;
}

std::string baselineName(Baseline baseline) {
    switch (baseline) {
        case Baseline::None: return "none";
        case Baseline::Mean: return "mean";
        case Baseline::Value: return "value";
        case Baseline::Greedy: return "greedy";
    }
    return "none";
}

MoveTerms policyMoveTerms(const torch::Tensor& logits, const torch::Tensor& legal, const torch::Tensor& actions) {
    if (logits.dim() != 2 || legal.sizes() != logits.sizes() || actions.size(0) != logits.size(0))
        throw std::invalid_argument("policy-gradient batch tensors do not match");
    const torch::Tensor logProbabilities = torch::log_softmax(maskIllegal(logits, legal), 1);
    // Illegal moves have probability 0; their -inf log-probabilities must not make 0 * -inf.
    const torch::Tensor probabilities = logProbabilities.exp();
    return {logProbabilities.gather(1, actions.unsqueeze(1)).squeeze(1),
            -(probabilities * logProbabilities.masked_fill(legal.logical_not(), 0)).sum(1)};
}

PolicyGradientTerms policyGradientLoss(const torch::Tensor& logits, const torch::Tensor& legal,
                                       const torch::Tensor& actions, const torch::Tensor& advantages,
                                       double entropyWeight) {
    if (advantages.size(0) != logits.size(0)) throw std::invalid_argument("policy-gradient batch tensors do not match");
    const MoveTerms moves = policyMoveTerms(logits, legal, actions);
    PolicyGradientTerms terms;
    terms.loss = -(advantages.detach() * moves.logProbability).mean() - entropyWeight * moves.entropy.mean();
    terms.meanEntropy = moves.entropy.mean().item<double>();
    return terms;
}

void MeanBaseline::update(const std::vector<double>& rewards) {
    if (rewards.empty()) return;
    double sum = 0;
    for (double r : rewards) sum += r;
    const double mean = sum / static_cast<double>(rewards.size());
    value_ = started_ ? decay_ * value_ + (1 - decay_) * mean : mean;
    started_ = true;
}

double gradientVariance(const std::vector<torch::Tensor>& perGameGradients) {
    if (perGameGradients.size() < 2) return 0;
    std::vector<torch::Tensor> flat;
    for (const torch::Tensor& g : perGameGradients) flat.push_back(g.detach().reshape({-1}).to(torch::kDouble));
    const torch::Tensor stacked = torch::stack(flat);
    const torch::Tensor mean = stacked.mean(0, true);
    return (stacked - mean).pow(2).sum(1).mean().item<double>();
}

}  // namespace tengen::nets
