#include "selfplay/game_runner.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "go/dead_stones.h"
#include "go/scoring.h"
#include "mcts/move_choice.h"
#include "nets/rollout/playout.h"
#include "play/game_outcome.h"

namespace tengen::selfplay {

namespace {

struct LiveGame {
    LiveGame(std::size_t slot, Game game, std::uint64_t seed) : slot(slot), game(std::move(game)), rng(seed) {}

    std::size_t slot = 0;  // where its record goes in the results
    Game game;
    Random rng;
    GameRecord record;
    // The two players' seats: ordinary games by colour (Black, White); value data by phase
    // (before U, after it).
    const Network* networks[2] = {nullptr, nullptr};
    int sampledMove = 0;  // value data: U, the move played at random; 0 otherwise
    std::future<nets::Evaluation> pending;
    nets::Symmetry pendingView = nets::Symmetry::Identity;  // how the pending position is seen
    // Search players, by seat: each keeps its tree from move to move.
    std::unique_ptr<mcts::Search> searches[2];
    // By colour, not seat: in value data one seat plays both colours, and a streak must see
    // the same player's searches.
    std::vector<mcts::ResignationStreak> resignations{mcts::ResignationStreak(mcts::kResignSearches),
                                                      mcts::ResignationStreak(mcts::kResignSearches)};
    bool playsOn = false;  // in the play-on share: search players never resign
};

bool isSearch(const SidePlayer& side) { return side.kind == PlayerKind::Search; }

const Network& draw(const SidePlayer& side, Random& rng) {
    return side.pool[rng.below(static_cast<std::uint32_t>(side.pool.size()))];
}

void checkPlayer(const SidePlayer& side, int boardSize, const char* role) {
    if (side.kind == PlayerKind::Rollout) {
        if (!side.rollout) throw std::invalid_argument(fmt::format("no rollout policy for {}", role));
        return;
    }
    if (side.pool.empty()) throw std::invalid_argument(fmt::format("no network for {}", role));
    for (const Network& n : side.pool) {
        if (!n.evaluator || !n.evaluator->hasPolicy())
            throw std::invalid_argument(fmt::format("{} ({}) is not a policy network", n.file, role));
        if (n.evaluator->boardSize() != boardSize)
            throw std::invalid_argument(fmt::format("{} ({}) is for {}x{}, the games are {}x{}", n.file, role,
                                                    n.evaluator->boardSize(), n.evaluator->boardSize(), boardSize,
                                                    boardSize));
    }
}

class Runner {
public:
    Runner(const RunnerOptions& options, const Rules& rules)
        : options_(options), rules_(rules), searchGames_(hasSearchPlayer(options)) {
        const int points = options.game.boardSize * options.game.boardSize;
        maxMoves_ = options.game.maxMoves > 0 ? options.game.maxMoves : 3 * points;
    }

    LiveGame start(std::size_t slot, std::uint64_t seed) const {
        LiveGame g(slot, Game(options_.game.boardSize, rules_, options_.game.komi), seed);
        g.record.boardSize = options_.game.boardSize;
        g.record.komi = options_.game.komi;
        g.record.rules = options_.game.rules;
        g.record.seed = seed;
        if (options_.valueData)
            g.sampledMove = 1 + static_cast<int>(g.rng.below(static_cast<std::uint32_t>(options_.valueData->maxSampledMove)));
        for (int seat = 0; seat < 2; ++seat)
            if (!seatPlayer(g, seat).pool.empty()) g.networks[seat] = &draw(seatPlayer(g, seat), g.rng);
        const auto checksum = [](const Network* n) { return n ? n->checksum : std::string(); };
        g.record.blackModel = checksum(g.networks[0]);
        g.record.whiteModel = checksum(g.networks[options_.valueData ? 0 : 1]);
        // Drawn after the rest, so that games without search players or openings play as
        // they always did.
        if (searchGames_) g.playsOn = g.rng.uniform() < options_.playOnShare;
        if (options_.openings) playOpening(g);
        return g;
    }

    // Plays what needs no network (value data's random move) and ends the game when it is
    // over; otherwise queues the next position. False once the game has ended.
    bool advance(LiveGame& g) const {
        while (true) {
            const Turn turn = nextTurn(g);
            if (turn == Turn::Ended) return false;
            if (turn == Turn::Played) continue;
            const SidePlayer& side = seatPlayer(g, seatFor(g));
            if (side.kind == PlayerKind::Rollout) {
                playRolloutMove(g, side);
                continue;
            }
            if (side.kind == PlayerKind::Search) throw std::logic_error("search games run on threads of their own");
            submit(g, seatFor(g));
            return true;
        }
    }

