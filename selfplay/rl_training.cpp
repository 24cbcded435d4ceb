#include "selfplay/rl_training.h"

#include <unistd.h>

#include <chrono>
#include <future>
#include <cmath>
#include <map>
#include <memory>
#include <numeric>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "go/atomic_file.h"
#include "go/training_files.h"
#include "nets/device.h"
#include "nets/precision.h"
#include "nets/train/position_batch.h"
#include "nets/train/run_log.h"
#include "nets/train/sl_training.h"
#include "nets/train/warm_start.h"
#include "selfplay/networks.h"

namespace tengen::selfplay {

namespace {

using Clock = std::chrono::steady_clock;

double linearAnneal(double start, long iteration, long over) {
    if (over <= 0) return start;
    return start * std::max(0.0, 1.0 - static_cast<double>(iteration) / static_cast<double>(over));
}

// Where a run stands between iterations: with the weights and optimisers, all a resumed run needs.
struct RunState {
    long iteration = 0;  // iterations done
    double seconds = 0;  // across restarts
    nets::MeanBaseline meanBaseline;
};

struct Learner {
    nets::Model policy;
    std::unique_ptr<torch::optim::Optimizer> optimizer;
    std::optional<nets::Model> critic;  // the value baseline's
    std::unique_ptr<torch::optim::Optimizer> criticOptimizer;
};

void validate(const RlOptions& o) {
    if (o.gamesPerIteration < 2 || o.gamesPerIteration % 2 != 0)
        throw std::invalid_argument("the games per iteration must be even and at least 2");
    if (o.iterations < 1) throw std::invalid_argument("the iterations must be at least 1");
    for (const nets::OptimizerSettings* s : {&o.optimizer, &o.criticOptimizer})
        if (!(s->learningRate > 0 && s->learningRate <= 1))
            throw std::invalid_argument(fmt::format("the learning rate {} is out of range (0, 1]", s->learningRate));
    if (!(o.entropyWeight >= 0 && o.entropyWeight <= 1))
        throw std::invalid_argument(fmt::format("the entropy weight {} is out of range [0, 1]", o.entropyWeight));
    if (!(o.curriculum.slWeight >= 0 && o.curriculum.slWeight <= 100))
        throw std::invalid_argument(fmt::format("the SL weight {} is out of range [0, 100]", o.curriculum.slWeight));
    if (o.curriculum.expertPrefix < 0) throw std::invalid_argument("the expert prefix must not be negative");
    if ((o.curriculum.slWeight > 0 || o.curriculum.expertPrefix > 0) && o.curriculum.expertData.empty())
        throw std::invalid_argument("the SL weight and the expert prefix need expert games");
    if (o.movesPerGame < 0 || o.trainBatch < 1 || o.checkpointEvery < 1 || o.varianceEvery < 0 ||
        o.evaluatorBatch < 1 || o.curriculum.slBatch < 1)
        throw std::invalid_argument("moves per game, batch sizes and intervals must be positive");
    if (!(o.clipNorm >= 0)) throw std::invalid_argument("the gradient clip must not be negative");
}

nets::NetworkShape criticShape(nets::NetworkShape shape) {
    shape.kind = nets::NetworkKind::Value;
    shape.features = nets::FeatureSet::AlphaGoValue;
    return shape;
}

void saveCheckpoint(const std::filesystem::path& path, Learner& learner, const RunState& state,
                    const OpponentPool& pool) {
    torch::serialize::OutputArchive archive, policy, optimizer;
    learner.policy.module().save(policy);
    learner.optimizer->save(optimizer);
    archive.write("policy", policy);
    archive.write("optimizer", optimizer);
    if (learner.critic) {
        torch::serialize::OutputArchive critic, criticOptimizer;
        learner.critic->module().save(critic);
        learner.criticOptimizer->save(criticOptimizer);
        archive.write("critic", critic);
        archive.write("critic_optimizer", criticOptimizer);
    }
    nlohmann::json members = nlohmann::json::array();
    for (const std::filesystem::path& m : pool.members()) members.push_back(m.string());
    const nlohmann::json json = {{"iteration", state.iteration},
                                 {"seconds", state.seconds},
                                 {"mean_baseline", state.meanBaseline.value()},
                                 {"mean_baseline_started", state.meanBaseline.started()},
                                 {"shape", nets::toJson(learner.policy.metadata.shape)},
                                 {"critic", static_cast<bool>(learner.critic)},
                                 {"pool", members}};
    archive.write("state", c10::IValue(json.dump()));
    std::ostringstream out;
    archive.save_to(out);
    writeFileAtomically(path, out.str());
}

// Restores the learner and returns the state and the pool's members.
std::pair<RunState, std::vector<std::filesystem::path>> loadCheckpoint(const std::filesystem::path& path,
                                                                       Learner& learner) {
    try {
        torch::serialize::InputArchive archive, policy, optimizer;
        archive.load_from(path.string());
        c10::IValue text;
        archive.read("state", text);
        const nlohmann::json json = nlohmann::json::parse(text.toStringRef());
        if (nets::shapeFromJson(json.at("shape")) != learner.policy.metadata.shape)
            throw std::runtime_error("it was made for a different network; use the same initial model or delete it");
        if (json.at("critic").get<bool>() != static_cast<bool>(learner.critic))
            throw std::runtime_error("it was made with another baseline; use the same --baseline or delete it");
        archive.read("policy", policy);
        archive.read("optimizer", optimizer);
        learner.policy.module().load(policy);
        learner.optimizer->load(optimizer);
        if (learner.critic) {
            torch::serialize::InputArchive critic, criticOptimizer;
            archive.read("critic", critic);
            archive.read("critic_optimizer", criticOptimizer);
            learner.critic->module().load(critic);
            learner.criticOptimizer->load(criticOptimizer);
        }
        RunState state;
        state.iteration = json.at("iteration").get<long>();
        state.seconds = json.at("seconds").get<double>();
        state.meanBaseline.restore(json.at("mean_baseline").get<double>(), json.at("mean_baseline_started").get<bool>());
        std::vector<std::filesystem::path> members;
        for (const auto& m : json.at("pool")) members.emplace_back(m.get<std::string>());
        return {state, members};
    } catch (const std::exception& e) {
        throw std::runtime_error("cannot resume from checkpoint " + path.string() + ": " +
                                 std::string(e.what()).substr(0, std::string(e.what()).find('\n')));
    }
}

// The positions [begin, end) of `moves`, with the given features.
nets::PositionBatch batchOf(const LearnerMoves& moves, std::size_t begin, std::size_t end, nets::FeatureSet features,
                            int boardSize) {
    std::vector<nets::PositionRef> refs;
    for (std::size_t i = begin; i < end; ++i)
        refs.push_back({static_cast<std::uint32_t>(moves.gameOf[i]), moves.moveOf[i]});
    return nets::makeBatch(moves.games, refs, std::vector<nets::Symmetry>(refs.size(), nets::Symmetry::Identity),
                           features, boardSize);
}

// z for the learner from one game's record.
double rewardOf(const GameRecord& game, bool learnerBlack) {
    if (!game.winner) return 0;
    return (*game.winner == Color::Black) == learnerBlack ? 1 : -1;
}

struct IterationGames {
    std::vector<GameRecord> sampled, greedy;  // greedy: the self-critical baseline's, else empty
    std::vector<bool> learnerBlack;
};

class IterationPlayer {
public:
    IterationPlayer(const RlOptions& options, int boardSize) : options_(options), boardSize_(boardSize) {}

