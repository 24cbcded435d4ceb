#pragma once
// The features of AlphaGo's fast rollout policy p_pi (Nature 2016, Methods, "Rollout
// policy", and Extended Data Table 4): cheap, local facts about a candidate move, each a
// weight in a linear softmax. Everything here is plain C++ on the Board, with no
// allocation, because playouts evaluate it millions of times on every search thread.
//
// Two kinds of feature:
//  - the move's own 3x3 neighbourhood (stone colours and liberty counts 1, 2, 3+), which
//    changes only when something happens next to the move, so playouts cache its weight
//    per point and refresh only what the last move touched;
//  - features about the last two moves (response, save-atari, neighbour, 12-point diamond
//    patterns, nakade, distance), which only points near them have, recomputed every move.
//
// Colours are always seen from the player to move ("own" and "opponent"), and patterns are
// reduced to one of their 8 symmetric forms before hashing, so that a shape and its mirror
// images share a weight and training data goes eight times as far.

#include <array>
#include <cstdint>

#include "go/board.h"

namespace tengen::nets {

// What a point around a candidate holds, from the mover's side: 3 bits.
enum class RolloutPointState : std::uint8_t {
    Empty = 0,
    Edge = 1,
    Own1 = 2,  // own stone whose chain has 1 liberty
    Own2 = 3,
    Own3 = 4,  // 3 or more liberties
    Opponent1 = 5,
    Opponent2 = 6,
    Opponent3 = 7,
};

// Where each kind of feature sits in the weight vector. Patterns are hashed into fixed-size
// tables: there are far more possible shapes than ever occur, and a rare collision costs
// less than a dictionary lookup per point.
struct RolloutFeatureLayout {
    static constexpr int kVersion = 2;  // bump when any id or encoding below changes meaning

    // Fixed features, one weight each.
    static constexpr std::uint32_t kResponse = 0;            // the move is in the last move's 12-point diamond
    static constexpr std::uint32_t kSaveAtariExtend = 1;     // extends a chain the last move put in atari
    static constexpr std::uint32_t kSaveAtariCapture = 2;    // saves it by capturing a neighbour
    static constexpr std::uint32_t kNeighbourOrthogonal = 3; // directly next to the last move
    static constexpr std::uint32_t kNeighbourDiagonal = 4;   // diagonally next to it
    static constexpr std::uint32_t kNakade = 5;              // + region size - 3, sizes 3 to 6
    static constexpr int kNakadeSizes = 4;
    // Distance from the last move beyond its diamond (Manhattan distance 3 and 4), and
    // distance from the mover's own previous move (next to it, diagonal, then 2, 3 and 4
    // away): play stays local, and these say how local. Not in the paper's rollout policy;
    // each lowered the held-out loss on KGS.
    static constexpr std::uint32_t kLastMoveThreeAway = 9;
    static constexpr std::uint32_t kLastMoveFourAway = 10;
    static constexpr std::uint32_t kOwnPreviousOrthogonal = 11;
    static constexpr std::uint32_t kOwnPreviousDiagonal = 12;
    static constexpr std::uint32_t kOwnPreviousTwoAway = 13;
    static constexpr std::uint32_t kOwnPreviousThreeAway = 14;
    static constexpr std::uint32_t kOwnPreviousFourAway = 15;
    static constexpr std::uint32_t kFixedCount = 32;         // room for a few more

    // Hashed pattern tables.
    static constexpr int kPatternBits = 18;        // 3x3 around the move, with liberties
    static constexpr int kResponseBits = 18;       // 12-point diamond around the last move, with liberties
    static constexpr int kResponseShapeBits = 18;  // the same diamond, colours only
    static constexpr std::uint32_t kPatternSlots = 1u << kPatternBits;
    static constexpr std::uint32_t kResponseSlots = 1u << kResponseBits;
    static constexpr std::uint32_t kResponseShapeSlots = 1u << kResponseShapeBits;

