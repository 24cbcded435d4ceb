#pragma once
// Positions spread evenly over a set of games, for evaluations that cannot afford them all:
// every counted move of every game gets an ordinal, and ordinals are chosen at even steps, so
// long games and short ones are sampled alike and two runs choose the same positions.

#include <cstddef>
#include <functional>
#include <vector>

#include "go/game_index.h"

namespace tengen {

class EvenPositions {
public:
    // countedMoves(game) says how many of a game's moves may be chosen.
    EvenPositions(const std::vector<IndexedGame>& games, int wanted,
                  const std::function<std::size_t(const IndexedGame&)>& countedMoves);

    // The ordinal of game g's first counted move.
    std::size_t firstOrdinal(std::size_t game) const { return firstOrdinal_[game]; }
    // The first chosen ordinal of game g, or end(game) when none of its moves is chosen.
    std::vector<std::size_t>::const_iterator begin(std::size_t game) const;
    std::vector<std::size_t>::const_iterator end(std::size_t game) const;

private:
    std::vector<std::size_t> firstOrdinal_;  // one past the last game's moves at the end
    std::vector<std::size_t> chosen_;        // ascending
};

}  // namespace tengen