    IterationGames play(nets::Model& learnerModel, const std::filesystem::path& opponentFile, std::uint64_t seed,
                        std::shared_ptr<const play::OpeningBook> openings) const {
        nets::EvaluatorOptions evaluator;
        evaluator.maxBatch = options_.evaluatorBatch;
        evaluator.fixedBatchShape = true;  // so that a resumed run replays the same games
        evaluator.threads = 1;
        Network learner{std::make_shared<nets::BatchedEvaluator>(learnerModel, std::nullopt, evaluator), "learner", ""};
        NetworkSet opponents(evaluator);
        const Network& opponent = opponents.policy(opponentFile);

        RunnerOptions runner;
        runner.game.boardSize = boardSize_;
        runner.game.komi = options_.komi;
        runner.game.rules = options_.rules;
        runner.game.maxMoves = options_.maxMoves;
        runner.parallelGames = options_.gamesPerIteration / 2;
        runner.openings = std::move(openings);
        const int half = options_.gamesPerIteration / 2;

        IterationGames games;
        // The learner takes Black in the first half of the seeds and White in the second. The
        // halves play at once, on two threads, so that each evaluator has every game's
        // positions to batch; fixed-shape batches keep the games independent of that.
        const auto playHalves = [&](const PolicySampling& learnerSampling, std::vector<GameRecord>& out) {
            std::vector<GameRecord> halves[2];
            const auto playHalf = [&](int learnerWhite) {
                RunnerOptions r = runner;
                const SidePlayer me{PlayerKind::Policy, {learner}, learnerSampling, {}, nullptr, ""};
                const SidePlayer them{PlayerKind::Policy, {opponent}, options_.sampling, {}, nullptr, ""};
                r.black = learnerWhite ? them : me;
                r.white = learnerWhite ? me : them;
                std::vector<std::uint64_t> seeds;
                for (int n = 0; n < half; ++n)
                    seeds.push_back(gameSeed(seed, static_cast<std::uint64_t>(learnerWhite * half + n)));
                halves[learnerWhite] = playGames(r, seeds);
            };
            std::future<void> white = std::async(std::launch::async, playHalf, 1);
            playHalf(0);
            white.get();
            for (std::vector<GameRecord>& h : halves)
                for (GameRecord& r : h) out.push_back(std::move(r));
        };
        playHalves(options_.sampling, games.sampled);
        for (int n = 0; n < options_.gamesPerIteration; ++n) games.learnerBlack.push_back(n < half);
        // The same seeds with a greedy learner: the same opening and opponent, the opponent's
        // own draws as they fall.
        if (options_.baseline == nets::Baseline::Greedy) playHalves(PolicySampling{0, 0}, games.greedy);
        return games;
    }

private:
    const RlOptions& options_;
    int boardSize_;
};

// Expert openings of K moves, read once per K (K anneals down over the run).
class PrefixBooks {
public:
    PrefixBooks(const RlOptions& options, int boardSize) : options_(options), boardSize_(boardSize) {}

