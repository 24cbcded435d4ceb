#include "go/game.h"

#include <algorithm>

#include "go/zobrist.h"

namespace tengen {

std::string_view legalityReason(Legality l) {
    switch (l) {
        case Legality::Legal: return "legal";
        case Legality::OffBoard: return "not a point on the board";
        case Legality::Occupied: return "point occupied";
        case Legality::Suicide: return "suicide";
        case Legality::Ko: return "ko";
        case Legality::Superko: return "superko";
    }
    return "?";
}

Game::Game(int size, Rules rules, double komi) : board_(size), rules_(rules), komi_(komi) { recordPosition(); }

std::uint64_t Game::situation(std::uint64_t positionHash, Color toMove) {
    return positionHash ^ (toMove == Color::White ? zobrist::kWhiteToMove : 0);
}

void Game::recordPosition() {
    positions_.push_back(board_.hash());
    situations_.push_back(situation(board_.hash(), toMove_));
}

bool Game::positionSeen(std::uint64_t positionHash, Color toMove) const {
    if (rules_.ko == KoRule::SituationalSuperko) {
        const std::uint64_t key = situation(positionHash, toMove);
        for (std::uint64_t s : situations_)
            if (s == key) return true;
        return false;
    }
    for (std::uint64_t p : positions_)
        if (p == positionHash) return true;
    return false;
}

int Game::consecutivePasses() const {
    int passes = 0;
    for (auto it = moves_.rbegin(); it != moves_.rend() && it->point == kPass; ++it) ++passes;
    return passes;
}

Legality Game::legality(Move m) const {
    if (m.point == kPass) return Legality::Legal;
    if (m.color != Color::Black && m.color != Color::White) return Legality::OffBoard;
    if (!geometry().onBoard(m.point)) return Legality::OffBoard;
    if (board_.at(m.point) != Color::Empty) return Legality::Occupied;
    const MoveEffect effect = board_.analyse(m, rules_.suicideAllowed);
    if (!effect.legalIgnoringKo) return Legality::Suicide;
    if (board_.koPoint(m.color) == m.point) return Legality::Ko;
    if (rules_.ko != KoRule::Simple && positionSeen(effect.hashAfter, opponent(m.color))) return Legality::Superko;
    return Legality::Legal;
}

std::vector<Point> Game::legalMoves(Color c) const {
    std::vector<Point> moves;
    for (int i = 0; i < board_.emptyCount(); ++i)
        if (isLegal({c, board_.emptyAt(i)})) moves.push_back(board_.emptyAt(i));
    std::sort(moves.begin(), moves.end());
    return moves;
}

Legality Game::play(Move m) {
    const Legality l = legality(m);
    if (l != Legality::Legal) return l;
    steps_.push_back({true, m, {}, {}, {}, toMove_, handicap_});
    board_.play(m);
    moves_.push_back(m);
    toMove_ = opponent(m.color);
    recordPosition();
    return l;
}

bool Game::undo() {
    if (steps_.empty()) return false;
    toMove_ = steps_.back().toMoveBefore;
    handicap_ = steps_.back().handicapBefore;
    if (steps_.back().isMove) moves_.pop_back();
    steps_.pop_back();
    positions_.pop_back();
    situations_.pop_back();
    board_ = Board(board_.size());
    for (const Step& step : steps_) {
        if (step.isMove) board_.play(step.move);
        else applySetup(board_, step);
    }
    return true;
}

bool Game::applySetup(Board& board, const Step& step) {
    auto apply = [&](const std::vector<Point>& points, Color c) {
        for (Point p : points)
            if (!board.setStone(p, c)) return false;
        return true;
    };
    return apply(step.empty, Color::Empty) && apply(step.black, Color::Black) && apply(step.white, Color::White);
}

bool Game::setup(const std::vector<Point>& black, const std::vector<Point>& white, const std::vector<Point>& empty) {
    Step step{false, {}, black, white, empty, toMove_, handicap_};
    Board edited = board_;
    if (!applySetup(edited, step)) return false;
    steps_.push_back(std::move(step));
    board_ = edited;
    recordPosition();
    return true;
}

bool Game::placeHandicap(const std::vector<Point>& stones) {
    if (board_.stones(Color::Black) + board_.stones(Color::White) != 0 || stones.size() < 2) return false;
    if (!setup(stones, {})) return false;
    handicap_ = static_cast<int>(stones.size());
    toMove_ = Color::White;
    return true;
}

}  // namespace tengen
