#include "play/clock.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace tengen::play {

namespace {

std::optional<double> seconds(const std::string& text) {
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || !std::isfinite(value) || value < 0 || value > 1e9) return std::nullopt;
    return value;
}

std::optional<int> count(const std::string& text) {
    char* end = nullptr;
    const long value = std::strtol(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || value < 0 || value > 1000000) return std::nullopt;
    return static_cast<int>(value);
}

}  // namespace

std::optional<TimeSettings> TimeSettings::fromGtp(const std::vector<std::string>& args) {
    if (args.size() != 3) return std::nullopt;
    const auto main = seconds(args[0]), period = seconds(args[1]);
    const auto stones = count(args[2]);
    if (!main || !period || !stones) return std::nullopt;
    TimeSettings t;
    if (*period > 0 && *stones == 0) return t;  // the spec's way of saying "no time limit"
    t.mainSeconds = *main;
    t.kind = *period == 0 ? Kind::Absolute : Kind::Canadian;
    t.periodSeconds = *period;
    t.periodStones = *stones;
    return t;
}

std::optional<TimeSettings> TimeSettings::fromKgs(const std::vector<std::string>& args) {
    if (args.empty()) return std::nullopt;
    TimeSettings t;
    const std::string& kind = args[0];
    if (kind == "none" && args.size() == 1) return t;
    if (kind == "absolute" && args.size() == 2) {
        const auto main = seconds(args[1]);
        if (!main) return std::nullopt;
        t.kind = Kind::Absolute;
        t.mainSeconds = *main;
        return t;
    }
    if ((kind == "byoyomi" || kind == "canadian") && args.size() == 4) {
        const auto main = seconds(args[1]), period = seconds(args[2]);
        const auto n = count(args[3]);
        if (!main || !period || !n) return std::nullopt;
        t.mainSeconds = *main;
        t.periodSeconds = *period;
        if (kind == "byoyomi") {
            t.kind = Kind::Byoyomi;
            t.periods = *n;
        } else {
            t.kind = Kind::Canadian;
            t.periodStones = *n;
        }
        return t;
    }
    if (kind == "fischer" && args.size() == 3) {
        const auto main = seconds(args[1]), increment = seconds(args[2]);
        if (!main || !increment) return std::nullopt;
        t.kind = Kind::Fischer;
        t.mainSeconds = *main;
        t.incrementSeconds = *increment;
        return t;
    }
    return std::nullopt;
}

TimeSettings TimeSettings::perMove(double seconds) { return canadian(0, seconds, 1); }

TimeSettings TimeSettings::canadian(double mainSeconds, double periodSeconds, int stones) {
    TimeSettings t;
    t.mainSeconds = mainSeconds;
    if (periodSeconds > 0) {
        t.kind = Kind::Canadian;
        t.periodSeconds = periodSeconds;
        t.periodStones = std::max(1, stones);
    } else if (mainSeconds > 0) {
        t.kind = Kind::Absolute;
    }
    return t;
}

std::string TimeSettings::describe() const {
    switch (kind) {
    case Kind::None: return "none";
    case Kind::Absolute: return fmt::format("{}s", mainSeconds);
    case Kind::Canadian:
        if (mainSeconds <= 0 && periodStones == 1) return fmt::format("{}s/move", periodSeconds);
        return fmt::format("{}s + {}s/{} moves", mainSeconds, periodSeconds, periodStones);
    case Kind::Byoyomi: return fmt::format("{}s + {}x{}s", mainSeconds, periods, periodSeconds);
    case Kind::Fischer: return fmt::format("{}s + {}s/move", mainSeconds, incrementSeconds);
    }
    return "none";
}

std::string TimeSettings::sgfOvertime() const {
    switch (kind) {
    case Kind::Canadian: return fmt::format("{}/{} Canadian", periodStones, periodSeconds);
    case Kind::Byoyomi: return fmt::format("{}x{} byo-yomi", periods, periodSeconds);
    case Kind::Fischer: return fmt::format("{} fischer", incrementSeconds);
    default: return "";
    }
}

std::optional<std::string> TimeSettings::gtpArguments() const {
    switch (kind) {
    case Kind::None: return "0 1 0";
    case Kind::Absolute: return fmt::format("{} 0 0", mainSeconds);
    case Kind::Canadian: return fmt::format("{} {} {}", mainSeconds, periodSeconds, periodStones);
    default: return std::nullopt;
    }
}

