#pragma once
// Light playouts: uniformly random legal moves that never fill the mover's own true eyes,
// until both sides pass. The baseline for rollouts and the board's speed benchmark.

#include "go/board.h"
#include "go/game.h"
#include "go/random.h"

namespace tengen {

// A uniformly random legal move for c that does not fill c's own true eye, or kPass.
// Simple ko only; playouts do not track superko.
Point randomLightMove(const Board& board, Color c, Random& rng);

// Plays `moves` light random moves into a game (a pass where the light move breaks the
// game's superko rule): quick varied positions for benchmarks and tests.
void playRandomMoves(Game& game, int moves, Random& rng);

struct PlayoutResult {
    int moves = 0;
    double margin = 0;  // Tromp-Taylor, Black minus White, komi included
};

// Plays from the given position until two passes in a row (or a move cap that stops
// superko cycles), then scores the final board by Tromp-Taylor.
PlayoutResult lightPlayout(Board& board, Color toMove, double komi, Random& rng);

}  // namespace tengen
