#include "play/simple_player.h"

#include <algorithm>
#include <cmath>

#include "go/benson.h"
#include "play/flat_monte_carlo.h"

namespace tengen::play {

std::vector<SimplePlayer::Candidate> SimplePlayer::candidates(const Game& game, Color mover) {
    const Board& board = game.board();
    const Geometry& g = board.geometry();
    const Color other = opponent(mover);
    // Nothing is gained inside ground that is settled for either side.
    const PointSet settled = passAlive(board, mover).territory | passAlive(board, other).territory;

    std::vector<Candidate> result;
    for (int i = 0; i < board.emptyCount(); ++i) {
        const Point p = board.emptyAt(i);
        if (settled.test(p) || board.isTrueEye(p, mover) || !game.isLegal({mover, p})) continue;
        const MoveEffect effect = board.analyse({mover, p}, game.rules().suicideAllowed);
        if (effect.libertiesAfter == 1 && effect.capturedStones == 0) continue;  // pointless self-atari
        double score = 1 + 10.0 * effect.capturedStones;
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
        result.push_back({p, score});
    }
    return result;
}

Point SimplePlayer::chooseMove(const Game& game, const MoveRequest& request) {
    Point best = kPass;
    double bestScore = 0;
    for (const Candidate& c : candidates(game, request.color)) {
        const double score = c.heuristic + rng_.uniform();
        if (score > bestScore) {
            bestScore = score;
            best = c.move;
        }
    }
    return best;
}

void SimplePlayer::analyse(const Game& game, Color color, const std::atomic<bool>& stop,
                           std::chrono::milliseconds interval,
                           const std::function<void(const AnalysisSnapshot&)>& report) {
    std::vector<ScoredMove> moves;
    double sum = 0.5;  // pass
    for (const Candidate& c : candidates(game, color)) sum += c.heuristic;
    for (const Candidate& c : candidates(game, color)) moves.push_back({c.move, c.heuristic / sum});
    moves.push_back({kPass, 0.5 / sum});
    flatMonteCarlo(game, color, moves, stop, interval, report, rng_);
}

}  // namespace tengen::play
