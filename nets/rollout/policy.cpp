#include "nets/rollout/policy.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "go/atomic_file.h"
#include "go/framed_file.h"

namespace tengen::nets {

namespace {

using Layout = RolloutFeatureLayout;

constexpr std::string_view kMagic = "TENGEN-ROLLOUT\n";
constexpr int kFormatVersion = 1;
// The weights take 2 MiB; anything far larger is not ours.
constexpr std::uintmax_t kMaxFileBytes = std::uintmax_t{64} << 20;
// exp() of larger weights overflows float sums; no trained weight comes near.
constexpr float kMaxScore = 40;

nlohmann::json tableSizes() {
    return {{"fixed", Layout::kFixedCount},
            {"pattern_slots", Layout::kPatternSlots},
            {"response_slots", Layout::kResponseSlots},
            {"response_shape_slots", Layout::kResponseShapeSlots},
            {"weights", Layout::kCount}};
}

}  // namespace

RolloutPolicy::RolloutPolicy() : weights_(Layout::kCount, 0.0f), expWeights_(Layout::kCount, 1.0f) {}

void RolloutPolicy::refresh() {
    for (std::uint32_t i = 0; i < Layout::kCount; ++i)
        expWeights_[i] = std::exp(std::clamp(static_cast<float>(playoutSharpness_ * weights_[i]), -kMaxScore, kMaxScore));
}

void RolloutPolicy::setPlayoutSharpness(double sharpness) {
    if (!(sharpness > 0)) throw std::invalid_argument("playout sharpness must be positive");
    playoutSharpness_ = sharpness;
    refresh();
}

int RolloutCandidates::indexOf(Point p) const {
    for (std::size_t i = 0; i < candidates.size(); ++i)
        if (candidates[i].point == p) return static_cast<int>(i);
    return -1;
}

void extractRolloutCandidates(const Board& board, Color mover, const RolloutContext& context, RolloutCandidates& out) {
    out.candidates.clear();
    out.features.clear();
    LastMoveFeatures last;
    lastMoveFeatures(board, mover, context, last);
    // Each point's last-move features as a linked list, so candidates find theirs directly.
    PointSet hasLast;
    std::array<std::int16_t, kMaxPoints> firstAt;
    std::array<std::int16_t, kMaxLastMoveFeatures> nextAfter;
    for (int i = 0; i < last.count; ++i) {
        const Point p = last.items[i].point;
        nextAfter[i] = hasLast[p] ? firstAt[p] : std::int16_t{-1};
        firstAt[p] = static_cast<std::int16_t>(i);
        hasLast.set(p);
    }
    for (int i = 0; i < board.emptyCount(); ++i) {
        const Point p = board.emptyAt(i);
        if (!board.isLightPlayoutMove(p, mover)) continue;
        const std::uint32_t code = neighbourhoodCode(board, p);
        RolloutCandidate c{p, static_cast<std::uint32_t>(out.features.size()), 1};
        out.features.push_back(patternFeature(mover == Color::Black ? code : swapNeighbourhoodColours(code)));
        if (hasLast[p])
            for (int k = firstAt[p]; k >= 0; k = nextAfter[k]) {
                out.features.push_back(last.items[k].feature);
                ++c.featureCount;
            }
        out.candidates.push_back(c);
    }
}

std::vector<RolloutMoveProbability> RolloutPolicy::moveProbabilities(const Board& board, Color mover,
                                                                     const RolloutContext& context) const {
    RolloutCandidates set;
    extractRolloutCandidates(board, mover, context, set);
    std::vector<RolloutMoveProbability> result;
    result.reserve(set.candidates.size());
    double top = -1e300;
    for (const RolloutCandidate& c : set.candidates) {
        double score = 0;
        for (std::uint32_t k = 0; k < c.featureCount; ++k) score += weights_[set.features[c.firstFeature + k]];
        result.push_back({c.point, score});
        top = std::max(top, score);
    }
    double sum = 0;
    for (RolloutMoveProbability& m : result) sum += m.probability = std::exp(m.probability - top);
    for (RolloutMoveProbability& m : result) m.probability /= sum;
    return result;
}

Point RolloutPolicy::bestMove(const Board& board, Color mover, const RolloutContext& context) const {
    Point best = kPass;
    double bestProbability = -1;
    for (const RolloutMoveProbability& m : moveProbabilities(board, mover, context))
        if (m.probability > bestProbability) {
            bestProbability = m.probability;
            best = m.point;
        }
    return best;
}

void saveRolloutPolicy(const std::filesystem::path& path, const RolloutPolicy& policy) {
    const nlohmann::json metadata = {{"kind", "rollout policy"},
                                     {"format_version", kFormatVersion},
                                     {"feature_version", Layout::kVersion},
                                     {"board_size", policy.boardSize()},
                                     {"tables", tableSizes()},
                                     {"weight_encoding", "float32 little-endian"},
                                     {"training", policy.training}};
    const std::string body = metadata.dump(2) + "\n";
    writeFileAtomically(path, frameBlocks(kMagic, {body, encodeFloats(policy.weights())}));
}

RolloutPolicy loadRolloutPolicy(const std::filesystem::path& path, std::optional<int> expectedBoardSize) {
    auto fail = [&](const std::string& problem) {
        return RolloutModelError(fmt::format("rollout model file {}: {}", path.string(), problem));
    };
    std::string whyNot;
    const std::optional<std::string> text = readWholeFile(path, kMaxFileBytes, whyNot);
    if (!text) throw fail(whyNot);
    const Unframed parts = unframeBlocks(*text, kMagic, 2);
    if (parts.problem != FrameProblem::None) throw fail(describeFrameProblem(parts.problem, "Tengen rollout model"));

    RolloutPolicy policy;
    nlohmann::json metadata;
    try {
        metadata = nlohmann::json::parse(parts.blocks[0]);
        const int format = metadata.at("format_version").get<int>();
        if (format != kFormatVersion)
            throw fail(fmt::format("has format version {}; this build reads version {}", format, kFormatVersion));
        const int features = metadata.at("feature_version").get<int>();
        if (features != Layout::kVersion)
            throw fail(fmt::format("was trained with feature version {}; this build computes version {}", features,
                                   Layout::kVersion));
        if (metadata.at("tables") != tableSizes())
            throw fail(fmt::format("has feature tables {}, but this build uses {}", metadata.at("tables").dump(),
                                   tableSizes().dump()));
        policy.setBoardSize(metadata.at("board_size").get<int>());
        policy.training = metadata.value("training", nlohmann::json::object());
    } catch (const RolloutModelError&) {
        throw;
    } catch (const std::exception& e) {
        throw fail(std::string("has bad metadata: ") + e.what());
    }
    if (expectedBoardSize && *expectedBoardSize != policy.boardSize())
        throw fail(fmt::format("is for {}x{} boards, not {}x{}", policy.boardSize(), policy.boardSize(),
                               *expectedBoardSize, *expectedBoardSize));
    const std::string_view blob = parts.blocks[1];
    if (blob.size() != std::size_t{Layout::kCount} * 4)
        throw fail(fmt::format("holds {} bytes of weights, not the {} its tables need", blob.size(),
                               std::size_t{Layout::kCount} * 4));
    std::vector<float> weights = decodeFloats(blob);
    for (float w : weights)
        if (!std::isfinite(w)) throw fail("holds a weight that is not a finite number");
    policy.mutableWeights() = std::move(weights);
    policy.refresh();
    return policy;
}

}  // namespace tengen::nets
