#include "nets/rollout_training.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <random>
#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "go/atomic_file.h"
#include "go/random.h"
#include "nets/even_positions.h"

namespace tengen::nets {

namespace {

using Clock = std::chrono::steady_clock;

struct Tally {
    long positions = 0;   // expert moves on the board
    long uncovered = 0;   // ... that were not candidates
    long top1 = 0;
    double loss = 0;      // summed over covered positions
    void add(const Tally& o) {
        positions += o.positions;
        uncovered += o.uncovered;
        top1 += o.top1;
        loss += o.loss;
    }
    double meanLoss() const { return positions > uncovered ? loss / static_cast<double>(positions - uncovered) : 0; }
    double top1Rate() const { return positions ? static_cast<double>(top1) / positions : 0; }
};

// The softmax over a position's candidates, into `probabilities`. Returns the expert's index
// among the candidates (or -1) and records the position in the tally.
int scorePosition(const std::vector<float>& weights, const RolloutCandidates& set, Point expert,
                  std::vector<double>& probabilities, Tally& tally) {
    ++tally.positions;
    const int expertIndex = set.indexOf(expert);
    if (expertIndex < 0) {
        ++tally.uncovered;
        return -1;
    }
    const std::size_t n = set.candidates.size();
    probabilities.resize(n);
    double top = -1e300;
    std::size_t best = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const RolloutCandidate& c = set.candidates[i];
        double score = 0;
        for (std::uint32_t k = 0; k < c.featureCount; ++k) score += weights[set.features[c.firstFeature + k]];
        probabilities[i] = score;
        if (score > top) {
            top = score;
            best = i;
        }
    }
    double sum = 0;
    for (double& p : probabilities) sum += p = std::exp(p - top);
    for (double& p : probabilities) p /= sum;
    tally.top1 += static_cast<long>(best) == expertIndex;
    tally.loss -= std::log(std::max(probabilities[static_cast<std::size_t>(expertIndex)], 1e-300));
    return expertIndex;
}

// Sparse Adagrad on softmax cross-entropy: the gradient of -log p(expert) with respect to a
// candidate's score is p - [expert]; every feature of the candidate shares it. Features
// shared by many candidates (the empty-board pattern) sum their gradients before the step.
class AdagradStep {
public:
    AdagradStep(std::vector<float>& weights, double learningRate)
        : weights_(weights), squares_(weights.size(), 0.0f), gradient_(weights.size(), 0.0f),
          learningRate_(learningRate) {}

    void apply(const RolloutCandidates& set, const std::vector<double>& probabilities, int expert) {
        touched_.clear();
        for (std::size_t i = 0; i < set.candidates.size(); ++i) {
            const RolloutCandidate& c = set.candidates[i];
            const float g = static_cast<float>(probabilities[i] - (static_cast<int>(i) == expert ? 1.0 : 0.0));
            for (std::uint32_t k = 0; k < c.featureCount; ++k) {
                const std::uint32_t f = set.features[c.firstFeature + k];
                if (gradient_[f] == 0.0f) touched_.push_back(f);
                gradient_[f] += g;
            }
        }
        for (std::uint32_t f : touched_) {
            const float g = gradient_[f];
            gradient_[f] = 0.0f;
            squares_[f] += g * g;
            if (squares_[f] > 0) weights_[f] -= static_cast<float>(learningRate_ * g / std::sqrt(squares_[f]));
        }
    }

private:
    std::vector<float>& weights_;
    std::vector<float> squares_, gradient_;
    std::vector<std::uint32_t> touched_;
    double learningRate_;
};

// A game being replayed for training: its board and where it stands.
struct GameCursor {
    const IndexedGame* game = nullptr;
    Board board;
    RolloutContext context;
    std::size_t next = 0;
};

std::string csvRow(long positions, long epoch, double seconds, const Tally& train, const RolloutEvaluation& heldOut,
                   double positionsPerSecond) {
    return fmt::format("{},{},{},{:.1f},{:.4f},{:.4f},{:.4f},{:.4f},{:.0f}", positions, epoch, positions, seconds,
                       train.meanLoss(), train.top1Rate(), heldOut.loss, heldOut.top1, positionsPerSecond);
}

}  // namespace

