#pragma once
// A game in progress: the board plus rules, komi, whose turn it is, and the full history
// that ko/superko checks and undo need.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "go/board.h"
#include "go/rules.h"

namespace tengen {

enum class Legality { Legal, OffBoard, Occupied, Suicide, Ko, Superko };
std::string_view legalityReason(Legality l);

class Game {
public:
    explicit Game(int size = 19, Rules rules = Rules::chinese(), double komi = 7.5);

    const Board& board() const { return board_; }
    int size() const { return board_.size(); }
    const Geometry& geometry() const { return board_.geometry(); }
    const Rules& rules() const { return rules_; }
    void setRules(const Rules& rules) { rules_ = rules; }
    double komi() const { return komi_; }
    void setKomi(double komi) { komi_ = komi; }
    Color toMove() const { return toMove_; }
    void setToMove(Color c) { toMove_ = c; }
    int handicap() const { return handicap_; }
    // What White adds to a count of the board by area: komi and the handicap bonus. Playouts
    // score with it, so that a search in a handicap game aims at the result the rules give.
    double areaKomi() const { return komi_ + handicapBonus(rules_.handicapBonus, handicap_); }

    // Moves played (passes included), in order.
    const std::vector<Move>& moves() const { return moves_; }
    int consecutivePasses() const;
    bool isOver() const { return consecutivePasses() >= 2; }

    Legality legality(Move m) const;
    bool isLegal(Move m) const { return legality(m) == Legality::Legal; }
    // Every legal move on the board for c under the game's rules (superko included), pass excluded.
    std::vector<Point> legalMoves(Color c) const;
    // Plays m if it is legal; the turn passes to m's opponent. Either colour may move.
    Legality play(Move m);
    // Takes back the last move or setup step. Returns false at the start of the game.
    bool undo();

    // Setup outside the flow of play (SGF AB/AW/AE, free handicap). Each call is one
    // undoable step. Returns false, changing nothing, if a point is off the board or the
    // result has a chain without liberties.
    bool setup(const std::vector<Point>& black, const std::vector<Point>& white, const std::vector<Point>& empty = {});
    // Places handicap stones on an empty board and gives White the move.
    bool placeHandicap(const std::vector<Point>& stones);

    // Hashes of every position (and side to move) met so far, for superko.
    bool positionSeen(std::uint64_t positionHash, Color toMove) const;

private:
    // One undoable step: a move, or a setup edit. Enough to replay the game and to put
    // back what the step changed.
    struct Step {
        bool isMove;
        Move move;
        std::vector<Point> black, white, empty;
        Color toMoveBefore;
        int handicapBefore;
    };
    static std::uint64_t situation(std::uint64_t positionHash, Color toMove);
    static bool applySetup(Board& board, const Step& step);
    void recordPosition();

    Board board_;
    Rules rules_;
    double komi_;
    Color toMove_ = Color::Black;
    int handicap_ = 0;
    std::vector<Move> moves_;
    // Position hashes and situation hashes, one pair per position reached.
    std::vector<std::uint64_t> positions_;
    std::vector<std::uint64_t> situations_;
    // Undo replays the remaining steps from the empty board: far cheaper in memory than a
    // board copy per move, and undo is rare.
    std::vector<Step> steps_;
};

}  // namespace tengen
