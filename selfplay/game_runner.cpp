#include "selfplay/game_runner.h"

#include <stdexcept>

#include <fmt/format.h>

#include "go/dead_stones.h"
#include "go/scoring.h"
#include "play/game_outcome.h"

namespace tengen::selfplay {

namespace {

struct LiveGame {
    std::size_t slot = 0;  // where its record goes in the results
    Game game;
    Random rng;
    GameRecord record;
    const Network* networks[2] = {nullptr, nullptr};  // ordinary games: by colour; value data: before, after U
    int sampledMove = 0;  // value data: U, the move played at random; 0 otherwise
    std::future<nets::Evaluation> pending;
};

const Network& draw(const SidePlayer& side, Random& rng) {
    return side.pool[rng.below(static_cast<std::uint32_t>(side.pool.size()))];
}

void checkPlayer(const SidePlayer& side, int boardSize, const char* role) {
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
    Runner(const RunnerOptions& options, const Rules& rules) : options_(options), rules_(rules) {
        const int points = options.game.boardSize * options.game.boardSize;
        maxMoves_ = options.game.maxMoves > 0 ? options.game.maxMoves : 3 * points;
    }

    LiveGame start(std::size_t slot, std::uint64_t seed) const {
        LiveGame g{slot, Game(options_.game.boardSize, rules_, options_.game.komi), Random(seed), {}, {}, 0, {}};
        g.record.boardSize = options_.game.boardSize;
        g.record.komi = options_.game.komi;
        g.record.rules = options_.game.rules;
        g.record.seed = seed;
        if (options_.valueData) {
            g.sampledMove = 1 + static_cast<int>(g.rng.below(static_cast<std::uint32_t>(options_.valueData->maxSampledMove)));
            g.networks[0] = &draw(options_.valueData->opening, g.rng);
            g.networks[1] = &draw(options_.valueData->finish, g.rng);
            g.record.blackModel = g.record.whiteModel = g.networks[0]->checksum;
        } else {
            g.networks[0] = &draw(options_.black, g.rng);
            g.networks[1] = &draw(options_.white, g.rng);
            g.record.blackModel = g.networks[0]->checksum;
            g.record.whiteModel = g.networks[1]->checksum;
        }
        return g;
    }

    // Plays what needs no network (value data's random move) and ends the game when it is
    // over; otherwise queues the next position. False once the game has ended.
    bool advance(LiveGame& g) const {
        while (true) {
            const int played = static_cast<int>(g.game.moves().size());
            if (g.game.isOver()) return finish(g, play::end_reason::kScore);
            if (played >= maxMoves_) return finish(g, play::end_reason::kMoveCap);
            if (played + 1 == g.sampledMove) {
                playRandomLegalMove(g);
                g.record.sampledPosition = g.sampledMove;
                continue;
            }
            const Network& network = *g.networks[networkFor(g)];
            g.pending = network.evaluator->submit(g.game, nets::randomSymmetry(g.rng));
            return true;
        }
    }

    // The answer for the queued position is in: play the move it gives.
    void move(LiveGame& g) const {
        const nets::Evaluation evaluation = g.pending.get();
        const PolicyMove chosen = choosePolicyMove(g.game, evaluation, samplingFor(g), g.rng);
        play(g, chosen.move, chosen.probability);
    }

private:
    int networkFor(const LiveGame& g) const {
        if (options_.valueData) return static_cast<int>(g.game.moves().size()) + 1 < g.sampledMove ? 0 : 1;
        return g.game.toMove() == Color::Black ? 0 : 1;
    }
    const PolicySampling& samplingFor(const LiveGame& g) const {
        if (options_.valueData)
            return (networkFor(g) == 0 ? options_.valueData->opening : options_.valueData->finish).sampling;
        return (g.game.toMove() == Color::Black ? options_.black : options_.white).sampling;
    }

    void play(LiveGame& g, Point move, float probability) const {
        if (g.game.play({g.game.toMove(), move}) != Legality::Legal)
            throw std::logic_error("self-play chose an illegal move");
        g.record.moves.push_back(static_cast<std::uint16_t>(nets::policyIndex(move, g.game.geometry())));
        g.record.moveProbabilities.push_back(probability);
    }

    void playRandomLegalMove(LiveGame& g) const {
        const std::vector<Point> legal = g.game.legalMoves(g.game.toMove());
        if (legal.empty()) return play(g, kPass, 1);
        play(g, legal[g.rng.below(static_cast<std::uint32_t>(legal.size()))], 1.0f / legal.size());
    }

    bool finish(LiveGame& g, const char* reason) const {
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
        if (g.sampledMove > static_cast<int>(g.record.moves.size())) g.record.sampledPosition = -1;
        return false;
    }

    const RunnerOptions& options_;
    Rules rules_;
    int maxMoves_ = 0;
};

}  // namespace

std::uint64_t gameSeed(std::uint64_t seriesSeed, std::uint64_t gameNumber) {
    // SplitMix64 of the pair: neighbouring numbers give unrelated seeds.
    std::uint64_t z = seriesSeed * 0x9E3779B97F4A7C15ull + gameNumber + 0x632BE59BD9B4E019ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

std::vector<GameRecord> playGames(const RunnerOptions& options, const std::vector<std::uint64_t>& seeds,
                                  const std::function<void(const GameRecord&)>& onGameEnd) {
    const std::optional<Rules> rules = Rules::fromSpec(options.game.rules);
    if (!rules) throw std::invalid_argument(fmt::format("unknown rules '{}'", options.game.rules));
    if (options.valueData) {
        checkPlayer(options.valueData->opening, options.game.boardSize, "the moves before the sampled one");
        checkPlayer(options.valueData->finish, options.game.boardSize, "the moves after the sampled one");
        if (options.valueData->maxSampledMove < 1) throw std::invalid_argument("the sampled move must be at least 1");
    } else {
        checkPlayer(options.black, options.game.boardSize, "Black");
        checkPlayer(options.white, options.game.boardSize, "White");
    }
    const Runner runner(options, *rules);
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