    // Plays a whole game on the calling thread: search players search, policy players wait
    // for their evaluation.
    void playAlone(LiveGame& g) const {
        while (true) {
            const Turn turn = nextTurn(g);
            if (turn == Turn::Ended) return;
            if (turn == Turn::Played) continue;
            const int seat = seatFor(g);
            const SidePlayer& side = seatPlayer(g, seat);
            switch (side.kind) {
                case PlayerKind::Rollout: playRolloutMove(g, side); break;
                case PlayerKind::Policy:
                    submit(g, seat);
                    move(g);
                    break;
                case PlayerKind::Search:
                    if (!searchMove(g, seat, side)) return;
                    break;
            }
        }
    }

    // The answer for the queued position is in: play the move it gives.
    void move(LiveGame& g) const {
        const nets::Evaluation evaluation = g.pending.get();
        const PolicyMove chosen = choosePolicyMove(g.game, evaluation, samplingFor(g), g.rng);
        play(g, chosen.move, chosen.probability, g.pendingView);
    }

private:
    // Queues the position for the seat's network through a random view of the board, as
    // play-time evaluation does, and remembers the view for the record.
    static void submit(LiveGame& g, int seat) {
        g.pendingView = nets::randomSymmetry(g.rng);
        g.pending = g.networks[seat]->evaluator->submit(g.game, g.pendingView);
    }

    enum class Turn { Ended, Played, PlayerToMove };

    // What comes before a player's move: the end of the game (two passes, or the move cap),
    // or value data's random move U, which no player chooses.
    Turn nextTurn(LiveGame& g) const {
        const int played = static_cast<int>(g.game.moves().size());
        if (g.game.isOver()) return finish(g, play::end_reason::kScore);
        if (played >= maxMoves_) return finish(g, play::end_reason::kMoveCap);
        if (played + 1 != g.sampledMove) return Turn::PlayerToMove;
        playRandomLegalMove(g);
        g.record.sampledPosition = g.sampledMove;
        return Turn::Played;
    }

    const SidePlayer& seatPlayer(const LiveGame& g, int seat) const {
        if (options_.valueData) return seat == 0 ? options_.valueData->opening : options_.valueData->finish;
        const bool swapped = options_.alternateColours && g.slot % 2 == 1;
        return (seat == 0) != swapped ? options_.black : options_.white;
    }
    int seatFor(const LiveGame& g) const {
        if (options_.valueData) return static_cast<int>(g.game.moves().size()) + 1 < g.sampledMove ? 0 : 1;
        return g.game.toMove() == Color::Black ? 0 : 1;
    }
    const PolicySampling& samplingFor(const LiveGame& g) const { return seatPlayer(g, seatFor(g)).sampling; }

    void play(LiveGame& g, Point move, float probability, nets::Symmetry view = nets::Symmetry::Identity,
              std::vector<VisitShare> visits = {}) const {
        if (g.game.play({g.game.toMove(), move}) != Legality::Legal)
            throw std::logic_error("self-play chose an illegal move");
        g.record.moves.push_back(static_cast<std::uint16_t>(nets::policyIndex(move, g.game.geometry())));
        g.record.moveProbabilities.push_back(probability);
        g.record.symmetries.push_back(static_cast<std::uint8_t>(view));
        // Games with a search player keep a visit list for every move, empty for the others'.
        if (searchGames_) g.record.visits.push_back(std::move(visits));
    }

    // The book's opening for this game, played as forced moves (probability 1). Value data
    // starts from the empty board, as the recipe does: playGames refuses openings with it.
    void playOpening(LiveGame& g) const {
        const int index = static_cast<int>(g.rng.below(1u << 30));
        for (const Point p : options_.openings->opening(index, g.game)) {
            if (!g.game.isLegal({g.game.toMove(), p})) break;
            play(g, p, 1);
        }
        g.record.openingMoves = static_cast<int>(g.record.moves.size());
    }

    // p_pi's move, drawn from its probabilities over the candidates (never an own true eye).
    void playRolloutMove(LiveGame& g, const SidePlayer& side) const {
        const std::vector<nets::RolloutMoveProbability> candidates =
            side.rollout->moveProbabilities(g.game.board(), g.game.toMove(), nets::rolloutContextOf(g.game));
        if (candidates.empty()) return play(g, kPass, 1);
        double draw = g.rng.uniform();
        const nets::RolloutMoveProbability* chosen = &candidates.back();
        for (const nets::RolloutMoveProbability& c : candidates) {
            if (draw < c.probability) {
                chosen = &c;
                break;
            }
            draw -= c.probability;
        }
        play(g, chosen->point, static_cast<float>(chosen->probability));
    }

