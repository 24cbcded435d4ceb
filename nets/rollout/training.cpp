#include "nets/rollout/training.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <random>
#include <sstream>
#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "go/atomic_file.h"
#include "go/random.h"
#include "go/even_positions.h"
#include "go/framed_file.h"
#include "go/training_files.h"

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

    // Each weight's sum of squared gradients: a resumed run needs them to take the same steps.
    std::vector<float>& squares() { return squares_; }

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

// Everything a killed run needs to go on as if it had not stopped, besides the weights and
// Adagrad's squares: written beside the model at every evaluation.
struct TrainingState {
    long positions = 0, epoch = 0;
    std::vector<std::size_t> order;  // of the training games, this epoch
    std::size_t nextGame = 0;        // in order
    std::vector<std::pair<std::size_t, std::size_t>> cursors;  // training game, next move
    std::string shuffler;            // the order's generator, as its stream operator writes it
    Random::State rng{};             // chooses which cursor moves on
    double seconds = 0, firstTrainLoss = 0;
    std::string csv;
    RolloutEvaluation heldOut;       // at the last evaluation
};

constexpr std::string_view kCheckpointMagic = "TENGEN-ROLLOUT-CHECKPOINT\n";

void saveCheckpoint(const std::filesystem::path& path, const TrainingState& state, std::size_t trainingGames,
                    const std::vector<float>& weights, const std::vector<float>& squares) {
    const nlohmann::json j = {{"training_games", trainingGames},
                              {"positions", state.positions},
                              {"epoch", state.epoch},
                              {"order", state.order},
                              {"next_game", state.nextGame},
                              {"cursors", state.cursors},
                              {"shuffler", state.shuffler},
                              {"rng", state.rng},
                              {"seconds", state.seconds},
                              {"first_train_loss", state.firstTrainLoss},
                              {"csv", state.csv},
                              {"held_out", {state.heldOut.positions, state.heldOut.top1, state.heldOut.loss,
                                            state.heldOut.uncovered}}};
    writeFileAtomically(path, frameBlocks(kCheckpointMagic, {j.dump(), encodeFloats(weights), encodeFloats(squares)}));
}

