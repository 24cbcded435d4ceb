#include "nets/network_shape.h"

#include <fmt/format.h>

namespace tengen::nets {

std::string_view networkKindName(NetworkKind kind) { return kind == NetworkKind::Policy ? "policy" : "value"; }

std::string NetworkShape::describe() const {
    return fmt::format("{} {}x{} {}, {}x{}, {}", networkKindName(kind), layers, filters,
                       residual ? "residual" : "plain", boardSize, boardSize, featureSetName(features));
}

nlohmann::json toJson(const NetworkShape& shape) {
    return {{"kind", networkKindName(shape.kind)},
            {"board_size", shape.boardSize},
            {"features", featureSetName(shape.features)},
            {"layers", shape.layers},
            {"filters", shape.filters},
            {"residual", shape.residual}};
}

NetworkShape shapeFromJson(const nlohmann::json& json) {
    auto field = [&](const char* name) -> const nlohmann::json& {
        if (!json.is_object() || !json.contains(name)) throw std::invalid_argument(fmt::format("missing '{}'", name));
        return json.at(name);
    };
    auto integer = [&](const char* name, int min, int max) {
        const nlohmann::json& value = field(name);
        if (!value.is_number_integer() || value.get<long>() < min || value.get<long>() > max)
            throw std::invalid_argument(fmt::format("'{}' must be an integer in {}..{}", name, min, max));
        return value.get<int>();
    };
    NetworkShape shape;
    const nlohmann::json& kind = field("kind");
    if (kind == "policy") shape.kind = NetworkKind::Policy;
    else if (kind == "value") shape.kind = NetworkKind::Value;
    else throw std::invalid_argument("'kind' must be \"policy\" or \"value\"");
    shape.boardSize = integer("board_size", kMinBoardSize, kMaxBoardSize);
    const nlohmann::json& features = field("features");
    const auto set = features.is_string() ? parseFeatureSet(features.get<std::string>()) : std::nullopt;
    if (!set) throw std::invalid_argument("unknown 'features'");
    shape.features = *set;
    shape.layers = integer("layers", 2, 100);
    shape.filters = integer("filters", 1, 1024);
    const nlohmann::json& residual = field("residual");
    if (!residual.is_boolean()) throw std::invalid_argument("'residual' must be true or false");
    shape.residual = residual.get<bool>();
    return shape;
}

}  // namespace tengen::nets
