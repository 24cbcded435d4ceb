#include "gtp/time_control.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace tengen::gtp {

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

}  // namespace tengen::gtp
