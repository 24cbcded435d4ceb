#pragma once
// Many self-play games at once in one thread, over shared batched evaluators. Each game
// waits on at most one evaluation; as soon as its answer is in, the game moves and queues its
// next position, so the evaluators' batches stay full while this thread chooses moves. A
// game's moves depend only on its own seed (its random draws and the symmetries its
// positions are seen through), never on which other games share its batches: the same seed
// alone or among hundreds gives the same game.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "go/rules.h"
#include "nets/batched_evaluator.h"
#include "selfplay/game_record.h"
#include "selfplay/policy_choice.h"

namespace tengen::selfplay {

// A network a side plays with: its evaluator, and its model file's name and checksum.
struct Network {
    std::shared_ptr<nets::BatchedEvaluator> evaluator;
    std::string file;
    std::string checksum;  // 16 hex digits of the file's FNV-1a
};

// One side's player: a network, or a pool of them from which each game draws one uniformly.
struct SidePlayer {
    std::vector<Network> pool;
    PolicySampling sampling;
};

enum class Scoring { Area, TrompTaylor };

struct GameSettings {
    int boardSize = 19;
    double komi = 7.5;
    std::string rules = "chinese";  // a Rules::fromSpec spec
    // The game is scored once this many moves have been played (0: three times the points).
    int maxMoves = 0;
    // Area: the rules' count after Benson and the dead-stone finder; TrompTaylor: every
    // stone on the board lives.
    Scoring scoring = Scoring::Area;
    int deadStonePlayouts = 100;
};

// AlphaGo's value data: U drawn uniformly from 1 to maxSampledMove; moves 1 to U - 1 by the
// first policy, move U uniformly among the legal moves, the rest by the second policy; only
// the position after move U is kept, with the final outcome.
struct ValueDataRecipe {
    int maxSampledMove = 450;
    SidePlayer opening;  // moves before U (the SL policy), both colours
    SidePlayer finish;   // moves after U (the RL policy, or the SL policy until there is one)
};

struct RunnerOptions {
    GameSettings game;
    // Ordinary games: each colour's player. Value data: the recipe instead.
    SidePlayer black, white;
    std::optional<ValueDataRecipe> valueData;
    int parallelGames = 256;
};

// The seed of game number n of a series: every game of every worker differs.
std::uint64_t gameSeed(std::uint64_t seriesSeed, std::uint64_t gameNumber);

// Plays the games with these seeds, at most parallelGames at once, and returns their records
// in the order of `seeds`. Throws std::invalid_argument, before any game starts, for a
// network that has no policy or is for another board size. A value-data game that ends before its sampled move has no sample:
// its record keeps sampledPosition -1, for the caller to drop.
// `onGameEnd`, if set, hears of each game as it ends (for progress).
std::vector<GameRecord> playGames(const RunnerOptions& options, const std::vector<std::uint64_t>& seeds,
                                  const std::function<void(const GameRecord&)>& onGameEnd = {});

}  // namespace tengen::selfplay
