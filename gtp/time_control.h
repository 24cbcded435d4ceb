#pragma once
// Time settings as GTP's time_settings and kgs-time_settings give them, and the clock
// each side is left with as time_left reports it.

#include <optional>
#include <string>
#include <vector>

#include "gtp/player.h"

namespace tengen::gtp {

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

    // The clock at the start of a game.
    ClockState freshClock() const;
    // The clock after time_left with `seconds` and `stones` (0 stones: still in main time;
    // Fischer has no overtime, and its `seconds` include the increments received).
    ClockState clockFromTimeLeft(double seconds, int stones) const;
};

}  // namespace tengen::gtp
