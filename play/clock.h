#pragma once
// The one clock model, for the GTP engine's own bookkeeping and the match referee alike:
// the time settings a game is played under (GTP time_settings, kgs-time_settings, or a
// match's options), the clock each side is left with, and how a move changes it.

#include <optional>
#include <string>
#include <vector>

namespace tengen::play {

// The clock of the side to move, as time_settings / kgs-time_settings / time_left and the
// engine's own bookkeeping left it.
struct ClockState {
    bool timed = false;               // false: no time limit
    double mainSeconds = 0;           // main time left (Fischer: the increments received included)
    double periodSeconds = 0;         // left in the current byo-yomi period or Canadian block
    int periodStones = 0;             // stones per Canadian block; 0: Japanese byo-yomi periods
    int periodsLeft = 0;              // Japanese byo-yomi periods left, the current one included
    int stonesLeftInPeriod = 0;       // Canadian: stones still to play in this block
    double incrementSeconds = 0;      // Fischer: added after each move
    bool japaneseOvertime() const { return periodSeconds > 0 && periodStones == 0 && periodsLeft > 0; }
    bool canadianOvertime() const { return periodSeconds > 0 && periodStones > 0; }
    bool hasOvertime() const { return japaneseOvertime() || canadianOvertime(); }
    bool inByoyomi() const { return timed && mainSeconds <= 0 && hasOvertime(); }
};

struct TimeSettings {
    enum class Kind { None, Absolute, Byoyomi, Canadian, Fischer };
    Kind kind = Kind::None;
    double mainSeconds = 0;
    double periodSeconds = 0;
    int periods = 0;        // Japanese byo-yomi
    int periodStones = 0;   // Canadian
    double incrementSeconds = 0;  // Fischer

    // time_settings main byo_yomi_time byo_yomi_stones (GTP 2, section 6.3.4).
    static std::optional<TimeSettings> fromGtp(const std::vector<std::string>& args);
    // kgs-time_settings none | absolute main | byoyomi main period periods | canadian main period stones,
    // and, as an extension KGS itself does not send but bot connectors can, fischer main increment.
    static std::optional<TimeSettings> fromKgs(const std::vector<std::string>& args);
    // A fixed time for every move: Canadian overtime of one stone with no main time.
    static TimeSettings perMove(double seconds);
    // Main time, then Canadian blocks of `stones` moves in `periodSeconds` (none: sudden death).
    static TimeSettings canadian(double mainSeconds, double periodSeconds, int stones);

    bool timed() const { return kind != Kind::None; }
    // "none", "5s/move", "60s + 10s/5 moves", "300s", ...
    std::string describe() const;
    // SGF OT[] (empty without overtime).
    std::string sgfOvertime() const;
    // The arguments of GTP time_settings, for settings it can express (none, absolute,
    // Canadian); nothing for byo-yomi periods and Fischer, which need kgs-time_settings.
    std::optional<std::string> gtpArguments() const;

    // The clock at the start of a game.
    ClockState freshClock() const;
    // The clock after time_left with `seconds` and `stones` (0 stones: still in main time;
    // Fischer has no overtime, and its `seconds` include the increments received).
    ClockState clockFromTimeLeft(double seconds, int stones) const;
};

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

// The longest the next move may take before the flag falls (infinity without a clock).
double secondsBeforeFlag(const ClockState& clock);

// The arguments of GTP time_left ("seconds stones"; stones 0 in main time), or nothing
// when less than a second is left: the command takes whole seconds, and rounding down to
// 0 would tell the engine it has no time at all. The engine then keeps its own clock from
// time_settings, which may carry fractions.
std::optional<std::string> timeLeftArguments(const ClockState& clock);

}  // namespace tengen::play