    // One search and its move; false when the player resigned, which ends the game.
    bool searchMove(LiveGame& g, int seat, const SidePlayer& side) const {
        const int played = static_cast<int>(g.game.moves().size());
        mcts::SearchOptions options = side.search.search;
        options.threads = 1;
        options.seed = g.record.seed ^ (0x5EA2C4ull + static_cast<std::uint64_t>(seat));
        if (!g.searches[seat])
            g.searches[seat] = std::make_unique<mcts::Search>(options, g.networks[seat]->evaluator.get(), side.rollout.get());
        const mcts::SearchResult result = g.searches[seat]->run(g.game);
        // Draws by visits in the opening, then the most visited move (and, for a drawn move's
        // probability, its share of the visits).
        options.temperature = played < side.search.temperatureMoves ? 1 : 0;
        Point move = mcts::chooseMove(result.moves, g.game, options);
        const bool wantsToResign = move == kResign;
        const std::size_t colour = g.game.toMove() == Color::Black ? 0 : 1;
        if (g.resignations[colour].confirm(wantsToResign, g.game.moves())) {
            if (!g.playsOn) {
                finishResigned(g, g.game.toMove());
                return false;
            }
            if (!g.record.wouldHaveResigned) {
                g.record.wouldHaveResigned = g.game.toMove();
                g.record.wouldHaveResignedAt = played;
            }
        }
        if (wantsToResign) {
            options.resignThreshold = 0;
            move = mcts::chooseMove(result.moves, g.game, options);
        }
        std::vector<VisitShare> visits;
        double drawnFrom = 0, chosenVisits = 0;  // the visits of the moves a draw is among: all but the pass
        for (const mcts::MoveStatistics& m : result.moves) {
            if (m.visits <= 0) continue;
            visits.push_back({static_cast<std::uint16_t>(nets::policyIndex(m.move, g.game.geometry())),
                              static_cast<std::uint32_t>(m.visits)});
            if (m.move == kPass) continue;
            drawnFrom += m.visits;
            if (m.move == move) chosenVisits = m.visits;
        }
        // A move drawn by visits has its share of them; a pass, or a move the choice put in
        // place of the draw (an own eye, a neutral point), was not drawn: probability 1.
        const bool drawn = options.temperature > 0 && chosenVisits > 0;
        const float probability = drawn ? static_cast<float>(chosenVisits / drawnFrom) : 1.0f;
        play(g, move, probability, nets::Symmetry::Identity, std::move(visits));
        return true;
    }

    void playRandomLegalMove(LiveGame& g) const {
        const std::vector<Point> legal = g.game.legalMoves(g.game.toMove());
        if (legal.empty()) return play(g, kPass, 1);
        play(g, legal[g.rng.below(static_cast<std::uint32_t>(legal.size()))], 1.0f / legal.size());
    }

    // The value sample is the position before move U + 1: a game that ended before it, or
    // right after move U (nothing left to play from it), gives none.
    static void dropSampleWithoutNextMove(LiveGame& g) {
        if (g.sampledMove >= static_cast<int>(g.record.moves.size())) g.record.sampledPosition = -1;
    }

    void finishResigned(LiveGame& g, Color loser) const {
        g.record.winner = opponent(loser);
        g.record.blackMargin = 0;
        g.record.endReason = play::end_reason::kResign;
        dropSampleWithoutNextMove(g);
    }

    Turn finish(LiveGame& g, const char* reason) const {
        const Board& board = g.game.board();
        Score score;
        if (options_.game.scoring == Scoring::TrompTaylor) {
            score = trompTaylorScore(board, g.game.komi());
        } else {
            const PointSet dead = findDeadStones(g.game, {options_.game.deadStonePlayouts, g.record.seed});
            score = tengen::score(board, g.game.rules(), g.game.komi(), g.game.handicap(), dead);
        }
        g.record.blackMargin = score.margin();
        const Color winner = score.winner();
        if (winner != Color::Empty) g.record.winner = winner;
        g.record.endReason = reason;
        // A value-data game that ended before its random move has nothing to sample.
        dropSampleWithoutNextMove(g);
        return Turn::Ended;
    }

