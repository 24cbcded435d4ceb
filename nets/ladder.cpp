#include "nets/ladder.h"

#include <algorithm>
#include <array>
#include <memory>
#include <vector>

namespace tengen::nets {

namespace {

// A handful of distinct points: the candidate moves at one node (one extension plus the
// last liberties of adjacent attacker chains in atari). More than fit is possible only in
// contrived positions, and is reported so that the read gives up rather than miss an escape.
struct SmallPointSet {
    std::array<Point, 16> points{};
    int count = 0;
    bool overflow = false;
    void insert(Point p) {
        if (std::find(begin(), end(), p) != end()) return;
        if (count == static_cast<int>(points.size())) overflow = true;
        else points[count++] = p;
    }
    const Point* begin() const { return points.data(); }
    const Point* end() const { return points.data() + count; }
};

// The two liberties of a chain known to have exactly two.
std::array<Point, 2> twoLiberties(const Board& board, Point chain) {
    std::array<Point, 2> libs{kNoPoint, kNoPoint};
    board.forEachStone(chain, [&](Point s) {
        for (Point n : board.geometry().neighbours(s))
            if (board.at(n) == Color::Empty && n != libs[0]) {
                if (libs[0] == kNoPoint) libs[0] = n;
                else libs[1] = n;
            }
    });
    return libs;
}

// Moves that give the chain in atari more liberties: extending at its liberty, and
// capturing any attacker chain in atari that touches it. Captures come first: they are
// the escapes a ladder breaker cannot stop, and they usually settle the read at once.
SmallPointSet escapeMoves(const Board& board, Point prey) {
    SmallPointSet moves;
    const Color attacker = opponent(board.at(prey));
    board.forEachStone(prey, [&](Point s) {
        for (Point n : board.geometry().neighbours(s))
            if (board.at(n) == attacker && board.chainLiberties(n) == 1) moves.insert(board.lastLiberty(n));
    });
    moves.insert(board.lastLiberty(prey));
    return moves;
}

// Empty neighbours of p other than `besides`: a lower bound on the liberties of a chain
// that extends to p, since a move only adds liberties by capturing. Three or more mean the
// extension escapes, which settles most branches without copying a board.
int emptyNeighboursBesides(const Board& board, Point p, Point besides) {
    int count = 0;
    for (Point n : board.geometry().neighbours(p)) count += board.at(n) == Color::Empty && n != besides;
    return count;
}

// Reads on boards it is allowed to spoil: each call may play on the board it is given, and
// copies it only where the read branches. A ladder is mostly one forced line, so most
// nodes play in place and the search costs few board copies (about 15 KiB each).
class LadderReader {
public:
    explicit LadderReader(const LadderLimits& limits) : limits_(limits) {}

    // The prey is in atari with its owner to move.
    bool preyLost(Board& board, Point prey, int depth) {
        const Color owner = board.at(prey);
        if (emptyNeighboursBesides(board, board.lastLiberty(prey), kNoPoint) >= 3) return false;
        SmallPointSet moves;
        const SmallPointSet candidates = escapeMoves(board, prey);
        if (candidates.overflow) return false;
        for (Point move : candidates)
            if (board.isLegalNoSuicide({owner, move})) moves.insert(move);
        for (int i = 0; i < moves.count; ++i) {
            if (!spend(depth)) return false;
            Board& next = i + 1 < moves.count ? scratch(depth, board) : board;
            next.play({owner, moves.points[i]});
            const int libs = next.chainLiberties(prey);
            if (libs >= 3) return false;
            if (libs == 2 && !attackerWins(next, prey, depth + 1)) return false;
        }
        return true;
    }

    // The prey has two liberties with the attacker to move.
    bool attackerWins(Board& board, Point prey, int depth) {
        const Color attacker = opponent(board.at(prey));
        const std::array<Point, 2> libs = twoLiberties(board, prey);
        SmallPointSet moves;
        for (int i = 0; i < 2; ++i) {
            // An atari here lets the prey run out at the other liberty.
            if (emptyNeighboursBesides(board, libs[1 - i], libs[i]) >= 3) continue;
            if (board.isLegalNoSuicide({attacker, libs[i]})) moves.insert(libs[i]);
        }
        for (int i = 0; i < moves.count; ++i) {
            if (!spend(depth)) return false;
            Board& next = i + 1 < moves.count ? scratch(depth, board) : board;
            next.play({attacker, moves.points[i]});
            // Not an atari if the move captured stones that gave the prey liberties back.
            if (next.chainLiberties(prey) == 1 && preyLost(next, prey, depth + 1)) return true;
        }
        return false;
    }

private:
    bool spend(int depth) { return depth < limits_.maxDepth && nodes_++ < limits_.maxNodes; }

    // One board per depth for the branches that need a copy, kept on the heap: deep reads
    // would otherwise stack a board per move on whatever thread runs them.
    Board& scratch(int depth, const Board& from) {
        if (static_cast<int>(boards_.size()) <= depth) boards_.resize(depth + 1);
        if (boards_[depth]) *boards_[depth] = from;
        else boards_[depth] = std::make_unique<Board>(from);
        return *boards_[depth];
    }

    LadderLimits limits_;
    int nodes_ = 0;
    std::vector<std::unique_ptr<Board>> boards_;
};

}  // namespace

bool isCapturedInLadder(const Board& board, Point prey, Color toMove, const LadderLimits& limits) {
    const Color owner = board.at(prey);
    if (owner != Color::Black && owner != Color::White) return false;
    const int libs = board.chainLiberties(prey);
    LadderReader reader(limits);
    if (toMove == owner) {
        if (libs != 1) return false;
        Board copy = board;
        return reader.preyLost(copy, prey, 0);
    }
    if (libs == 1) return true;
    if (libs != 2) return false;
    Board copy = board;
    return reader.attackerWins(copy, prey, 0);
}

bool isLadderCapture(const Board& board, Point move, Point prey, const LadderLimits& limits) {
    const Color owner = board.at(prey);
    if ((owner != Color::Black && owner != Color::White) || board.chainLiberties(prey) != 2) return false;
    const Move m{opponent(owner), move};
    if (!board.isLegalNoSuicide(m)) return false;
    const std::array<Point, 2> libs = twoLiberties(board, prey);
    if (move != libs[0] && move != libs[1]) return false;
    if (emptyNeighboursBesides(board, move == libs[0] ? libs[1] : libs[0], move) >= 3) return false;
    Board next = board;
    next.play(m);
    return next.chainLiberties(prey) == 1 && LadderReader(limits).preyLost(next, prey, 1);
}

bool isLadderEscape(const Board& board, Point move, Point prey, const LadderLimits& limits) {
    const Color owner = board.at(prey);
    if ((owner != Color::Black && owner != Color::White) || board.chainLiberties(prey) != 1) return false;
    const Move m{owner, move};
    if (!board.isLegalNoSuicide(m)) return false;
    if (move == board.lastLiberty(prey) && emptyNeighboursBesides(board, move, kNoPoint) >= 3) return true;
    Board next = board;
    next.play(m);
    if (next.at(prey) != owner) return false;
    const int libs = next.chainLiberties(prey);
    return libs >= 3 || (libs == 2 && !LadderReader(limits).attackerWins(next, prey, 1));
}

}  // namespace tengen::nets
