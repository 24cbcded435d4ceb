#include "nets/rollout/features.h"

#include <algorithm>

namespace tengen::nets {

namespace {

using Layout = RolloutFeatureLayout;

struct Offset {
    int dx, dy;
};

// The dihedral group acting on offsets from a point (x right, y down).
Offset transformOffset(int symmetry, Offset o) {
    switch (symmetry) {
        case 0: return {o.dx, o.dy};
        case 1: return {-o.dy, o.dx};
        case 2: return {-o.dx, -o.dy};
        case 3: return {o.dy, -o.dx};
        case 4: return {-o.dx, o.dy};
        case 5: return {o.dx, -o.dy};
        case 6: return {o.dy, o.dx};
        default: return {-o.dy, -o.dx};
    }
}

constexpr int kSymmetries = 8;
// Geometry::neighbours and Geometry::diagonals order.
constexpr std::array<Offset, 4> kOrthogonal = {{{0, -1}, {-1, 0}, {1, 0}, {0, 1}}};
constexpr std::array<Offset, 4> kDiagonal = {{{-1, -1}, {1, -1}, {-1, 1}, {1, 1}}};
// The points within Manhattan distance 4 of a move, nearest first, in rings: its 4
// neighbours (index < 4), the 4 diagonals, the 4 two steps away (together the 12-point
// diamond), 12 three away and 16 four away.
constexpr std::array<Offset, 40> kNear = {{
    {0, -1}, {-1, 0}, {1, 0}, {0, 1},
    {-1, -1}, {1, -1}, {-1, 1}, {1, 1},
    {0, -2}, {-2, 0}, {2, 0}, {0, 2},
    {0, -3}, {-3, 0}, {3, 0}, {0, 3}, {-1, -2}, {1, -2}, {-2, -1}, {2, -1}, {-2, 1}, {2, 1}, {-1, 2}, {1, 2},
    {0, -4}, {-4, 0}, {4, 0}, {0, 4}, {-1, -3}, {1, -3}, {-3, -1}, {3, -1},
    {-3, 1}, {3, 1}, {-1, 3}, {1, 3}, {-2, -2}, {2, -2}, {-2, 2}, {2, 2}}};
constexpr int kDiamondSize = 12;
constexpr int kNearSize = 40;
// The ring of each kNear offset: 0 orthogonal, 1 diagonal, 2, 3 or 4 away.
constexpr std::array<std::uint8_t, kNearSize> kRingOf = {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3,
                                                         3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4};

constexpr std::array<Offset, 12> diamondOffsets() {
    std::array<Offset, 12> d{};
    for (int i = 0; i < 12; ++i) d[i] = kNear[i];
    return d;
}
constexpr std::array<Offset, 12> kDiamond = diamondOffsets();

template <std::size_t N>
int indexOf(const std::array<Offset, N>& offsets, Offset o) {
    for (std::size_t i = 0; i < N; ++i)
        if (offsets[i].dx == o.dx && offsets[i].dy == o.dy) return static_cast<int>(i);
    return -1;
}

// Lookup tables, built once: symmetric images of each half of a neighbourhood code (the
// symmetries keep orthogonal points orthogonal and diagonal points diagonal, so each half
// transforms on its own), colour swapping, and which codes are playout candidates.
struct Tables {
    std::array<std::array<std::uint16_t, 4096>, kSymmetries> orthogonal, diagonal;
    std::array<std::uint16_t, 4096> swapColours;
    // For the orthogonal half from the mover's side: 0 not playable, 1 playable, 2 playable
    // unless the diagonals make it a true eye.
    std::array<std::uint8_t, 4096> orthogonalClass;
    std::array<bool, 4096> diagonalsBreakEye;
    std::array<std::array<std::uint8_t, 12>, kSymmetries> diamond;

