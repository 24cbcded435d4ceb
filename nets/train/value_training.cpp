#include "nets/train/value_training.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "nets/device.h"

namespace tengen::nets {

namespace {

class ValueTask final : public TrainingTask {
public:
    ValueTask(const TrainingOptions& o, GameIndex index, int perGame)
        : options_(o),
          index_(std::move(index)),
          positions_(sampledPositions(index_.training, perGame, o.seed)),
          heldOutPositions_(sampledPositions(index_.heldOut, perGame, o.seed)) {
        if (heldOutPositions_.size() > static_cast<std::size_t>(std::max(0, o.evalPositions)))
            heldOutPositions_.resize(static_cast<std::size_t>(std::max(0, o.evalPositions)));
    }

    const std::vector<PositionRef>& trainingPositions() const override { return positions_; }
    std::string trainMetric() const override { return "accuracy"; }
    std::vector<std::string> evaluationNames() const override { return {"mse", "accuracy"}; }

    std::pair<torch::Tensor, double> loss(Model& model, const std::vector<PositionRef>& positions,
                                          const std::vector<Symmetry>& symmetries, torch::Device device) override {
        const PositionBatch batch =
            makeBatch(index_.training, positions, symmetries, options_.shape.features, options_.shape.boardSize);
        const torch::Tensor value = model.value->forward(batch.features.to(device)).to(torch::kFloat);
        const torch::Tensor outcome = batch.outcome.to(device);
        const double correct = (value * outcome).gt(0).sum().item<double>();
        return {torch::mse_loss(value, outcome), correct};
    }

    Metrics evaluate(Model& model) override {
        const ValueEvaluation e = evaluateValue(model, index_.heldOut, heldOutPositions_, options_.device);
        return {{"mse", e.mse}, {"accuracy", e.accuracy}};
    }

    nlohmann::json describeData() const override {
        return {{"stage", "value regression (train-value)"},
                {"training_games", index_.training.size()},
                {"training_positions", positions_.size()},
                {"held_out_games", index_.heldOut.size()},
                {"held_out_positions", heldOutPositions_.size()}};
    }

private:
    const TrainingOptions& options_;
    GameIndex index_;
    std::vector<PositionRef> positions_, heldOutPositions_;
};

}  // namespace

ValueEvaluation evaluateValue(Model& model, const std::vector<IndexedGame>& games,
                              const std::vector<PositionRef>& positions, const std::string& device, int batchSize) {
    const NetworkShape& shape = model.metadata.shape;
    const torch::Device where = parseDevice(device);
    torch::NoGradGuard noGrad;
    model.module().eval();
    double squaredError = 0, correct = 0, sum = 0, sumOfSquares = 0;
    // Per colour to move (black, white): positions and their outcomes' sum.
    std::array<double, 2> count{}, outcomeSum{};
    std::vector<ValueEvaluation::Stage> stageErrors;
    const int movesPerBucket = movesPerBucketFor(shape.boardSize);
    for (std::size_t start = 0; start < positions.size(); start += static_cast<std::size_t>(batchSize)) {
        const std::vector<PositionRef> refs(
            positions.begin() + static_cast<long>(start),
            positions.begin() + static_cast<long>(std::min(positions.size(), start + batchSize)));
        const PositionBatch batch =
            makeBatch(games, refs, std::vector<Symmetry>(refs.size(), Symmetry::Identity), shape.features, shape.boardSize);
        const torch::Tensor value = model.value->forward(batch.features.to(where)).cpu().to(torch::kFloat);
        const torch::Tensor errors = (value - batch.outcome).pow(2).contiguous();
        squaredError += errors.sum().item<double>();
        const float* error = errors.data_ptr<float>();
        for (std::size_t i = 0; i < refs.size(); ++i) {
            const std::size_t stage = refs[i].move / static_cast<std::uint32_t>(movesPerBucket);
            if (stageErrors.size() <= stage) stageErrors.resize(stage + 1);
            stageErrors[stage].positions += 1;
            stageErrors[stage].mse += error[i];  // a sum until the end
        }
        correct += (value * batch.outcome).gt(0).sum().item<double>();
        sum += value.sum().item<double>();
        sumOfSquares += value.pow(2).sum().item<double>();
        const float* outcome = batch.outcome.data_ptr<float>();
        for (std::size_t i = 0; i < refs.size(); ++i) {
            const bool black = games[refs[i].game].record.moves[refs[i].move].color == Color::Black;
            count[black ? 0 : 1] += 1;
            outcomeSum[black ? 0 : 1] += outcome[i];
        }
    }
    model.module().train();
    ValueEvaluation e;
    e.positions = positions.size();
    e.movesPerBucket = movesPerBucket;
    if (!positions.empty()) {
        const double n = static_cast<double>(positions.size());
        e.mse = squaredError / n;
        e.accuracy = correct / n;
        e.predictionMean = sum / n;
        e.predictionStdDev = std::sqrt(std::max(0.0, sumOfSquares / n - e.predictionMean * e.predictionMean));
        // Each colour's outcomes are +-1 around their mean m: (1 - m^2) squared error apiece.
        for (int c = 0; c < 2; ++c)
            if (count[c] > 0) e.baselineMse += count[c] - outcomeSum[c] * outcomeSum[c] / count[c];
        e.baselineMse /= n;
    }
    for (ValueEvaluation::Stage& stage : stageErrors)
        if (stage.positions > 0) stage.mse /= static_cast<double>(stage.positions);
    e.byMoveNumber = std::move(stageErrors);
    return e;
}

int movesPerBucketFor(int boardSize) { return std::max(1, boardSize * boardSize / 70) * 10; }

GameFilter valueGameFilter() {
    GameFilter filter;
    filter.minimumKomi = 5.5;
    filter.maximumKomi = 7.5;
    filter.decidedOnBoardOnly = true;
    return filter;
}

Metrics trainValue(const TrainingOptions& options, GameIndex games, int positionsPerGame) {
    if (options.shape.kind != NetworkKind::Value) throw std::invalid_argument("train-value trains value networks");
    ValueTask task(options, std::move(games), positionsPerGame);
    return runTraining(options, task);
}

}  // namespace tengen::nets
