#include "go/handicap.h"

namespace tengen {

int maxFixedHandicap(int size) {
    if (size < 7) return 0;
    if (size == 7 || size % 2 == 0) return 4;
    return 9;
}

std::vector<Point> fixedHandicapPoints(const Geometry& geometry, int stones) {
    const int size = geometry.size();
    if (stones < 2 || stones > maxFixedHandicap(size)) return {};
    // Third line up to 11x11, fourth from 12x12 on, as GNU Go places them.
    const int near = size >= 12 ? 3 : 2, far = size - 1 - near, mid = size / 2;
    // Columns left to right, rows top to bottom; the GTP order starts at the lower left.
    const Point lowerLeft = geometry.point(near, far), upperRight = geometry.point(far, near);
    const Point upperLeft = geometry.point(near, near), lowerRight = geometry.point(far, far);
    const Point centre = geometry.point(mid, mid);
    const Point leftSide = geometry.point(near, mid), rightSide = geometry.point(far, mid);
    const Point bottomSide = geometry.point(mid, far), topSide = geometry.point(mid, near);

    std::vector<Point> points = {lowerLeft, upperRight};
    if (stones >= 3) points.push_back(upperLeft);
    if (stones >= 4) points.push_back(lowerRight);
    if (stones >= 6) {
        points.push_back(leftSide);
        points.push_back(rightSide);
    }
    if (stones >= 8) {
        points.push_back(bottomSide);
        points.push_back(topSide);
    }
    if (stones % 2 == 1 && stones >= 5) points.push_back(centre);
    return points;
}

}  // namespace tengen
