#pragma once
// What a network is: its kind, size and inputs. Stored in model files, so that a model is
// always rebuilt with the shape it was trained with and fed the features it expects.

#include <string>

#include <nlohmann/json.hpp>

#include "nets/features.h"

namespace tengen::nets {

enum class NetworkKind { Policy, Value };

struct NetworkShape {
    NetworkKind kind = NetworkKind::Policy;
    int boardSize = 19;
    FeatureSet features = FeatureSet::AlphaGoPolicy;
    // AlphaGo's plain stack: one 5x5 layer then (layers - 1) 3x3 layers, all `filters` wide.
    // Residual: a 5x5 layer then pairs of 3x3 layers with skip connections.
    int layers = 12;
    int filters = 128;
    bool residual = false;

    int inputPlanes() const { return planeCount(features); }
    int points() const { return boardSize * boardSize; }
    // Policy outputs: one logit per point, then pass.
    std::string describe() const;  // "policy 12x128 plain, 19x19, alphago-policy"

    friend bool operator==(const NetworkShape&, const NetworkShape&) = default;
};

std::string_view networkKindName(NetworkKind kind);
nlohmann::json toJson(const NetworkShape& shape);
// Throws std::invalid_argument naming the field that is missing or out of range.
NetworkShape shapeFromJson(const nlohmann::json& json);

}  // namespace tengen::nets
