#include "go/even_positions.h"

#include <algorithm>

namespace tengen {

EvenPositions::EvenPositions(const std::vector<IndexedGame>& games, int wanted,
                             const std::function<std::size_t(const IndexedGame&)>& countedMoves)
    : firstOrdinal_(games.size() + 1, 0) {
    for (std::size_t g = 0; g < games.size(); ++g) firstOrdinal_[g + 1] = firstOrdinal_[g] + countedMoves(games[g]);
    const std::size_t total = firstOrdinal_.back();
    const std::size_t count = std::min<std::size_t>(total, static_cast<std::size_t>(std::max(0, wanted)));
    chosen_.resize(count);
    for (std::size_t k = 0; k < count; ++k) chosen_[k] = k * total / count;
}

std::vector<std::size_t>::const_iterator EvenPositions::begin(std::size_t game) const {
    return std::lower_bound(chosen_.begin(), chosen_.end(), firstOrdinal_[game]);
}

std::vector<std::size_t>::const_iterator EvenPositions::end(std::size_t game) const {
    return std::lower_bound(chosen_.begin(), chosen_.end(), firstOrdinal_[game + 1]);
}

}  // namespace tengen
