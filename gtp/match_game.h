#pragma once
// One game between two GTP engines, refereed by the runner: it keeps the authoritative
// board and clocks, and decides every ending (resignation, score, time, forfeit, move cap).

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "go/game.h"
#include "go/rules.h"
#include "gtp/match_clock.h"
#include "gtp/match_engine.h"

namespace tengen::gtp {

struct GameSettings {
    int size = 9;
    double komi = 7.5;
    std::string rulesName = "chinese";
    Rules rules = Rules::chinese();
    int handicap = 0;
    TimeControl time;
    // Longest wait for any reply when there is no clock (and for setup commands).
    std::chrono::milliseconds moveTimeout{60'000};
    int maxMoves = 0;  // 0: three times the number of points
    int deadStonePlayouts = 400;
};

// Short codes for the results file and statistics; detail holds the human explanation.
namespace reason {
inline constexpr const char* kResign = "resign";
inline constexpr const char* kScore = "score";
inline constexpr const char* kTime = "time";        // overstepped the clock, or hung past it
inline constexpr const char* kTimeout = "timeout";  // no clock, and no reply within --move-timeout
inline constexpr const char* kIllegal = "illegal";
inline constexpr const char* kCrash = "crash";      // exited, closed its output, or could not start
inline constexpr const char* kGarbage = "garbage";  // a reply that is not GTP, or not a move
inline constexpr const char* kError = "error";      // refused a command it must accept
inline constexpr const char* kMoveCap = "move-cap";
}  // namespace reason

struct GameOutcome {
    std::optional<Color> winner;  // none: a draw
    std::string result;           // SGF RE[]: "B+R", "W+T", "B+F", "W+3.5", "0"
    std::string reason;           // one of reason::*
    std::string detail;
    // The engine at fault for a forfeit (crash, timeout, garbage, ...): restart it.
    std::optional<Color> faulty;
    Game game;                    // the final position with every move
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
GameOutcome playGame(const GameSettings& settings, GameEngines engines, const std::vector<Point>& opening,
                     std::uint64_t seed);

}  // namespace tengen::gtp
