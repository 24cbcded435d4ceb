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
#include "mcts/search.h"
#include "nets/batched_evaluator.h"
#include "nets/rollout/policy.h"
#include "play/opening.h"
#include "selfplay/game_record.h"
#include "selfplay/policy_choice.h"

namespace tengen::selfplay {

// A network a side plays with: its evaluator, and its model file's name and checksum.
struct Network {
    std::shared_ptr<nets::BatchedEvaluator> evaluator;
    std::string file;
    std::string checksum;  // 16 hex digits of the file's FNV-1a
};

enum class PlayerKind {
    Policy,   // the policy network's move, sampled or greedy (PolicySampling)
    Search,   // the engine's search at a fixed number of visits, with root noise
    Rollout,  // the fast rollout policy p_pi, sampled
};

// How a search player plays: the engine's search (its visits, c_puct, lambda; Dirichlet noise
// at the root; a resignation threshold), drawing its first moves in proportion to visits.
struct SearchPlay {
    mcts::SearchOptions search;
    int temperatureMoves = 30;  // moves drawn by visits (AlphaGo Zero: 30); the most visited after
};

// One side's player: a network, or a pool of them from which each game draws one uniformly.
struct SidePlayer {
    PlayerKind kind = PlayerKind::Policy;
    std::vector<Network> pool;  // policy and search players
    PolicySampling sampling;    // policy players
    SearchPlay search;          // search players
    // Rollout players' policy, and search players' rollouts and cheap priors. Null: search
    // rollouts are light.
    std::shared_ptr<const nets::RolloutPolicy> rollout;
    std::string rolloutChecksum;  // of its model file, for the shards' settings
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
    int maxSampledMove = 450;  // AlphaGo's, for 19x19; alphaGoMaxSampledMove for other sizes
    SidePlayer opening;  // moves before U (the SL policy), both colours
    SidePlayer finish;   // moves after U (the RL policy, or the SL policy until there is one)
};

// AlphaGo's 450, past the end of most 19x19 games, as the same share of another board's points.
int alphaGoMaxSampledMove(int boardSize);

struct RunnerOptions {
    GameSettings game;
    // Ordinary games: each colour's player. Value data: the recipe instead.
    SidePlayer black, white;
    // Game i of a call (its index in the seeds) has the two players' colours swapped when i is
    // odd, so that each plays Black in half the games (a learner against its pool).
    bool alternateColours = false;
    std::optional<ValueDataRecipe> valueData;
    // Games at once: each waits on one evaluation at a time, or, with a search player, runs
    // on a thread of its own whose search keeps several evaluations waiting.
    int parallelGames = 256;
    // Search players resign when their searches say so (search.resignThreshold) three times
    // running. In this share of games they play on instead, and the record keeps who would
    // have resigned and when, so that false resignations can be counted (as Leela Zero and
    // KataGo do).
    double playOnShare = 0.1;
    // Each game starts with an opening from this book, drawn by the game's seed: random
    // balanced moves, or the first moves of an expert game (so that play starts from move k
    // of it). Null: the empty board. The opening's moves are recorded, and counted in
    // GameRecord::openingMoves so that learners can leave them out.
    std::shared_ptr<const play::OpeningBook> openings;
};

// Whether a search player plays in these games (which then run on threads).
bool hasSearchPlayer(const RunnerOptions& options);

// The seed of game number n of a series: every game of every worker differs.
std::uint64_t gameSeed(std::uint64_t seriesSeed, std::uint64_t gameNumber);

// Plays the games with these seeds, at most parallelGames at once, and returns their records
// in the order of `seeds`. Throws std::invalid_argument, before any game starts, for a
// network that has no policy or is for another board size, or a rollout player without a
// rollout policy. A value-data game that ends before its sampled move has no sample: its
// record keeps sampledPosition -1, for the caller to drop. Games without a search player
// depend on their seeds alone; a search's simulations depend on when the evaluator answers.
// `onGameEnd`, if set, hears of each game as it ends (for progress).
std::vector<GameRecord> playGames(const RunnerOptions& options, const std::vector<std::uint64_t>& seeds,
                                  const std::function<void(const GameRecord&)>& onGameEnd = {});

}  // namespace tengen::selfplay
