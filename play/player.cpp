#include "play/player.h"

#include <algorithm>
#include <thread>

namespace tengen::play {

void Player::analyse(const Game&, Color, const std::atomic<bool>& stop, std::chrono::milliseconds interval,
                     const std::function<void(const AnalysisSnapshot&)>&) {
    while (!stop.load()) std::this_thread::sleep_for(std::min(interval, std::chrono::milliseconds(20)));
}

}  // namespace tengen::play
