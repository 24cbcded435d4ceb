#include "selfplay/rl_training.h"

#include <unistd.h>

#include <chrono>
#include <future>
#include <memory>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "go/atomic_file.h"
#include "go/training_files.h"
#include "nets/device.h"
#include "nets/train/run_log.h"
#include "selfplay/networks.h"

namespace tengen::selfplay {

namespace {

using Clock = std::chrono::steady_clock;

double linearAnneal(double start, long iteration, long over) {
    if (over <= 0) return start;
    return start * std::max(0.0, 1.0 - static_cast<double>(iteration) / static_cast<double>(over));
}

void validate(const RlOptions& o) {
    if (o.gamesPerIteration < 2 || o.gamesPerIteration % 2 != 0)
        throw std::invalid_argument("the games per iteration must be even and at least 2");
    if (o.iterations < 1) throw std::invalid_argument("the iterations must be at least 1");
    checkLearnerSettings(o.learner);
    if (o.sampling.temperature != 1 || o.sampling.topK != 0)
        throw std::invalid_argument("REINFORCE needs the learner to draw its moves from its policy as it is: the "
                                    "temperature must be 1, with no top-k cut");
    if (!(o.curriculum.slWeight >= 0 && o.curriculum.slWeight <= 100))
        throw std::invalid_argument(fmt::format("the SL weight {} is out of range [0, 100]", o.curriculum.slWeight));
    if (o.curriculum.expertPrefix < 0) throw std::invalid_argument("the expert prefix must not be negative");
    if ((o.curriculum.slWeight > 0 || o.curriculum.expertPrefix > 0) && o.curriculum.expertData.empty())
        throw std::invalid_argument("the SL weight and the expert prefix need expert games");
    if (o.checkpointEvery < 1 || o.varianceEvery < 0 || o.evaluatorBatch < 1)
        throw std::invalid_argument("intervals and batch sizes must be positive");
}

// Where a run stands between iterations: with the learner's weights, optimisers and mean
// baseline, all a resumed run needs.
struct RunState {
    long iteration = 0;  // iterations done
    double seconds = 0;  // across restarts
};

void saveCheckpoint(const std::filesystem::path& path, PolicyLearner& learner, const RunState& state,
                    const OpponentPool& pool, nets::Baseline baseline) {
    torch::serialize::OutputArchive archive;
    learner.save(archive);
    nlohmann::json members = nlohmann::json::array();
    for (const std::filesystem::path& m : pool.members()) members.push_back(m.string());
    const nlohmann::json json = {{"iteration", state.iteration},
                                 {"seconds", state.seconds},
                                 {"shape", nets::toJson(learner.shape())},
                                 {"baseline", nets::baselineName(baseline)},
                                 {"pool", members}};
    archive.write("state", c10::IValue(json.dump()));
    std::ostringstream out;
    archive.save_to(out);
    writeFileAtomically(path, out.str());
}

// Restores the learner and returns the state and the pool's members.
std::pair<RunState, std::vector<std::filesystem::path>> loadCheckpoint(const std::filesystem::path& path,
                                                                       PolicyLearner& learner,
                                                                       nets::Baseline baseline) {
    try {
        torch::serialize::InputArchive archive;
        archive.load_from(path.string());
        c10::IValue text;
        archive.read("state", text);
        const nlohmann::json json = nlohmann::json::parse(text.toStringRef());
        if (nets::shapeFromJson(json.at("shape")) != learner.shape())
            throw std::runtime_error("it was made for a different network; use the same initial model or delete it");
        if (json.at("baseline").get<std::string>() != nets::baselineName(baseline))
            throw std::runtime_error("it was made with the " + json.at("baseline").get<std::string>() +
                                     " baseline; use the same --baseline or delete it");
        learner.load(archive);
        RunState state;
        state.iteration = json.at("iteration").get<long>();
        state.seconds = json.at("seconds").get<double>();
        std::vector<std::filesystem::path> members;
        for (const auto& m : json.at("pool")) members.emplace_back(m.get<std::string>());
        return {state, members};
    } catch (const std::exception& e) {
        throw std::runtime_error("cannot resume from checkpoint " + path.string() + ": " +
                                 std::string(e.what()).substr(0, std::string(e.what()).find('\n')));
    }
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
        evaluator.precision = options_.playPrecision;
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
        if (options_.learner.baseline == nets::Baseline::Greedy) playHalves(PolicySampling{0, 0}, games.greedy);
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

std::string csvHeader() {
    return "iteration,opponent,win_rate_black,win_rate_white,mean_reward,mean_advantage,advantage_variance,"
           "gradient_variance,entropy,critic_mse,sl_weight,expert_prefix,loss,positions,greedy_games,play_seconds,"
           "learn_seconds,games_per_second,positions_per_second,importance_weight";
}

std::string csvRow(const IterationRecord& r, int games) {
    const auto optional = [](double v) { return v < 0 ? std::string() : fmt::format("{:.6g}", v); };
    const StepRecord& s = r.step;
    return fmt::format("{},{},{:.4f},{:.4f},{:.4f},{:.4f},{:.4f},{},{:.4f},{},{:.4g},{},{:.6g},{},{},{:.2f},{:.2f},{:.2f},{:.1f},{}",
                       r.iteration, r.opponent, r.winRateBlack, r.winRateWhite, s.meanReward, s.meanAdvantage,
                       s.advantageVariance, optional(s.gradientVariance), s.entropy, optional(s.criticMse), r.slWeight,
                       r.expertPrefix, s.loss, s.positions, r.greedyGames, r.playSeconds, r.learnSeconds,
                       (games + r.greedyGames) / std::max(1e-9, r.playSeconds),
                       static_cast<double>(s.positions) / std::max(1e-9, r.learnSeconds),
                       optional(s.meanImportanceWeight));
}

class RlRun {
public:
    explicit RlRun(const RlOptions& o) : o_(o) {}

    void run() {
        validate(o_);
        nets::setTorchThreads(o_.threads);
        torch::manual_seed(o_.seed);
        const nets::Model start = nets::loadModel(o_.initialModel);
        if (start.metadata.shape.kind != nets::NetworkKind::Policy)
            throw std::invalid_argument(fmt::format("{} is a {} network: train-rl starts from a policy",
                                                    o_.initialModel.string(),
                                                    nets::networkKindName(start.metadata.shape.kind)));
        if (o_.curriculum.slWeight > 0) {
            GameFilter filter;
            filter.boardSize = start.metadata.shape.boardSize;
            filter.skipOpeningMoves = o_.curriculum.expertRandomOpening;
            expert_ = indexGames(o_.curriculum.expertData, filter);
            if (expert_.training.empty())
                throw std::invalid_argument("the expert data holds no game of this board size: " + expert_.summary());
        }
        PolicyLearner learner(o_.learner, start, &expert_);

        PoolSettings poolSettings = o_.pool;
        if (poolSettings.directory.empty()) poolSettings.directory = o_.out.string() + ".pool";
        std::vector<std::filesystem::path> members{o_.initialModel};
        members.insert(members.end(), o_.poolSeeds.begin(), o_.poolSeeds.end());
        const std::filesystem::path checkpoint = checkpointPath(o_.out), csv = csvPath(o_.out);
        if (std::filesystem::exists(checkpoint)) {
            std::tie(state_, members) = loadCheckpoint(checkpoint, learner, o_.learner.baseline);
            nets::trimCsvAfter(csv, state_.iteration);
            nets::extendCsvHeader(csv, csvHeader());
            spdlog::warn("resuming from {} at iteration {}", checkpoint.string(), state_.iteration);
        } else if (std::filesystem::exists(csv)) {
            std::filesystem::remove(csv);  // a log without a checkpoint belongs to a run that is gone
        }
        OpponentPool pool(poolSettings, members);
        pool.check(learner.shape());

        PrefixBooks books(o_, learner.shape().boardSize);
        const IterationPlayer player(o_, learner.shape().boardSize);
        const bool terminal = ::isatty(2);
        const auto started = Clock::now();
        const double secondsBefore = state_.seconds;
        const long firstIteration = state_.iteration;
        long savedAt = state_.iteration;
        IterationRecord last;
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
            const IterationGames games = player.play(learner.policy(), opponent, seed, books.at(record.expertPrefix));
            record.playSeconds = std::chrono::duration<double>(Clock::now() - playStart).count();
            record.greedyGames = static_cast<int>(games.greedy.size());
            int wonBlack = 0, wonWhite = 0;
            std::vector<LearnerSides> sides;
            for (std::size_t g = 0; g < games.sampled.size(); ++g) {
                const bool black = games.learnerBlack[g];
                sides.push_back({black, !black});
                if (games.sampled[g].winner == (black ? Color::Black : Color::White)) ++(black ? wonBlack : wonWhite);
            }
            record.winRateBlack = wonBlack / (o_.gamesPerIteration / 2.0);
            record.winRateWhite = wonWhite / (o_.gamesPerIteration / 2.0);

            const auto learnStart = Clock::now();
            const StepGames step{&games.sampled, sides, games.greedy.empty() ? nullptr : &games.greedy,
                                 record.expertPrefix > 0, o_.curriculum.expertRandomOpening};
            const bool measure = o_.varianceEvery > 0 && it % o_.varianceEvery == 0;
            try {
                record.step = learner.step(step, record.slWeight, seed, it, measure);
            } catch (const std::runtime_error& e) {
                throw std::runtime_error(
                    savedAt > 0 ? fmt::format("iteration {}: {}; the last good checkpoint is {} (iteration {}): lower "
                                              "the learning rate and resume from it",
                                              record.iteration, e.what(), checkpoint.string(), savedAt)
                                : fmt::format("iteration {}: {}, before any checkpoint: lower the learning rate and "
                                              "start again",
                                              record.iteration, e.what()));
            }
            record.learnSeconds = std::chrono::duration<double>(Clock::now() - learnStart).count();

            ++state_.iteration;
            state_.seconds = elapsed();
            if (pool.joinsAfter(state_.iteration)) pool.add(state_.iteration, learner.policy());
            nets::appendCsvRow(csv, csvHeader(), csvRow(record, o_.gamesPerIteration));
            if (terminal) std::fputs("\n", stderr);
            spdlog::info("iteration {}: against {} won {:.0f}% as Black, {:.0f}% as White; entropy {:.3f}; loss {:.4f}",
                         record.iteration, record.opponent, 100 * record.winRateBlack, 100 * record.winRateWhite,
                         record.step.entropy, record.step.loss);
            last = record;
            if (state_.iteration % o_.checkpointEvery == 0 || state_.iteration == o_.iterations) {
                saveTrainedModel(learner.policy(), record);
                saveCheckpoint(checkpoint, learner, state_, pool, o_.learner.baseline);
                savedAt = state_.iteration;
            }
            if (terminal) {
                const int filled = static_cast<int>(30 * state_.iteration / o_.iterations);
                const double eta = (state_.seconds - secondsBefore) /
                                   static_cast<double>(state_.iteration - firstIteration) *
                                   static_cast<double>(o_.iterations - state_.iteration);
                std::fprintf(stderr, "\r[%s%s] %ld/%ld iterations  ETA %s  ", std::string(filled, '#').c_str(),
                             std::string(30 - filled, '.').c_str(), state_.iteration, o_.iterations,
                             nets::formatDuration(eta).c_str());
            }
        }
        if (terminal) std::fputs("\n", stderr);
        if (savedAt != state_.iteration && state_.iteration > firstIteration) {  // stopped by --max-hours
            saveTrainedModel(learner.policy(), last);
            saveCheckpoint(checkpoint, learner, state_, pool, o_.learner.baseline);
        }
        spdlog::warn("saved {} after {} iterations", o_.out.string(), state_.iteration);
    }

private:
    void saveTrainedModel(nets::Model& policy, const IterationRecord& last) {
        const LearnerSettings& l = o_.learner;
        policy.metadata.training = {{"stage", "RL policy (train-rl)"},
                                    {"initialised_from", o_.initialModel.string()},
                                    {"iterations", state_.iteration},
                                    {"games", state_.iteration * o_.gamesPerIteration},
                                    {"games_per_iteration", o_.gamesPerIteration},
                                    {"baseline", nets::baselineName(l.baseline)},
                                    {"entropy_weight", l.entropyWeight},
                                    {"moves_per_game", l.movesPerGame},
                                    {"sl_weight", o_.curriculum.slWeight},
                                    {"expert_prefix", o_.curriculum.expertPrefix},
                                    {"optimizer", l.optimizer.kind},
                                    {"learning_rate", l.optimizer.learningRate},
                                    {"seconds", state_.seconds},
                                    {"last_win_rate", (last.winRateBlack + last.winRateWhite) / 2},
                                    {"command", o_.commandLine}};
        nets::saveModel(o_.out, policy);
    }

    const RlOptions& o_;
    RunState state_;
    GameIndex expert_;
};

}  // namespace

double Curriculum::slWeightAt(long iteration) const { return linearAnneal(slWeight, iteration, annealIterations); }

int Curriculum::expertPrefixAt(long iteration) const {
    return static_cast<int>(std::lround(linearAnneal(expertPrefix, iteration, annealIterations)));
}

void trainRl(const RlOptions& options) { RlRun(options).run(); }

}  // namespace tengen::selfplay
