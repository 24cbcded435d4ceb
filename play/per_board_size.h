#pragma once
// Something a player needs once per board size (networks, mostly), loaded the first time a
// game of that size asks and shared after that by every player holding it. A GTP controller
// may change the size at any time, and TCP sessions of different sizes share one engine.

#include <functional>
#include <map>
#include <mutex>
#include <utility>

namespace tengen::play {

template <class T>
class PerBoardSize {
public:
    explicit PerBoardSize(std::function<T(int boardSize)> load) : load_(std::move(load)) {}

    // Records what a size has without loading it.
    void set(int boardSize, T value) {
        std::lock_guard lock(mutex_);
        loaded_.insert_or_assign(boardSize, std::move(value));
    }

    // A load that throws leaves nothing behind, so the next request tries again (and a
    // damaged file fails each move that needs it, with its name, not the session).
    T forSize(int boardSize) {
        std::lock_guard lock(mutex_);
        if (const auto found = loaded_.find(boardSize); found != loaded_.end()) return found->second;
        return loaded_.emplace(boardSize, load_(boardSize)).first->second;
    }

private:
    std::function<T(int)> load_;
    std::mutex mutex_;
    std::map<int, T> loaded_;
};

}  // namespace tengen::play
