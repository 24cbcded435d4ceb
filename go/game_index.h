#pragma once
// Expert games for supervised training, read once from SGF archives or folders through the
// dataset reader and kept as compact move lists, so that training can draw positions in a
// full random order and resume at exactly the same draw after a kill.

#include <cstdint>
#include <string>
#include <vector>

#include "go/game.h"
#include "go/sgf_game.h"

namespace tengen {

struct GameFilter {
    int boardSize = 19;
    bool evenGamesOnly = true;   // no handicap stones, no setup
    int minimumDan = 0;          // both players at least this many dan (0: any rank)
    // Komi range kept. The value network does not see komi, so outcomes under a komi far
    // from the one it plays with teach it the wrong boundary between won and lost.
    double minimumKomi = -1000, maximumKomi = 1000;
    bool decidedOnBoardOnly = false;  // drop games won on time or by forfeit
    // One game in `heldOutEvery`, chosen by a hash of its moves, is held out for evaluation.
    int heldOutEvery = 50;
    // The first moves of each game are no training or evaluation positions: a teacher game
    // from `tengen match --random-opening N` opens with N random moves, no expert's choice.
    // A game with no move past them is removed as having no moves.
    int skipOpeningMoves = 0;
};

struct IndexedGame {
    std::string name;
    GameRecord record;  // moves and setup; the information fields are dropped
    Color winner = Color::Empty;
    // Value data (AlphaGo's recipe): the one position the game gives, as the number of moves
    // before it; -1 for a game whose positions are sampled as the trainer chooses.
    int valueSample = -1;
    // Positions before this move are left out (GameFilter::skipOpeningMoves).
    int firstPosition = 0;
};

// How many games each of the filter's conditions removed. A game may fail several, and is
// counted under each.
struct FilterRemovals {
    std::size_t boardSize = 0, handicap = 0, rank = 0, komi = 0, result = 0, noMoves = 0;
};

struct GameIndex {
    std::vector<IndexedGame> training, heldOut;
    std::size_t skippedByFilter = 0, skippedUnreadable = 0, skippedIllegal = 0;
    FilterRemovals removedBy;
    std::size_t trainingPositions() const;
    std::size_t heldOutPositions() const;
    std::string summary() const;  // what was kept and skipped, for a log line
};

// Throws std::runtime_error for paths that cannot be read at all; bad games are counted
// and skipped.
GameIndex indexGames(const std::vector<std::string>& paths, const GameFilter& filter);

// What indexGames does with each game it reads, for games from other sources (self-play
// shards): counts it against the filter, drops it if it does not replay, and files it on
// its side of the held-out split.
void indexGame(GameIndex& index, const GameFilter& filter, std::string name, GameRecord record, int valueSample = -1);

enum class GameSet { Training, HeldOut };

// Throws std::runtime_error, naming each filter and the games it removed, when the index
// holds none of the games `needed`.
void requireGames(const GameIndex& index, const GameFilter& filter, GameSet needed);

// indexGames for a training run: logs what was kept and skipped, and throws
// std::runtime_error if no training game is left, naming each filter and the games it removed.
GameIndex indexTrainingGames(const std::vector<std::string>& paths, const GameFilter& filter);

// indexGames for an evaluation on the held-out games (all games when filter.heldOutEvery is 1):
// throws std::runtime_error as indexTrainingGames does if none is left, rather than report
// a score over no games.
GameIndex indexHeldOutGames(const std::vector<std::string>& paths, const GameFilter& filter);

// A deterministic hash of a game's moves: the same game always falls on the same side of
// the training / held-out split, wherever and however often it appears.
std::uint64_t gameHash(const GameRecord& record);

// The position before move `moveIndex` (0-based) of a game.
Game positionBefore(const GameRecord& record, std::size_t moveIndex);

}  // namespace tengen
