#pragma once
// Turning a finished search into a move: the most visited (or, for self-play, one drawn by
// visit count), resigning only when clearly lost and past the opening, and passing only
// when a pass can neither throw the game away under the game's rules nor leave the opponent
// neutral points to take.

#include <vector>

#include "go/game.h"
#include "mcts/search.h"

namespace tengen::mcts {

// `moves` are the root's children, most visited first; `game` is the searched position.
Point chooseMove(const std::vector<MoveStatistics>& moves, const Game& game, const SearchOptions& options);

// Whether the player to move may pass here: not while the opponent has dead stones on the
// board in cleanup or under Tromp-Taylor rules (which count them), and, when the opponent has just passed (so a pass ends the game), only
// if the game's own scoring, dead stones removed, then gives the player the win.
bool passIsSafe(const Game& game, bool cleanup);

// A single search that wants to resign may have been misled by noise: like KataGo, resign
// only once several consecutive searches for the same player in one game have wanted to.
// How many, unless told otherwise:
inline constexpr int kResignSearches = 3;

class ResignationStreak {
public:
    explicit ResignationStreak(int searchesNeeded) : needed_(searchesNeeded) {}
    // Fed the verdict of each search and the moves of the game it searched; true when the
    // player should resign now. A search that is not the same player's next one in the same
    // game (a new game, an undo, a colour switch) starts the streak afresh.
    bool confirm(bool searchResigns, const std::vector<Move>& moves);

private:
    int needed_;
    int streak_ = 0;
    std::vector<Move> lastMoves_;
};

}  // namespace tengen::mcts