    std::shared_ptr<const play::OpeningBook> at(int moves) {
        if (moves <= 0) return nullptr;
        if (!book_ || book_->options().sgfMoves != moves) {
            play::OpeningOptions o;
            o.sgfPaths = options_.curriculum.expertData;
            o.sgfMoves = moves;
            o.perGame = true;
            o.seed = options_.seed;
            book_ = std::make_shared<play::OpeningBook>(o, boardSize_, options_.komi);
        }
        return book_;
    }

private:
    const RlOptions& options_;
    int boardSize_;
    std::shared_ptr<const play::OpeningBook> book_;
};

std::vector<torch::Tensor> gradientsOf(nets::Model& model) {
    std::vector<torch::Tensor> grads;
    for (const torch::Tensor& p : model.module().parameters())
        grads.push_back(p.grad().defined() ? p.grad().detach().reshape({-1}).clone() : torch::zeros({p.numel()}));
    return grads;
}

std::string csvHeader() {
    return "iteration,opponent,win_rate_black,win_rate_white,mean_reward,mean_advantage,advantage_variance,"
           "gradient_variance,entropy,critic_mse,sl_weight,expert_prefix,loss,positions,greedy_games,play_seconds,"
           "learn_seconds,games_per_second,positions_per_second";
}

std::string csvRow(const IterationRecord& r, int games) {
    const auto optional = [](double v) { return v < 0 ? std::string() : fmt::format("{:.6g}", v); };
    return fmt::format("{},{},{:.4f},{:.4f},{:.4f},{:.4f},{:.4f},{},{:.4f},{},{:.4g},{},{:.6g},{},{},{:.2f},{:.2f},{:.2f},{:.1f}",
                       r.iteration, r.opponent, r.winRateBlack, r.winRateWhite, r.meanReward, r.meanAdvantage,
                       r.advantageVariance, optional(r.gradientVariance), r.entropy, optional(r.criticMse), r.slWeight,
                       r.expertPrefix, r.loss, r.positions, r.greedyGames, r.playSeconds, r.learnSeconds,
                       (games + r.greedyGames) / std::max(1e-9, r.playSeconds),
                       static_cast<double>(r.positions) / std::max(1e-9, r.learnSeconds));
}

class RlRun {
public:
    explicit RlRun(const RlOptions& o) : o_(o) {}

