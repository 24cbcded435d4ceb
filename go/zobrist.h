#pragma once
// Zobrist keys, fixed at compile time so that hashes are the same in every run and process
// (they key evaluation caches and appear in test expectations).

#include <array>
#include <cstdint>

#include "go/point.h"

namespace tengen::zobrist {

namespace detail {
constexpr std::uint64_t splitmix(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
constexpr auto makeStoneKeys() {
    std::array<std::array<std::uint64_t, kMaxPoints>, 3> keys{};
    std::uint64_t state = 0x5EED'7E46'E000'0001ull;
    for (auto& perColor : keys)
        for (auto& key : perColor) key = splitmix(state);
    return keys;
}
}  // namespace detail

// Indexed by colorIndex (Black = 1, White = 2) and point; index 0 is unused.
inline constexpr auto kStone = detail::makeStoneKeys();
// XOR-ed in when White is to move, for situational superko.
inline constexpr std::uint64_t kWhiteToMove = 0xD1B5'4A32'D192'ED03ull;

}  // namespace tengen::zobrist
