#include "nets/rollout_outcome.h"

#include <chrono>
#include <cmath>
#include <thread>

#include "go/playout.h"
#include "nets/rollout_playout.h"
#include "nets/rollout_training.h"

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

double threadCpuSeconds() {
    timespec cpu{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
    return static_cast<double>(cpu.tv_sec) + cpu.tv_nsec * 1e-9;
}

}  // namespace

RolloutOutcomeEvaluation evaluateRolloutOutcomes(const RolloutPolicy& policy, const std::vector<IndexedGame>& games,
                                                 const RolloutOutcomeOptions& options) {
    // Number every move of games with a winner, and choose evenly among them.
    std::vector<std::size_t> firstOrdinal(games.size() + 1, 0);
    for (std::size_t g = 0; g < games.size(); ++g) {
        const bool decided = games[g].winner == Color::Black || games[g].winner == Color::White;
        firstOrdinal[g + 1] = firstOrdinal[g] + (decided ? games[g].record.moves.size() : 0);
    }
    const std::size_t total = firstOrdinal.back();
    const std::size_t wanted =
        std::min<std::size_t>(total, static_cast<std::size_t>(std::max(0, options.positions)));
    std::vector<std::size_t> chosen(wanted);
    for (std::size_t k = 0; k < wanted; ++k) chosen[k] = k * total / wanted;

    const int threads = std::max(1, options.threads);
    std::vector<ThreadTally> tallies(static_cast<std::size_t>(threads));
    auto work = [&](int thread) {
        ThreadTally& tally = tallies[static_cast<std::size_t>(thread)];
        for (std::size_t g = static_cast<std::size_t>(thread); g < games.size(); g += static_cast<std::size_t>(threads)) {
            auto next = std::lower_bound(chosen.begin(), chosen.end(), firstOrdinal[g]);
            if (next == chosen.end() || *next >= firstOrdinal[g + 1]) continue;
            const GameRecord& record = games[g].record;
            const std::size_t length = record.moves.size();
            Board board = startingBoard(record);
            RolloutContext context;
            for (std::size_t i = 0; i < length && next != chosen.end() && *next < firstOrdinal[g + 1]; ++i) {
                const Move& m = record.moves[i];
                if (*next == firstOrdinal[g] + i) {
                    // The same playouts for a position whatever else is measured, so that two
                    // runs differing only in options compare position by position.
                    Random rng(options.seed * 1000003 + *next);
                    double sum = 0;
                    for (int k = 0; k < options.playoutsPerPosition; ++k) {
                        Board playout = board;
                        const double margin =
                            rolloutPlayout(policy, playout, m.color, record.komi, rng, context, options.rollout).margin;
                        sum += (margin > 0) == (m.color == Color::Black) ? 1 : -1;
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
