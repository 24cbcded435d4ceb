#include "gtp/match_clock.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace tengen::gtp {

std::string TimeControl::describe() const {
    if (!enabled()) return "none";
    if (mainSeconds <= 0 && periodStones == 1) return fmt::format("{}s/move", periodSeconds);
    if (periodSeconds <= 0) return fmt::format("{}s", mainSeconds);
    return fmt::format("{}s + {}s/{} moves", mainSeconds, periodSeconds, periodStones);
}

std::string TimeControl::sgfOvertime() const {
    if (periodSeconds <= 0) return "";
    return fmt::format("{}/{} Canadian", periodStones, periodSeconds);
}

MatchClock::MatchClock(const TimeControl& control)
    : control_(control),
      main_(control.mainSeconds),
      period_(control.periodSeconds),
      stones_(control.periodStones),
      inByoyomi_(control.mainSeconds <= 0 && control.periodSeconds > 0) {}

double MatchClock::allowed() const { return inByoyomi_ ? period_ : main_ + control_.periodSeconds; }

void MatchClock::charge(double seconds) {
    if (!inByoyomi_ && seconds <= main_) {
        main_ -= seconds;
        return;
    }
    if (!inByoyomi_) {
        seconds -= main_;
        main_ = 0;
        inByoyomi_ = true;
        period_ = control_.periodSeconds;
        stones_ = control_.periodStones;
    }
    period_ = std::max(0.0, period_ - seconds);
    if (--stones_ <= 0) {
        period_ = control_.periodSeconds;
        stones_ = control_.periodStones;
    }
}

std::optional<std::string> MatchClock::timeLeftArguments() const {
    const double left = inByoyomi_ ? period_ : main_;
    if (left < 1) return std::nullopt;
    return fmt::format("{} {}", static_cast<long long>(std::floor(left)), inByoyomi_ ? stones_ : 0);
}

}  // namespace tengen::gtp
