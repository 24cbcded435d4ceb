#include "selfplay/opponent_pool.h"

#include <stdexcept>

#include <fmt/format.h>

#include "selfplay/game_runner.h"

namespace tengen::selfplay {

OpponentPool::OpponentPool(PoolSettings settings, std::vector<std::filesystem::path> members)
    : settings_(std::move(settings)), members_(std::move(members)) {
    if (settings_.addEvery < 1) throw std::invalid_argument("the pool interval must be at least 1 iteration");
    if (settings_.latest < 0) throw std::invalid_argument("the pool's latest-k must not be negative");
}

void OpponentPool::check(const nets::NetworkShape& shape) const {
    if (members_.empty()) throw std::invalid_argument("the opponent pool is empty");
    for (const std::filesystem::path& file : members_) {
        const nets::Model model = nets::loadModel(file);
        const nets::NetworkShape& s = model.metadata.shape;
        if (s.kind != nets::NetworkKind::Policy)
            throw std::invalid_argument(fmt::format("pool member {} is a {} network, not a policy", file.string(),
                                                    nets::networkKindName(s.kind)));
        if (s.boardSize != shape.boardSize || s.features != shape.features)
            throw std::invalid_argument(fmt::format("pool member {} is {}; the learner is {}", file.string(),
                                                    s.describe(), shape.describe()));
    }
}

const std::filesystem::path& OpponentPool::draw(std::uint64_t seed) const {
    const std::size_t eligible =
        settings_.latest > 0 ? std::min<std::size_t>(members_.size(), static_cast<std::size_t>(settings_.latest))
                             : members_.size();
    const std::size_t first = members_.size() - eligible;
    return members_[first + gameSeed(seed, 0x9001) % eligible];
}

bool OpponentPool::joinsAfter(long iteration) const { return iteration % settings_.addEvery == 0; }

void OpponentPool::add(long iteration, nets::Model& learner) {
    const std::filesystem::path file = settings_.directory / fmt::format("{:06}.model", iteration);
    std::filesystem::create_directories(settings_.directory);
    nets::saveModel(file, learner);
    members_.push_back(file);
}

}  // namespace tengen::selfplay