    void run() {
        validate(o_);
        nets::setTorchThreads(o_.threads);
        torch::manual_seed(o_.seed);
        precision_ = nets::requirePrecision(o_.precision);
        const nets::Model start = nets::loadModel(o_.initialModel);
        if (start.metadata.shape.kind != nets::NetworkKind::Policy)
            throw std::invalid_argument(fmt::format("{} is a {} network: train-rl starts from a policy",
                                                    o_.initialModel.string(),
                                                    nets::networkKindName(start.metadata.shape.kind)));
        shape_ = start.metadata.shape;
        learner_.policy = nets::copyModel(start);
        learner_.policy.module().train();
        learner_.optimizer = nets::makeOptimizer(o_.optimizer, learner_.policy.module().parameters());
        if (o_.baseline == nets::Baseline::Value) makeCritic(start);

        PoolSettings poolSettings = o_.pool;
        if (poolSettings.directory.empty()) poolSettings.directory = o_.out.string() + ".pool";
        std::vector<std::filesystem::path> members{o_.initialModel};
        members.insert(members.end(), o_.poolSeeds.begin(), o_.poolSeeds.end());

        const std::filesystem::path checkpoint = checkpointPath(o_.out), csv = csvPath(o_.out);
        if (std::filesystem::exists(checkpoint)) {
            std::tie(state_, members) = loadCheckpoint(checkpoint, learner_);
            nets::trimCsvAfter(csv, state_.iteration);
            spdlog::warn("resuming from {} at iteration {}", checkpoint.string(), state_.iteration);
        } else {
            if (std::filesystem::exists(csv)) std::filesystem::remove(csv);
            state_.meanBaseline = nets::MeanBaseline(o_.meanBaselineDecay);
        }
        OpponentPool pool(poolSettings, members);
        pool.check(shape_);
        if (o_.curriculum.slWeight > 0) {
            GameFilter filter;
            filter.boardSize = shape_.boardSize;
            expert_ = indexGames(o_.curriculum.expertData, filter);
            if (expert_.training.empty())
                throw std::invalid_argument("the expert data holds no game of this board size: " + expert_.summary());
        }
        PrefixBooks books(o_, shape_.boardSize);
        const IterationPlayer player(o_, shape_.boardSize);
        const bool terminal = ::isatty(2);
        const auto started = Clock::now();
        const double secondsBefore = state_.seconds;
        const long firstIteration = state_.iteration;
        const auto elapsed = [&] { return secondsBefore + std::chrono::duration<double>(Clock::now() - started).count(); };

        while (state_.iteration < o_.iterations && (o_.maxHours <= 0 || elapsed() < o_.maxHours * 3600)) {
            const long it = state_.iteration;
            const std::uint64_t seed = gameSeed(o_.seed, static_cast<std::uint64_t>(it));
            IterationRecord record;
            record.iteration = it + 1;
            const std::filesystem::path& opponent = pool.draw(seed);
            record.opponent = opponent.filename().string();
            record.expertPrefix = o_.curriculum.expertPrefixAt(it);
            record.slWeight = o_.curriculum.slWeightAt(it);

            const auto playStart = Clock::now();
            const IterationGames games = player.play(learner_.policy, opponent, seed, books.at(record.expertPrefix));
            record.playSeconds = std::chrono::duration<double>(Clock::now() - playStart).count();
            record.greedyGames = static_cast<int>(games.greedy.size());

            const auto learnStart = Clock::now();
            learn(games, seed, record);
            record.learnSeconds = std::chrono::duration<double>(Clock::now() - learnStart).count();

            ++state_.iteration;
            state_.seconds = elapsed();
            if (pool.joinsAfter(state_.iteration)) pool.add(state_.iteration, learner_.policy);
            nets::appendCsvRow(csv, csvHeader(), csvRow(record, o_.gamesPerIteration));
            if (terminal) std::fputs("\n", stderr);
            spdlog::info("iteration {}: against {} won {:.0f}% as Black, {:.0f}% as White; entropy {:.3f}; loss {:.4f}",
                         record.iteration, record.opponent, 100 * record.winRateBlack, 100 * record.winRateWhite,
                         record.entropy, record.loss);
            const bool last = state_.iteration == o_.iterations;
            if (state_.iteration % o_.checkpointEvery == 0 || last) {
                saveTrainedModel(record);
                saveCheckpoint(checkpoint, learner_, state_, pool);
            }
            if (terminal) {
                const double fraction = static_cast<double>(state_.iteration) / static_cast<double>(o_.iterations);
                const int filled = static_cast<int>(fraction * 30);
                const double eta = (state_.seconds - secondsBefore) /
                                   static_cast<double>(state_.iteration - firstIteration) *
                                   static_cast<double>(o_.iterations - state_.iteration);
                std::fprintf(stderr, "\r[%s%s] %ld/%ld iterations  ETA %s  ", std::string(filled, '#').c_str(),
                             std::string(30 - filled, '.').c_str(), state_.iteration, o_.iterations,
                             nets::formatDuration(eta).c_str());
            }
        }
        if (terminal) std::fputs("\n", stderr);
        spdlog::warn("saved {} after {} iterations", o_.out.string(), state_.iteration);
    }

private:
    void makeCritic(const nets::Model& start) {
        if (!o_.criticModel.empty()) {
            learner_.critic = nets::loadModel(o_.criticModel, {nets::NetworkKind::Value, start.metadata.shape.boardSize});
        } else {
            learner_.critic = nets::makeModel(criticShape(start.metadata.shape));
            nets::warmStart(start, *learner_.critic);
        }
        learner_.critic->module().train();
        learner_.criticOptimizer = nets::makeOptimizer(o_.criticOptimizer, learner_.critic->module().parameters());
    }

