#pragma once
// A whole match: schedule, parallel games, results file and SGF records, resume, live
// progress, and the final report with its exports.

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "match/engine.h"
#include "match/game.h"
#include "play/opening.h"
#include "match/report.h"
#include "match/schedule.h"
#include "match/stats.h"

namespace tengen::match {

enum class ProgressStyle { Auto, Live, Plain, Quiet };

struct MatchOptions {
    std::vector<EngineSpec> engines;
    ScheduleKind schedule = ScheduleKind::Pair;
    int gamesPerPairing = 10;
    GameSettings game;
    play::OpeningOptions openings;
    std::optional<EngineSpec> referee;  // none: Tengen's own dead stones and scoring
    std::optional<SprtOptions> sprt;
    int concurrency = 0;                // 0: defaultConcurrency()
    std::string outDir;
    std::string event = "Tengen match";
    std::uint64_t seed = 1;
    ProgressStyle progress = ProgressStyle::Auto;
    bool engineStderr = false;          // let engines write to our stderr
};

// Half the cores: in a game only the side to move thinks, but engines that ponder or use
// several threads would otherwise starve each other and lose on time for it.
int defaultConcurrency();

// Runs (or resumes) the match in options.outDir and writes the final table to `out`.
// Progress goes to `progress`. Returns the report. Throws std::runtime_error for
// configuration problems (an engine that cannot start, a directory holding another match).
MatchReport runMatch(const MatchOptions& options, std::ostream& out, std::ostream& progress);

// The settings that define a match's games, as JSON: rerunning with the same ones resumes.
// The number of games and SPRT bounds are left out so that a match can be extended.
std::string matchFingerprint(const MatchOptions& options);

}  // namespace tengen::match
