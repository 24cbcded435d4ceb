#include "nets/precision.h"

#include <stdexcept>
#include <string>

#include <ATen/autocast_mode.h>

namespace tengen::nets {

std::string_view precisionName(Precision p) { return p == Precision::BFloat16 ? "bf16" : "fp32"; }

std::optional<Precision> parsePrecision(std::string_view name) {
    if (name == "fp32" || name == "float32") return Precision::Float32;
    if (name == "bf16" || name == "bfloat16") return Precision::BFloat16;
    return std::nullopt;
}

Precision requirePrecision(std::string_view name) {
    if (const std::optional<Precision> p = parsePrecision(name)) return *p;
    throw std::invalid_argument("precision must be fp32 or bf16, not '" + std::string(name) + "'");
}

std::optional<Precision> requirePrecisionOrAuto(std::string_view name) {
    if (name == "auto") return std::nullopt;
    if (const std::optional<Precision> p = parsePrecision(name)) return *p;
    throw std::invalid_argument("precision must be fp32, bf16 or auto, not '" + std::string(name) + "'");
}

torch::Dtype dtypeOf(Precision p) { return p == Precision::BFloat16 ? torch::kBFloat16 : torch::kFloat; }

MixedPrecisionScope::MixedPrecisionScope(Precision p) : active_(p == Precision::BFloat16) {
    if (!active_) return;
    wasEnabled_ = at::autocast::is_cpu_enabled();
    previousType_ = at::autocast::get_autocast_cpu_dtype();
    at::autocast::set_cpu_enabled(true);
    at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
}

MixedPrecisionScope::~MixedPrecisionScope() {
    if (!active_) return;
    // Casts of the weights are cached while autocast is on; they are stale after the step.
    at::autocast::clear_cache();
    at::autocast::set_cpu_enabled(wasEnabled_);
    at::autocast::set_autocast_cpu_dtype(previousType_);
}

}  // namespace tengen::nets
