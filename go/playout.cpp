#include "go/playout.h"

#include "go/scoring.h"

namespace tengen {

namespace {

bool breaksSeki(const Board& board, Move m) {
    const MoveEffect effect = board.analyse(m, false);
    return effect.libertiesAfter == 1 && effect.chainSizeAfter > kNakadeStones;
}

// A move for c that saves a chain of c's that `last` put in atari, or kPass.
Point atariRescue(const Board& board, Color c, Point last) {
    if (last == kPass) return kPass;
    const Geometry& g = board.geometry();
    for (Point n : g.neighbours(last)) {
        if (board.at(n) != c || board.chainLiberties(n) != 1) continue;
        Point rescue = kPass;
        board.forEachStone(n, [&](Point stone) {
            for (Point m : g.neighbours(stone))
                if (rescue == kPass && board.at(m) == opponent(c) && board.chainLiberties(m) == 1 &&
                    board.isLightPlayoutMove(board.lastLiberty(m), c))
                    rescue = board.lastLiberty(m);
        });
        if (rescue != kPass) return rescue;
        const Point extension = board.lastLiberty(n);
        if (board.isLightPlayoutMove(extension, c) && board.analyse({c, extension}, false).libertiesAfter >= 2)
            return extension;
    }
    return kPass;
}

}  // namespace

Point randomLightMove(const Board& board, Color c, Random& rng, PlayoutMoves moves) {
    const int count = board.emptyCount();
    if (count == 0) return kPass;
    // Scan the empty points from a random start; cheap, and nearly uniform in practice.
    const int start = static_cast<int>(rng.below(static_cast<std::uint32_t>(count)));
    for (int i = start, tried = 0; tried < count; ++tried, i = i + 1 == count ? 0 : i + 1) {
        const Point p = board.emptyAt(i);
        if (board.isLightPlayoutMove(p, c) && (moves == PlayoutMoves::Light || !breaksSeki(board, {c, p}))) return p;
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

PlayoutResult lightPlayout(Board& board, Color toMove, double komi, Random& rng, PlayoutMoves moves) {
    PlayoutResult result;
    const int cap = 3 * board.size() * board.size();
    Point last = kPass;
    for (int passes = 0; passes < 2 && result.moves < cap; ++result.moves) {
        Point p = moves == PlayoutMoves::Careful ? atariRescue(board, toMove, last) : kPass;
        if (p == kPass) p = randomLightMove(board, toMove, rng, moves);
        passes = p == kPass ? passes + 1 : 0;
        board.play({toMove, p});
        last = p;
        toMove = opponent(toMove);
    }
    result.margin = trompTaylorScore(board, komi).margin();
    return result;
}

}  // namespace tengen
