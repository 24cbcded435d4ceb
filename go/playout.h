#pragma once
// Light playouts: uniformly random legal moves that never fill the mover's own true eyes,
// until both sides pass. The baseline for rollouts and the board's speed benchmark.

#include "go/board.h"
#include "go/game.h"
#include "go/random.h"

namespace tengen {

// Which moves a light playout draws from.
enum class PlayoutMoves {
    // Every legal move that does not fill the mover's own true eye.
    Light,
    // Light moves, except that a chain the opponent's last move put in atari is saved when
    // it can be (capturing a neighbour in atari, or extending to two or more liberties), and
    // no self-atari takes more stones than killing a nakade needs (kNakadeStones). Uniform
    // play otherwise fills the shared liberties of every seki and ignores ataris, so sekis
    // and groups with two ways to connect look dead. For judging dead stones at the end of a
    // game, not for speed.
    Careful,
};

// Killing a pyramid-four or smaller eye space takes a self-atari of up to three stones.
constexpr int kNakadeStones = 3;

// A uniformly random move of that kind for c, or kPass. Simple ko only; playouts do not
// track superko.
Point randomLightMove(const Board& board, Color c, Random& rng, PlayoutMoves moves = PlayoutMoves::Light);

// Plays `moves` light random moves into a game (a pass where the light move breaks the
// game's superko rule): quick varied positions for benchmarks and tests.
void playRandomMoves(Game& game, int moves, Random& rng);

struct PlayoutResult {
    int moves = 0;
    double margin = 0;  // Tromp-Taylor, Black minus White, komi included
};

// Plays from the given position until two passes in a row (or a move cap that stops
// superko cycles), then scores the final board by Tromp-Taylor.
PlayoutResult lightPlayout(Board& board, Color toMove, double komi, Random& rng,
                           PlayoutMoves moves = PlayoutMoves::Light);

}  // namespace tengen
