#pragma once
// Standard handicap stone placement.

#include <vector>

#include "go/point.h"

namespace tengen {

// Standard fixed handicap points (GTP fixed_handicap). Empty if the size does not allow
// that many stones: 2..9 on odd sizes from 9 up, 2..4 on even sizes and on 7x7.
std::vector<Point> fixedHandicapPoints(const Geometry& geometry, int stones);
int maxFixedHandicap(int size);

}  // namespace tengen