    const RunnerOptions& options_;
    Rules rules_;
    bool searchGames_;  // a search player plays: games run on threads, and record visits
    int maxMoves_ = 0;
};

// Search games, each on a thread of its own, `threads` at a time.
std::vector<GameRecord> playOnThreads(const Runner& runner, const std::vector<std::uint64_t>& seeds, int threads,
                                      const std::function<void(const GameRecord&)>& onGameEnd) {
    std::vector<GameRecord> results(seeds.size());
    std::atomic<std::size_t> next{0};
    std::mutex ended;
    std::exception_ptr failure;
    std::vector<std::thread> workers;
    for (int t = 0; t < std::max(1, std::min<int>(threads, static_cast<int>(seeds.size()))); ++t)
        workers.emplace_back([&] {
            try {
                for (std::size_t i; (i = next++) < seeds.size();) {
                    LiveGame g = runner.start(i, seeds[i]);
                    runner.playAlone(g);
                    const std::lock_guard lock(ended);
                    if (onGameEnd) onGameEnd(g.record);
                    results[i] = std::move(g.record);
                }
            } catch (...) {
                const std::lock_guard lock(ended);
                if (!failure) failure = std::current_exception();
                next = seeds.size();  // the others stop after their game
            }
        });
    for (std::thread& worker : workers) worker.join();
    if (failure) std::rethrow_exception(failure);
    return results;
}

}  // namespace

bool hasSearchPlayer(const RunnerOptions& options) {
    if (options.valueData) return isSearch(options.valueData->opening) || isSearch(options.valueData->finish);
    return isSearch(options.black) || isSearch(options.white);
}

std::uint64_t gameSeed(std::uint64_t seriesSeed, std::uint64_t gameNumber) {
    // SplitMix64 of the pair: neighbouring numbers give unrelated seeds.
    std::uint64_t z = seriesSeed * 0x9E3779B97F4A7C15ull + gameNumber + 0x632BE59BD9B4E019ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

int alphaGoMaxSampledMove(int boardSize) { return std::max(1, 450 * boardSize * boardSize / 361); }

std::vector<GameRecord> playGames(const RunnerOptions& options, const std::vector<std::uint64_t>& seeds,
                                  const std::function<void(const GameRecord&)>& onGameEnd) {
    const std::optional<Rules> rules = Rules::fromSpec(options.game.rules);
    if (!rules) throw std::invalid_argument(fmt::format("unknown rules '{}'", options.game.rules));
    if (options.valueData) {
        checkPlayer(options.valueData->opening, options.game.boardSize, "the moves before the sampled one");
        checkPlayer(options.valueData->finish, options.game.boardSize, "the moves after the sampled one");
        if (options.valueData->maxSampledMove < 1) throw std::invalid_argument("the sampled move must be at least 1");
        if (options.openings)
            throw std::invalid_argument("value data starts from the empty board: it takes no openings");
    } else {
        checkPlayer(options.black, options.game.boardSize, "Black");
        checkPlayer(options.white, options.game.boardSize, "White");
    }
    const Runner runner(options, *rules);
    if (hasSearchPlayer(options)) return playOnThreads(runner, seeds, options.parallelGames, onGameEnd);
    std::vector<GameRecord> results(seeds.size());
    const auto ended = [&](LiveGame& g) {
        if (onGameEnd) onGameEnd(g.record);
        results[g.slot] = std::move(g.record);
    };
    std::vector<LiveGame> live;
    std::size_t next = 0;
    // A fresh game into `live` (at `at`, or appended), skipping any that end at once.
    const auto startNext = [&](std::optional<std::size_t> at) {
        while (next < seeds.size()) {
            LiveGame g = runner.start(next, seeds[next]);
            ++next;
            if (!runner.advance(g)) {
                ended(g);
                continue;
            }
            if (at) live[*at] = std::move(g);
            else live.push_back(std::move(g));
            return true;
        }
        return false;
    };
    while (live.size() < static_cast<std::size_t>(std::max(1, options.parallelGames)) && startNext(std::nullopt)) {}
    // Round robin: the game whose answer is oldest moves next, and queues its next position.
    for (std::size_t i = 0; !live.empty();) {
        LiveGame& g = live[i];
        runner.move(g);
        if (runner.advance(g)) {
            ++i;
        } else {
            ended(g);
            if (startNext(i)) {
                ++i;
            } else {
                if (i + 1 < live.size()) live[i] = std::move(live.back());
                live.pop_back();
            }
        }
        if (i >= live.size()) i = 0;
    }
    return results;
}

}  // namespace tengen::selfplay
