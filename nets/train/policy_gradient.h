#pragma once
// The policy-gradient estimator of the RL trainer: REINFORCE (Williams 1992), as AlphaGo's RL
// policy learnt from self-play. For each learner move t of game i the loss is
//
//   -(z_i - b_t) * log pi(a_t | s_t) - beta * H(pi(. | s_t))
//
// with z_i = +1 for a win and -1 for a loss, a baseline b_t that does not depend on a_t (so
// that the gradient stays unbiased while its variance falls), and an entropy bonus beta that
// keeps the policy from collapsing. The baselines that need no network, and the measure of the
// estimator's variance, are here too, apart from self-play, so that tests can check them on
// a problem small enough to know the answer.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <torch/torch.h>

namespace tengen::nets {

enum class Baseline {
    None,    // b = 0: plain REINFORCE, as AlphaGo
    Mean,    // a running mean of the learner's rewards
    Value,   // a value network trained alongside the policy on the same games (A2C's critic)
    Greedy,  // the outcome of the learner's greedy game from the same start (self-critical)
};

std::optional<Baseline> parseBaseline(std::string_view name);  // "none", "mean", "value", "greedy"
std::string baselineName(Baseline baseline);

// Per move of a batch: the log-probability of the move played, and the policy's entropy, both
// over the legal moves. logits [B, A], legal [B, A] bool, actions [B] long (each legal).
struct MoveTerms {
    torch::Tensor logProbability;  // [B]
    torch::Tensor entropy;         // [B], in nats
};
MoveTerms policyMoveTerms(const torch::Tensor& logits, const torch::Tensor& legal, const torch::Tensor& actions);

struct PolicyGradientTerms {
    torch::Tensor loss;       // scalar, to minimise
    double meanEntropy = 0;   // of pi over the legal moves, in nats
};

// logits [B, A]: the network's raw outputs; legal [B, A] bool; actions [B] long, each legal;
// advantages [B] float: z - b, carrying no gradient (a critic's own loss is separate). The
// loss is the mean over the B moves; a trainer that samples K of a game's moves scales each
// game's share itself.
PolicyGradientTerms policyGradientLoss(const torch::Tensor& logits, const torch::Tensor& legal,
                                       const torch::Tensor& actions, const torch::Tensor& advantages,
                                       double entropyWeight);

// The `mean` baseline: an exponential running mean of the learner's rewards, updated after
// each iteration's games, so that a game's baseline never depends on its own outcome.
class MeanBaseline {
public:
    explicit MeanBaseline(double decay = 0.9) : decay_(decay) {}
    double value() const { return value_; }
    bool started() const { return started_; }
    void update(const std::vector<double>& rewards);
    // As a checkpoint recorded it.
    void restore(double value, bool started) {
        value_ = value;
        started_ = started;
    }

private:
    double decay_;
    double value_ = 0;
    bool started_ = false;  // the first iteration's mean is taken whole
};

// The spread of per-game gradient estimates around their mean: the mean squared distance
// from the mean gradient (the trace of their covariance). What baselines are for. Each
// tensor is one game's gradient, flattened or not; all of one shape.
double gradientVariance(const std::vector<torch::Tensor>& perGameGradients);

}  // namespace tengen::nets
