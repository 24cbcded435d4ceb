#include "nets/evaluation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace tengen::nets {

std::vector<std::uint8_t> legalMoveMask(const Game& game) {
    const Geometry& geometry = game.geometry();
    std::vector<std::uint8_t> legal(static_cast<std::size_t>(geometry.size()) * geometry.size() + 1, 0);
    for (Point p : game.legalMoves(game.toMove())) legal[policyIndex(p, geometry)] = 1;
    legal.back() = 1;
    return legal;
}

std::vector<std::uint8_t> legalMoveMaskFromFeatures(std::span<const float> alphagoFeatures, int size) {
    const std::size_t area = static_cast<std::size_t>(size) * size;
    if (alphagoFeatures.size() < (alphago::kCaptureSize + 8) * area)
        throw std::invalid_argument("too few planes for AlphaGo features");
    std::vector<std::uint8_t> legal(area + 1, 0);
    // One-hot: exactly one of the eight planes is set at a legal empty point.
    for (int plane = alphago::kCaptureSize; plane < alphago::kCaptureSize + 8; ++plane) {
        const float* values = alphagoFeatures.data() + plane * area;
        for (std::size_t i = 0; i < area; ++i) legal[i] |= values[i] != 0.0f;
    }
    legal.back() = 1;
    return legal;
}

void softmaxOverLegal(const float* logits, std::span<const std::uint8_t> legal, float* out) {
    float highest = -std::numeric_limits<float>::infinity();
    for (std::size_t i = 0; i < legal.size(); ++i)
        if (legal[i]) highest = std::max(highest, logits[i]);
    // Summed in double: 362 terms of very different sizes lose digits in float.
    double sum = 0;
    for (std::size_t i = 0; i < legal.size(); ++i) {
        const float e = legal[i] ? std::exp(logits[i] - highest) : 0.0f;
        out[i] = e;
        sum += e;
    }
    const float scale = static_cast<float>(1.0 / sum);
    for (std::size_t i = 0; i < legal.size(); ++i) out[i] *= scale;
}

}  // namespace tengen::nets