Board startingBoard(const GameRecord& record) {
    Board board(record.size);
    for (Point p : record.setupBlack) board.setStone(p, Color::Black);
    for (Point p : record.setupWhite) board.setStone(p, Color::White);
    return board;
}

RolloutEvaluation evaluateRolloutPolicy(const RolloutPolicy& policy, const std::vector<IndexedGame>& games,
                                        int maxPositions, int threads) {
    // Expert moves on the board, not passes, are what a rollout policy predicts.
    const EvenPositions sample(games, maxPositions, [](const IndexedGame& game) {
        const std::vector<Move>& moves = game.record.moves;
        return static_cast<std::size_t>(std::count_if(moves.begin(), moves.end(), [](const Move& m) { return m.point >= 0; }));
    });

    threads = std::max(1, threads);
    std::vector<Tally> tallies(static_cast<std::size_t>(threads));
    auto work = [&](int thread) {
        RolloutCandidates set;
        std::vector<double> probabilities;
        Tally& tally = tallies[static_cast<std::size_t>(thread)];
        for (std::size_t g = static_cast<std::size_t>(thread); g < games.size(); g += static_cast<std::size_t>(threads)) {
            auto next = sample.begin(g);
            const auto last = sample.end(g);
            if (next == last) continue;
            const GameRecord& record = games[g].record;
            Board board = startingBoard(record);
            RolloutContext context;
            std::size_t ordinal = sample.firstOrdinal(g);
            for (const Move& m : record.moves) {
                if (next == last) break;
                if (m.point >= 0) {
                    if (*next == ordinal) {
                        extractRolloutCandidates(board, m.color, context, set);
                        scorePosition(policy.weights(), set, m.point, probabilities, tally);
                        ++next;
                    }
                    ++ordinal;
                }
                context = playTracked(board, m, context);
            }
        }
    };
    std::vector<std::thread> workers;
    for (int t = 1; t < threads; ++t) workers.emplace_back(work, t);
    work(0);
    for (std::thread& w : workers) w.join();

    Tally all;
    for (const Tally& t : tallies) all.add(t);
    RolloutEvaluation result;
    result.positions = static_cast<std::size_t>(all.positions);
    result.top1 = all.top1Rate();
    result.loss = all.meanLoss();
    result.uncovered = all.positions ? static_cast<double>(all.uncovered) / all.positions : 0;
    return result;
}