    // z - b_t for every position (0 for teacher-forced ones); fills the record's reward and
    // advantage figures and the critic's MSE.
    std::vector<float> advantages(const IterationGames& games, const LearnerMoves& moves, IterationRecord& record) {
        std::vector<float> baseline(moves.rewards.size(), 0.0f);
        switch (o_.baseline) {
            case nets::Baseline::None: break;
            case nets::Baseline::Mean:
                std::fill(baseline.begin(), baseline.end(), static_cast<float>(state_.meanBaseline.value()));
                break;
            case nets::Baseline::Greedy:
                for (std::size_t i = 0; i < baseline.size(); ++i) {
                    const auto g = static_cast<std::size_t>(moves.gameOf[i]);
                    baseline[i] = static_cast<float>(rewardOf(games.greedy[g], games.learnerBlack[g]));
                }
                break;
            case nets::Baseline::Value: {
                torch::NoGradGuard noGrad;
                double squared = 0;
                for (std::size_t b = 0; b < baseline.size(); b += static_cast<std::size_t>(o_.trainBatch)) {
                    const std::size_t e = std::min(baseline.size(), b + static_cast<std::size_t>(o_.trainBatch));
                    const nets::PositionBatch batch =
                        batchOf(moves, b, e, learner_.critic->metadata.shape.features, shape_.boardSize);
                    const torch::Tensor v = learner_.critic->value->forward(batch.features).to(torch::kFloat).contiguous();
                    const float* values = v.data_ptr<float>();
                    for (std::size_t i = b; i < e; ++i) {
                        baseline[i] = values[i - b];
                        squared += std::pow(moves.rewards[i] - values[i - b], 2);
                    }
                }
                record.criticMse = baseline.empty() ? 0 : squared / static_cast<double>(baseline.size());
                break;
            }
        }
        std::vector<float> result(baseline.size(), 0.0f);
        double sum = 0, sumSquares = 0;
        long n = 0;
        for (std::size_t i = 0; i < result.size(); ++i) {
            if (moves.teacherForced[i]) continue;
            result[i] = moves.rewards[i] - baseline[i];
            sum += result[i];
            sumSquares += static_cast<double>(result[i]) * result[i];
            ++n;
        }
        if (n > 0) {
            record.meanAdvantage = sum / static_cast<double>(n);
            record.advantageVariance = sumSquares / static_cast<double>(n) - record.meanAdvantage * record.meanAdvantage;
        }
        return result;
    }

