// The REINFORCE estimator on a problem small enough to know the answer: a one-move game of
// four moves, each winning with its own probability, played by a softmax policy whose logits
// are the parameters. Its expected gradient is known in closed form.
#include <array>
#include <cmath>
#include <functional>

#include "go/random.h"
#include "nets/train/policy_gradient.h"

// LibTorch brings glog's CHECK, which aborts; the tests want Catch's.
#undef CHECK
#include <catch2/catch.hpp>

using namespace tengen;
using namespace tengen::nets;

namespace {

constexpr int kMoves = 4;
// Close to one another, as a learner's moves are to its greedy move late in training: the
// setting in which the self-critical baseline helps.
constexpr std::array<double, kMoves> kWinProbability{0.9, 0.85, 0.8, 0.75};

// z for move a in a game whose chance is u: games share u with their greedy twin (the same
// opening against the same opponent), so the two outcomes are correlated.
double outcome(int move, double u) { return u < kWinProbability[static_cast<std::size_t>(move)] ? 1 : -1; }

struct Estimate {
    torch::Tensor mean;  // [kMoves]
    double variance;
};

// Per-game gradients of the loss for `games` games from the uniform policy, with baseline
// b(move, u) for each; their mean and their spread.
Estimate estimate(int games, std::uint64_t seed, const std::function<double(int, double)>& baseline) {
    Random rng(seed);
    const torch::Tensor logits = torch::zeros({games, kMoves}, torch::requires_grad());
    const torch::Tensor legal = torch::ones({games, kMoves}, torch::kBool);
    std::vector<long> actions(static_cast<std::size_t>(games));
    std::vector<float> advantages(static_cast<std::size_t>(games));
    for (int i = 0; i < games; ++i) {
        const int move = static_cast<int>(rng.below(kMoves));  // the uniform policy's draw
        const double u = rng.uniform();
        actions[static_cast<std::size_t>(i)] = move;
        advantages[static_cast<std::size_t>(i)] = static_cast<float>(outcome(move, u) - baseline(move, u));
    }
    const PolicyGradientTerms terms =
        policyGradientLoss(logits, legal, torch::tensor(actions), torch::tensor(advantages), 0);
    terms.loss.backward();
    // Each row of logits is one game's copy of the parameters: its gradient (times the batch,
    // since the loss is a mean) is that game's estimate.
    const torch::Tensor perGame = logits.grad() * games;
    std::vector<torch::Tensor> rows;
    for (int i = 0; i < games; ++i) rows.push_back(perGame[i]);
    return {perGame.mean(0), gradientVariance(rows)};
}

// The exact expected gradient of -E[z log pi(a)] at the uniform policy.
torch::Tensor expectedGradient() {
    std::vector<float> g(kMoves, 0);
    for (int a = 0; a < kMoves; ++a) {
        const double meanOutcome = 2 * kWinProbability[static_cast<std::size_t>(a)] - 1;
        for (int k = 0; k < kMoves; ++k) g[static_cast<std::size_t>(k)] -= static_cast<float>(
            meanOutcome * ((k == a ? 1.0 : 0.0) - 1.0 / kMoves) / kMoves);
    }
    return torch::tensor(g);
}

}  // namespace

TEST_CASE("baselines leave the REINFORCE gradient unbiased and cut its variance", "[nets][rl]") {
    constexpr int kGames = 40000;
    double meanOutcome = 0;
    for (double p : kWinProbability) meanOutcome += (2 * p - 1) / kMoves;
    const int greedyMove = 0;
    const Estimate none = estimate(kGames, 1, [](int, double) { return 0.0; });
    // The running mean, as it stands after earlier iterations: the true mean here.
    const Estimate mean = estimate(kGames, 1, [&](int, double) { return meanOutcome; });
    // A critic that learnt the state's value from other games: this game has one state.
    MeanBaseline critic;
    Random other(7);
    for (int iteration = 0; iteration < 200; ++iteration) {
        std::vector<double> rewards;
        for (int i = 0; i < 64; ++i) rewards.push_back(outcome(static_cast<int>(other.below(kMoves)), other.uniform()));
        critic.update(rewards);
    }
    const Estimate value = estimate(kGames, 1, [&](int, double) { return critic.value(); });
    const Estimate greedy = estimate(kGames, 1, [&](int, double u) { return outcome(greedyMove, u); });

    const torch::Tensor truth = expectedGradient();
    for (const Estimate* e : {&none, &mean, &value, &greedy}) {
        // Within four standard errors of the exact gradient, component by component.
        const double standardError = std::sqrt(e->variance / kMoves / kGames);
        INFO("estimate " << e->mean << " truth " << truth << " standard error " << standardError);
        CHECK((e->mean - truth).abs().max().item<double>() < 4 * standardError);
    }
    INFO("variance: none " << none.variance << ", mean " << mean.variance << ", value " << value.variance
                           << ", greedy " << greedy.variance);
    CHECK(mean.variance < 0.7 * none.variance);  // 1 - 0.65^2 = 0.58 of it in expectation
    CHECK(value.variance < 0.7 * none.variance);
    CHECK(greedy.variance < 0.4 * none.variance);  // 4 E|q_a - q_greedy| = 0.3 of it
    // A baseline that depends on the move taken is not one: it biases the estimate.
    const Estimate cheat = estimate(kGames, 1, [](int move, double) { return move == 0 ? 1.0 : 0.0; });
    CHECK((cheat.mean - truth).abs().max().item<double>() > 0.05);
}

TEST_CASE("the entropy bonus's gradient raises the entropy of a peaked policy", "[nets][rl]") {
    torch::Tensor logits = torch::tensor({{3.0f, 0.0f, 0.0f, -1.0f}}).requires_grad_(true);
    const torch::Tensor legal = torch::ones({1, kMoves}, torch::kBool);
    const auto entropyAfter = [&](double beta) {
        torch::Tensor theta = logits.detach().clone().requires_grad_(true);
        const PolicyGradientTerms terms =
            policyGradientLoss(theta, legal, torch::tensor({0L}), torch::zeros({1}), beta);
        terms.loss.backward();
        torch::Tensor stepped = (theta - 0.5 * theta.grad()).detach();
        return policyGradientLoss(stepped, legal, torch::tensor({0L}), torch::zeros({1}), 0).meanEntropy;
    };
    const double before = policyGradientLoss(logits, legal, torch::tensor({0L}), torch::zeros({1}), 0).meanEntropy;
    CHECK(entropyAfter(0) == Approx(before));  // no advantage, no bonus: no step
    CHECK(entropyAfter(0.1) > before + 1e-3);

    // Illegal moves hold no probability and add nothing to the entropy.
    const torch::Tensor someLegal = torch::tensor({{true, true, false, false}});
    const double twoMoves =
        policyGradientLoss(torch::zeros({1, kMoves}), someLegal, torch::tensor({0L}), torch::zeros({1}), 0).meanEntropy;
    CHECK(twoMoves == Approx(std::log(2.0)));
}

TEST_CASE("baselines are named as the command line names them", "[nets][rl]") {
    for (Baseline b : {Baseline::None, Baseline::Mean, Baseline::Value, Baseline::Greedy})
        CHECK(parseBaseline(baselineName(b)) == b);
    CHECK_FALSE(parseBaseline("average"));
    MeanBaseline running(0.5);
    running.update({1, 1, -1, 1});
    CHECK(running.value() == Approx(0.5));
    running.update({-1});
    CHECK(running.value() == Approx(-0.25));
}
