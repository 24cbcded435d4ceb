#pragma once
// Where networks run, chosen at run time: "cpu" or "cuda[:N]". Also sets torch's thread
// count, which Debian's LibTorch otherwise leaves at one.

#include <string>

#include <torch/torch.h>

namespace tengen::nets {

// Throws std::invalid_argument for an unknown device or CUDA that this LibTorch lacks.
torch::Device parseDevice(const std::string& name);

// Intra-op threads for torch on CPU; one inter-op thread, as callers parallelise themselves.
// Also flushes denormals on the calling thread (below), as every thread that runs torch must.
void setTorchThreads(int threads);

// Makes float arithmetic on this thread, and on threads it starts afterwards, treat denormal
// numbers as zero. Trained weights and activations drift into denormals, which Intel CPUs
// handle in microcode: a trained 6x64 network ran 7x slower than a fresh one without this.
void flushDenormalsToZero();

}  // namespace tengen::nets
