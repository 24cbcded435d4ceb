#pragma once
// The distinct chains around a point, by head: at most four, since a point has four
// neighbours. Small enough to live on the stack in the hottest loops.

#include <array>

#include "go/point.h"

namespace tengen {

struct ChainHeads {
    std::array<Point, 4> heads{};
    int count = 0;
    bool insert(Point head) {
        for (int i = 0; i < count; ++i)
            if (heads[i] == head) return false;
        heads[count++] = head;
        return true;
    }
    bool contains(Point head) const {
        for (int i = 0; i < count; ++i)
            if (heads[i] == head) return true;
        return false;
    }
    const Point* begin() const { return heads.data(); }
    const Point* end() const { return heads.data() + count; }
};

}  // namespace tengen
