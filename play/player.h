#pragma once
// What a front end (the GTP engine, self-play) asks of whoever chooses the moves. It talks
// only to this interface, so the built-in player, the policy network and the search can replace
// each other without touching it.

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "go/game.h"
#include "play/clock.h"

namespace tengen::play {

struct MoveRequest {
    Color color = Color::Black;
    // kgs-genmove_cleanup: capture every dead opponent stone before passing.
    bool cleanup = false;
    ClockState clock;
    // reg_genmove: the move is asked for but not played.
    bool trial = false;
};

// One candidate move as analysis shows it (Leela Zero / KataGo fields).
struct CandidateMove {
    Point move = kPass;
    int visits = 0;
    double winrate = 0.5;   // for the side to move
    double prior = 0;
    double scoreLead = 0;   // for the side to move
    std::vector<Point> principalVariation;
};

struct AnalysisSnapshot {
    std::vector<CandidateMove> candidates;  // best first
    // Optional per-point views for GUIs; empty when the player has none.
    std::vector<double> policy;     // indexed by Point
    std::vector<double> ownership;  // indexed by Point, +1 Black .. -1 White
};

class Player {
public:
    virtual ~Player() = default;
    virtual std::string name() const = 0;
    // A legal move for request.color in this position, kPass, or kResign.
    virtual Point chooseMove(const Game& game, const MoveRequest& request) = 0;
    // Thinks about the position until `stop` is set, calling `report` about every
    // `interval`. The default has nothing to report beyond its move choice.
    virtual void analyse(const Game& game, Color color, const std::atomic<bool>& stop,
                         std::chrono::milliseconds interval, const std::function<void(const AnalysisSnapshot&)>& report);
    // Pondering hook: the game changed (a move, undo, new game); drop or reuse thinking.
    virtual void onPositionChanged(const Game&) {}
};

}  // namespace tengen::play
