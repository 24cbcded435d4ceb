#include "go/dead_stones.h"

#include <array>

#include "go/benson.h"
#include "go/playout.h"
#include "go/scoring.h"

namespace tengen {

PointSet findDeadStones(const Game& game, const DeadStoneOptions& options) {
    const Board& board = game.board();
    const Geometry& g = board.geometry();
    const PassAlive black = passAlive(board, Color::Black), white = passAlive(board, Color::White);

    // Net ownership per point over the playouts: +1 Black, -1 White.
    std::array<int, kMaxPoints> owned{};
    Random rng(options.seed);
    for (int i = 0; i < options.playouts; ++i) {
        Board playout = board;
        lightPlayout(playout, game.toMove(), 0, rng, PlayoutMoves::Careful);
        const Ownership owner = areaOwnership(playout);
        for (int row = 0; row < g.size(); ++row)
            for (int col = 0; col < g.size(); ++col) {
                const Point p = g.point(col, row);
                owned[p] += owner[p] == Color::Black ? 1 : owner[p] == Color::White ? -1 : 0;
            }
    }

    PointSet dead, judged;
    for (int row = 0; row < g.size(); ++row)
        for (int col = 0; col < g.size(); ++col) {
            const Point p = g.point(col, row);
            const Color c = board.at(p);
            if ((c != Color::Black && c != Color::White) || judged.test(p)) continue;
            const PassAlive& own = c == Color::Black ? black : white;
            const PassAlive& enemy = c == Color::Black ? white : black;
            long ownership = 0;
            board.forEachStone(p, [&](Point s) {
                judged.set(s);
                ownership += c == Color::Black ? owned[s] : -owned[s];
            });
            const bool isDead = !own.stones.test(p) && (enemy.territory.test(p) || ownership < 0);
            if (isDead) board.forEachStone(p, [&](Point s) { dead.set(s); });
        }
    return dead;
}

}  // namespace tengen
