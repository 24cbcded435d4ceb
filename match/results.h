#pragma once
// The results file: one JSON line per finished game, appended and fsynced as each game
// ends, and read back on resume. Together with the SGF written (atomically) before its
// line, it is the whole state of a match, so a kill at any moment loses at most the games
// in progress and never counts one twice.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace tengen::match {

struct GameResult {
    int id = 0;
    int pairing = 0;
    int round = 0;
    int opening = 0;
    std::string black, white;      // engine names
    std::optional<std::string> winner;  // "black" / "white"; none for a draw
    std::string result;            // SGF RE[]
    std::string reason;
    std::string detail;
    int moves = 0;
    double blackSeconds = 0, whiteSeconds = 0;
    std::string sgf;               // relative to the match directory
    std::string finished;          // UTC, ISO 8601

    // Score of the named engine in this game: 1, 0.5 or 0.
    double scoreOf(const std::string& engine) const;
};

nlohmann::json toJson(const GameResult& r);
GameResult gameResultFromJson(const nlohmann::json& j);

// Reads every complete line; a torn last line (a kill during the write) is cut off the
// file so that the next append starts on a line of its own. A repeated id keeps its first
// line. Returns results by id.
std::map<int, GameResult> loadResults(const std::string& path);

// One line, one write(2) on an O_APPEND descriptor, then fsync.
void appendResult(const std::string& path, const GameResult& r);


}  // namespace tengen::match
