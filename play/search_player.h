#pragma once
// Plays with the tree search (mcts/): PUCT over the policy network's priors, leaves scored
// by the value network mixed with rollouts. Without networks for the board size it still
// searches, with the rollout policy's cheap priors and rollouts alone. Its analysis is the
// search itself, reported as it grows. One tree lives across moves, analysis and (with
// ponder) the opponent's thinking time.

#include <array>
#include <atomic>
#include <memory>
#include <optional>
#include <thread>

#include "mcts/move_choice.h"
#include "mcts/search.h"
#include "play/player.h"
#include "play/networks_by_size.h"
#include "play/time_manager.h"

namespace tengen::play {

struct SearchPlayerOptions {
    mcts::SearchOptions search;
    // Thinking time per move when the game has no clock (0: visits alone decide).
    double secondsPerMove = 0;
    // How the GTP clock is spent (lag allowance, least thinking time).
    TimeManagerOptions time;
    // Go on searching on the opponent's time after each of our moves.
    bool ponder = false;
    // Consecutive searches of ours below the resign threshold before resigning.
    int resignSearches = mcts::kResignSearches;
};

class SearchPlayer final : public Player {
public:
    // The networks may be shared with other players; null: none, on every board size.
    SearchPlayer(SearchPlayerOptions options, std::shared_ptr<NetworksBySize> networks);
    ~SearchPlayer() override;
    std::string name() const override { return "search"; }
    Point chooseMove(const Game& game, const MoveRequest& request) override;
    void analyse(const Game& game, Color color, const std::atomic<bool>& stop, std::chrono::milliseconds interval,
                 const std::function<void(const AnalysisSnapshot&)>& report) override;
    void onPositionChanged(const Game& game) override;

private:
    // The search for the game's board size, on that size's networks, its tree kept from the
    // last call when the size is the same.
    mcts::Search& searchFor(const Game& game);
    // Analysis and pondering: no visit limit and no resigning; the search runs until `stop`
    // is set or the tree is full.
    mcts::Search& openEndedSearch(const Game& game);
    static mcts::SearchControl openEndedControl(const std::atomic<bool>* stop);
    void startPondering(const Game& game);
    void stopPondering();

    SearchPlayerOptions options_;
    std::shared_ptr<NetworksBySize> networks_;
    SharedNetworks searchNetworks_;  // those search_ runs on
    std::unique_ptr<mcts::Search> search_;
    int searchBoardSize_ = 0;
    std::optional<Color> lastMover_;  // whom our last genmove was for
    // One per colour, as when the engine plays both sides.
    std::array<mcts::ResignationStreak, 2> resignStreaks_;
    std::atomic<bool> stopPondering_{false};
    std::thread ponderer_;
};

}  // namespace tengen::play
