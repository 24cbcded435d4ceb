#pragma once
// The board: stones, chains with exact liberty counts, and a Zobrist hash, all kept up to
// date incrementally on every move. It knows capture and suicide but no ko or superko
// history; Game adds those.

#include <array>
#include <bitset>
#include <cstdint>

#include "go/point.h"

namespace tengen {

using PointSet = std::bitset<kMaxPoints>;

// What a move would do, computed without playing it.
struct MoveEffect {
    bool legalIgnoringKo = false;   // empty point, and not suicide unless suicide is allowed
    bool suicide = false;           // the mover's chain would be captured
    int capturedStones = 0;
    int libertiesAfter = 0;         // of the mover's chain, after captures
    int chainSizeAfter = 0;         // of the mover's chain
    std::uint64_t hashAfter = 0;    // position hash after the move
};

class Board {
public:
    explicit Board(int size = 19);

    const Geometry& geometry() const { return geometry_; }
    int size() const { return geometry_.size(); }
    Color at(Point p) const { return color_[p]; }
    std::uint64_t hash() const { return hash_; }
    int stones(Color c) const { return stoneCount_[colorIndex(c)]; }
    // Stones of colour c captured by the opponent so far (prisoners).
    int prisoners(Color c) const { return prisoners_[colorIndex(c)]; }
    // The point the given colour may not retake on under simple ko, or kNoPoint.
    Point koPoint(Color mover) const { return mover == koColor_ ? koPoint_ : kNoPoint; }

    int emptyCount() const { return emptyCount_; }
    Point emptyAt(int i) const { return empty_[i]; }

    Point chainOf(Point p) const { return head_[p]; }
    int chainLiberties(Point p) const { return liberties_[head_[p]]; }
    int chainSize(Point p) const { return chainSize_[head_[p]]; }
    template <class Visit> void forEachStone(Point p, Visit visit) const {
        Point s = p;
        do {
            visit(s);
            s = next_[s];
        } while (s != p);
    }
    PointSet chainLibertySet(Point p) const;
    // The single liberty of a chain in atari.
    Point lastLiberty(Point p) const;

    MoveEffect analyse(Move m, bool suicideAllowed) const;
    // Fast check for playouts: empty, not simple ko, not suicide (suicide never allowed).
    bool isLegalNoSuicide(Move m) const;
    // isLegalNoSuicide and not the mover's own true eye, in one pass over the neighbours:
    // the light playout's move filter, and its hottest code.
    bool isLightPlayoutMove(Point p, Color mover) const {
        if (color_[p] != Color::Empty || (p == koPoint_ && mover == koColor_)) return false;
        bool legal = false;
        int ownOrEdge = 0;
        for (Point n : geometry_.neighbours(p)) {
            const Color c = color_[n];
            if (c == Color::Empty) return true;
            if (c == Color::Edge) {
                ++ownOrEdge;
                continue;
            }
            const bool own = c == mover;
            ownOrEdge += own;
            legal |= own == (liberties_[head_[n]] > 1);  // own chain keeps a liberty, or a capture
        }
        return legal && (ownOrEdge < 4 || !isTrueEye(p, mover));
    }
    bool isSelfAtari(Move m) const;

    // Every on-board neighbour is colour c or the edge.
    bool isEyeLike(Point p, Color c) const;
    // Eye-like, and the diagonals do not let the opponent break it: at most one opponent
    // diagonal in the middle of the board, none on the edge.
    bool isTrueEye(Point p, Color c) const;

    // Plays a move that analyse() found legal (a pass only clears the ko point).
    // Returns the number of stones captured (of either colour, for suicide).
    int play(Move m);
    // Places, replaces or removes a stone outside the flow of play (SGF AB/AW/AE, free
    // handicap). Rebuilds chains from scratch. Returns false, leaving the board unchanged,
    // if the result would have a chain without liberties.
    bool setStone(Point p, Color c);

    // Text diagram with the top row first, using X/O/. and GTP coordinates.
    std::string toString() const;

private:
    void placeStone(Point p, Color c);
    void removeChain(Point head);
    void addEmpty(Point p);
    void removeEmpty(Point p);
    void mergeInto(Point keep, Point absorb);
    int countLiberties(Point head) const;
    void rebuildChains();

    Geometry geometry_;
    std::array<Color, kMaxPoints> color_{};
    std::array<Point, kMaxPoints> head_{};
    std::array<Point, kMaxPoints> next_{};
    // Indexed by a chain's head point.
    std::array<std::int16_t, kMaxPoints> liberties_{};
    std::array<std::int16_t, kMaxPoints> chainSize_{};
    std::array<std::uint64_t, kMaxPoints> chainHash_{};
    std::array<Point, kMaxPoints> empty_{};
    std::array<std::int16_t, kMaxPoints> emptyIndex_{};
    int emptyCount_ = 0;
    std::uint64_t hash_ = 0;
    std::array<int, 3> stoneCount_{};
    std::array<int, 3> prisoners_{};
    Point koPoint_ = kNoPoint;
    Color koColor_ = Color::Empty;
};

}  // namespace tengen