    void learn(const IterationGames& games, std::uint64_t seed, IterationRecord& record) {
        const LearnerMoves moves =
            learnerMoves(games.sampled, games.learnerBlack, record.expertPrefix > 0, o_.movesPerGame, seed);
        std::vector<double> rewards;
        int wonBlack = 0, wonWhite = 0;
        for (std::size_t g = 0; g < games.sampled.size(); ++g) {
            const double z = rewardOf(games.sampled[g], games.learnerBlack[g]);
            rewards.push_back(z);
            (games.learnerBlack[g] ? wonBlack : wonWhite) += z > 0;
        }
        const double half = static_cast<double>(o_.gamesPerIteration) / 2;
        record.winRateBlack = wonBlack / half;
        record.winRateWhite = wonWhite / half;
        record.meanReward = std::accumulate(rewards.begin(), rewards.end(), 0.0) / static_cast<double>(rewards.size());
        record.positions = static_cast<long>(moves.weights.size());
        const std::vector<float> advantage = advantages(games, moves, record);
        const double totalWeight = std::accumulate(moves.weights.begin(), moves.weights.end(), 0.0);
        const nets::MixedPrecisionScope mixed(precision_);

        if (o_.varianceEvery > 0 && (record.iteration - 1) % o_.varianceEvery == 0)
            record.gradientVariance = measureGradientVariance(moves, advantage, totalWeight);

        learner_.optimizer->zero_grad();
        double loss = 0, entropySum = 0;
        for (std::size_t b = 0; b < moves.weights.size(); b += static_cast<std::size_t>(o_.trainBatch)) {
            const std::size_t e = std::min(moves.weights.size(), b + static_cast<std::size_t>(o_.trainBatch));
            const torch::Tensor chunk =
                learnerLoss(learner_.policy, moves, b, e, advantage, o_.entropyWeight, totalWeight, entropySum);
            chunk.backward();
            loss += chunk.item<double>();
        }
        if (record.slWeight > 0) {
            const torch::Tensor expert = record.slWeight * expertLoss(seed);
            expert.backward();
            loss += expert.item<double>();
        }
        double reinforceWeight = 0;
        for (std::size_t i = 0; i < moves.weights.size(); ++i)
            if (!moves.teacherForced[i]) reinforceWeight += moves.weights[i];
        record.entropy = reinforceWeight > 0 ? entropySum / reinforceWeight : 0;
        record.loss = loss;
        if (!std::isfinite(loss))
            throw std::runtime_error(fmt::format(
                "iteration {}: the loss is not finite; the last good checkpoint is {} (iteration {}): lower the "
                "learning rate and resume from it",
                record.iteration, checkpointPath(o_.out).string(),
                state_.iteration - state_.iteration % o_.checkpointEvery));
        nets::setLearningRate(*learner_.optimizer, nets::learningRateAt(o_.optimizer, state_.iteration));
        if (o_.clipNorm > 0) torch::nn::utils::clip_grad_norm_(learner_.policy.module().parameters(), o_.clipNorm);
        learner_.optimizer->step();
        if (learner_.critic) trainCritic(moves);
        state_.meanBaseline.update(rewards);
    }

    // The spread of per-game gradient estimates (each scaled to stand for the whole batch)
    // on a sample of the iteration's games: what the baselines are for.
    double measureGradientVariance(const LearnerMoves& moves, const std::vector<float>& advantage, double totalWeight) {
        std::vector<torch::Tensor> perGame;
        const double games = static_cast<double>(moves.games.size());
        double ignored = 0;
        std::size_t begin = 0;
        while (begin < moves.gameOf.size() && static_cast<int>(perGame.size()) < o_.varianceGames) {
            std::size_t end = begin;
            while (end < moves.gameOf.size() && moves.gameOf[end] == moves.gameOf[begin]) ++end;
            learner_.optimizer->zero_grad();
            learnerLoss(learner_.policy, moves, begin, end, advantage, o_.entropyWeight, totalWeight / games, ignored)
                .backward();
            perGame.push_back(torch::cat(gradientsOf(learner_.policy)));
            begin = end;
        }
        learner_.optimizer->zero_grad();
        return nets::gradientVariance(perGame);
    }

