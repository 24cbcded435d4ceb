#include "nets/rollout/outcome.h"

#include <algorithm>
#include <cmath>
#include <thread>

#include "go/playout.h"
#include "go/scoring.h"
#include "go/even_positions.h"
#include "nets/rollout/playout.h"
#include "nets/rollout/training.h"
#include "nets/rollout/thread_cpu_clock.h"

namespace tengen::nets {

namespace {

struct ErrorTally {
    std::size_t positions = 0, right = 0;
    double squared = 0, squaredSquared = 0;

    void add(double prediction, double outcome) {
        const double e = (prediction - outcome) * (prediction - outcome);
        ++positions;
        squared += e;
        squaredSquared += e * e;
        right += prediction * outcome > 0;
    }
    void add(const ErrorTally& t) {
        positions += t.positions;
        right += t.right;
        squared += t.squared;
        squaredSquared += t.squaredSquared;
    }
    OutcomeError summary() const {
        OutcomeError e;
        e.positions = positions;
        if (positions == 0) return e;
        const double n = static_cast<double>(positions);
        e.mse = squared / n;
        e.mseStdError = std::sqrt(std::max(0.0, squaredSquared / n - e.mse * e.mse) / n);
        e.accuracy = static_cast<double>(right) / n;
        return e;
    }
};

struct ThreadTally {
    std::array<ErrorTally, 3> byThird;
    long playouts = 0;
    double cpuSeconds = 0;
};

}  // namespace

RolloutOutcomeEvaluation evaluateRolloutOutcomes(const RolloutPolicy& policy, const std::vector<IndexedGame>& games,
                                                 const RolloutOutcomeOptions& options) {
    // Only a game with a winner can score a prediction.
    const EvenPositions sample(games, options.positions, [](const IndexedGame& game) {
        const bool decided = game.winner == Color::Black || game.winner == Color::White;
        return decided ? game.record.moves.size() : 0;
    });

    const int threads = std::max(1, options.threads);
    std::vector<ThreadTally> tallies(static_cast<std::size_t>(threads));
    auto work = [&](int thread) {
        ThreadTally& tally = tallies[static_cast<std::size_t>(thread)];
        for (std::size_t g = static_cast<std::size_t>(thread); g < games.size(); g += static_cast<std::size_t>(threads)) {
            auto next = sample.begin(g);
            const auto last = sample.end(g);
            if (next == last) continue;
            const GameRecord& record = games[g].record;
            const std::size_t length = record.moves.size();
            Board board = startingBoard(record);
            RolloutContext context;
            for (std::size_t i = 0; i < length && next != last; ++i) {
                const Move& m = record.moves[i];
                if (*next == sample.firstOrdinal(g) + i) {
                    // The same playouts for a position whatever else is measured, so that two
                    // runs differing only in options compare position by position.
                    Random rng(options.seed * 1000003 + *next);
                    double sum = 0;
                    for (int k = 0; k < options.playoutsPerPosition; ++k) {
                        Board playout = board;
                        const double margin =
                            rolloutPlayout(policy, playout, m.color, record.komi, rng, context, options.rollout).margin;
                        sum += outcomeFor(m.color, margin);
                    }
                    tally.playouts += options.playoutsPerPosition;
                    const double outcome = games[g].winner == m.color ? 1 : -1;
                    tally.byThird[std::min<std::size_t>(2, 3 * i / length)].add(
                        sum / std::max(1, options.playoutsPerPosition), outcome);
                    ++next;
                }
                context = playTracked(board, m, context);
            }
        }
        tally.cpuSeconds = threadCpuSeconds();
    };
    std::vector<std::thread> workers;
    for (int t = 1; t < threads; ++t) workers.emplace_back(work, t);
    const double mainBefore = threadCpuSeconds();
    work(0);
    tallies[0].cpuSeconds -= mainBefore;
    for (std::thread& w : workers) w.join();

    RolloutOutcomeEvaluation result;
    ErrorTally all;
    std::array<ErrorTally, 3> byThird;
    long playouts = 0;
    double cpuSeconds = 0;
    for (const ThreadTally& t : tallies) {
        for (int third = 0; third < 3; ++third) {
            byThird[third].add(t.byThird[third]);
            all.add(t.byThird[third]);
        }
        playouts += t.playouts;
        cpuSeconds += t.cpuSeconds;
    }
    result.all = all.summary();
    for (int third = 0; third < 3; ++third) result.byThird[third] = byThird[third].summary();
    result.secondsPerPlayout = playouts ? cpuSeconds / playouts : 0;
    return result;
}

}  // namespace tengen::nets
