#include "mcts/move_choice.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "go/dead_stones.h"
#include "go/random.h"
#include "go/scoring.h"

namespace tengen::mcts {

namespace {

bool opponentHasDeadStones(const Game& game, const PointSet& dead) {
    const Color them = opponent(game.toMove());
    for (Point p = 0; p < game.geometry().paddedArea(); ++p)
        if (dead.test(p) && game.board().at(p) == them) return true;
    return false;
}

// A pass now would end the game.
bool lastMoveWasPass(const Game& game) { return !game.moves().empty() && game.moves().back().point == kPass; }

// Filling one's own true eye can only cost the group its life.
bool fillsOwnEye(const Game& game, Point p) { return p != kPass && game.board().isTrueEye(p, game.toMove()); }

bool resigns(const MoveStatistics& best, const Game& game, const SearchOptions& options) {
    const int openingMoves = game.size() * game.size() / 5;
    return options.resignThreshold > 0 && static_cast<int>(game.moves().size()) >= openingMoves &&
           best.visits > 0 && (best.q + 1) / 2 < options.resignThreshold;
}

// Draws among the visited moves in proportion to visits^(1 / temperature); never a pass,
// which only the plain choice may make.
Point sampleByVisits(const std::vector<MoveStatistics>& moves, const Game& game, const SearchOptions& options) {
    // A fresh draw for every position, and the same one again for the same seed and position.
    Random rng(options.seed ^ game.board().hash() ^ 0xC0FFEEull);
    double total = 0;
    for (const MoveStatistics& m : moves)
        if (m.move != kPass) total += std::pow(m.visits, 1 / options.temperature);
    double pick = rng.uniform() * total;
    Point chosen = kPass;
    for (const MoveStatistics& m : moves) {
        if (m.move == kPass || m.visits == 0) continue;
        chosen = m.move;
        if ((pick -= std::pow(m.visits, 1 / options.temperature)) < 0) break;
    }
    return chosen;
}

// Before the opponent has passed, a pass leaves them every neutral point (dame and open
// boundaries), which area scoring counts for whoever fills it: when every move wins or every
// move loses, the search may rate the pass first all the same (GNU Go took six points so in
// a game lost by 3.5). The most visited move on such a point instead, among those the search
// has tried and does not rate clearly below the pass, and that neither leave the mover's own
// chain in atari (a seki's shared liberty) nor fill its own true eye.
Point neutralPointInsteadOfPass(const std::vector<MoveStatistics>& moves, const Game& game, const PointSet& dead) {
    constexpr double kClearlyWorse = 0.1;  // in Q, -1..1
    const Ownership owner = areaOwnership(game.board(), dead);
    const auto pass = std::find_if(moves.begin(), moves.end(), [](const MoveStatistics& m) { return m.move == kPass; });
    const double passQ = pass != moves.end() && pass->visits > 0 ? pass->q : -1;
    const Color mover = game.toMove();
    for (const MoveStatistics& m : moves) {
        if (m.move == kPass || m.visits == 0 || m.q < passQ - kClearlyWorse) continue;
        if (owner[m.move] != Color::Empty || fillsOwnEye(game, m.move)) continue;
        // Suicide, where the rules allow it, leaves no liberty at all.
        if (game.board().analyse({mover, m.move}, game.rules().suicideAllowed).libertiesAfter <= 1) continue;
        return m.move;
    }
    return kPass;
}

// Tromp-Taylor scores the board as it stands: dead stones must be captured first.
bool cleansUp(const Game& game, bool cleanup) { return cleanup || game.rules() == Rules::trompTaylor(); }

// passIsSafe with the dead stones known: reading them takes hundreds of playouts.
bool passIsSafeGiven(const Game& game, bool cleanup, const PointSet& dead) {
    cleanup = cleansUp(game, cleanup);
    const bool passEndsGame = lastMoveWasPass(game);
    if (!cleanup && !passEndsGame) return true;
    if (cleanup && opponentHasDeadStones(game, dead)) return false;
    if (!passEndsGame) return true;
    const Score final = score(game.board(), game.rules(), game.komi(), game.handicap(), dead);
    return final.winner() == game.toMove();
}

}  // namespace

bool passIsSafe(const Game& game, bool cleanup) {
    if (!cleansUp(game, cleanup) && !lastMoveWasPass(game)) return true;
    return passIsSafeGiven(game, cleanup, findDeadStones(game));
}

Point chooseMove(const std::vector<MoveStatistics>& moves, const Game& game, const SearchOptions& options) {
    if (moves.empty()) throw std::invalid_argument("no moves to choose from");
    // Once the opponent has passed, a pass that wins by the count ends the game (Leela Zero
    // does the same with its own count). The search's favourite may be anything then, such
    // as a throw-in the opponent captures, again and again: a 9x9 game against GNU Go cycled
    // that way to the move cap.
    const bool passEndsGame = lastMoveWasPass(game);
    if (passEndsGame && passIsSafe(game, options.cleanup)) return kPass;
    if (resigns(moves.front(), game, options)) return kResign;
    // In a lost position after the opponent's pass every move looks alike to the search, and
    // own-eye fills, with others, once turned a game lost by 48 points into one lost by 368.
    const auto mostVisitedRealMove = [&] {
        for (const MoveStatistics& m : moves)
            if (m.move != kPass && m.visits > 0 && !fillsOwnEye(game, m.move)) return m.move;
        for (const MoveStatistics& m : moves)
            if (m.move != kPass && !fillsOwnEye(game, m.move)) return m.move;
        return kPass;
    };
    Point chosen = moves.front().move;
    if (options.temperature > 0 && chosen != kPass) chosen = sampleByVisits(moves, game, options);
    if (fillsOwnEye(game, chosen)) chosen = mostVisitedRealMove();
    // A real move instead of an unsafe pass (a pass that ends the game got here only by
    // being unsafe); a pass is still better than nothing.
    if (chosen == kPass && passEndsGame) return mostVisitedRealMove();
    if (chosen == kPass) {
        const PointSet dead = findDeadStones(game);
        chosen = passIsSafeGiven(game, options.cleanup, dead) ? neutralPointInsteadOfPass(moves, game, dead)
                                                              : mostVisitedRealMove();
    }
    return chosen;
}

bool ResignationStreak::confirm(bool searchResigns, const std::vector<Move>& moves) {
    if (!searchResigns) {
        streak_ = 0;
        return false;
    }
    const bool continues = moves.size() == lastMoves_.size() + 2 &&
                           std::equal(lastMoves_.begin(), lastMoves_.end(), moves.begin());
    streak_ = continues ? streak_ + 1 : 1;
    lastMoves_ = moves;
    return streak_ >= needed_;
}

}  // namespace tengen::mcts
