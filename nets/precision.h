#pragma once
// The arithmetic networks run in. bfloat16 keeps about three significant digits; whether it
// is faster depends on the CPU (on the AMD development machine 1.85x inference and 1.6x
// training, on the Intel one 0.6x both: docs/benchmarks.md), so training defaults to float
// and inference can time both on the machine at hand (nets/precision_choice.h).

#include <optional>
#include <string_view>

#include <torch/torch.h>

namespace tengen::nets {

enum class Precision {
    Float32,
    // Inference: bfloat16 weights and activations, outputs back as float. Training: float
    // weights and optimiser, convolutions and products in bfloat16 (mixed precision).
    BFloat16,
};
std::string_view precisionName(Precision p);                  // "fp32", "bf16"
std::optional<Precision> parsePrecision(std::string_view name);  // also accepts "float32", "bfloat16"
// Throws std::invalid_argument, naming the precision setting, for anything parsePrecision refuses.
Precision requirePrecision(std::string_view name);
// Inference flags also take "auto", returned as nothing: time both at start-up and keep the
// faster (nets/precision_choice.h). Throws std::invalid_argument, naming the precision setting, otherwise.
std::optional<Precision> requirePrecisionOrAuto(std::string_view name);
torch::Dtype dtypeOf(Precision p);

// While it lives, this thread's convolutions and matrix products on CPU run in bfloat16 and
// everything else in float (torch's CPU autocast); does nothing for Float32.
class MixedPrecisionScope {
public:
    explicit MixedPrecisionScope(Precision p);
    ~MixedPrecisionScope();
    MixedPrecisionScope(const MixedPrecisionScope&) = delete;
    MixedPrecisionScope& operator=(const MixedPrecisionScope&) = delete;

private:
    bool active_;
    bool wasEnabled_ = false;
    at::ScalarType previousType_ = at::kBFloat16;
};

}  // namespace tengen::nets
