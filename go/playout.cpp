#include "go/playout.h"

#include "go/scoring.h"

namespace tengen {

Point randomLightMove(const Board& board, Color c, Random& rng) {
    const int count = board.emptyCount();
    if (count == 0) return kPass;
    // Scan the empty points from a random start; cheap, and nearly uniform in practice.
    const int start = static_cast<int>(rng.below(static_cast<std::uint32_t>(count)));
    for (int i = start, tried = 0; tried < count; ++tried, i = i + 1 == count ? 0 : i + 1) {
        const Point p = board.emptyAt(i);
        if (board.isLightPlayoutMove(p, c)) return p;
    }
    return kPass;
}

void playRandomMoves(Game& game, int moves, Random& rng) {
    for (int m = 0; m < moves; ++m) {
        Move move{game.toMove(), randomLightMove(game.board(), game.toMove(), rng)};
        if (!game.isLegal(move)) move.point = kPass;
        game.play(move);
    }
}

PlayoutResult lightPlayout(Board& board, Color toMove, double komi, Random& rng) {
    PlayoutResult result;
    const int cap = 3 * board.size() * board.size();
    for (int passes = 0; passes < 2 && result.moves < cap; ++result.moves) {
        const Point p = randomLightMove(board, toMove, rng);
        passes = p == kPass ? passes + 1 : 0;
        board.play({toMove, p});
        toMove = opponent(toMove);
    }
    result.margin = trompTaylorScore(board, komi).margin();
    return result;
}

}  // namespace tengen
