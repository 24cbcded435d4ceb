#pragma once
// AlphaGo's fast rollout policy p_pi: a linear softmax over the cheap local features of
// nets/rollout_features.h. A move's score is the sum of its active features' weights, and
// its probability is exp(score) over the sum for every candidate move (legal, and not
// filling the mover's own true eye). Plain C++, no LibTorch: playouts on search threads
// share one immutable policy.
//
// Model files: "TENGEN-ROLLOUT\n", a JSON block (format and feature versions, board size,
// table sizes, training record), a block of little-endian float32 weights, and a checksum
// (nets/framed_file.h), written atomically.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "nets/rollout/features.h"

namespace tengen::nets {

// A rollout model file that is missing, truncated, corrupted or made for something else.
// The message names the file and the problem.
class RolloutModelError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct RolloutMoveProbability {
    Point point;
    double probability;
};

class RolloutPolicy {
public:
    // All weights zero: every candidate equally likely, i.e. a light playout.
    RolloutPolicy();

    int boardSize() const { return boardSize_; }
    void setBoardSize(int size) { boardSize_ = size; }

    float weight(std::uint32_t feature) const { return weights_[feature]; }
    const std::vector<float>& weights() const { return weights_; }
    // Changes the weights; call refresh() before playing with them.
    std::vector<float>& mutableWeights() { return weights_; }
    // Rebuilds what playouts precompute from the weights.
    void refresh();
    // Playouts draw moves with probability proportional to exp(sharpness * score): above 1
    // they keep closer to p_pi's likely moves, which made their outcomes predict games' results
    // better (docs/rollout.md). moveProbabilities and bestMove stay p_pi's own.
    void setPlayoutSharpness(double sharpness);

    // exp(sharpness * weight) of a feature, precomputed: playouts multiply these instead of calling exp()
    // for every point that changes.
    float expWeight(std::uint32_t feature) const { return expWeights_[feature]; }

    // Every candidate move and its probability, from the features alone (no caching): the
    // reference for training, evaluation and tests. Empty when the mover has no candidate
    // (the playout then passes).
    std::vector<RolloutMoveProbability> moveProbabilities(const Board& board, Color mover,
                                                          const RolloutContext& context) const;
    // The most probable candidate, or kPass.
    Point bestMove(const Board& board, Color mover, const RolloutContext& context) const;

    // How the weights were made; saved with them.
    nlohmann::json training = nlohmann::json::object();

private:
    int boardSize_ = 19;
    std::vector<float> weights_;
    std::vector<float> expWeights_;
    double playoutSharpness_ = 1;
};

// A candidate move and where its features sit in the shared feature list.
struct RolloutCandidate {
    Point point;
    std::uint32_t firstFeature;  // index into RolloutCandidates::features
    std::uint32_t featureCount;
};

// Every candidate of a position with its active features: what training's gradient and the
// reference probabilities work from. Reused between positions to avoid allocation.
struct RolloutCandidates {
    std::vector<RolloutCandidate> candidates;
    std::vector<std::uint32_t> features;
    // The candidate at a point, or -1.
    int indexOf(Point p) const;
};

void extractRolloutCandidates(const Board& board, Color mover, const RolloutContext& context, RolloutCandidates& out);

// Writes atomically; throws std::runtime_error naming the file if it cannot be written.
void saveRolloutPolicy(const std::filesystem::path& path, const RolloutPolicy& policy);

// Throws RolloutModelError naming the file and what is wrong: missing, not a rollout model,
// truncated, corrupted, another format or feature version, tables of another size, or
// (if expectedBoardSize is given) trained for another board size.
RolloutPolicy loadRolloutPolicy(const std::filesystem::path& path, std::optional<int> expectedBoardSize = std::nullopt);

}  // namespace tengen::nets
