#include "nets/precision_choice.h"

#include <array>
#include <chrono>
#include <exception>
#include <limits>
#include <thread>

#include "nets/device.h"

namespace tengen::nets {

PrecisionTiming timePrecisions(const Model& model, const torch::Device& device, int batch, int threads) {
    constexpr std::array<Precision, 2> kPrecisions{Precision::Float32, Precision::BFloat16};
    // The first passes of each shape set up oneDNN's kernels; the quickest of the rest is the
    // one least disturbed by whatever else the machine runs.
    constexpr int kWarmUpRounds = 2, kTimedRounds = 5;
    std::array<double, 2> best{std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity()};
    std::exception_ptr failure;
    std::thread timer([&] {
        try {
            setTorchThreads(threads);
            c10::InferenceMode inference;
            const NetworkShape& shape = model.metadata.shape;
            // Feature planes are zeros and ones.
            const torch::Tensor input =
                torch::randint(0, 2, {batch, shape.inputPlanes(), shape.boardSize, shape.boardSize}, torch::kFloat);
            std::array<Model, 2> copies{copyModel(model), copyModel(model)};
            for (std::size_t i = 0; i < copies.size(); ++i) {
                copies[i].module().to(device, dtypeOf(kPrecisions[i]));
                copies[i].module().eval();
            }
            for (int round = 0; round < kWarmUpRounds + kTimedRounds; ++round) {
                for (std::size_t i = 0; i < copies.size(); ++i) {
                    const auto start = std::chrono::steady_clock::now();
                    const torch::Tensor x = input.to(device, dtypeOf(kPrecisions[i]));
                    const torch::Tensor y = copies[i].policy ? copies[i].policy->forward(x) : copies[i].value->forward(x);
                    (void)y.to(torch::kCPU);  // waits for a GPU to finish
                    const double seconds =
                        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
                    if (round >= kWarmUpRounds) best[i] = std::min(best[i], seconds);
                }
            }
        } catch (...) {
            failure = std::current_exception();
        }
    });
    timer.join();
    if (failure) std::rethrow_exception(failure);
    PrecisionTiming timing;
    timing.float32Seconds = best[0];
    timing.bfloat16Seconds = best[1];
    timing.faster = best[1] < best[0] ? Precision::BFloat16 : Precision::Float32;
    return timing;
}

}  // namespace tengen::nets
