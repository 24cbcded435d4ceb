#pragma once
// Match time: the time control both sides play under, and the referee's clock for one side,
// which is authoritative (an engine's own clock only advises it).

#include <optional>
#include <string>

namespace tengen::gtp {

// Canadian byo-yomi covers all three usual forms: fixed time per move is no main time and
// a period of one stone; absolute time is main time with no period.
struct TimeControl {
    double mainSeconds = 0;
    double periodSeconds = 0;
    int periodStones = 1;
    // Allowance for pipe and scheduling latency before an engine is flagged.
    double marginSeconds = 0.5;

    bool enabled() const { return mainSeconds > 0 || periodSeconds > 0; }
    std::string describe() const;  // "none", "5s/move", "60s + 10s/5 moves", "300s"
    std::string sgfOvertime() const;  // SGF OT[]
};

class MatchClock {
public:
    // Without main time the clock starts in its first period.
    explicit MatchClock(const TimeControl& control);

    // Longest the next move may take before the flag falls.
    double allowed() const;
    // Charges a move's thinking time.
    void charge(double seconds);

    // The arguments of GTP time_left ("seconds stones"; stones 0 in main time), or nothing
    // when less than a second is left: the command takes whole seconds, and rounding down to
    // 0 would tell the engine it has no time at all. The engine then keeps its own clock from
    // time_settings, which may carry fractions.
    std::optional<std::string> timeLeftArguments() const;

private:
    TimeControl control_;
    double main_ = 0;
    double period_ = 0;  // left in the current period
    int stones_ = 0;     // moves left in the current period
    bool inByoyomi_ = false;
};

}  // namespace tengen::gtp
