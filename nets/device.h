#pragma once
// Where networks run, chosen at run time: "cpu" or "cuda[:N]". Also sets torch's thread
// count, which Debian's LibTorch otherwise leaves at one.

#include <string>

#include <torch/torch.h>

namespace tengen::nets {

// Throws std::invalid_argument for an unknown device or CUDA that this LibTorch lacks.
torch::Device parseDevice(const std::string& name);

// Intra-op threads for torch on CPU; one inter-op thread, as callers parallelise themselves.
void setTorchThreads(int threads);

}  // namespace tengen::nets
