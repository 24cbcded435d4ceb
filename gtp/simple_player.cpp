#include "gtp/simple_player.h"

#include <algorithm>
#include <cmath>

#include "go/benson.h"
#include "go/playout.h"
#include "go/scoring.h"

namespace tengen::gtp {

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
    std::vector<Candidate> moves = candidates(game, color);
    moves.push_back({kPass, 0.5});
    double heuristicSum = 0;
    for (const Candidate& c : moves) heuristicSum += c.heuristic;

    const Geometry& g = game.geometry();
    std::vector<int> visits(moves.size()), wins(moves.size());
    std::vector<double> ownership(kMaxPoints);
    int playouts = 0;
    auto nextReport = std::chrono::steady_clock::now() + interval;
    auto publish = [&] {
        AnalysisSnapshot snapshot;
        for (std::size_t i = 0; i < moves.size(); ++i) {
            if (visits[i] == 0) continue;
            CandidateMove c;
            c.move = moves[i].move;
            c.visits = visits[i];
            c.winrate = static_cast<double>(wins[i]) / visits[i];
            c.prior = moves[i].heuristic / heuristicSum;
            c.principalVariation = {moves[i].move};
            snapshot.candidates.push_back(c);
        }
        std::sort(snapshot.candidates.begin(), snapshot.candidates.end(),
                  [](const CandidateMove& a, const CandidateMove& b) { return a.winrate > b.winrate; });
        snapshot.ownership.assign(kMaxPoints, 0.0);
        for (int p = 0; p < kMaxPoints && playouts > 0; ++p) snapshot.ownership[p] = ownership[p] / playouts;
        report(snapshot);
    };
    while (!stop.load()) {
        // One playout per candidate per round keeps the estimates comparable.
        for (std::size_t i = 0; i < moves.size() && !stop.load(); ++i) {
            Board board = game.board();
            board.play({color, moves[i].move});
            const PlayoutResult r = lightPlayout(board, opponent(color), game.komi(), rng_);
            ++visits[i];
            wins[i] += (color == Color::Black) == (r.margin > 0);
            ++playouts;
            const Ownership owner = areaOwnership(board);
            for (int row = 0; row < g.size(); ++row)
                for (int col = 0; col < g.size(); ++col) {
                    const Point p = g.point(col, row);
                    ownership[p] += owner[p] == Color::Black ? 1 : owner[p] == Color::White ? -1 : 0;
                }
            if (std::chrono::steady_clock::now() >= nextReport) {
                publish();
                nextReport = std::chrono::steady_clock::now() + interval;
            }
        }
    }
    publish();
}

}  // namespace tengen::gtp
