#include "play/policy_player.h"

#include <algorithm>
#include <utility>

#include "play/flat_monte_carlo.h"
#include "nets/symmetry_ensemble.h"

namespace tengen::play {

namespace {

constexpr std::size_t kPassIndex = kMaxPoints;
// Analysis follows the network's favourites only: flat Monte Carlo over every move would
// spread the playouts too thin to say anything.
constexpr std::size_t kAnalysedMoves = 12;

}  // namespace

PolicyPlayer::PolicyPlayer(std::shared_ptr<DirectNetworksBySize> networks, std::uint64_t seed, bool averageSymmetries)
    : networks_(std::move(networks)), averageSymmetries_(averageSymmetries), fallback_(seed), rng_(seed) {}

std::vector<double> PolicyPlayer::winratesAfter(nets::Model& value, const Game& game, Color color,
                                                const std::vector<Point>& moves) {
    const nets::NetworkShape& shape = value.metadata.shape;
    const std::size_t size = nets::featureSize(shape.features, shape.boardSize);
    torch::Tensor input = torch::empty({static_cast<long>(moves.size()), shape.inputPlanes(), shape.boardSize,
                                        shape.boardSize});
    for (std::size_t i = 0; i < moves.size(); ++i) {
        Game after = game;
        after.play({color, moves[i]});
        nets::extractFeatures(after, shape.features, input.data_ptr<float>() + i * size);
    }
    torch::NoGradGuard noGrad;
    const torch::Tensor v = value.value->forward(input);
    std::vector<double> winrates;
    // v is for the opponent, who moves next.
    for (std::size_t i = 0; i < moves.size(); ++i) winrates.push_back((1.0 - v[static_cast<long>(i)].item<double>()) / 2);
    return winrates;
}

std::vector<double> PolicyPlayer::moveProbabilities(nets::Model& policy, const Game& game, Color color) {
    const nets::NetworkShape& shape = policy.metadata.shape;
    Game position = game;
    position.setToMove(color);
    const std::vector<float> features = nets::extractFeatures(position, shape.features);
    torch::NoGradGuard noGrad;
    const torch::Tensor input =
        torch::from_blob(const_cast<float*>(features.data()), {1, shape.inputPlanes(), shape.boardSize, shape.boardSize})
            .clone();
    const torch::Tensor logits = (averageSymmetries_ ? nets::symmetryAveragedLogProbabilities(policy.policy, input)
                                                     : policy.policy->forward(input))[0];
    const float* l = logits.data_ptr<float>();

    const Geometry& g = game.geometry();
    std::vector<double> probability(kMaxPoints + 1, 0.0);
    double best = l[shape.points()];
    std::vector<std::pair<std::size_t, double>> sensible = {{kPassIndex, l[shape.points()]}};
    for (Point p : game.legalMoves(color)) {
        if (game.board().isTrueEye(p, color)) continue;
        const double logit = l[g.row(p) * shape.boardSize + g.col(p)];
        sensible.emplace_back(static_cast<std::size_t>(p), logit);
        best = std::max(best, logit);
    }
    double sum = 0;
    for (auto& [index, logit] : sensible) sum += probability[index] = std::exp(logit - best);
    for (auto& [index, logit] : sensible) probability[index] /= sum;
    return probability;
}

Point PolicyPlayer::chooseMove(const Game& game, const MoveRequest& request) {
    const std::shared_ptr<DirectNetworks> networks = networks_->forSize(game.size());
    if (!networks) return fallback_.chooseMove(game, request);
    const std::vector<double> probability = moveProbabilities(networks->policy, game, request.color);
    const auto best = std::max_element(probability.begin(), probability.end()) - probability.begin();
    return static_cast<std::size_t>(best) == kPassIndex ? kPass : static_cast<Point>(best);
}

void PolicyPlayer::analyse(const Game& game, Color color, const std::atomic<bool>& stop,
                           std::chrono::milliseconds interval,
                           const std::function<void(const AnalysisSnapshot&)>& report) {
    const std::shared_ptr<DirectNetworks> networks = networks_->forSize(game.size());
    if (!networks) return fallback_.analyse(game, color, stop, interval, report);
    const std::vector<double> probability = moveProbabilities(networks->policy, game, color);
    std::vector<ScoredMove> moves;
    for (std::size_t i = 0; i < probability.size(); ++i)
        if (probability[i] > 0) moves.push_back({i == kPassIndex ? kPass : static_cast<Point>(i), probability[i]});
    std::sort(moves.begin(), moves.end(), [](const ScoredMove& a, const ScoredMove& b) { return a.prior > b.prior; });
    if (moves.size() > kAnalysedMoves) moves.resize(kAnalysedMoves);
    if (networks->value) {
        std::vector<Point> points;
        for (const ScoredMove& m : moves) points.push_back(m.move);
        const std::vector<double> winrates = winratesAfter(*networks->value, game, color, points);
        for (std::size_t i = 0; i < moves.size(); ++i) moves[i].valueWinrate = winrates[i];
    }
    flatMonteCarlo(game, color, moves, stop, interval,
                   [&](AnalysisSnapshot snapshot) {
                       snapshot.policy.assign(probability.begin(), probability.end() - 1);
                       report(snapshot);
                   },
                   rng_);
}

}  // namespace tengen::play
