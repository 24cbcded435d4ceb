#pragma once
// Final scores: Tromp-Taylor, and area or territory scoring once dead stones are known.

#include <array>
#include <string>

#include "go/board.h"
#include "go/rules.h"

namespace tengen {

// Who each point counts for once dead stones are taken off: the point's stone if it lives,
// else the only colour its surrounding empty region reaches, else nobody (Color::Empty).
using Ownership = std::array<Color, kMaxPoints>;

struct Score {
    double black = 0;  // area or territory (plus prisoners), before komi
    double white = 0;  // includes komi and any handicap bonus
    double margin() const { return black - white; }  // > 0: Black wins
    Color winner() const { return margin() > 0 ? Color::Black : margin() < 0 ? Color::White : Color::Empty; }
    // As SGF RE and GTP final_score write it: "B+3.5", "W+0.5", "0" for a draw.
    std::string result() const;
};

// Area ownership with the given dead stones removed from the board first.
Ownership areaOwnership(const Board& board, const PointSet& dead = {});

// Tromp-Taylor: every stone on the board lives; empty regions count for the only colour they reach.
Score trompTaylorScore(const Board& board, double komi);

// Score under the given rules after removing dead stones. Under territory scoring, stones
// captured during the game (the board's prisoners) and dead stones count against their owner,
// and with Rules::sekiEyesScoreless the eyes of groups in seki count for nobody: a group is
// taken to be in seki when it touches an empty region that reaches both colours, so dame
// must be filled before a territory count, as in Japanese practice.
Score score(const Board& board, const Rules& rules, double komi, int handicap, const PointSet& dead = {});

// A margin for Black seen from one player: their margin, and +1 if they win, -1 if they lose, 0 for a draw.
inline double marginFor(Color player, double blackMargin) { return player == Color::Black ? blackMargin : -blackMargin; }
inline double outcomeFor(Color player, double blackMargin) {
    const double margin = marginFor(player, blackMargin);
    return margin > 0 ? 1 : margin < 0 ? -1 : 0;
}

}  // namespace tengen
