#include "match/schedule.h"

#include <fmt/format.h>

#include <stdexcept>

namespace tengen::match {

ScheduleKind parseScheduleKind(std::string_view text) {
    if (text == "pair" || text == "match") return ScheduleKind::Pair;
    if (text == "round-robin" || text == "roundrobin" || text == "rr") return ScheduleKind::RoundRobin;
    if (text == "gauntlet") return ScheduleKind::Gauntlet;
    throw std::invalid_argument(fmt::format("unknown schedule '{}': pair, round-robin or gauntlet", text));
}

std::string_view scheduleKindName(ScheduleKind kind) {
    switch (kind) {
    case ScheduleKind::Pair: return "pair";
    case ScheduleKind::RoundRobin: return "round-robin";
    case ScheduleKind::Gauntlet: return "gauntlet";
    }
    return "?";
}

std::vector<Pairing> pairings(ScheduleKind kind, int engineCount) {
    if (engineCount < 2) throw std::invalid_argument("a match needs at least two engines");
    std::vector<Pairing> result;
    switch (kind) {
    case ScheduleKind::Pair:
        if (engineCount != 2)
            throw std::invalid_argument(fmt::format(
                "schedule 'pair' takes exactly two engines ({} given); use round-robin or gauntlet", engineCount));
        result.push_back({0, 1});
        break;
    case ScheduleKind::RoundRobin:
        for (int a = 0; a < engineCount; ++a)
            for (int b = a + 1; b < engineCount; ++b) result.push_back({a, b});
        break;
    case ScheduleKind::Gauntlet:
        for (int b = 1; b < engineCount; ++b) result.push_back({0, b});
        break;
    }
    return result;
}

std::vector<ScheduledGame> makeSchedule(ScheduleKind kind, int engineCount, int gamesPerPairing) {
    if (gamesPerPairing < 1) throw std::invalid_argument("games per pairing must be at least 1");
    const std::vector<Pairing> all = pairings(kind, engineCount);
    std::vector<ScheduledGame> games;
    games.reserve(all.size() * gamesPerPairing);
    for (int round = 0; round < gamesPerPairing; ++round) {
        for (int p = 0; p < static_cast<int>(all.size()); ++p) {
            ScheduledGame g;
            g.id = static_cast<int>(games.size());
            g.pairing = p;
            g.round = round;
            const bool firstIsBlack = round % 2 == 0;
            g.black = firstIsBlack ? all[p].first : all[p].second;
            g.white = firstIsBlack ? all[p].second : all[p].first;
            g.opening = round / 2;
            games.push_back(g);
        }
    }
    return games;
}

}  // namespace tengen::match
