#pragma once
// Time management for players that can think for as long as they are given: how long to
// think about the next move under the game's clock (sudden death, Japanese byo-yomi,
// Canadian overtime, Fischer increments; the clock itself is play/clock.h).
// Never losing on time comes first: every move keeps a lag allowance free, no move counts
// on more than one byo-yomi period, and sudden death keeps that allowance in reserve for
// the moves still to come.

#include <chrono>
#include <optional>

#include "go/game.h"
#include "play/clock.h"

namespace tengen::play {

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


}  // namespace tengen::play
