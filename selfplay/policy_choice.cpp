#include "selfplay/policy_choice.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace tengen::selfplay {

PolicyMove choosePolicyMove(const Game& game, const nets::Evaluation& evaluation, const PolicySampling& sampling,
                            Random& rng) {
    const Geometry& geometry = game.geometry();
    const int passIndex = game.size() * game.size();
    if (static_cast<int>(evaluation.policy.size()) != passIndex + 1)
        throw std::invalid_argument("the evaluation holds no policy for this board");
    const Color mover = game.toMove();
    // The policy is already zero on illegal moves; own true eyes are set aside here.
    struct Candidate {
        int index;
        double weight;
    };
    std::vector<Candidate> candidates;
    for (int i = 0; i <= passIndex; ++i) {
        const float p = evaluation.policy[static_cast<std::size_t>(i)];
        if (!std::isfinite(p))
            throw std::runtime_error("the policy network's output is not finite: its weights hold a NaN or an infinity");
        if (p <= 0) continue;
        if (i != passIndex && game.board().isTrueEye(nets::policyMove(i, geometry), mover)) continue;
        candidates.push_back({i, p});
    }
    if (candidates.empty()) return {kPass, 1};
    std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
        return a.weight != b.weight ? a.weight > b.weight : a.index < b.index;
    });
    if (sampling.temperature <= 0) return {nets::policyMove(candidates.front().index, geometry), 1};
    if (sampling.topK > 0 && static_cast<int>(candidates.size()) > sampling.topK)
        candidates.resize(static_cast<std::size_t>(sampling.topK));
    // Relative to the likeliest move, so that a low temperature cannot underflow every weight.
    const double likeliest = candidates.front().weight;
    double total = 0;
    for (Candidate& c : candidates) {
        if (sampling.temperature != 1) c.weight = std::pow(c.weight / likeliest, 1 / sampling.temperature);
        total += c.weight;
    }
    double draw = rng.uniform() * total;
    const Candidate* chosen = &candidates.back();
    for (const Candidate& c : candidates) {
        if (draw < c.weight) {
            chosen = &c;
            break;
        }
        draw -= c.weight;
    }
    return {nets::policyMove(chosen->index, geometry), static_cast<float>(chosen->weight / total)};
}

}  // namespace tengen::selfplay