RolloutTrainingResult trainRolloutPolicy(const RolloutTrainingOptions& o, const GameIndex& index) {
    if (index.training.empty()) throw std::runtime_error("no training games");
    if (o.learningRate <= 0 || o.evalEvery < 1 || o.interleavedGames < 1)
        throw std::invalid_argument("--lr and --eval-every must be positive");
    RolloutTrainingResult result;
    RolloutPolicy& policy = result.policy;
    policy.setBoardSize(index.training.front().record.size);
    AdagradStep step(policy.mutableWeights(), o.learningRate);

    std::mt19937_64 shuffler(o.seed);
    Random rng(o.seed ^ 0x5EEDull);
    std::vector<std::size_t> order(index.training.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::shuffle(order.begin(), order.end(), shuffler);
    std::size_t nextGame = 0;
    long epoch = 0;
    auto startGame = [&](GameCursor& cursor) {
        if (nextGame == order.size()) {
            std::shuffle(order.begin(), order.end(), shuffler);
            nextGame = 0;
            ++epoch;
        }
        cursor.game = &index.training[order[nextGame++]];
        cursor.board = startingBoard(cursor.game->record);
        cursor.context = RolloutContext{};
        cursor.next = 0;
    };
    std::vector<GameCursor> cursors(std::min<std::size_t>(static_cast<std::size_t>(o.interleavedGames), order.size()));
    for (GameCursor& c : cursors) startGame(c);

    const std::filesystem::path csv = o.out.empty() ? std::filesystem::path() : std::filesystem::path(o.out.string() + ".csv");
    std::string csvText = "step,epoch,positions,seconds,train_loss,train_top1,heldout_loss,heldout_top1,positions_per_second\n";
    const auto start = Clock::now();
    auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
    RolloutCandidates set;
    std::vector<double> probabilities;
    Tally interval;
    long positionsAtLastEval = 0;
    double secondsAtLastEval = 0;
    bool firstInterval = true;

    auto evaluateAndSave = [&] {
        policy.refresh();
        const double seconds = elapsed();
        const RolloutEvaluation heldOut = evaluateRolloutPolicy(policy, index.heldOut, o.evalPositions, o.threads);
        const double rate = (result.positions - positionsAtLastEval) / std::max(1e-9, seconds - secondsAtLastEval);
        spdlog::info("positions {} (epoch {}), {:.0f} s: train loss {:.4f} top-1 {:.4f}; held-out loss {:.4f} "
                     "top-1 {:.4f} ({} positions, {:.2f}% not candidates); {:.0f} positions/s",
                     result.positions, epoch, seconds, interval.meanLoss(), interval.top1Rate(), heldOut.loss,
                     heldOut.top1, heldOut.positions, 100 * heldOut.uncovered, rate);
        if (firstInterval) result.firstTrainLoss = interval.meanLoss();
        firstInterval = false;
        result.lastTrainLoss = interval.meanLoss();
        result.heldOut = heldOut;
        result.seconds = seconds;
        if (!o.out.empty()) {
            policy.training = {{"data", o.data},
                               {"optimizer", "adagrad"},
                               {"learning_rate", o.learningRate},
                               {"positions", result.positions},
                               {"epochs", static_cast<double>(result.positions) /
                                              std::max<std::size_t>(1, index.trainingPositions())},
                               {"seconds", seconds},
                               {"training_games", index.training.size()},
                               {"held_out_games", index.heldOut.size()},
                               {"held_out_every", o.filter.heldOutEvery},
                               {"held_out_positions", heldOut.positions},
                               {"held_out_top1", heldOut.top1},
                               {"held_out_loss", heldOut.loss},
                               {"held_out_not_candidates", heldOut.uncovered},
                               {"train_loss", interval.meanLoss()},
                               {"train_top1", interval.top1Rate()},
                               {"command", o.commandLine}};
            saveRolloutPolicy(o.out, policy);
            csvText += csvRow(result.positions, epoch, seconds, interval, heldOut, rate) + "\n";
            writeFileAtomically(csv, csvText);
        }
        interval = Tally{};
        positionsAtLastEval = result.positions;
        secondsAtLastEval = elapsed();
    };

    while (result.positions < o.positions) {
        // The clock costs more than a position: look at it now and then.
        if (o.maxHours > 0 && result.positions % 1024 == 0 && elapsed() > o.maxHours * 3600) break;
        GameCursor& cursor = cursors[rng.below(static_cast<std::uint32_t>(cursors.size()))];
        const std::vector<Move>& moves = cursor.game->record.moves;
        if (cursor.next == moves.size()) {
            startGame(cursor);
            continue;
        }
        const Move m = moves[cursor.next++];
        if (m.point >= 0) {
            extractRolloutCandidates(cursor.board, m.color, cursor.context, set);
            const int expert = scorePosition(policy.weights(), set, m.point, probabilities, interval);
            if (expert >= 0) step.apply(set, probabilities, expert);
            ++result.positions;
            if (result.positions % o.evalEvery == 0) evaluateAndSave();
        }
        cursor.context = playTracked(cursor.board, m, cursor.context);
    }
    if (result.positions != positionsAtLastEval || positionsAtLastEval == 0) evaluateAndSave();
    policy.refresh();
    return result;
}

RolloutTrainingResult trainRolloutPolicy(const RolloutTrainingOptions& options) {
    if (options.threads < 1) throw std::invalid_argument("--threads must be at least 1");
    const GameIndex index = indexTrainingGames(options.data, options.filter);
    return trainRolloutPolicy(options, index);
}

}  // namespace tengen::nets
