#include "play/search_player.h"

#include <algorithm>
#include <limits>
#include <utility>

#include <spdlog/spdlog.h>

namespace tengen::play {

namespace {

AnalysisSnapshot snapshotOf(const mcts::SearchResult& result) {
    AnalysisSnapshot snapshot;
    for (const mcts::MoveStatistics& m : result.moves) {
        if (m.visits == 0) continue;
        CandidateMove c;
        c.move = m.move;
        c.visits = m.visits;
        c.winrate = (m.q + 1) / 2;
        c.prior = m.prior;
        c.scoreLead = m.scoreLead.value_or(0);
        c.principalVariation = m.principalVariation;
        snapshot.candidates.push_back(std::move(c));
    }
    return snapshot;
}

}  // namespace

SearchPlayer::SearchPlayer(SearchPlayerOptions options, std::shared_ptr<NetworksBySize> networks)
    : options_(std::move(options)),
      networks_(std::move(networks)),
      resignStreaks_{mcts::ResignationStreak(options_.resignSearches), mcts::ResignationStreak(options_.resignSearches)} {}

SearchPlayer::~SearchPlayer() { stopPondering(); }

mcts::Search& SearchPlayer::searchFor(const Game& game) {
    if (!search_ || searchBoardSize_ != game.size()) {
        search_.reset();
        searchNetworks_ = networks_ ? networks_->forSize(game.size()) : SharedNetworks{};
        search_ = std::make_unique<mcts::Search>(options_.search, searchNetworks_.evaluator.get(),
                                                 searchNetworks_.rollout.get());
        searchBoardSize_ = game.size();
    }
    return *search_;
}

mcts::Search& SearchPlayer::openEndedSearch(const Game& game) {
    mcts::SearchOptions options = options_.search;
    options.visits = std::numeric_limits<int>::max();
    options.resignThreshold = 0;
    mcts::Search& search = searchFor(game);
    search.setOptions(options);
    return search;
}

mcts::SearchControl SearchPlayer::openEndedControl(const std::atomic<bool>* stop) {
    mcts::SearchControl control;
    control.stop = stop;
    control.stopWhenFull = true;
    return control;
}

Point SearchPlayer::chooseMove(const Game& game, const MoveRequest& request) {
    stopPondering();
    Game position = game;
    position.setToMove(request.color);
    mcts::SearchControl control;
    auto budget = thinkingTime(request.clock, game, options_.time);
    if (!budget && options_.secondsPerMove > 0) budget = std::chrono::duration<double>(options_.secondsPerMove);
    // Stopping once the move is decided saves time for later moves, or with only a visit
    // limit saves work. Time that would be lost anyway (byo-yomi, a fixed time per move) is
    // better spent deepening the subtree the next move reuses.
    control.stopWhenDecided = !budget || savedTimeCarriesOver(request.clock);
    if (budget)
        control.deadline = std::chrono::steady_clock::now() +
                           std::chrono::duration_cast<std::chrono::steady_clock::duration>(*budget);
    mcts::SearchOptions options = options_.search;
    // In cleanup the search must not resign: it plays until the dead stones are gone.
    options.cleanup = request.cleanup;
    if (request.cleanup) options.resignThreshold = 0;
    mcts::Search& search = searchFor(position);
    search.setOptions(options);
    lastMover_ = request.color;
    const mcts::SearchResult result = search.run(position, control);
    const bool searchResigns = result.bestMove == kResign;
    // A trial (reg_genmove) answers as genmove would, but its move is not played: it leaves
    // the streak as it was.
    mcts::ResignationStreak& ours = resignStreaks_[request.color == Color::Black ? 0 : 1];
    mcts::ResignationStreak trialCopy = ours;
    mcts::ResignationStreak& streak = request.trial ? trialCopy : ours;
    if (streak.confirm(searchResigns, position.moves()) || !searchResigns)
        return result.bestMove;
    options.resignThreshold = 0;
    return mcts::chooseMove(result.moves, position, options);
}

void SearchPlayer::analyse(const Game& game, Color color, const std::atomic<bool>& stop,
                           std::chrono::milliseconds interval,
                           const std::function<void(const AnalysisSnapshot&)>& report) {
    stopPondering();
    Game position = game;
    position.setToMove(color);
    mcts::SearchControl control = openEndedControl(&stop);
    control.reportEvery = interval;
    control.report = [&](const mcts::SearchResult& r) { report(snapshotOf(r)); };
    report(snapshotOf(openEndedSearch(position).run(position, control)));
}

void SearchPlayer::onPositionChanged(const Game& game) {
    stopPondering();
    // Our move was just played: think on while the opponent does.
    if (options_.ponder && lastMover_ && !game.isOver() && !game.moves().empty() &&
        game.moves().back().color == *lastMover_ && game.toMove() != *lastMover_)
        startPondering(game);
}

void SearchPlayer::startPondering(const Game& game) {
    mcts::Search& search = openEndedSearch(game);
    stopPondering_ = false;
    ponderer_ = std::thread([this, &search, game] {
        try {
            search.run(game, openEndedControl(&stopPondering_));
        } catch (const std::exception& e) {
            spdlog::warn("pondering stopped: {}", e.what());
        }
    });
}

void SearchPlayer::stopPondering() {
    stopPondering_ = true;
    if (ponderer_.joinable()) ponderer_.join();
}

}  // namespace tengen::play
