#pragma once
// A small, fast, seedable generator (xoshiro256**) for playouts and tests. Each thread
// owns its own; there is no shared generator.

#include <array>
#include <cstdint>

namespace tengen {

class Random {
public:
    using result_type = std::uint64_t;
    explicit Random(std::uint64_t seed = 0x7E46E5EEDull) {
        for (auto& word : state_) {
            seed += 0x9E3779B97F4A7C15ull;
            std::uint64_t z = seed;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
            word = z ^ (z >> 31);
        }
    }
    static constexpr result_type min() { return 0; }
    static constexpr result_type max() { return ~result_type{0}; }
    result_type operator()() {
        const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
        const std::uint64_t t = state_[1] << 17;
        state_[2] ^= state_[0];
        state_[3] ^= state_[1];
        state_[1] ^= state_[2];
        state_[0] ^= state_[3];
        state_[2] ^= t;
        state_[3] = rotl(state_[3], 45);
        return result;
    }
    // Uniform in [0, n) without division (Lemire's multiply-shift).
    std::uint32_t below(std::uint32_t n) {
        return static_cast<std::uint32_t>(((*this)() >> 32) * static_cast<std::uint64_t>(n) >> 32);
    }
    double uniform() { return static_cast<double>((*this)() >> 11) * 0x1.0p-53; }

    // The whole state, so that a resumed job draws what an uninterrupted one would have.
    using State = std::array<std::uint64_t, 4>;
    const State& state() const { return state_; }
    void setState(const State& state) { state_ = state; }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    State state_;
};

}  // namespace tengen
