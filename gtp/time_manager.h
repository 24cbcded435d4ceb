#pragma once
// Time management for players that can think for as long as they are given: how long to
// think about the next move under the game's clock (sudden death, Japanese byo-yomi,
// Canadian overtime, Fischer increments), and how the clock stands after a move took so
// long, for the engine to keep its own clock when the controller sends no time_left.
// Never losing on time comes first: every move keeps a lag allowance free, no move counts
// on more than one byo-yomi period, and sudden death keeps that allowance in reserve for
// the moves still to come.

#include <chrono>
#include <optional>

#include "go/game.h"
#include "gtp/player.h"
#include "gtp/time_control.h"

namespace tengen::gtp {

struct TimeManagerOptions {
    // Time a move costs beyond the thinking the engine measures: GTP transport, network,
    // a GUI, the controller's own reaction. Left free on every move. Periods shorter than
    // twice this keep half of themselves free instead.
    double lagSeconds = 0.5;
    // The least thinking time, even with nothing left: the search still expands the root
    // and answers with a considered move rather than none.
    double minimumSeconds = 0.02;
};

// How far the game has gone, as far as spending time goes.
struct GameStage {
    int points = 361;      // on the board
    int emptyPoints = 361;
    int movesPlayed = 0;   // by both sides, passes included
    static GameStage of(const Game& game);
};

// How long to think about the next move with this clock; none without a time limit.
// Main time goes in shares weighted towards the middle game; overtime is spent most of a
// period (or the Canadian block's time per stone left) at a time.
std::optional<std::chrono::duration<double>> thinkingTime(const ClockState& clock, const GameStage& stage,
                                                          const TimeManagerOptions& options = {});
std::optional<std::chrono::duration<double>> thinkingTime(const ClockState& clock, const Game& game,
                                                          const TimeManagerOptions& options = {});

// Whether thinking time this move leaves unused can be spent on later moves: not in
// Japanese byo-yomi, nor on the last stone of a Canadian block, where it is simply lost.
bool savedTimeCarriesOver(const ClockState& clock);

struct ClockAfterMove {
    ClockState clock;
    // The move overran everything left (the last byo-yomi period, the Canadian block, the
    // main time without overtime): the game is lost on time, and the clock is left empty.
    bool outOfTime = false;
};

// The clock after a move that took `secondsSpent`, under `settings` (for the length of a
// fresh byo-yomi period or Canadian block): main time first, then overtime; Japanese
// periods reset after each move and one is lost for each period overrun; a Canadian block
// starts afresh once its stones are played; Fischer adds the increment after the move.
ClockAfterMove clockAfterMove(const ClockState& clock, const TimeSettings& settings, double secondsSpent);

}  // namespace tengen::gtp
