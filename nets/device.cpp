#include "nets/device.h"

#include <mutex>

namespace tengen::nets {

torch::Device parseDevice(const std::string& name) {
    if (name == "cpu") return torch::kCPU;
    if (name.rfind("cuda", 0) == 0) {
        if (!torch::cuda::is_available())
            throw std::invalid_argument("device '" + name + "': this LibTorch build has no usable CUDA");
        try {
            return torch::Device(name);
        } catch (const std::exception&) {
        }
    }
    throw std::invalid_argument("unknown device '" + name + "' (expected cpu, cuda or cuda:N)");
}

void flushDenormalsToZero() { at::globalContext().setFlushDenormal(true); }

void setTorchThreads(int threads) {
    flushDenormalsToZero();
    torch::set_num_threads(std::max(1, threads));
    // The inter-op pool can be sized only once per process, before it is used.
    static std::once_flag interop;
    std::call_once(interop, [] {
        try {
            torch::set_num_interop_threads(1);
        } catch (const std::exception&) {
        }
    });
}

}  // namespace tengen::nets
