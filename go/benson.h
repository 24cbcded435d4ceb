#pragma once
// Benson's algorithm: chains that can never be captured even if their owner passes for the
// rest of the game, and the regions they own for certain. Safe ground for cleanup and scoring.

#include "go/board.h"

namespace tengen {

struct PassAlive {
    PointSet stones;     // pass-alive stones of the colour asked about
    PointSet territory;  // points (empty or opponent stones) owned for certain by that colour
};

PassAlive passAlive(const Board& board, Color color);

}  // namespace tengen