// Throws std::runtime_error naming the file and what is wrong with it, for this run's data.
TrainingState loadCheckpoint(const std::filesystem::path& path, const GameIndex& index, std::size_t cursorCount,
                             std::vector<float>& weights, std::vector<float>& squares) {
    auto fail = [&](const std::string& problem) {
        return std::runtime_error(fmt::format("cannot resume from checkpoint {}: {}", path.string(), problem));
    };
    std::string whyNot;
    const std::optional<std::string> text = readWholeFile(path, std::uintmax_t{1} << 30, whyNot);
    if (!text) throw fail(whyNot);
    const Unframed parts = unframeBlocks(*text, kCheckpointMagic, 3);
    if (parts.problem != FrameProblem::None)
        throw fail(describeFrameProblem(parts.problem, "Tengen rollout training checkpoint"));
    if (parts.blocks[1].size() != weights.size() * 4 || parts.blocks[2].size() != weights.size() * 4)
        throw fail("its weights are for other feature tables");
    TrainingState state;
    std::size_t games = 0;
    try {
        const nlohmann::json j = nlohmann::json::parse(parts.blocks[0]);
        j.at("training_games").get_to(games);
        j.at("positions").get_to(state.positions);
        j.at("epoch").get_to(state.epoch);
        j.at("order").get_to(state.order);
        j.at("next_game").get_to(state.nextGame);
        j.at("cursors").get_to(state.cursors);
        j.at("shuffler").get_to(state.shuffler);
        j.at("rng").get_to(state.rng);
        j.at("seconds").get_to(state.seconds);
        j.at("first_train_loss").get_to(state.firstTrainLoss);
        j.at("csv").get_to(state.csv);
        const nlohmann::json& heldOut = j.at("held_out");
        state.heldOut = {heldOut.at(0).get<std::size_t>(), heldOut.at(1).get<double>(), heldOut.at(2).get<double>(),
                         heldOut.at(3).get<double>()};
    } catch (const std::exception& e) {
        throw fail(std::string("bad state: ") + e.what());
    }
    if (games != index.training.size())
        throw fail(fmt::format("it was made with {} training games, and this run has {}: other data or filters "
                               "(remove it to start afresh)", games, index.training.size()));
    std::vector<bool> seen(index.training.size(), false);
    for (std::size_t g : state.order) {
        if (g >= seen.size() || seen[g]) throw fail("its game order is not one of this run's games");
        seen[g] = true;
    }
    if (state.order.size() != index.training.size() || state.nextGame > state.order.size() ||
        state.cursors.size() != cursorCount)
        throw fail("its game order or interleaved games do not fit this run (remove it to start afresh)");
    for (const auto& [game, next] : state.cursors)
        if (game >= index.training.size() || next > index.training[game].record.moves.size())
            throw fail("a game it was replaying is not in this run's data");
    weights = decodeFloats(parts.blocks[1]);
    squares = decodeFloats(parts.blocks[2]);
    return state;
}

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
        throw std::invalid_argument("the learning rate and the evaluation interval must be positive");
    RolloutTrainingResult result;
    RolloutPolicy& policy = result.policy;
    policy.setBoardSize(index.training.front().record.size);
    AdagradStep step(policy.mutableWeights(), o.learningRate);

    const std::size_t cursorCount = std::min<std::size_t>(static_cast<std::size_t>(o.interleavedGames), index.training.size());
    const std::filesystem::path checkpoint = o.out.empty() ? std::filesystem::path() : checkpointPath(o.out);
    const std::filesystem::path csv = o.out.empty() ? std::filesystem::path() : csvPath(o.out);
    TrainingState state;
    std::mt19937_64 shuffler(o.seed);
    Random rng(o.seed ^ 0x5EEDull);
    std::vector<GameCursor> cursors(cursorCount);
    auto startGame = [&](GameCursor& cursor) {
        if (state.nextGame == state.order.size()) {
            std::shuffle(state.order.begin(), state.order.end(), shuffler);
            state.nextGame = 0;
            ++state.epoch;
        }
        cursor.game = &index.training[state.order[state.nextGame++]];
        cursor.board = startingBoard(cursor.game->record);
        cursor.context = RolloutContext{};
        cursor.next = 0;
    };
    const bool resuming = !checkpoint.empty() && std::filesystem::exists(checkpoint);
    if (resuming) {
        state = loadCheckpoint(checkpoint, index, cursorCount, policy.mutableWeights(), step.squares());
        std::istringstream shufflerText(state.shuffler);
        if (!(shufflerText >> shuffler))
            throw std::runtime_error("cannot resume from checkpoint " + checkpoint.string() + ": bad game shuffler state");
        rng.setState(state.rng);
        for (std::size_t i = 0; i < cursorCount; ++i) {
            GameCursor& cursor = cursors[i];
            cursor.game = &index.training[state.cursors[i].first];
            cursor.board = startingBoard(cursor.game->record);
            for (; cursor.next < state.cursors[i].second; ++cursor.next)
                cursor.context = playTracked(cursor.board, cursor.game->record.moves[cursor.next], cursor.context);
        }
        result.positions = state.positions;
        result.firstTrainLoss = state.firstTrainLoss;
        result.heldOut = state.heldOut;
        writeFileAtomically(csv, state.csv);  // rows of evaluations after the checkpoint are logged again
        spdlog::warn("resuming from {} at {} positions", checkpoint.string(), state.positions);
    } else {
        state.csv = "step,epoch,positions,seconds,train_loss,train_top1,heldout_loss,heldout_top1,positions_per_second\n";
        state.order.resize(index.training.size());
        std::iota(state.order.begin(), state.order.end(), std::size_t{0});
        std::shuffle(state.order.begin(), state.order.end(), shuffler);
        for (GameCursor& c : cursors) startGame(c);
    }

    const auto start = Clock::now();
    const double secondsBefore = state.seconds;
    auto elapsed = [&] { return secondsBefore + std::chrono::duration<double>(Clock::now() - start).count(); };
    RolloutCandidates set;
    std::vector<double> probabilities;
    Tally interval;
    long positionsAtLastEval = result.positions;
    double secondsAtLastEval = secondsBefore;
    bool firstInterval = !resuming;

    auto evaluateAndSave = [&] {
        policy.refresh();
        const double seconds = elapsed();
        const RolloutEvaluation heldOut = evaluateRolloutPolicy(policy, index.heldOut, o.evalPositions, o.threads);
        const double rate = (result.positions - positionsAtLastEval) / std::max(1e-9, seconds - secondsAtLastEval);
        spdlog::info("positions {} (epoch {}), {:.0f} s: train loss {:.4f} top-1 {:.4f}; held-out loss {:.4f} "
                     "top-1 {:.4f} ({} positions, {:.2f}% not candidates); {:.0f} positions/s",
                     result.positions, state.epoch, seconds, interval.meanLoss(), interval.top1Rate(), heldOut.loss,
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
            state.csv += csvRow(result.positions, state.epoch, seconds, interval, heldOut, rate) + "\n";
            writeFileAtomically(csv, state.csv);
            state.positions = result.positions;
            state.cursors.clear();
            for (const GameCursor& c : cursors)
                state.cursors.emplace_back(static_cast<std::size_t>(c.game - index.training.data()), c.next);
            std::ostringstream shufflerText;
            shufflerText << shuffler;
            state.shuffler = shufflerText.str();
            state.rng = rng.state();
            state.seconds = seconds;
            state.firstTrainLoss = result.firstTrainLoss;
            state.heldOut = heldOut;
            saveCheckpoint(checkpoint, state, index.training.size(), policy.weights(), step.squares());
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
    // A run resumed with nothing left to do reports the checkpoint's last evaluation.
    if (result.positions != positionsAtLastEval || result.positions == 0) evaluateAndSave();
    result.seconds = elapsed();
    policy.refresh();
    return result;
}

RolloutTrainingResult trainRolloutPolicy(const RolloutTrainingOptions& options) {
    if (options.threads < 1) throw std::invalid_argument("threads must be at least 1");
    const GameIndex index = indexTrainingGames(options.data, options.filter);
    return trainRolloutPolicy(options, index);
}

}  // namespace tengen::nets
