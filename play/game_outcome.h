#pragma once
// How a game ended, as tournaments and self-play both record it: the winner, SGF's RE[], a
// short end-reason code for results files and statistics, and the final position.

#include <optional>
#include <string>

#include "go/game.h"

namespace tengen::play {

// Short codes for results files and statistics; GameOutcome::detail holds the human
// explanation. They are written to files that later runs read back: never rename one.
namespace end_reason {
inline constexpr const char* kResign = "resign";
inline constexpr const char* kScore = "score";
inline constexpr const char* kTime = "time";        // overstepped the clock, or hung past it
inline constexpr const char* kTimeout = "timeout";  // no clock, and no reply within the move timeout
inline constexpr const char* kIllegal = "illegal";
inline constexpr const char* kCrash = "crash";      // exited, closed its output, or could not start
inline constexpr const char* kGarbage = "garbage";  // a reply that is not GTP, or not a move
inline constexpr const char* kError = "error";      // refused a command it must accept
inline constexpr const char* kMoveCap = "move-cap"; // the move cap was reached and the game scored
}  // namespace end_reason

struct GameOutcome {
    std::optional<Color> winner;  // none: a draw
    std::string result;           // SGF RE[]: "B+R", "W+T", "B+F", "W+3.5", "0"
    std::string reason;           // one of end_reason::*
    std::string detail;
    Game game;                    // the final position with every move
};

}  // namespace tengen::play
