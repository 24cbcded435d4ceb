#include "go/benson.h"

#include <algorithm>
#include <vector>

namespace tengen {

namespace {

// A maximal connected set of points not occupied by the colour under test.
struct Enclosure {
    std::vector<Point> points;
    std::vector<Point> borderChains;   // heads of the colour's chains next to it
    std::vector<Point> vitalTo;        // chains for which every empty point here is a liberty
};

std::vector<Enclosure> findEnclosures(const Board& board, Color color) {
    const Geometry& g = board.geometry();
    std::vector<Enclosure> enclosures;
    PointSet seen;
    std::vector<Point> stack;
    for (int row = 0; row < g.size(); ++row)
        for (int col = 0; col < g.size(); ++col) {
            const Point start = g.point(col, row);
            if (board.at(start) == color || seen.test(start)) continue;
            Enclosure e;
            seen.set(start);
            stack.assign(1, start);
            while (!stack.empty()) {
                const Point p = stack.back();
                stack.pop_back();
                e.points.push_back(p);
                for (Point n : g.neighbours(p)) {
                    const Color c = board.at(n);
                    if (c == Color::Edge) continue;
                    if (c == color) {
                        const Point head = board.chainOf(n);
                        if (std::find(e.borderChains.begin(), e.borderChains.end(), head) == e.borderChains.end())
                            e.borderChains.push_back(head);
                    } else if (!seen.test(n)) {
                        seen.set(n);
                        stack.push_back(n);
                    }
                }
            }
            for (Point chain : e.borderChains) {
                const bool vital = std::all_of(e.points.begin(), e.points.end(), [&](Point p) {
                    if (board.at(p) != Color::Empty) return true;
                    const auto ns = g.neighbours(p);
                    return std::any_of(ns.begin(), ns.end(),
                                       [&](Point n) { return board.at(n) == color && board.chainOf(n) == chain; });
                });
                if (vital) e.vitalTo.push_back(chain);
            }
            enclosures.push_back(std::move(e));
        }
    return enclosures;
}

}  // namespace

PassAlive passAlive(const Board& board, Color color) {
    std::vector<Enclosure> enclosures = findEnclosures(board, color);
    const Geometry& g = board.geometry();

    PointSet aliveChains;  // by head
    for (int row = 0; row < g.size(); ++row)
        for (int col = 0; col < g.size(); ++col) {
            const Point p = g.point(col, row);
            if (board.at(p) == color) aliveChains.set(board.chainOf(p));
        }
    std::vector<bool> enclosureKept(enclosures.size(), true);

    for (bool changed = true; changed;) {
        changed = false;
        // A chain needs two vital enclosures that are still held to stay.
        std::array<int, kMaxPoints> vitalCount{};
        for (std::size_t i = 0; i < enclosures.size(); ++i)
            if (enclosureKept[i])
                for (Point chain : enclosures[i].vitalTo) ++vitalCount[chain];
        for (int p = 0; p < g.paddedArea(); ++p)
            if (aliveChains.test(p) && vitalCount[p] < 2) {
                aliveChains.reset(p);
                changed = true;
            }
        // An enclosure is held only while every chain around it stays.
        for (std::size_t i = 0; i < enclosures.size(); ++i) {
            if (!enclosureKept[i]) continue;
            for (Point chain : enclosures[i].borderChains)
                if (!aliveChains.test(chain)) {
                    enclosureKept[i] = false;
                    changed = true;
                    break;
                }
        }
    }

    PassAlive result;
    for (int row = 0; row < g.size(); ++row)
        for (int col = 0; col < g.size(); ++col) {
            const Point p = g.point(col, row);
            if (board.at(p) == color && aliveChains.test(board.chainOf(p))) result.stones.set(p);
        }
    // The opponent cannot make an eye where every empty point touches one of our living
    // chains, so such enclosures are ours for certain.
    for (std::size_t i = 0; i < enclosures.size(); ++i) {
        const Enclosure& e = enclosures[i];
        if (!enclosureKept[i] || e.borderChains.empty() || e.vitalTo.empty()) continue;
        for (Point p : e.points) result.territory.set(p);
    }
    return result;
}

}  // namespace tengen