    // slBatch expert positions, drawn by the iteration's seed: their mean cross-entropy.
    torch::Tensor expertLoss(std::uint64_t seed) {
        Random rng(gameSeed(seed, 0xE4BE27));
        std::vector<nets::PositionRef> refs;
        while (static_cast<int>(refs.size()) < o_.curriculum.slBatch) {
            const auto g = rng.below(static_cast<std::uint32_t>(expert_.training.size()));
            const auto length = static_cast<std::uint32_t>(expert_.training[g].record.moves.size());
            if (length > 0) refs.push_back({g, rng.below(length)});
        }
        const nets::PositionBatch batch =
            nets::makeBatch(expert_.training, refs, std::vector<nets::Symmetry>(refs.size(), nets::Symmetry::Identity),
                            shape_.features, shape_.boardSize);
        return nets::expertMoveLoss(learner_.policy.policy->forward(batch.features).to(torch::kFloat), batch.legal,
                                    batch.target);
    }

    // One step of the critic towards the outcomes of the learner's positions (MSE).
    void trainCritic(const LearnerMoves& moves) {
        learner_.criticOptimizer->zero_grad();
        std::vector<std::size_t> reinforce;
        for (std::size_t i = 0; i < moves.rewards.size(); ++i)
            if (!moves.teacherForced[i]) reinforce.push_back(i);
        if (reinforce.empty()) return;
        for (std::size_t b = 0; b < moves.rewards.size(); b += static_cast<std::size_t>(o_.trainBatch)) {
            const std::size_t e = std::min(moves.rewards.size(), b + static_cast<std::size_t>(o_.trainBatch));
            const nets::PositionBatch batch =
                batchOf(moves, b, e, learner_.critic->metadata.shape.features, shape_.boardSize);
            torch::Tensor mask = torch::ones({static_cast<long>(e - b)});
            for (std::size_t i = b; i < e; ++i)
                if (moves.teacherForced[i]) mask[static_cast<long>(i - b)] = 0;
            const torch::Tensor z = torch::from_blob(const_cast<float*>(moves.rewards.data() + b),
                                                     {static_cast<long>(e - b)}, torch::kFloat).clone();
            const torch::Tensor v = learner_.critic->value->forward(batch.features).to(torch::kFloat);
            ((v - z).pow(2) * mask).sum().div(static_cast<double>(reinforce.size())).backward();
        }
        learner_.criticOptimizer->step();
    }

    void saveTrainedModel(const IterationRecord& last) {
        nlohmann::json training = {{"stage", "RL policy (train-rl)"},
                                   {"initialised_from", o_.initialModel.string()},
                                   {"iterations", state_.iteration},
                                   {"games", state_.iteration * o_.gamesPerIteration},
                                   {"games_per_iteration", o_.gamesPerIteration},
                                   {"baseline", nets::baselineName(o_.baseline)},
                                   {"entropy_weight", o_.entropyWeight},
                                   {"moves_per_game", o_.movesPerGame},
                                   {"sl_weight", o_.curriculum.slWeight},
                                   {"expert_prefix", o_.curriculum.expertPrefix},
                                   {"optimizer", o_.optimizer.kind},
                                   {"learning_rate", o_.optimizer.learningRate},
                                   {"seconds", state_.seconds},
                                   {"last_win_rate", (last.winRateBlack + last.winRateWhite) / 2},
                                   {"command", o_.commandLine}};
        learner_.policy.metadata.training = training;
        nets::saveModel(o_.out, learner_.policy);
    }

