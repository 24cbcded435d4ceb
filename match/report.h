#pragma once
// What a match's results add up to: per-pairing records and Elo, the rating table, SPRT,
// and the ways they leave the program (text table, JSON, CSV, SVG chart).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "match/results.h"
#include "match/schedule.h"
#include "match/stats.h"

namespace tengen::match {

struct PairingReport {
    std::string first, second;
    PairingStats stats;  // from the first engine's point of view
    int blackWins = 0, whiteWins = 0;
};

struct MatchReport {
    std::vector<std::string> engines;
    std::vector<PairingReport> pairings;
    std::vector<Rating> ratings;  // by engine index
    std::map<std::string, int> reasons;
    std::optional<SprtState> sprt;  // two-engine matches with SPRT on
    int games = 0;
    int scheduled = 0;
};

MatchReport makeReport(const std::vector<std::string>& engines, const std::vector<Pairing>& pairings,
                       const std::map<int, GameResult>& results, int scheduled,
                       const std::optional<SprtOptions>& sprtOptions);

// Human-readable: pairings, rating table (more than two engines), reasons, SPRT.
std::string formatReport(const MatchReport& report, const std::string& heading);
nlohmann::json reportJson(const MatchReport& report);
std::string pairingsCsv(const MatchReport& report);
std::string ratingsCsv(const MatchReport& report);
std::string gamesCsv(const std::map<int, GameResult>& results);

// Running Elo of each pairing's first engine (with its 95% band) after each of its games,
// in game id order.
std::string eloChartSvg(const std::vector<Pairing>& pairings, const std::vector<std::string>& engines,
                        const std::map<int, GameResult>& results);

}  // namespace tengen::match
