#include "go/board.h"

#include <algorithm>

#include "go/chain_heads.h"
#include "go/zobrist.h"

namespace tengen {

Board::Board(int size) : geometry_(size) {
    color_.fill(Color::Edge);
    head_.fill(kNoPoint);
    for (int row = 0; row < size; ++row)
        for (int col = 0; col < size; ++col) {
            Point p = geometry_.point(col, row);
            color_[p] = Color::Empty;
            addEmpty(p);
        }
}

void Board::addEmpty(Point p) {
    emptyIndex_[p] = static_cast<std::int16_t>(emptyCount_);
    empty_[emptyCount_++] = p;
}

void Board::removeEmpty(Point p) {
    int i = emptyIndex_[p];
    Point last = empty_[--emptyCount_];
    empty_[i] = last;
    emptyIndex_[last] = static_cast<std::int16_t>(i);
}

PointSet Board::chainLibertySet(Point p) const {
    PointSet libs;
    forEachStone(p, [&](Point s) {
        for (Point n : geometry_.neighbours(s))
            if (color_[n] == Color::Empty) libs.set(n);
    });
    return libs;
}

int Board::countLiberties(Point head) const { return static_cast<int>(chainLibertySet(head).count()); }

Point Board::lastLiberty(Point p) const {
    Point found = kNoPoint;
    forEachStone(p, [&](Point s) {
        for (Point n : geometry_.neighbours(s))
            if (color_[n] == Color::Empty) found = n;
    });
    return found;
}

MoveEffect Board::analyse(Move m, bool suicideAllowed) const {
    MoveEffect effect;
    const Point p = m.point;
    if (p == kPass) {
        effect.legalIgnoringKo = true;
        effect.hashAfter = hash_;
        return effect;
    }
    if (p < 0 || p >= kMaxPoints || color_[p] != Color::Empty) return effect;
    const Color mover = m.color, other = opponent(mover);

    ChainHeads friends, captured;
    PointSet libs;
    effect.hashAfter = hash_ ^ zobrist::kStone[colorIndex(mover)][p];
    effect.chainSizeAfter = 1;
    for (Point n : geometry_.neighbours(p)) {
        const Color c = color_[n];
        if (c == Color::Empty) {
            libs.set(n);
        } else if (c == mover) {
            if (friends.insert(head_[n])) effect.chainSizeAfter += chainSize_[head_[n]];
        } else if (c == other && liberties_[head_[n]] == 1 && captured.insert(head_[n])) {
            effect.capturedStones += chainSize_[head_[n]];
            effect.hashAfter ^= chainHash_[head_[n]];
        }
    }
    for (Point h : friends) libs |= chainLibertySet(h);
    libs.reset(p);
    for (Point h : captured)
        forEachStone(h, [&](Point s) {
            for (Point n : geometry_.neighbours(s))
                if (n == p || (color_[n] == mover && friends.contains(head_[n])))
                    libs.set(s);
        });
    effect.libertiesAfter = static_cast<int>(libs.count());
    effect.suicide = effect.libertiesAfter == 0;
    if (effect.suicide) {
        effect.hashAfter = hash_;
        for (Point h : friends) effect.hashAfter ^= chainHash_[h];
        // A lone stone's suicide leaves the board as it was: never legal.
        effect.legalIgnoringKo = suicideAllowed && friends.count > 0;
    } else {
        effect.legalIgnoringKo = true;
    }
    return effect;
}

bool Board::isLegalNoSuicide(Move m) const {
    const Point p = m.point;
    if (color_[p] != Color::Empty || (p == koPoint_ && m.color == koColor_)) return false;
    for (Point n : geometry_.neighbours(p)) {
        const Color c = color_[n];
        if (c == Color::Empty) return true;
        if (c == Color::Edge) continue;
        const int libs = liberties_[head_[n]];
        if ((c == m.color) == (libs > 1)) return true;  // own chain keeps a liberty, or capture
    }
    return false;
}

bool Board::isSelfAtari(Move m) const {
    MoveEffect effect = analyse(m, false);
    return effect.legalIgnoringKo && effect.libertiesAfter == 1;
}

bool Board::isEyeLike(Point p, Color c) const {
    if (color_[p] != Color::Empty) return false;
    for (Point n : geometry_.neighbours(p))
        if (color_[n] != c && color_[n] != Color::Edge) return false;
    return true;
}

bool Board::isTrueEye(Point p, Color c) const {
    if (!isEyeLike(p, c)) return false;
    int opponentDiagonals = 0, edgeDiagonals = 0;
    const Color other = opponent(c);
    for (Point d : geometry_.diagonals(p)) {
        opponentDiagonals += color_[d] == other;
        edgeDiagonals += color_[d] == Color::Edge;
    }
    return opponentDiagonals + (edgeDiagonals > 0 ? 1 : 0) < 2;
}

void Board::mergeInto(Point keep, Point absorb) {
    forEachStone(absorb, [&](Point s) { head_[s] = keep; });
    std::swap(next_[keep], next_[absorb]);
    chainSize_[keep] = static_cast<std::int16_t>(chainSize_[keep] + chainSize_[absorb]);
    chainHash_[keep] ^= chainHash_[absorb];
}

void Board::removeChain(Point head) {
    const Color removed = color_[head], other = opponent(removed);
    const int size = chainSize_[head];
    Point s = head;
    do {
        const Point following = next_[s];
        color_[s] = Color::Empty;
        hash_ ^= zobrist::kStone[colorIndex(removed)][s];
        addEmpty(s);
        ChainHeads touched;
        for (Point n : geometry_.neighbours(s))
            if (color_[n] == other && touched.insert(head_[n])) ++liberties_[head_[n]];
        s = following;
    } while (s != head);
    stoneCount_[colorIndex(removed)] -= size;
    prisoners_[colorIndex(removed)] += size;
}

void Board::placeStone(Point p, Color c) {
    color_[p] = c;
    hash_ ^= zobrist::kStone[colorIndex(c)][p];
    removeEmpty(p);
    ++stoneCount_[colorIndex(c)];
    head_[p] = p;
    next_[p] = p;
    chainSize_[p] = 1;
    chainHash_[p] = zobrist::kStone[colorIndex(c)][p];
}

int Board::play(Move m) {
    koPoint_ = kNoPoint;
    koColor_ = Color::Empty;
    const Point p = m.point;
    if (p == kPass) return 0;
    const Color mover = m.color, other = opponent(mover);

    ChainHeads friends, enemies;
    int emptyNeighbours = 0;
    for (Point n : geometry_.neighbours(p)) {
        const Color c = color_[n];
        if (c == Color::Empty) ++emptyNeighbours;
        else if (c == mover) friends.insert(head_[n]);
        else if (c == other) enemies.insert(head_[n]);
    }
    placeStone(p, mover);
    for (Point e : enemies) --liberties_[e];

    Point chain = p;
    if (friends.count == 0) {
        liberties_[p] = static_cast<std::int16_t>(emptyNeighbours);
    } else {
        // Exact update that walks only the smaller chains: the largest chain keeps its
        // liberties but p, and gains every other candidate liberty it did not touch yet.
        chain = *std::max_element(friends.begin(), friends.end(),
                                  [&](Point a, Point b) { return chainSize_[a] < chainSize_[b]; });
        // p's own neighbours are distinct; only other chains' liberties can repeat.
        const bool mayRepeat = friends.count > 1;
        PointSet seen;
        int added = 0;
        auto consider = [&](Point q) {
            if (q == p || color_[q] != Color::Empty) return;
            if (mayRepeat) {
                if (seen[q]) return;
                seen[q] = true;
            }
            bool touched = false;
            for (Point r : geometry_.neighbours(q)) touched |= color_[r] == mover && head_[r] == chain;
            added += !touched;
        };
        for (Point q : geometry_.neighbours(p)) consider(q);
        for (Point f : friends)
            if (f != chain)
                forEachStone(f, [&](Point s) {
                    for (Point q : geometry_.neighbours(s)) consider(q);
                });
        liberties_[chain] = static_cast<std::int16_t>(liberties_[chain] - 1 + added);
        mergeInto(chain, p);
        for (Point f : friends)
            if (f != chain) mergeInto(chain, f);
    }

    int captured = 0;
    Point lastCaptured = kNoPoint;
    for (Point e : enemies)
        if (liberties_[e] == 0) {
            captured += chainSize_[e];
            lastCaptured = e;
            removeChain(e);
        }
    if (liberties_[chain] == 0) {
        const int lost = chainSize_[chain];
        removeChain(chain);
        return lost;
    }
    if (captured == 1 && chainSize_[chain] == 1 && liberties_[chain] == 1) {
        koPoint_ = lastCaptured;
        koColor_ = other;
    }
    return captured;
}

void Board::rebuildChains() {
    hash_ = 0;
    emptyCount_ = 0;
    stoneCount_ = {};
    const int size = geometry_.size();
    for (int row = 0; row < size; ++row)
        for (int col = 0; col < size; ++col) {
            const Point p = geometry_.point(col, row);
            head_[p] = kNoPoint;
            if (color_[p] == Color::Empty) addEmpty(p);
        }
    for (int row = 0; row < size; ++row)
        for (int col = 0; col < size; ++col) {
            const Point p = geometry_.point(col, row);
            const Color c = color_[p];
            if (c == Color::Empty || head_[p] != kNoPoint) continue;
            hash_ ^= zobrist::kStone[colorIndex(c)][p];
            ++stoneCount_[colorIndex(c)];
            head_[p] = p;
            next_[p] = p;
            chainSize_[p] = 1;
            chainHash_[p] = zobrist::kStone[colorIndex(c)][p];
            // Flood fill, splicing each new stone in after the head.
            std::array<Point, kMaxPoints> stack;
            int top = 0;
            stack[top++] = p;
            while (top > 0) {
                const Point s = stack[--top];
                for (Point n : geometry_.neighbours(s))
                    if (color_[n] == c && head_[n] == kNoPoint) {
                        head_[n] = p;
                        next_[n] = next_[p];
                        next_[p] = n;
                        ++chainSize_[p];
                        chainHash_[p] ^= zobrist::kStone[colorIndex(c)][n];
                        hash_ ^= zobrist::kStone[colorIndex(c)][n];
                        ++stoneCount_[colorIndex(c)];
                        stack[top++] = n;
                    }
            }
            liberties_[p] = static_cast<std::int16_t>(countLiberties(p));
        }
}

bool Board::setStone(Point p, Color c) {
    if (!geometry_.onBoard(p) || c == Color::Edge) return false;
    Board before = *this;
    color_[p] = c;
    koPoint_ = kNoPoint;
    koColor_ = Color::Empty;
    rebuildChains();
    const int size = geometry_.size();
    for (int row = 0; row < size; ++row)
        for (int col = 0; col < size; ++col) {
            const Point q = geometry_.point(col, row);
            if (color_[q] != Color::Empty && liberties_[head_[q]] == 0) {
                *this = before;
                return false;
            }
        }
    return true;
}

std::string Board::toString() const {
    const int size = geometry_.size();
    std::string columns = "   ";
    for (int col = 0; col < size; ++col) columns += geometry_.vertexName(geometry_.point(col, 0)).substr(0, 1) + " ";
    std::string out = columns + "\n";
    for (int row = 0; row < size; ++row) {
        std::string label = std::to_string(size - row);
        out += std::string(2 - std::min<std::size_t>(2, label.size()), ' ') + label + " ";
        for (int col = 0; col < size; ++col) {
            const Color c = color_[geometry_.point(col, row)];
            out += c == Color::Black ? 'X' : c == Color::White ? 'O' : '.';
            out += ' ';
        }
        out += label + "\n";
    }
    return out + columns + "\n";
}

}  // namespace tengen
