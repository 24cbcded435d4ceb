#pragma once
// Who plays whom, with which colours and which opening, in what order.
//
// Game ids are a pure function of the schedule's shape, never of timing, so that a rerun of
// the same command knows which games are already in the results file.

#include <string>
#include <string_view>
#include <vector>

namespace tengen::match {

enum class ScheduleKind {
    Pair,        // exactly two engines
    RoundRobin,  // every engine against every other
    Gauntlet,    // the first engine against each of the others
};
ScheduleKind parseScheduleKind(std::string_view text);  // throws std::invalid_argument
std::string_view scheduleKindName(ScheduleKind kind);

struct ScheduledGame {
    int id = 0;        // 0-based, dense
    int pairing = 0;   // index into pairings()
    int round = 0;     // 0..gamesPerPairing-1
    int black = 0;     // engine indices
    int white = 0;
    int opening = 0;   // which opening: rounds 2k and 2k+1 share one, with colours swapped
};

struct Pairing {
    int first = 0;   // statistics are kept from the first engine's point of view
    int second = 0;
};

std::vector<Pairing> pairings(ScheduleKind kind, int engineCount);

// Round-major: every pairing plays its round r before any plays round r+1, so a match
// stopped early (SPRT, kill) is still balanced across pairings and colours.
std::vector<ScheduledGame> makeSchedule(ScheduleKind kind, int engineCount, int gamesPerPairing);

}  // namespace tengen::match
