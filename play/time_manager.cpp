#include "play/time_manager.h"

#include <algorithm>
#include <cmath>

namespace tengen::play {

namespace {

// All of `seconds` but the lag allowance, or half when the allowance would take most of it.
double spendable(double seconds, double lag) {
    if (seconds <= 0) return 0;
    return seconds < 2 * lag ? seconds / 2 : seconds - lag;
}

// Our own moves still to come, counted generously: running short late costs more than
// thinking a little less early.
double ownMovesLeft(const GameStage& stage) {
    const double points = std::max(1, stage.points);
    const double stones = std::max(0, stage.points - stage.emptyPoints);
    // A long game, about a move per point as KataGo plans for, less the stones already
    // played; however full the board, a fair number more (dame, ko fights, cleanup); and
    // a game that has run long so far may run half as long again.
    const double plies = std::max({0.95 * points + 20 - stones, 0.15 * points + 30, 0.5 * stage.movesPlayed});
    return plies / 2;
}

// What a move at this stage (the share of the board filled) deserves relative to others:
// opening moves lean on the policy network's knowledge of openings, middle-game fights
// need reading, and late endgame moves are small.
double stageWeight(double filled) {
    constexpr double kLow = 0.5;
    if (filled < 0.05) return kLow;
    if (filled < 0.2) return kLow + (1 - kLow) * (filled - 0.05) / 0.15;
    if (filled < 0.45) return 1;
    if (filled < 0.7) return 1 - (1 - kLow) * (filled - 0.45) / 0.25;
    return kLow;
}

// This move's share of `budget` when it is to last `moves` more moves of ours (at least
// one), each weighted by its stage; both sides fill the board, about two points a move of ours.
double weightedShare(double budget, const GameStage& stage, double moves) {
    if (budget <= 0) return 0;
    const double points = std::max(1, stage.points);
    const double filled = 1 - stage.emptyPoints / points;
    double total = 0;
    for (int j = 0; j < moves; ++j) total += std::min(1.0, moves - j) * stageWeight(filled + 2 * j / points);
    return budget * stageWeight(filled) / total;
}

// Sudden death and Fischer: every move to come costs a lag allowance and (but the last)
// brings back the increment; what remains of the main time over the moves expected is
// thinking time.
double mainTimeOnly(const ClockState& clock, const GameStage& stage, const TimeManagerOptions& options) {
    const double moves = ownMovesLeft(stage);
    const double increment = clock.incrementSeconds;
    const double budget = clock.mainSeconds - increment + moves * (increment - options.lagSeconds);
    return std::min(weightedShare(budget, stage, moves), spendable(clock.mainSeconds, options.lagSeconds));
}

// Main time before byo-yomi or Canadian overtime, which allows `overtimeMove` a move.
double mainThenOvertime(const ClockState& clock, const GameStage& stage, double overtimeMove) {
    const double main = clock.mainSeconds;
    // With strength growing about as the logarithm of thinking time, main time is best
    // spent at about e times the overtime's allowance a move until it runs out (KataGo's
    // analysis): moves in main time pay for what overtime would have given them free. We
    // spread it over 1.75 times as many moves, since the middle game deserves it more than
    // the first moves do.
    double moves = ownMovesLeft(stage);
    if (overtimeMove > 0) moves = std::clamp(1.75 * main / (std::exp(1.0) * overtimeMove), 1.0, moves);
    double seconds = std::max(weightedShare(main, stage, moves), overtimeMove);
    // Too little would be left to matter: use it all, and this move's overtime. Never more:
    // a move that ends inside the first period or block costs none of them.
    if (main - seconds < overtimeMove / 2) seconds = main + overtimeMove;
    return std::min(seconds, main + overtimeMove);
}

}  // namespace

GameStage GameStage::of(const Game& game) {
    return {game.size() * game.size(), game.board().emptyCount(), static_cast<int>(game.moves().size())};
}

std::optional<std::chrono::duration<double>> thinkingTime(const ClockState& clock, const GameStage& stage,
                                                          const TimeManagerOptions& options) {
    if (!clock.timed) return std::nullopt;
    double seconds;
    if (!clock.hasOvertime()) {
        seconds = mainTimeOnly(clock, stage, options);
    } else {
        // Japanese byo-yomi: most of the period, never counting on the next one. Canadian:
        // the block's time shared among the stones still to play in it.
        const double overtimeMove =
            clock.japaneseOvertime()
                ? spendable(clock.periodSeconds, options.lagSeconds)
                : spendable(clock.periodSeconds / std::max(1, clock.stonesLeftInPeriod), options.lagSeconds);
        seconds = clock.mainSeconds > 0 ? mainThenOvertime(clock, stage, overtimeMove) : overtimeMove;
    }
    return std::chrono::duration<double>(std::max(options.minimumSeconds, seconds));
}

std::optional<std::chrono::duration<double>> thinkingTime(const ClockState& clock, const Game& game,
                                                          const TimeManagerOptions& options) {
    return thinkingTime(clock, GameStage::of(game), options);
}

bool savedTimeCarriesOver(const ClockState& clock) {
    return clock.timed && !(clock.inByoyomi() && (clock.japaneseOvertime() || clock.stonesLeftInPeriod <= 1));
}

}  // namespace tengen::play