ClockState TimeSettings::freshClock() const {
    ClockState c;
    c.timed = kind != Kind::None;
    c.mainSeconds = mainSeconds;
    c.periodSeconds = periodSeconds;
    c.periodStones = kind == Kind::Canadian ? periodStones : 0;
    c.periodsLeft = kind == Kind::Byoyomi ? periods : 0;
    c.stonesLeftInPeriod = c.periodStones;
    c.incrementSeconds = kind == Kind::Fischer ? incrementSeconds : 0;
    return c;
}

ClockState TimeSettings::clockFromTimeLeft(double secondsLeft, int stones) const {
    ClockState c = freshClock();
    c.timed = true;
    if (stones == 0 || kind == Kind::Fischer) {
        c.mainSeconds = secondsLeft;
        return c;
    }
    // In overtime: for Canadian, `stones` are left to play in `seconds`; for byo-yomi
    // (KGS sends periods left as stones), each period lasts periodSeconds.
    c.mainSeconds = 0;
    if (kind == Kind::Byoyomi) {
        c.periodsLeft = stones;
        c.periodSeconds = secondsLeft;
    } else {
        c.periodSeconds = secondsLeft;
        c.stonesLeftInPeriod = stones;
        c.periodStones = std::max(c.periodStones, stones);
    }
    return c;
}

ClockAfterMove clockAfterMove(const ClockState& clock, const TimeSettings& settings, double secondsSpent) {
    ClockAfterMove after{clock, false};
    ClockState& c = after.clock;
    if (!c.timed) return after;
    double spent = std::max(0.0, secondsSpent);
    const auto outOfTime = [&] {
        c.mainSeconds = 0;
        c.periodSeconds = 0;
        c.periodsLeft = 0;
        c.stonesLeftInPeriod = 0;
        after.outOfTime = true;
        return after;
    };
    if (!c.hasOvertime()) {
        if (spent > c.mainSeconds) return outOfTime();
        c.mainSeconds += c.incrementSeconds - spent;
        return after;
    }
    if (c.mainSeconds > 0) {
        if (spent <= c.mainSeconds) {
            c.mainSeconds -= spent;
            return after;
        }
        spent -= c.mainSeconds;
        c.mainSeconds = 0;
    }
    // A controller that sent time_left but no settings leaves the full period unknown:
    // assume no more than what was left of the current one.
    const double freshPeriod = settings.periodSeconds > 0 ? settings.periodSeconds : c.periodSeconds;
    if (c.japaneseOvertime()) {
        // Each period overrun is lost; the one the move ends in starts afresh.
        for (double left = c.periodSeconds; spent >= left; left = freshPeriod) {
            spent -= left;
            if (--c.periodsLeft == 0) return outOfTime();
        }
        c.periodSeconds = freshPeriod;
        return after;
    }
    if (spent >= c.periodSeconds) return outOfTime();
    c.periodSeconds -= spent;
    if (--c.stonesLeftInPeriod <= 0) {
        c.periodSeconds = freshPeriod;
        c.stonesLeftInPeriod = c.periodStones;
    }
    return after;
}

double secondsBeforeFlag(const ClockState& clock) {
    if (!clock.timed) return std::numeric_limits<double>::infinity();
    if (clock.japaneseOvertime()) return clock.mainSeconds + clock.periodSeconds * clock.periodsLeft;
    return clock.mainSeconds + (clock.canadianOvertime() ? clock.periodSeconds : 0);
}

std::optional<std::string> timeLeftArguments(const ClockState& clock) {
    if (!clock.timed) return std::nullopt;
    const bool overtime = clock.inByoyomi();
    const double left = overtime ? clock.periodSeconds : clock.mainSeconds;
    if (left < 1) return std::nullopt;
    // KGS's convention: in Japanese byo-yomi the stones are the periods left.
    const int stones = !overtime ? 0 : clock.japaneseOvertime() ? clock.periodsLeft : clock.stonesLeftInPeriod;
    return fmt::format("{} {}", static_cast<long long>(std::floor(left)), stones);
}

}  // namespace tengen::play
