#pragma once
// One game between two GTP engines, refereed by the runner: it keeps the authoritative
// board and clocks, and decides every ending (resignation, score, time, forfeit, move cap).

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "go/game.h"
#include "go/rules.h"
#include "play/clock.h"
#include "play/game_outcome.h"
#include "match/engine.h"

namespace tengen::match {

struct GameSettings {
    int size = 9;
    double komi = 7.5;
    std::string rulesName = "chinese";
    Rules rules = Rules::chinese();
    int handicap = 0;
    play::TimeSettings time;
    // Allowance for pipe and scheduling latency before an engine is flagged.
    double timeMarginSeconds = 0.5;
    // Longest wait for any reply when there is no clock (and for setup commands).
    std::chrono::milliseconds moveTimeout{60'000};
    int maxMoves = 0;  // 0: three times the number of points
    int deadStonePlayouts = 400;
};

// The end reasons are play::end_reason's, shared with self-play.
namespace reason = play::end_reason;

// A refereed game: how it ended, and what the referee saw of the engines on the way.
struct PlayedGame : play::GameOutcome {
    // The engine at fault for a forfeit (crash, timeout, garbage, ...): restart it.
    std::optional<Color> faulty;
    std::vector<double> moveSeconds;  // per move of the game, opening moves as 0
    double blackSeconds = 0, whiteSeconds = 0;
};

// The two players and an optional referee engine (null: Tengen's own dead-stone finder and
// scoring under the game's rules). An engine whose client has died is the caller's to restart.
struct GameEngines {
    RunningEngine* black = nullptr;
    RunningEngine* white = nullptr;
    RunningEngine* referee = nullptr;
};

// Plays one game. `opening` is played in turn from the side to move after handicap; points
// that would be illegal end the opening early. Never throws for anything an engine does.
PlayedGame playGame(const GameSettings& settings, GameEngines engines, const std::vector<Point>& opening,
                     std::uint64_t seed);

}  // namespace tengen::match
