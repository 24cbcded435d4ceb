#pragma once
// Two raw policy networks against each other, in-process and batched: `tengen eval-policy`,
// and a cluster run's evaluation of each new model. Each takes Black in half the games, game
// n of each half starting from the same opening with colours swapped.

#include <cstdint>
#include <filesystem>

#include "selfplay/game_runner.h"

namespace tengen::selfplay {

struct PolicyMatchOptions {
    int games = 400;  // even
    bool greedy = false;  // both play their most probable move; otherwise they sample
    double temperature = 1;
    int randomOpening = 0;  // random balanced moves before the networks take over
    double komi = 7.5;
    std::string rules = "chinese";
    std::uint64_t seed = 1;
    int parallelGames = 128;
    int inferenceThreads = 1;  // per network
};

struct PolicyMatchResult {
    int boardSize = 0;  // the networks'
    int wins = 0, losses = 0, draws = 0;  // the first network's
    int firstWinsAsBlack = 0;
    int games() const { return wins + losses + draws; }
};

// Throws std::invalid_argument for an odd or non-positive game count, and
// nets::ModelFileError for a file that is not a policy network, or networks of two sizes.
PolicyMatchResult playPolicyMatch(const std::filesystem::path& first, const std::filesystem::path& second,
                                  const PolicyMatchOptions& options);

}  // namespace tengen::selfplay
