#pragma once
// What the GTP engine asks of whoever chooses the moves. The protocol code talks only to
// this interface, so the built-in player, the policy network and the search can replace
// each other without touching it.

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "go/game.h"

namespace tengen::gtp {

// The clock of the side to move, as time_settings / kgs-time_settings / time_left and the
// engine's own bookkeeping left it.
struct ClockState {
    bool timed = false;               // false: no time limit
    double mainSeconds = 0;           // main time left (Fischer: the increments received included)
    double periodSeconds = 0;         // left in the current byo-yomi period or Canadian block
    int periodStones = 0;             // stones per Canadian block; 0: Japanese byo-yomi periods
    int periodsLeft = 0;              // Japanese byo-yomi periods left, the current one included
    int stonesLeftInPeriod = 0;       // Canadian: stones still to play in this block
    double incrementSeconds = 0;      // Fischer: added after each move
    bool japaneseOvertime() const { return periodSeconds > 0 && periodStones == 0 && periodsLeft > 0; }
    bool canadianOvertime() const { return periodSeconds > 0 && periodStones > 0; }
    bool hasOvertime() const { return japaneseOvertime() || canadianOvertime(); }
    bool inByoyomi() const { return timed && mainSeconds <= 0 && hasOvertime(); }
};

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

}  // namespace tengen::gtp