    static constexpr std::uint32_t kPatternBase = kFixedCount;
    static constexpr std::uint32_t kResponseBase = kPatternBase + kPatternSlots;
    static constexpr std::uint32_t kResponseShapeBase = kResponseBase + kResponseSlots;
    static constexpr std::uint32_t kCount = kResponseShapeBase + kResponseShapeSlots;
};

// ---- 3x3 neighbourhoods ----------------------------------------------------------------
//
// A neighbourhood code holds the 8 surrounding points' states in 3 bits each: the
// orthogonal neighbours N, W, E, S in bits 0-11 (Geometry::neighbours order), the diagonals
// NW, NE, SW, SE in bits 12-23 (Geometry::diagonals order).

// The neighbourhood of p with Black as "own".
std::uint32_t neighbourhoodCode(const Board& board, Point p);
// The same neighbourhood seen by the other player.
std::uint32_t swapNeighbourhoodColours(std::uint32_t code);
// The smallest code among the neighbourhood's 8 symmetric forms.
std::uint32_t canonicalNeighbourhood(std::uint32_t code);
// The weight index of a neighbourhood code (from the mover's side, not yet canonical).
std::uint32_t patternFeature(std::uint32_t moverCode);

// Whether the mover may play at an empty point with this neighbourhood in a playout, ko
// aside: legal (not suicide) and not the mover's own true eye. The same rule as
// Board::isLightPlayoutMove, read off the code so that cached codes decide it too.
bool isCandidateNeighbourhood(std::uint32_t moverCode);

// ---- the last two moves ------------------------------------------------------------------

// What p_pi needs to know about the move just played.
struct RolloutContext {
    static constexpr int kCapturedKept = 8;  // more cannot all lie in one nakade-sized region
    Point lastMove = kNoPoint;               // kNoPoint or kPass: nothing to respond to
    Point ownPreviousMove = kNoPoint;        // the move before it, the mover's own
    int capturedCount = 0;                   // stones the last move captured
    std::array<Point, kCapturedKept> captured{};  // the first kCapturedKept of them
};

// Calls visit(point) for every stone move m would capture, before it is played.
template <class Visit>
void forEachCapturedStone(const Board& board, Move m, Visit visit) {
    if (m.point < 0) return;
    const Color other = opponent(m.color);
    std::array<Point, 4> seen{};
    int count = 0;
    for (Point n : board.geometry().neighbours(m.point)) {
        if (board.at(n) != other || board.chainLiberties(n) != 1) continue;
        const Point head = board.chainOf(n);
        bool repeated = false;
        for (int i = 0; i < count; ++i) repeated |= seen[i] == head;
        if (repeated) continue;
        seen[count++] = head;
        board.forEachStone(head, visit);
    }
}

// The context for the move after m, from the board before m is played; `before` is the
// context m was played in.
RolloutContext contextAfter(const Board& board, Move m, const RolloutContext& before = {});

// Plays a legal move and returns the context for the next one.
RolloutContext playTracked(Board& board, Move m, const RolloutContext& before = {});

struct LastMoveFeature {
    Point point;
    std::uint32_t feature;
};

// Up to this many last-move features in any position (the diamond's 12 points with four
// features each, 28 more points near the last move, 40 near the mover's previous move,
// save-atari and nakade points): a fixed bound so no allocation is needed.
constexpr int kMaxLastMoveFeatures = 192;
struct LastMoveFeatures {
    std::array<LastMoveFeature, kMaxLastMoveFeatures> items;
    int count = 0;
    void add(Point p, std::uint32_t feature) {
        if (count < kMaxLastMoveFeatures) items[count++] = {p, feature};
    }
};

// The features that depend on the last two moves. A point may appear several times, and
// some may not be candidates (those near the last moves are only known to be empty): who
// uses them looks only at candidates, which spares a legality test for dozens of points
// every move.
void lastMoveFeatures(const Board& board, Color mover, const RolloutContext& context, LastMoveFeatures& out);

}  // namespace tengen::nets