    const RlOptions& o_;
    nets::Precision precision_ = nets::Precision::Float32;
    nets::NetworkShape shape_;
    Learner learner_;
    RunState state_;
    GameIndex expert_;
};

}  // namespace

double Curriculum::slWeightAt(long iteration) const { return linearAnneal(slWeight, iteration, annealIterations); }

int Curriculum::expertPrefixAt(long iteration) const {
    return static_cast<int>(std::lround(linearAnneal(expertPrefix, iteration, annealIterations)));
}

LearnerMoves learnerMoves(const std::vector<GameRecord>& games, const std::vector<bool>& learnerBlack,
                          bool teacherForced, int movesPerGame, std::uint64_t seed) {
    LearnerMoves out;
    for (std::size_t g = 0; g < games.size(); ++g) {
        const GameRecord& game = games[g];
        IndexedGame indexed;
        indexed.name = fmt::format("game {}", g);
        indexed.record = game.asSgfRecord();
        indexed.winner = game.winner.value_or(Color::Empty);
        out.games.push_back(std::move(indexed));
        struct Candidate {
            std::uint32_t move;
            bool forced;
        };
        std::vector<Candidate> candidates;
        for (std::uint32_t m = 0; m < game.moves.size(); ++m) {
            if (static_cast<int>(m) < game.openingMoves) {
                if (teacherForced) candidates.push_back({m, true});
                continue;
            }
            // From the empty board Black moves first and the colours alternate; a move of
            // probability 1 was not chosen (a pass with nothing else left).
            const bool blackMoves = m % 2 == 0;
            if (blackMoves == learnerBlack[g] && game.moveProbabilities[m] < 1) candidates.push_back({m, false});
        }
        float weight = 1;
        if (movesPerGame > 0 && candidates.size() > static_cast<std::size_t>(movesPerGame)) {
            Random rng(gameSeed(seed ^ 0x5A3B1E, g));
            for (std::size_t i = 0; i < static_cast<std::size_t>(movesPerGame); ++i)
                std::swap(candidates[i], candidates[i + rng.below(static_cast<std::uint32_t>(candidates.size() - i))]);
            weight = static_cast<float>(candidates.size()) / static_cast<float>(movesPerGame);
            candidates.resize(static_cast<std::size_t>(movesPerGame));
            std::sort(candidates.begin(), candidates.end(),
                      [](const Candidate& a, const Candidate& b) { return a.move < b.move; });
        }
        for (const Candidate& c : candidates) {
            out.gameOf.push_back(static_cast<int>(g));
            out.moveOf.push_back(c.move);
            out.weights.push_back(weight);
            out.teacherForced.push_back(c.forced);
            const bool moverBlack = c.move % 2 == 0;
            out.rewards.push_back(static_cast<float>(rewardOf(game, moverBlack)));
        }
    }
    return out;
}

torch::Tensor learnerLoss(nets::Model& policy, const LearnerMoves& moves, std::size_t begin, std::size_t end,
                          const std::vector<float>& advantages, double entropyWeight, double totalWeight,
                          double& entropySum) {
    const nets::PositionBatch batch =
        batchOf(moves, begin, end, policy.metadata.shape.features, policy.metadata.shape.boardSize);
    const long n = static_cast<long>(end - begin);
    torch::Tensor weight = torch::empty({n}), advantage = torch::empty({n}), reinforce = torch::empty({n});
    for (long i = 0; i < n; ++i) {
        const std::size_t at = begin + static_cast<std::size_t>(i);
        weight[i] = moves.weights[at];
        advantage[i] = advantages[at];
        reinforce[i] = moves.teacherForced[at] ? 0.0f : 1.0f;
    }
    const torch::Tensor logits = policy.policy->forward(batch.features).to(torch::kFloat);
    const nets::MoveTerms terms = nets::policyMoveTerms(logits, batch.legal, batch.target);
    // REINFORCE moves: -(z - b) log pi - beta H; teacher-forced moves: -log pi (cross-entropy).
    const torch::Tensor perMove = reinforce * (-advantage * terms.logProbability - entropyWeight * terms.entropy) +
                                  (1 - reinforce) * -terms.logProbability;
    entropySum += (weight * reinforce * terms.entropy.detach()).sum().item<double>();
    return (weight * perMove).sum() / totalWeight;
}

void trainRl(const RlOptions& options) { RlRun(options).run(); }

}  // namespace tengen::selfplay
