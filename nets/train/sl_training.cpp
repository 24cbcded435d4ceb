#include "nets/train/sl_training.h"

#include "nets/device.h"
#include "nets/train/position_batch.h"
#include "nets/symmetry_ensemble.h"

namespace tengen::nets {

namespace {

// Supervised learning of expert moves: cross-entropy over the legal moves.
class PolicyTask final : public TrainingTask {
public:
    PolicyTask(const TrainingOptions& o, GameIndex index)
        : options_(o), index_(std::move(index)), positions_(allPositions(index_.training)) {}

    const std::vector<PositionRef>& trainingPositions() const override { return positions_; }
    std::string trainMetric() const override { return "top1"; }
    std::vector<std::string> evaluationNames() const override { return {"loss", "top1", "top5"}; }

    std::pair<torch::Tensor, double> loss(Model& model, const std::vector<PositionRef>& positions,
                                          const std::vector<Symmetry>& symmetries, torch::Device device) override {
        const PositionBatch batch =
            makeBatch(index_.training, positions, symmetries, options_.shape.features, options_.shape.boardSize);
        const torch::Tensor logits = model.policy->forward(batch.features.to(device)).to(torch::kFloat);
        const torch::Tensor legal = batch.legal.to(device);
        const torch::Tensor loss = expertMoveLoss(logits, legal, batch.target.to(device));
        const double correct = maskIllegal(logits, legal).argmax(1).cpu().eq(batch.target).sum().item<double>();
        return {loss, correct};
    }

    Metrics evaluate(Model& model) override {
        const PolicyEvaluation e = evaluatePolicy(model, index_.heldOut, options_.evalPositions, options_.device);
        return {{"loss", e.loss}, {"top1", e.top1}, {"top5", e.top5}};
    }

    nlohmann::json describeData() const override {
        return {{"stage", "supervised policy (train-sl)"},
                {"training_games", index_.training.size()},
                {"held_out_games", index_.heldOut.size()},
                {"held_out_positions", std::min<std::size_t>(index_.heldOutPositions(), options_.evalPositions)}};
    }

private:
    const TrainingOptions& options_;
    GameIndex index_;
    std::vector<PositionRef> positions_;
};

}  // namespace

torch::Tensor expertMoveLoss(const torch::Tensor& logits, const torch::Tensor& legal, const torch::Tensor& target) {
    return torch::nll_loss(torch::log_softmax(maskIllegal(logits, legal), 1), target);
}

PolicyEvaluation evaluatePolicy(Model& model, const std::vector<IndexedGame>& games, int maxPositions,
                                const std::string& device, bool averageSymmetries, int batchSize) {
    const NetworkShape& shape = model.metadata.shape;
    const torch::Device where = parseDevice(device);
    std::vector<PositionRef> all = allPositions(games);
    std::vector<PositionRef> chosen;
    const std::size_t wanted = std::min<std::size_t>(all.size(), static_cast<std::size_t>(std::max(0, maxPositions)));
    for (std::size_t i = 0; i < wanted; ++i) chosen.push_back(all[i * all.size() / wanted]);

    torch::NoGradGuard noGrad;
    model.module().eval();
    const auto dtype = model.module().parameters().front().scalar_type();
    PolicyEvaluation result;
    double lossSum = 0;
    long top1 = 0, top5 = 0;
    for (std::size_t start = 0; start < chosen.size(); start += static_cast<std::size_t>(batchSize)) {
        const std::vector<PositionRef> refs(chosen.begin() + static_cast<long>(start),
                                            chosen.begin() + static_cast<long>(std::min(chosen.size(), start + batchSize)));
        const PositionBatch batch =
            makeBatch(games, refs, std::vector<Symmetry>(refs.size(), Symmetry::Identity), shape.features, shape.boardSize);
        // Whatever precision the model is in (bf16 for eval-sl --precision bf16), scores in float.
        const torch::Tensor input = batch.features.to(where, dtype);
        const torch::Tensor scores = averageSymmetries ? symmetryAveragedLogProbabilities(model.policy, input)
                                                       : model.policy->forward(input).to(torch::kFloat);
        const torch::Tensor logits = maskIllegal(scores, batch.legal.to(where)).cpu();
        const torch::Tensor logProbabilities = torch::log_softmax(logits, 1);
        lossSum += torch::nll_loss(logProbabilities, batch.target, {}, at::Reduction::Sum).item<double>();
        const torch::Tensor best = std::get<1>(logits.topk(5, 1));
        top1 += best.select(1, 0).eq(batch.target).sum().item<long>();
        top5 += best.eq(batch.target.unsqueeze(1)).any(1).sum().item<long>();
    }
    model.module().train();
    result.positions = chosen.size();
    if (!chosen.empty()) {
        result.loss = lossSum / chosen.size();
        result.top1 = static_cast<double>(top1) / chosen.size();
        result.top5 = static_cast<double>(top5) / chosen.size();
    }
    return result;
}

Metrics trainPolicy(const TrainingOptions& options) {
    if (options.shape.kind != NetworkKind::Policy) throw std::invalid_argument("train-sl trains policy networks");
    PolicyTask task(options, indexTrainingGames(options));
    return runTraining(options, task);
}

}  // namespace tengen::nets
