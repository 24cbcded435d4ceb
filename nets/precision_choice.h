#pragma once
// --precision auto: the arithmetic that runs a network faster on this machine, found by timing
// it. CPU flags cannot tell: bf16 ran the trained policy network 2.6x as fast as fp32 on the
// AMD development machine and 0.6x as fast on an Intel one, both with AVX-512 BF16
// (docs/benchmarks.md).

#include <torch/torch.h>

#include "nets/model_file.h"
#include "nets/precision.h"

namespace tengen::nets {

struct PrecisionTiming {
    Precision faster = Precision::Float32;
    // The quickest of a few forward passes of one batch, input transfer included.
    double float32Seconds = 0;
    double bfloat16Seconds = 0;
};

// Times `model` on a batch of `batch` positions in both precisions, alternating, on `device`
// with `threads` torch threads. Runs on a thread of its own, so the caller's torch settings
// stay as they are. A few tenths of a second for the bundled networks.
PrecisionTiming timePrecisions(const Model& model, const torch::Device& device, int batch, int threads);

}  // namespace tengen::nets
