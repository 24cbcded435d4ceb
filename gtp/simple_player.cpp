#include "gtp/simple_player.h"

#include <algorithm>

#include "go/benson.h"

namespace tengen::gtp {

Point SimplePlayer::chooseMove(const Game& game, const MoveRequest& request) {
    const Board& board = game.board();
    const Geometry& g = board.geometry();
    const Color mover = request.color, other = opponent(mover);
    // Nothing is gained inside ground that is settled for either side.
    const PointSet settled = passAlive(board, mover).territory | passAlive(board, other).territory;

    Point best = kPass;
    double bestScore = 0;
    for (int i = 0; i < board.emptyCount(); ++i) {
        const Point p = board.emptyAt(i);
        if (settled.test(p) || board.isTrueEye(p, mover) || !game.isLegal({mover, p})) continue;
        const MoveEffect effect = board.analyse({mover, p}, game.rules().suicideAllowed);
        if (effect.libertiesAfter == 1 && effect.capturedStones == 0) continue;  // pointless self-atari
        double score = 1 + rng_.uniform() + 10.0 * effect.capturedStones;
        for (Point n : g.neighbours(p)) {
            const Color c = board.at(n);
            if (c == mover && board.chainLiberties(n) == 1 && effect.libertiesAfter >= 2)
                score += 8.0 * board.chainSize(n);  // saves a chain in atari
            else if (c == other && board.chainLiberties(n) == 2)
                score += 2.0;  // ataris
        }
        // Keep off the first line unless something tactical happens there.
        const int edgeDistance = std::min({g.col(p), g.row(p), g.size() - 1 - g.col(p), g.size() - 1 - g.row(p)});
        if (edgeDistance == 0 && g.size() > 5) score *= 0.3;
        if (score > bestScore) {
            bestScore = score;
            best = p;
        }
    }
    return best;
}

}  // namespace tengen::gtp
