#include "go/scoring.h"

#include <cmath>
#include <vector>

#include <fmt/format.h>

namespace tengen {

namespace {

// Connected regions of points that are empty once dead stones are removed.
struct Region {
    std::vector<Point> points;
    bool reachesBlack = false;
    bool reachesWhite = false;
    Color owner() const {
        return reachesBlack == reachesWhite ? Color::Empty : reachesBlack ? Color::Black : Color::White;
    }
};

Color livingColor(const Board& board, const PointSet& dead, Point p) {
    const Color c = board.at(p);
    return (c == Color::Black || c == Color::White) && dead.test(p) ? Color::Empty : c;
}

std::vector<Region> emptyRegions(const Board& board, const PointSet& dead, std::array<int, kMaxPoints>& regionOf) {
    const Geometry& g = board.geometry();
    regionOf.fill(-1);
    std::vector<Region> regions;
    std::vector<Point> stack;
    for (int row = 0; row < g.size(); ++row)
        for (int col = 0; col < g.size(); ++col) {
            const Point start = g.point(col, row);
            if (livingColor(board, dead, start) != Color::Empty || regionOf[start] >= 0) continue;
            Region region;
            const int id = static_cast<int>(regions.size());
            regionOf[start] = id;
            stack.assign(1, start);
            while (!stack.empty()) {
                const Point p = stack.back();
                stack.pop_back();
                region.points.push_back(p);
                for (Point n : g.neighbours(p)) {
                    const Color c = livingColor(board, dead, n);
                    if (c == Color::Black) region.reachesBlack = true;
                    else if (c == Color::White) region.reachesWhite = true;
                    else if (c == Color::Empty && regionOf[n] < 0) {
                        regionOf[n] = id;
                        stack.push_back(n);
                    }
                }
            }
            regions.push_back(std::move(region));
        }
    return regions;
}

// Regions bordered by one colour whose bordering chains also touch a region reaching both
// colours: the eyes of groups in seki.
std::vector<bool> sekiEyes(const Board& board, const PointSet& dead, const std::vector<Region>& regions) {
    const Geometry& g = board.geometry();
    PointSet chainsTouchingDame;
    for (const Region& r : regions) {
        if (!(r.reachesBlack && r.reachesWhite)) continue;
        for (Point p : r.points)
            for (Point n : g.neighbours(p))
                if (livingColor(board, dead, n) == Color::Black || livingColor(board, dead, n) == Color::White)
                    chainsTouchingDame.set(board.chainOf(n));
    }
    std::vector<bool> seki(regions.size(), false);
    for (std::size_t i = 0; i < regions.size(); ++i) {
        if (regions[i].owner() == Color::Empty) continue;
        for (Point p : regions[i].points)
            for (Point n : g.neighbours(p))
                if (livingColor(board, dead, n) != Color::Empty && board.at(n) != Color::Edge &&
                    chainsTouchingDame.test(board.chainOf(n)))
                    seki[i] = true;
    }
    return seki;
}

}  // namespace

std::string Score::result() const {
    const double m = margin();
    if (m == 0) return "0";
    return fmt::format("{}+{}", m > 0 ? 'B' : 'W', std::abs(m));
}

Ownership areaOwnership(const Board& board, const PointSet& dead) {
    Ownership owner;
    owner.fill(Color::Edge);
    std::array<int, kMaxPoints> regionOf;
    const std::vector<Region> regions = emptyRegions(board, dead, regionOf);
    const Geometry& g = board.geometry();
    for (int row = 0; row < g.size(); ++row)
        for (int col = 0; col < g.size(); ++col) {
            const Point p = g.point(col, row);
            const Color c = livingColor(board, dead, p);
            owner[p] = c != Color::Empty ? c : regions[regionOf[p]].owner();
        }
    return owner;
}

Score trompTaylorScore(const Board& board, double komi) {
    // Playouts score every game they play, so this avoids the general path's allocations:
    // stones are counted already, and only the empty regions need a flood fill.
    Score s{static_cast<double>(board.stones(Color::Black)), komi + board.stones(Color::White)};
    const Geometry& g = board.geometry();
    PointSet seen;
    std::array<Point, kMaxPoints> stack;
    for (int i = 0; i < board.emptyCount(); ++i) {
        const Point start = board.emptyAt(i);
        if (seen[start]) continue;
        seen[start] = true;
        int top = 0, size = 0;
        bool reachesBlack = false, reachesWhite = false;
        stack[top++] = start;
        while (top > 0) {
            const Point p = stack[--top];
            ++size;
            for (Point n : g.neighbours(p)) {
                const Color c = board.at(n);
                if (c == Color::Black) reachesBlack = true;
                else if (c == Color::White) reachesWhite = true;
                else if (c == Color::Empty && !seen[n]) {
                    seen[n] = true;
                    stack[top++] = n;
                }
            }
        }
        if (reachesBlack != reachesWhite) (reachesBlack ? s.black : s.white) += size;
    }
    return s;
}

Score score(const Board& board, const Rules& rules, double komi, int handicap, const PointSet& dead) {
    Score s;
    s.white = komi;
    const Geometry& g = board.geometry();
    if (rules.scoring == Scoring::Area) {
        const Ownership owner = areaOwnership(board, dead);
        for (int row = 0; row < g.size(); ++row)
            for (int col = 0; col < g.size(); ++col) {
                const Color c = owner[g.point(col, row)];
                if (c == Color::Black) s.black += 1;
                else if (c == Color::White) s.white += 1;
            }
        s.white += handicapBonus(rules.handicapBonus, handicap);
        return s;
    }

    std::array<int, kMaxPoints> regionOf;
    const std::vector<Region> regions = emptyRegions(board, dead, regionOf);
    const std::vector<bool> seki =
        rules.sekiEyesScoreless ? sekiEyes(board, dead, regions) : std::vector<bool>(regions.size());
    for (std::size_t i = 0; i < regions.size(); ++i) {
        const Color owner = regions[i].owner();
        if (owner == Color::Empty || seki[i]) continue;
        (owner == Color::Black ? s.black : s.white) += static_cast<double>(regions[i].points.size());
    }
    // Prisoners: captured during the game, plus dead stones taken off at the end.
    s.black += board.prisoners(Color::White);
    s.white += board.prisoners(Color::Black);
    for (int row = 0; row < g.size(); ++row)
        for (int col = 0; col < g.size(); ++col) {
            const Point p = g.point(col, row);
            if (!dead.test(p)) continue;
            if (board.at(p) == Color::White) s.black += 1;
            else if (board.at(p) == Color::Black) s.white += 1;
        }
    return s;
}

}  // namespace tengen
