#include "selfplay/generation.h"

#include <algorithm>
#include <chrono>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "go/atomic_file.h"
#include "go/random.h"
#include "nets/device.h"
#include "nets/train/run_log.h"
#include "selfplay/networks.h"
#include "selfplay/shard.h"

namespace tengen::selfplay {

namespace {

std::filesystem::path checkpointFile(const RunDirectory& run) { return run.trainDirectory() / "learner.checkpoint"; }

struct TrainerState {
    int trainedGenerations = 0;
    long steps = 0;
};

// Generation m's games, its damaged shards named in the log.
GenerationProgress readGeneration(const RunDirectory& run, int m) {
    GenerationProgress p = run.progress(m);
    for (const auto& [path, why] : p.refused) spdlog::warn("{}: refused: {}", path.string(), why);
    return p;
}

}  // namespace

WorkerReport playGenerationShare(const RunDirectory& run, int worker, const std::function<void(const GameRecord&)>& onGameEnd) {
    const RunSettings& s = run.settings();
    if (worker < 0 || worker >= s.workers)
        throw std::invalid_argument(fmt::format("worker index {} is outside the run's {} workers", worker, s.workers));
    const int n = run.currentModel();  // read once: the whole share plays with this model
    nets::EvaluatorOptions evaluator;
    evaluator.maxBatch = 32;
    evaluator.fixedBatchShape = true;  // a requeued worker replays its series byte for byte
    evaluator.threads = 1;
    NetworkSet networks(evaluator);
    const PolicySampling sampling{s.temperature, 0};
    WorkerOptions w;
    w.outDir = run.shardDirectory(n);
    w.worker = worker;
    w.seed = s.seed * 1000 + static_cast<std::uint64_t>(n);
    w.games = s.gamesForWorker(worker);
    w.gamesPerShard = s.gamesPerShard;
    RunnerOptions& r = w.runner;
    r.game.boardSize = s.boardSize;
    r.game.komi = s.komi;
    r.game.rules = s.rules;
    r.parallelGames = std::max(2, std::min(128, s.gamesPerShard));
    r.alternateColours = true;
    r.black = networks.player(run.modelFile(n), sampling);
    r.white.sampling = sampling;
    for (const std::filesystem::path& opponent : run.opponentsFor(n)) r.white.pool.push_back(networks.policy(opponent));
    spdlog::info("worker {} of generation {}: {} games against {} opponent(s)", worker, n, w.games, r.white.pool.size());
    return runWorker(w, {.gameEnded = onGameEnd, .gamesResumed = {}});
}

GenerationResults generationResults(const RunDirectory& run, int n, const GenerationProgress& progress) {
    GenerationResults results;
    const std::string learner = modelChecksum(run.modelFile(n));
    const std::string previous = n > 0 ? modelChecksum(run.modelFile(n - 1)) : std::string();
    double wins = 0, previousWins = 0;
    int counted = 0;
    for (const GameRecord& g : progress.records) {
        const bool black = g.blackModel == learner, white = g.whiteModel == learner;
        if (black == white) continue;  // the model against itself, or a game of another model
        const double score = !g.winner ? 0.5 : (*g.winner == Color::Black) == black ? 1 : 0;
        ++counted;
        wins += score;
        if (!previous.empty() && (black ? g.whiteModel : g.blackModel) == previous) {
            ++results.gamesAgainstPrevious;
            previousWins += score;
        }
    }
    results.games = counted;
    if (counted) results.learnerWinRate = wins / counted;
    if (results.gamesAgainstPrevious) results.winRateAgainstPrevious = previousWins / results.gamesAgainstPrevious;
    return results;
}

std::pair<int, long> trainerProgress(const RunDirectory& run) {
    if (!std::filesystem::exists(checkpointFile(run))) return {0, 0};
    torch::serialize::InputArchive archive;
    archive.load_from(checkpointFile(run).string());
    c10::IValue text;
    archive.read("state", text);
    const nlohmann::json json = nlohmann::json::parse(text.toStringRef());
    return {json.at("trained_generations").get<int>(), json.at("steps").get<long>()};
}

TrainReport trainGeneration(const RunDirectory& run) {
    const auto started = std::chrono::steady_clock::now();
    const RunSettings& s = run.settings();
    nets::setTorchThreads(s.threads);
    const int n = run.currentModel();
    TrainReport report;
    report.generation = n;
    const nets::Model start = nets::loadModel(run.modelFile(0), {nets::NetworkKind::Policy, s.boardSize});
    torch::manual_seed(s.seed);  // the critic's fresh head: the same in every rerun
    PolicyLearner learner(s.learner, start, nullptr);
    TrainerState state;
    if (std::filesystem::exists(checkpointFile(run))) {
        torch::serialize::InputArchive archive;
        archive.load_from(checkpointFile(run).string());
        learner.load(archive);
        std::tie(state.trainedGenerations, state.steps) = trainerProgress(run);
    }
    // Model n + 1 and its log row are written before the checkpoint that says generation n is
    // trained: a kill after the checkpoint leaves only the promotion to do.
    if (state.trainedGenerations == n + 1) {
        run.promote(n + 1);
        return report;
    }
    if (state.trainedGenerations != n)
        throw std::runtime_error(fmt::format("the trainer's checkpoint {} has trained {} generation(s), but the current "
                                             "model is {}: the run directory is inconsistent",
                                             checkpointFile(run).string(), state.trainedGenerations, n));
    GenerationProgress progress = readGeneration(run, n);
    if (!run.complete(progress)) {
        std::string missing;
        for (int w : run.unfinishedWorkers(progress)) missing += fmt::format(" {}", w);
        throw std::runtime_error(fmt::format("generation {} is not complete: {} of {} games in {} shard(s); unfinished "
                                             "workers:{}",
                                             n, progress.games, s.gamesPerGeneration, progress.shards, missing));
    }
    const GenerationResults results = generationResults(run, n, progress);
    // On-policy, model n's games; with maxLag, also those of the models before it that played
    // their own generations, each game's learner known by its model's checksum.
    std::vector<GameRecord> games;
    std::vector<std::string> learners;  // per game: the checksum of the model that learnt from it
    double lagSum = 0;
    for (int m = std::max(0, n - s.maxLag); m <= n; ++m) {
        const std::string checksum = modelChecksum(run.modelFile(m));
        GenerationProgress older;
        std::vector<GameRecord>& records = m == n ? progress.records : (older = readGeneration(run, m)).records;
        for (GameRecord& g : records) {
            if (g.blackModel != checksum && g.whiteModel != checksum) continue;
            games.push_back(std::move(g));
            learners.push_back(checksum);
            lagSum += n - m;
        }
    }
    // In an order drawn by the run's seed.
    Random rng(s.seed * 7919 + static_cast<std::uint64_t>(n));
    for (std::size_t i = games.size(); i > 1; --i) {
        const std::size_t j = rng.below(static_cast<std::uint32_t>(i));
        std::swap(games[i - 1], games[j]);
        std::swap(learners[i - 1], learners[j]);
    }
    report.meanLag = games.empty() ? 0 : lagSum / static_cast<double>(games.size());

    for (std::size_t first = 0; first < games.size(); first += static_cast<std::size_t>(s.gamesPerStep)) {
        const std::vector<GameRecord> batch(games.begin() + static_cast<long>(first),
                                            games.begin() + static_cast<long>(std::min(games.size(), first + s.gamesPerStep)));
        StepGames step{&batch, {}, nullptr, false};
        for (std::size_t i = first; i < first + batch.size(); ++i)
            step.sides.push_back({games[i].blackModel == learners[i], games[i].whiteModel == learners[i]});
        report.last = learner.step(step, 0, s.seed ^ (static_cast<std::uint64_t>(state.steps) << 20), state.steps,
                                   first == 0);
        ++state.steps;
        ++report.steps;
        report.positions += report.last.positions;
    }
    nets::Model& model = learner.policy();
    model.metadata.training = {{"stage", "RL policy (tengen run)"},
                               {"run_model", n + 1},
                               {"generations", n + 1},
                               {"steps", state.steps},
                               {"baseline", nets::baselineName(s.learner.baseline)},
                               {"games_per_generation", s.gamesPerGeneration}};
    nets::saveModel(run.modelFile(n + 1), model);

    report.trained = true;
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const auto optional = [](double v) { return v < 0 ? std::string() : fmt::format("{:.6g}", v); };
    const std::filesystem::path csv = run.trainDirectory() / "train.csv";
    nets::trimCsvAfter(csv, n - 1);  // a row an interrupted attempt at this generation wrote
    nets::appendCsvRow(csv,
                       "generation,games,win_rate,win_rate_against_previous,mean_reward,mean_advantage,entropy,loss,"
                       "gradient_variance,critic_mse,mean_lag,importance_weight,steps,seconds",
                       fmt::format("{},{},{},{},{:.4f},{:.4f},{:.4f},{:.6g},{},{},{:.3f},{},{},{:.1f}", n, games.size(),
                                   results.games ? fmt::format("{:.4f}", results.learnerWinRate) : std::string(),
                                   results.gamesAgainstPrevious ? fmt::format("{:.4f}", results.winRateAgainstPrevious)
                                                                : std::string(),
                                   report.last.meanReward, report.last.meanAdvantage, report.last.entropy,
                                   report.last.loss, optional(report.last.gradientVariance),
                                   optional(report.last.criticMse), report.meanLag,
                                   optional(report.last.meanImportanceWeight), state.steps, report.seconds));

    state.trainedGenerations = n + 1;
    torch::serialize::OutputArchive archive;
    learner.save(archive);
    archive.write("state", c10::IValue(nlohmann::json{{"trained_generations", state.trainedGenerations},
                                                      {"steps", state.steps}}
                                           .dump()));
    std::ostringstream out;
    archive.save_to(out);
    writeFileAtomically(checkpointFile(run), out.str());
    run.promote(n + 1);
    return report;
}

}  // namespace tengen::selfplay