    Tables() {
        for (int s = 0; s < kSymmetries; ++s) {
            std::array<int, 4> orthogonalTo{}, diagonalTo{};
            for (int i = 0; i < 4; ++i) {
                orthogonalTo[i] = indexOf(kOrthogonal, transformOffset(s, kOrthogonal[i]));
                diagonalTo[i] = indexOf(kDiagonal, transformOffset(s, kDiagonal[i]));
            }
            for (int i = 0; i < 12; ++i)
                diamond[s][i] = static_cast<std::uint8_t>(indexOf(kDiamond, transformOffset(s, kDiamond[i])));
            for (std::uint32_t half = 0; half < 4096; ++half) {
                std::uint32_t o = 0, d = 0;
                for (int i = 0; i < 4; ++i) {
                    const std::uint32_t field = (half >> (3 * i)) & 7;
                    o |= field << (3 * orthogonalTo[i]);
                    d |= field << (3 * diagonalTo[i]);
                }
                orthogonal[s][half] = static_cast<std::uint16_t>(o);
                diagonal[s][half] = static_cast<std::uint16_t>(d);
            }
        }
        for (std::uint32_t half = 0; half < 4096; ++half) {
            std::uint32_t swapped = 0;
            bool anyEmpty = false, legal = false;
            int ownOrEdge = 0, opponentDiagonals = 0, edgeDiagonals = 0;
            for (int i = 0; i < 4; ++i) {
                const std::uint32_t field = (half >> (3 * i)) & 7;
                swapped |= (field >= 2 ? (field <= 4 ? field + 3 : field - 3) : field) << (3 * i);
                const bool own = field >= 2 && field <= 4, edge = field == 1;
                anyEmpty |= field == 0;
                ownOrEdge += own || edge;
                // An own chain that keeps a liberty, or an opponent chain this move captures.
                legal |= (own && field >= 3) || field == 5;
                opponentDiagonals += field >= 5;
                edgeDiagonals += edge;
            }
            swapColours[half] = static_cast<std::uint16_t>(swapped);
            orthogonalClass[half] = anyEmpty ? 1 : !legal ? 0 : ownOrEdge < 4 ? 1 : 2;
            // Board::isTrueEye: at most one opponent diagonal in the middle, none at the edge.
            diagonalsBreakEye[half] = opponentDiagonals + (edgeDiagonals > 0 ? 1 : 0) >= 2;
        }
    }
};

const Tables& tables() {
    static const Tables t;
    return t;
}

// The state of the point for Black; swapStateColours gives White's view.
inline std::uint32_t blackState(const Board& board, Point p) {
    const Color c = board.at(p);
    if (c == Color::Empty) return 0;
    if (c == Color::Edge) return 1;
    const std::uint32_t liberties = static_cast<std::uint32_t>(std::min(board.chainLiberties(p), 3));
    return (c == Color::Black ? 1 : 4) + liberties;
}

inline std::uint32_t swapStateColours(std::uint32_t state) {
    return state >= 2 ? (state <= 4 ? state + 3 : state - 3) : state;
}

// Fibonacci hashing: the top bits of a multiplication by 2^64 / golden ratio.
inline std::uint32_t hashToBits(std::uint64_t key, int bits) {
    key ^= key >> 29;
    return static_cast<std::uint32_t>((key * 0x9E3779B97F4A7C15ull) >> (64 - bits));
}

// Features of the empty points of the last move's 12-point diamond: where they lie, and the
// diamond's pattern as the mover sees it (with and without liberties), canonical under the
// 8 symmetries.
void diamondFeatures(const Board& board, Color mover, Point last, LastMoveFeatures& out) {
    const Tables& t = tables();
    const Geometry& g = board.geometry();
    const int col = g.col(last), row = g.row(last);
    std::array<std::uint32_t, 12> states{};
    std::array<Point, 12> points{};
    std::array<int, 12> candidates{};
    int candidateCount = 0;
    const bool swap = mover == Color::White;
    for (int i = 0; i < 12; ++i) {
        const int c = col + kDiamond[i].dx, r = row + kDiamond[i].dy;
        if (!g.onBoard(c, r)) {
            states[i] = 1;
            points[i] = kNoPoint;
            continue;
        }
        points[i] = g.point(c, r);
        const std::uint32_t s = blackState(board, points[i]);
        states[i] = swap ? swapStateColours(s) : s;
        if (states[i] == 0) candidates[candidateCount++] = i;
    }
    if (candidateCount == 0) return;
    std::array<std::uint64_t, kSymmetries> forms{}, shapes{};
    for (int s = 0; s < kSymmetries; ++s)
        for (int i = 0; i < 12; ++i) {
            forms[s] |= static_cast<std::uint64_t>(states[i]) << (3 * t.diamond[s][i]);
            const std::uint64_t colour = states[i] < 2 ? states[i] : states[i] <= 4 ? 2 : 3;
            shapes[s] |= colour << (2 * t.diamond[s][i]);
        }
    // The last move's own liberties (1, 2, 3+) matter most of all: in atari it can be taken.
    const std::uint64_t centre = static_cast<std::uint64_t>(std::min(board.chainLiberties(last), 3));
    for (int k = 0; k < candidateCount; ++k) {
        const int i = candidates[k];
        std::uint64_t best = ~std::uint64_t{0}, bestShape = ~std::uint64_t{0};
        // The candidate's place moves with the pattern, so the pair is canonicalised together.
        for (int s = 0; s < kSymmetries; ++s) {
            best = std::min(best, forms[s] << 4 | t.diamond[s][i]);
            bestShape = std::min(bestShape, shapes[s] << 4 | t.diamond[s][i]);
        }
        const std::uint64_t key = best << 2 | centre;
        const Point p = points[i];
        out.add(p, Layout::kResponse);
        if (i < 4) out.add(p, Layout::kNeighbourOrthogonal);
        else if (i < 8) out.add(p, Layout::kNeighbourDiagonal);
        // Liberties make the pattern precise; the colours-only shape generalises to the
        // many precise patterns seen too rarely to learn from.
        out.add(p, Layout::kResponseBase + hashToBits(key * 0xD6E8FEB86659FD93ull + 0x632BE59BD9B4E019ull,
                                                      Layout::kResponseBits));
        out.add(p, Layout::kResponseShapeBase + hashToBits((bestShape << 2 | centre) * 0xD6E8FEB86659FD93ull +
                                                               0x632BE59BD9B4E019ull,
                                                           Layout::kResponseShapeBits));
    }
}

// Chains of the mover's that the last move left in atari: their escape by extension (if it
// gains liberties) and every capture of a neighbouring chain in atari.
void saveAtariFeatures(const Board& board, Color mover, Point last, LastMoveFeatures& out) {
    const Color other = opponent(mover);
    std::array<Point, 4> saved{};
    int savedCount = 0;
    for (Point n : board.geometry().neighbours(last)) {
        if (board.at(n) != mover || board.chainLiberties(n) != 1) continue;
        const Point head = board.chainOf(n);
        if (std::find(saved.begin(), saved.begin() + savedCount, head) != saved.begin() + savedCount) continue;
        saved[savedCount++] = head;
        const Point liberty = board.lastLiberty(head);
        if (board.isLightPlayoutMove(liberty, mover) && board.analyse({mover, liberty}, false).libertiesAfter >= 2)
            out.add(liberty, Layout::kSaveAtariExtend);
        std::array<Point, 16> takers{};
        int takerCount = 0;
        board.forEachStone(head, [&](Point s) {
            for (Point m : board.geometry().neighbours(s)) {
                if (board.at(m) != other || board.chainLiberties(m) != 1 || takerCount == 16) continue;
                const Point taker = board.chainOf(m);
                if (std::find(takers.begin(), takers.begin() + takerCount, taker) != takers.begin() + takerCount)
                    continue;
                takers[takerCount++] = taker;
                const Point capture = board.lastLiberty(taker);
                if (board.isLightPlayoutMove(capture, mover)) out.add(capture, Layout::kSaveAtariCapture);
            }
        });
    }
}

// Nakade, kept cheap: a small empty region (3 to 6 points) next to the last move or where it
// captured, bounded only by opponent stones and the edge, whose vital point (the one point
// touching the most others of the region, if unique) kills the eye space when played.
void nakadeFeatures(const Board& board, Color mover, const RolloutContext& context, LastMoveFeatures& out) {
    constexpr int kMaxRegion = 6;
    const Geometry& g = board.geometry();
    std::array<Point, 4 + RolloutContext::kCapturedKept> seeds{};
    int seedCount = 0;
    if (context.lastMove >= 0 && board.at(context.lastMove) != Color::Empty)
        for (Point n : g.neighbours(context.lastMove))
            if (board.at(n) == Color::Empty) seeds[seedCount++] = n;
    for (int i = 0; i < std::min(context.capturedCount, RolloutContext::kCapturedKept); ++i)
        if (board.at(context.captured[i]) == Color::Empty) seeds[seedCount++] = context.captured[i];

    PointSet examined;
    const Color other = opponent(mover);
    for (int k = 0; k < seedCount; ++k) {
        const Point seed = seeds[k];
        // A region met again from another seed gives the same answer: examine it once.
        if (examined[seed]) continue;
        std::array<Point, kMaxRegion> region{};
        PointSet inRegion;
        int size = 0;
        region[size++] = seed;
        inRegion.set(seed);
        bool enclosed = true;
        for (int i = 0; i < size && enclosed; ++i)
            for (Point n : g.neighbours(region[i])) {
                const Color c = board.at(n);
                if (c == Color::Edge || c == other || inRegion[n]) continue;
                if (c == mover || size == kMaxRegion) {
                    enclosed = false;
                    break;
                }
                region[size++] = n;
                inRegion.set(n);
            }
        examined |= inRegion;
        if (!enclosed || size < 3) continue;
        int best = 0, bestCount = 0;
        Point vital = kNoPoint;
        for (int i = 0; i < size; ++i) {
            int touching = 0;
            for (Point n : g.neighbours(region[i])) touching += inRegion[n];
            if (touching > best) {
                best = touching;
                bestCount = 1;
                vital = region[i];
            } else if (touching == best) {
                ++bestCount;
            }
        }
        if (best >= 2 && bestCount == 1 && board.isLightPlayoutMove(vital, mover))
            out.add(vital, Layout::kNakade + static_cast<std::uint32_t>(size - 3));
    }
}

// Distance features: every empty point among kNear[from..) around `centre` gets the feature
// of its ring.
void ringFeatures(const Board& board, Point centre, int from, const std::array<std::uint32_t, 5>& ring,
                  LastMoveFeatures& out) {
    const Geometry& g = board.geometry();
    const int col = g.col(centre), row = g.row(centre), size = g.size(), stride = g.stride();
    if (out.count + kNearSize > kMaxLastMoveFeatures) return;
    // Dozens of points every playout move: written unconditionally and kept only if empty,
    // which spares a hard-to-predict branch per point.
    int count = out.count;
    for (int i = from; i < kNearSize; ++i) {
        const int c = col + kNear[i].dx, r = row + kNear[i].dy;
        if (static_cast<unsigned>(c) >= static_cast<unsigned>(size) || static_cast<unsigned>(r) >= static_cast<unsigned>(size))
            continue;
        const Point p = static_cast<Point>(centre + kNear[i].dy * stride + kNear[i].dx);
        out.items[count] = {p, ring[kRingOf[i]]};
        count += board.at(p) == Color::Empty;
    }
    out.count = count;
}

}  // namespace

std::uint32_t neighbourhoodCode(const Board& board, Point p) {
    const Geometry& g = board.geometry();
    std::uint32_t code = 0;
    int shift = 0;
    for (Point n : g.neighbours(p)) {
        code |= blackState(board, n) << shift;
        shift += 3;
    }
    for (Point n : g.diagonals(p)) {
        code |= blackState(board, n) << shift;
        shift += 3;
    }
    return code;
}

std::uint32_t swapNeighbourhoodColours(std::uint32_t code) {
    const Tables& t = tables();
    return t.swapColours[code & 0xFFF] | static_cast<std::uint32_t>(t.swapColours[code >> 12]) << 12;
}

std::uint32_t canonicalNeighbourhood(std::uint32_t code) {
    const Tables& t = tables();
    const std::uint32_t o = code & 0xFFF, d = code >> 12;
    std::uint32_t best = code;
    for (int s = 1; s < kSymmetries; ++s)
        best = std::min(best, t.orthogonal[s][o] | static_cast<std::uint32_t>(t.diagonal[s][d]) << 12);
    return best;
}

std::uint32_t patternFeature(std::uint32_t moverCode) {
    return Layout::kPatternBase + hashToBits(canonicalNeighbourhood(moverCode), Layout::kPatternBits);
}

bool isCandidateNeighbourhood(std::uint32_t moverCode) {
    const Tables& t = tables();
    const std::uint8_t kind = t.orthogonalClass[moverCode & 0xFFF];
    return kind == 1 || (kind == 2 && t.diagonalsBreakEye[moverCode >> 12]);
}

RolloutContext contextAfter(const Board& board, Move m, const RolloutContext& before) {
    RolloutContext context;
    context.lastMove = m.point;
    // In alternating play the move before m was the next player's own; one of m's colour
    // (a genmove for the side not to move) is not.
    const bool sameMover = before.lastMove >= 0 && board.at(before.lastMove) == m.color;
    context.ownPreviousMove = sameMover ? kNoPoint : before.lastMove;
    forEachCapturedStone(board, m, [&](Point s) {
        if (context.capturedCount < RolloutContext::kCapturedKept) context.captured[context.capturedCount] = s;
        ++context.capturedCount;
    });
    return context;
}

RolloutContext playTracked(Board& board, Move m, const RolloutContext& before) {
    const RolloutContext context = contextAfter(board, m, before);
    board.play(m);
    return context;
}

void lastMoveFeatures(const Board& board, Color mover, const RolloutContext& context, LastMoveFeatures& out) {
    out.count = 0;
    const Point last = context.lastMove;
    if (last >= 0 && board.at(last) == opponent(mover)) {
        diamondFeatures(board, mover, last, out);
        saveAtariFeatures(board, mover, last, out);
        ringFeatures(board, last, kDiamondSize,
                     {0, 0, 0, Layout::kLastMoveThreeAway, Layout::kLastMoveFourAway}, out);
    }
    const Point previous = context.ownPreviousMove;
    if (previous >= 0 && board.at(previous) == mover)
        ringFeatures(board, previous, 0,
                     {Layout::kOwnPreviousOrthogonal, Layout::kOwnPreviousDiagonal, Layout::kOwnPreviousTwoAway,
                      Layout::kOwnPreviousThreeAway, Layout::kOwnPreviousFourAway},
                     out);
    nakadeFeatures(board, mover, context, out);
}

}  // namespace tengen::nets
