// tengen bench: speed measurements that are too slow or too noisy for unit tests.
#include <atomic>
#include <chrono>
#include <cmath>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "app/commands.h"
#include "app/options.h"
#include "go/dataset.h"
#include "go/playout.h"
#include "go/sgf_game.h"
#include "mcts/search.h"
#include "nets/batched_evaluator.h"
#include "nets/device.h"
#include "nets/features.h"
#include "nets/model_file.h"
#include "nets/network_cost.h"
#include "nets/rollout/playout.h"
#include "play/setup.h"
#include "selfplay/networks.h"

namespace tengen::app {

namespace {

struct PlayoutBenchOptions {
    int boardSize = 19;
    double seconds = 5;
    int threads = 1;
    std::uint64_t seed = 1;
};

void benchPlayouts(const PlayoutBenchOptions& options) {
    requireBoardSize(options.boardSize, "--board");
    if (options.threads < 1) throw std::invalid_argument("--threads must be at least 1");
    std::atomic<long> playouts{0}, moves{0};
    std::atomic<double> marginSum{0};
    const auto start = std::chrono::steady_clock::now();
    const auto deadline = start + std::chrono::duration<double>(options.seconds);
    std::vector<std::thread> workers;
    for (int t = 0; t < options.threads; ++t)
        workers.emplace_back([&, t] {
            Random rng(options.seed + static_cast<std::uint64_t>(t) * 7919);
            const Board empty(options.boardSize);
            long localPlayouts = 0, localMoves = 0;
            double localMargin = 0;
            while (true) {
                // Check the clock every few playouts only: it costs more than a playout's move.
                for (int i = 0; i < 16; ++i) {
                    Board board = empty;
                    const PlayoutResult r = lightPlayout(board, Color::Black, 7.5, rng);
                    ++localPlayouts;
                    localMoves += r.moves;
                    localMargin += r.margin;
                }
                if (std::chrono::steady_clock::now() >= deadline) break;
            }
            playouts += localPlayouts;
            moves += localMoves;
            marginSum = marginSum + localMargin;
        });
    for (auto& w : workers) w.join();
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    fmt::print("board: {}x{}\nthreads: {}\nseconds: {:.2f}\nplayouts: {}\nmoves/playout: {:.1f}\n"
               "mean margin (B-W, komi 7.5): {:.2f}\nplayouts/s: {:.0f}\n",
               options.boardSize, options.boardSize, options.threads, elapsed, playouts.load(),
               static_cast<double>(moves) / std::max(1L, playouts.load()), marginSum / std::max(1L, playouts.load()),
               playouts / elapsed);
}

struct FeatureBenchOptions {
    int boardSize = 19;
    double seconds = 3;
    int positions = 200;
    int moves = 100;
    std::vector<std::string> sgf;
    std::string featureSet = "alphago-policy";
    std::uint64_t seed = 1;
};

// Light-playout games stopped around move `moves`: busier with ataris and ladders than
// real games, so a pessimistic load for the ladder reader.
std::vector<Game> randomPositions(const FeatureBenchOptions& options) {
    std::vector<Game> positions;
    Random rng(options.seed);
    for (int i = 0; i < options.positions; ++i) {
        Game game(options.boardSize);
        playRandomMoves(game, options.moves + static_cast<int>(rng.below(21)) - 10, rng);
        positions.push_back(std::move(game));
    }
    return positions;
}

// Every fifth position after move 20 of the games found under the given paths.
std::vector<Game> sgfPositions(const FeatureBenchOptions& options) {
    std::vector<Game> positions;
    forEachSgf(options.sgf, [&](const SgfFile& file) {
        std::vector<GameRecord> records;
        try {
            records = readGameRecords(file.text, file.name);
        } catch (const std::exception&) {
            return true;  // a bad file in a big archive is not the benchmark's business
        }
        for (const GameRecord& record : records) {
            if (record.size != options.boardSize) continue;
            Game game(record.size, record.rules.value_or(Rules::chinese()), record.komi);
            if (!game.setup(record.setupBlack, record.setupWhite)) continue;
            for (std::size_t m = 0; m < record.moves.size(); ++m) {
                if (m >= 20 && m % 5 == 0) {
                    positions.push_back(game);
                    // Seen by the side whose move the record has next.
                    positions.back().setToMove(record.moves[m].color);
                    if (static_cast<int>(positions.size()) >= options.positions) return false;
                }
                if (game.play(record.moves[m]) != Legality::Legal) break;
            }
        }
        return true;
    });
    return positions;
}

void benchFeatures(const FeatureBenchOptions& options) {
    requireBoardSize(options.boardSize, "--board");
    if (options.positions < 1) throw std::invalid_argument("--positions must be at least 1");
    const std::optional<nets::FeatureSet> set = nets::parseFeatureSet(options.featureSet);
    if (!set) throw std::invalid_argument("--features must be alphago-policy or alphago-value");
    const std::vector<Game> positions = options.sgf.empty() ? randomPositions(options) : sgfPositions(options);
    if (positions.empty()) throw std::invalid_argument("no positions of that board size in the SGF input");
    std::vector<float> out(nets::featureSize(*set, options.boardSize));
    double checksum = 0;
    long extracted = 0;
    const auto start = std::chrono::steady_clock::now();
    const auto deadline = start + std::chrono::duration<double>(options.seconds);
    do {
        for (const Game& game : positions) {
            nets::extractFeatures(game, *set, out.data());
            // Read the output so the work cannot be optimised away.
            checksum += out[nets::alphago::kSensibleness * options.boardSize * options.boardSize];
        }
        extracted += static_cast<long>(positions.size());
    } while (std::chrono::steady_clock::now() < deadline);
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    double stones = 0;
    for (const Game& game : positions) stones += game.board().stones(Color::Black) + game.board().stones(Color::White);
    fmt::print("board: {}x{}\nfeature set: {} ({} planes)\nsource: {}\npositions: {} (mean {:.1f} stones)\n"
               "seconds: {:.2f}\nextractions: {}\npositions/s: {:.0f}\nmicroseconds/position: {:.2f}\n",
               options.boardSize, options.boardSize, nets::featureSetName(*set), nets::planeCount(*set),
               options.sgf.empty() ? fmt::format("light playouts stopped near move {}", options.moves) : "SGF games",
               positions.size(), stones / static_cast<double>(positions.size()), elapsed, extracted,
               static_cast<double>(extracted) / elapsed, elapsed * 1e6 / static_cast<double>(extracted));
    if (checksum < 0) fmt::print("impossible checksum\n");
}


struct NetworkBenchOptions {
    std::string model;  // empty: a fresh network of the shape below
    std::string kind = "policy";
    int layers = 12;
    int filters = 128;
    int boardSize = 19;
    int batch = 16;
    int threads = 1;
    std::string precision = "fp32";
    std::string device = "cpu";
    double seconds = 5;
    int submitters = 0;  // 0: twice the batch, so a full batch is always waiting
    double maxWaitMs = 1;
    std::vector<std::string> sgf;  // take positions from these games instead of light playouts
    std::uint64_t seed = 1;
};

nets::Model benchModel(const NetworkBenchOptions& options) {
    if (!options.model.empty()) return nets::loadModel(options.model);
    if (options.kind != "policy" && options.kind != "value") throw std::invalid_argument("--kind must be policy or value");
    requireBoardSize(options.boardSize, "--board");
    if (options.layers < 2 || options.filters < 1) throw std::invalid_argument("--layers must be >= 2 and --filters >= 1");
    nets::NetworkShape shape;
    shape.kind = options.kind == "policy" ? nets::NetworkKind::Policy : nets::NetworkKind::Value;
    shape.features = options.kind == "policy" ? nets::FeatureSet::AlphaGoPolicy : nets::FeatureSet::AlphaGoValue;
    shape.boardSize = options.boardSize;
    shape.layers = options.layers;
    shape.filters = options.filters;
    return nets::makeModel(shape);
}

// The network alone: one input batch run over and over, as fast as torch goes.
struct RawNetworkFigures {
    double evaluationsPerSecond = 0;
    double secondsPerBatch = 0;
};

RawNetworkFigures benchRawNetwork(nets::Model& model, const std::vector<Game>& positions,
                                  const NetworkBenchOptions& options, torch::Device device, torch::Dtype dtype) {
    const nets::NetworkShape& shape = model.metadata.shape;
    const std::size_t perPosition = nets::featureSize(shape.features, shape.boardSize);
    std::vector<float> features(perPosition * options.batch);
    for (int i = 0; i < options.batch; ++i)
        nets::extractFeatures(positions[i % positions.size()], shape.features, features.data() + i * perPosition);
    c10::InferenceMode inference;
    const torch::Tensor input =
        torch::from_blob(features.data(), {options.batch, shape.inputPlanes(), shape.boardSize, shape.boardSize})
            .to(device, dtype, /*non_blocking=*/false, /*copy=*/true);  // torch's allocator aligns for SIMD
    // Copying the output back to the CPU makes each pass complete (and counts what a caller needs).
    auto forward = [&] {
        return (model.policy ? model.policy->forward(input) : model.value->forward(input)).to(torch::kCPU, torch::kFloat);
    };
    for (int i = 0; i < 2; ++i) forward();  // primitive creation and allocations happen here
    long batches = 0;
    const auto start = std::chrono::steady_clock::now();
    const auto deadline = start + std::chrono::duration<double>(options.seconds);
    do {
        forward();
        ++batches;
    } while (batches < 3 || std::chrono::steady_clock::now() < deadline);
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return {static_cast<double>(batches) * options.batch / elapsed, elapsed / static_cast<double>(batches)};
}

// Threads submitting positions and blocking for each answer, as search workers and self-play
// games do, twice as many as a batch holds so that a full batch is always waiting: the
// evaluator's statistics over `seconds`, after a warm-up (the first batches of each size
// create oneDNN's primitives). Submitter t evaluates position(rng, i) for i = t, t + n, ...
nets::EvaluatorStatistics keepEvaluatorBusy(nets::BatchedEvaluator& evaluator, int submitters, double seconds,
                                            std::uint64_t seed,
                                            const std::function<Game(Random&, std::size_t)>& position,
                                            double& elapsed) {
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    for (int t = 0; t < submitters; ++t)
        threads.emplace_back([&, t] {
            Random rng(seed + static_cast<std::uint64_t>(t) * 7919);
            for (auto i = static_cast<std::size_t>(t); !stop.load(std::memory_order_relaxed);
                 i += static_cast<std::size_t>(submitters))
                evaluator.evaluate(position(rng, i), rng);
        });
    std::this_thread::sleep_for(std::chrono::duration<double>(std::min(1.0, seconds / 5)));
    const nets::EvaluatorStatistics before = evaluator.statistics();
    const auto start = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    const nets::EvaluatorStatistics after = evaluator.statistics();
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    stop = true;
    for (auto& t : threads) t.join();
    return after - before;
}

// The same network behind the batched evaluator, with its cache off.
nets::EvaluatorStatistics benchEvaluator(const nets::Model& model, const std::vector<Game>& positions,
                                         const NetworkBenchOptions& options, nets::Precision precision,
                                         double& elapsed) {
    nets::EvaluatorOptions evaluatorOptions;
    evaluatorOptions.maxBatch = options.batch;
    evaluatorOptions.maxWait = std::chrono::microseconds(static_cast<long>(std::lround(options.maxWaitMs * 1000)));
    evaluatorOptions.cacheEntries = 0;  // the network path is what is measured
    evaluatorOptions.device = options.device;
    evaluatorOptions.threads = options.threads;
    evaluatorOptions.precision = precision;
    const bool isPolicy = static_cast<bool>(model.policy);
    nets::BatchedEvaluator evaluator(isPolicy ? std::optional(model) : std::nullopt,
                                     isPolicy ? std::nullopt : std::optional(model), evaluatorOptions);
    const int submitters = options.submitters > 0 ? options.submitters : 2 * options.batch;
    return keepEvaluatorBusy(evaluator, submitters, options.seconds, options.seed,
                             [&](Random&, std::size_t i) { return positions[i % positions.size()]; }, elapsed);
}

// What bf16 does to the answers: the same positions through an fp32 and a bf16 evaluator.
void compareWithFloat32(const nets::Model& model, const std::vector<Game>& positions,
                        const NetworkBenchOptions& options) {
    nets::EvaluatorOptions evaluatorOptions;
    evaluatorOptions.maxBatch = options.batch;
    evaluatorOptions.cacheEntries = 0;
    evaluatorOptions.device = options.device;
    evaluatorOptions.threads = options.threads;
    const bool isPolicy = static_cast<bool>(model.policy);
    auto evaluateAll = [&](nets::Precision precision) {
        evaluatorOptions.precision = precision;
        nets::BatchedEvaluator evaluator(isPolicy ? std::optional(model) : std::nullopt,
                                         isPolicy ? std::nullopt : std::optional(model), evaluatorOptions);
        std::vector<std::future<nets::Evaluation>> pending;
        for (const Game& game : positions) pending.push_back(evaluator.submit(game));
        std::vector<nets::Evaluation> results;
        for (auto& p : pending) results.push_back(p.get());
        return results;
    };
    const std::vector<nets::Evaluation> fp32 = evaluateAll(nets::Precision::Float32);
    const std::vector<nets::Evaluation> bf16 = evaluateAll(nets::Precision::BFloat16);
    int sameTopMove = 0;
    double totalVariation = 0, valueDifference = 0, largestValueDifference = 0;
    for (std::size_t i = 0; i < positions.size(); ++i) {
        if (isPolicy) {
            const auto& a = fp32[i].policy;
            const auto& b = bf16[i].policy;
            sameTopMove += std::max_element(a.begin(), a.end()) - a.begin() == std::max_element(b.begin(), b.end()) - b.begin();
            double distance = 0;
            for (std::size_t m = 0; m < a.size(); ++m) distance += std::abs(a[m] - b[m]);
            totalVariation += distance / 2;
        } else {
            const double d = std::abs(*fp32[i].value - *bf16[i].value);
            valueDifference += d;
            largestValueDifference = std::max(largestValueDifference, d);
        }
    }
    const double n = static_cast<double>(positions.size());
    if (isPolicy)
        fmt::print("bf16 against fp32 on {} positions: same top move in {:.1f}%, mean total variation distance {:.4f}\n",
                   positions.size(), 100 * sameTopMove / n, totalVariation / n);
    else
        fmt::print("bf16 against fp32 on {} positions: mean value difference {:.4f}, largest {:.4f}\n", positions.size(),
                   valueDifference / n, largestValueDifference);
}

void benchNetwork(const NetworkBenchOptions& options) {
    if (options.batch < 1) throw std::invalid_argument("--batch must be at least 1");
    if (options.threads < 1) throw std::invalid_argument("--threads must be at least 1");
    const nets::Precision precision = nets::requirePrecision(options.precision);
    const torch::Device device = nets::parseDevice(options.device);
    nets::Model model = benchModel(options);
    const nets::NetworkShape shape = model.metadata.shape;
    FeatureBenchOptions positionOptions;
    positionOptions.boardSize = shape.boardSize;
    positionOptions.positions = std::max(256, options.batch);
    positionOptions.moves = shape.boardSize * shape.boardSize / 3;
    positionOptions.seed = options.seed;
    positionOptions.sgf = options.sgf;
    const std::vector<Game> positions =
        options.sgf.empty() ? randomPositions(positionOptions) : sgfPositions(positionOptions);
    if (positions.empty()) throw std::invalid_argument("no positions of the network's board size in the SGF input");

    const double flops = nets::forwardFlops(shape);
    fmt::print("network: {}{}\ndevice: {}, precision: {}, torch threads: {}\nGFLOP per evaluation: {:.3f}\n",
               shape.describe(), options.model.empty() ? " (fresh, untrained)" : " from " + options.model,
               options.device, nets::precisionName(precision), options.threads, flops * 1e-9);

    if (precision == nets::Precision::BFloat16) compareWithFloat32(model, positions, options);
    // The evaluator runs its own copy of the weights, taken from the fp32 original.
    double evaluatorSeconds = 0;
    const nets::EvaluatorStatistics stats = benchEvaluator(model, positions, options, precision, evaluatorSeconds);

    const torch::Dtype dtype = nets::dtypeOf(precision);
    model.module().to(device, dtype);
    model.module().eval();
    // On a thread of its own, like the evaluator's inference thread: glibc serves the main
    // thread's allocations from the brk heap, whose trimming makes torch pay page faults on
    // every forward pass there (about a third slower), and the comparison is meant to be fair.
    RawNetworkFigures raw;
    std::thread rawThread([&] {
        nets::setTorchThreads(options.threads);
        raw = benchRawNetwork(model, positions, options, device, dtype);
    });
    rawThread.join();
    fmt::print("raw network, batch {}: {:.1f} evaluations/s, {:.1f} GFLOP/s, {:.2f} ms per batch\n", options.batch,
               raw.evaluationsPerSecond, raw.evaluationsPerSecond * flops * 1e-9, raw.secondsPerBatch * 1e3);

    const double evaluatorRate = static_cast<double>(stats.evaluated) / evaluatorSeconds;
    const int submitters = options.submitters > 0 ? options.submitters : 2 * options.batch;
    fmt::print("batched evaluator, batches up to {}, wait {} ms, {} submitting threads:\n", options.batch,
               options.maxWaitMs, submitters);
    fmt::print("  {:.1f} evaluations/s, {:.1f} GFLOP/s: {:.0f}% of the raw network\n", evaluatorRate,
               evaluatorRate * flops * 1e-9, 100 * evaluatorRate / raw.evaluationsPerSecond);
    fmt::print("  mean batch {:.2f} of {} ({:.0f}% full), {} batches\n", stats.meanBatchSize(), options.batch,
               100 * stats.meanBatchFill(), stats.batches);
    fmt::print("  inference thread: {:.1f}% in the network, {:.1f}% gathering inputs, {:.1f}% delivering results, "
               "{:.1f}% waiting for requests\n",
               100 * stats.networkSeconds / evaluatorSeconds, 100 * stats.preparingSeconds / evaluatorSeconds,
               100 * stats.deliveringSeconds / evaluatorSeconds, 100 * stats.waitingSeconds / evaluatorSeconds);
}

// The tuned preset of tengen gtp, and what only the benchmark sets.
struct SearchBenchOptions {
    EngineFlags engine{play::tunedPreset(TENGEN_MODELS_DIR)};
    int boardSize = 19;       // without networks; the networks' own size otherwise
    int moves = 0;            // light random moves played before searching
    int batch = 0;            // 0: the search's own, threads * in-flight
    double maxWaitMs = 1;
    std::uint64_t seed = 1;
};

// Evaluations/s of the evaluator kept busy with full batches, as bench nn measures it: what
// a search or self-play with no overhead of its own would reach. The positions are fresh
// ones, 10 to 16 random moves from `start`, so that the cache (which the evaluator keeps on)
// answers none of them.
double rawEvaluationsPerSecond(nets::BatchedEvaluator& evaluator, const Game& start, std::uint64_t seed) {
    double elapsed = 0;
    const nets::EvaluatorStatistics stats =
        keepEvaluatorBusy(evaluator, 2 * evaluator.options().maxBatch, 3.0, seed, [&](Random& rng, std::size_t) {
            Game g = start;
            playRandomMoves(g, 10 + static_cast<int>(rng.below(7)), rng);
            return g;
        }, elapsed);
    return static_cast<double>(stats.evaluated) / elapsed;
}

void benchSearch(const SearchBenchOptions& options) {
    play::EnginePreset preset = options.engine.resolve();
    preset.search.seed = options.seed;
    preset.evaluator.maxWait = std::chrono::microseconds(static_cast<long>(std::lround(options.maxWaitMs * 1000)));
    nets::setTorchThreads(preset.evaluator.threads);
    const mcts::SearchOptions& searchOptions = preset.search;
    const play::SharedNetworks networks = play::loadSharedNetworks(preset, options.batch);
    nets::BatchedEvaluator* evaluator = networks.evaluator.get();
    const bool policy = evaluator && evaluator->hasPolicy(), value = evaluator && evaluator->hasValue();
    const int boardSize = evaluator ? evaluator->boardSize() : options.boardSize;
    requireBoardSize(boardSize, "--board");
    const nets::RolloutPolicy* rollout = networks.rollout.get();
    mcts::Search search(searchOptions, evaluator, rollout);

    Random rng(options.seed);
    Game game(boardSize);
    playRandomMoves(game, options.moves, rng);
    // A warm-up on the next position: the networks' first batches of each size pay for
    // setting up oneDNN primitives, and the measured search should not hit its cache.
    Game warmUp = game;
    playRandomMoves(warmUp, 1, rng);
    mcts::SearchOptions warmUpOptions = searchOptions;
    warmUpOptions.visits = std::min(searchOptions.visits, 64);
    mcts::Search(warmUpOptions, evaluator, rollout).run(warmUp);

    const nets::EvaluatorStatistics before = evaluator ? evaluator->statistics() : nets::EvaluatorStatistics{};
    const mcts::SearchResult result = search.run(game);
    const nets::EvaluatorStatistics stats = evaluator ? evaluator->statistics() - before : nets::EvaluatorStatistics{};

    fmt::print("board: {}x{}, {} random moves played, {} to move\n", boardSize, boardSize, options.moves,
               colorName(game.toMove()));
    fmt::print("priors: {}\nleaves: {}\n", policy ? preset.models.policy : "uniform",
               value ? fmt::format("(1 - {0}) * value network + {0} * rollout", searchOptions.lambda) : "rollouts");
    if (evaluator) fmt::print("precision: {}\n", nets::precisionName(evaluator->precision()));
    fmt::print("search threads: {}\nvisits: {}\nseconds: {:.3f}\nvisits/s: {:.1f}\nnodes: {}\n", searchOptions.threads,
               result.visits, result.seconds, result.visits / result.seconds, result.nodes);
    fmt::print("best move: {}\n", game.geometry().vertexName(result.bestMove));
    for (std::size_t i = 0; i < std::min<std::size_t>(5, result.moves.size()); ++i) {
        const mcts::MoveStatistics& m = result.moves[i];
        std::string line;
        for (Point p : m.principalVariation) line += fmt::format(" {}", game.geometry().vertexName(p));
        fmt::print("  {:>4} visits {:>6}  win {:5.1f}%  prior {:5.1f}%  pv{}\n", game.geometry().vertexName(m.move),
                   m.visits, 50 * (m.q + 1), 100 * m.prior, line);
    }
    if (evaluator) {
        fmt::print("evaluator: {} requests, {:.1f}% from the cache, {} evaluated in {} batches\n", stats.requests,
                   100 * stats.cacheHitRate(), stats.evaluated, stats.batches);
        fmt::print("  mean batch {:.2f} of {} ({:.0f}% full)\n", stats.meanBatchSize(), stats.maxBatch,
                   100 * stats.meanBatchFill());
        fmt::print("  inference thread: {:.1f}% of the search in the networks, {:.1f}% waiting\n",
                   100 * stats.networkSeconds / result.seconds, 100 * stats.waitingSeconds / result.seconds);
        const double raw = rawEvaluationsPerSecond(*evaluator, game, options.seed);
        const double searched = stats.evaluated / result.seconds;
        fmt::print("raw evaluator, batches of {}: {:.1f} evaluations/s; the search ran {:.1f} evaluations/s "
                   "({:.0f}% of raw) and {:.1f} visits/s ({:.0f}% of raw)\n",
                   stats.maxBatch, raw, searched, 100 * searched / raw, result.visits / result.seconds,
                   100 * result.visits / result.seconds / raw);
    }
}

struct SelfplayBenchOptions {
    std::string model = play::bundledModels(TENGEN_MODELS_DIR).policy;
    int games = 512;
    int parallel = 256;
    BatchFlags evaluator;
    std::uint64_t seed = 1;
};

// Raw-policy self-play through one shared evaluator: how close the game runner keeps the
// network to its speed on full batches.
void benchSelfplay(const SelfplayBenchOptions& options) {
    nets::EvaluatorOptions evaluatorOptions = options.evaluator.resolve();
    evaluatorOptions.fixedBatchShape = true;  // as tengen selfplay plays policy games
    selfplay::NetworkSet networks(evaluatorOptions);
    selfplay::RunnerOptions runner;
    runner.black = runner.white = networks.player(options.model, {});
    nets::BatchedEvaluator& evaluator = *runner.black.pool.front().evaluator;
    runner.game.boardSize = evaluator.boardSize();
    runner.parallelGames = options.parallel;
    std::vector<std::uint64_t> seeds;
    for (int i = 0; i < options.games; ++i) seeds.push_back(selfplay::gameSeed(options.seed, static_cast<std::uint64_t>(i)));
    // The first batches of each size set up oneDNN's primitives: warm up on a few games first.
    selfplay::playGames(runner, {selfplay::gameSeed(options.seed + 1, 0)});
    const nets::EvaluatorStatistics before = evaluator.statistics();
    const auto start = std::chrono::steady_clock::now();
    std::size_t moves = 0;
    for (const selfplay::GameRecord& g : selfplay::playGames(runner, seeds)) moves += g.moves.size();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const nets::EvaluatorStatistics stats = evaluator.statistics() - before;
    fmt::print("board: {}x{}, precision: {}, {} games, {} at once\n", runner.game.boardSize, runner.game.boardSize,
               nets::precisionName(evaluator.precision()), options.games, options.parallel);
    fmt::print("games/s: {:.2f}\nmoves/s: {:.1f} ({:.1f} moves a game)\n", options.games / seconds, moves / seconds,
               static_cast<double>(moves) / options.games);
    fmt::print("evaluator: mean batch {:.2f} of {} ({:.0f}% full), {:.1f}% from the cache\n", stats.meanBatchSize(),
               stats.maxBatch, 100 * stats.meanBatchFill(), 100 * stats.cacheHitRate());
    const int batch = evaluator.options().maxBatch;
    const double raw = rawEvaluationsPerSecond(evaluator, Game(runner.game.boardSize), options.seed);
    fmt::print("raw evaluator, batches of {}: {:.1f} evaluations/s; self-play moved at {:.0f}% of that\n",
               batch, raw, 100 * moves / seconds / raw);
}

}  // namespace

void addBenchCommand(CLI::App& app) {
    CLI::App* bench = app.add_subcommand("bench", "Speed benchmarks");
    bench->require_subcommand(1);
    auto options = std::make_shared<PlayoutBenchOptions>();
    CLI::App* playouts = bench->add_subcommand("playouts", "Uniformly random light playouts from the empty board");
    playouts->add_option("--board", options->boardSize, "Board size")->capture_default_str();
    playouts->add_option("--seconds", options->seconds, "How long to run")->capture_default_str();
    playouts->add_option("--threads", options->threads, "Worker threads")->capture_default_str();
    playouts->add_option("--seed", options->seed, "Random seed")->capture_default_str();
    playouts->callback([options] { benchPlayouts(*options); });

    auto featureOptions = std::make_shared<FeatureBenchOptions>();
    CLI::App* features = bench->add_subcommand("features", "Network input feature extraction, per position");
    features->add_option("--board", featureOptions->boardSize, "Board size")->capture_default_str();
    features->add_option("--seconds", featureOptions->seconds, "How long to run")->capture_default_str();
    features->add_option("--positions", featureOptions->positions, "Distinct positions to cycle through")
        ->capture_default_str();
    features->add_option("--moves", featureOptions->moves, "Light-playout positions: moves into the game")
        ->capture_default_str();
    features->add_option("--sgf", featureOptions->sgf, "Take positions from SGF files, folders or archives instead");
    features->add_option("--features", featureOptions->featureSet, "alphago-policy or alphago-value")
        ->capture_default_str();
    features->add_option("--seed", featureOptions->seed, "Random seed")->capture_default_str();
    features->callback([featureOptions] { benchFeatures(*featureOptions); });

    auto nnOptions = std::make_shared<NetworkBenchOptions>();
    CLI::App* nn = bench->add_subcommand(
        "nn", "Network evaluations/s and GFLOP/s, raw and behind the batched evaluator");
    nn->add_option("--model", nnOptions->model, "Model file (default: a fresh network of the shape below)");
    nn->add_option("--kind", nnOptions->kind, "Fresh network: policy or value")->capture_default_str();
    nn->add_option("--layers", nnOptions->layers, "Fresh network: convolution layers")->capture_default_str();
    nn->add_option("--filters", nnOptions->filters, "Fresh network: filters per layer")->capture_default_str();
    nn->add_option("--board", nnOptions->boardSize, "Fresh network: board size")->capture_default_str();
    nn->add_option("--batch", nnOptions->batch, "Positions per forward pass")->capture_default_str();
    nn->add_option("--threads", nnOptions->threads, "Torch intra-op threads")->capture_default_str();
    nn->add_option("--precision", nnOptions->precision, "fp32 or bf16")->capture_default_str();
    nn->add_option("--device", nnOptions->device, "cpu, cuda or cuda:N")->capture_default_str();
    nn->add_option("--seconds", nnOptions->seconds, "How long to run each measurement")->capture_default_str();
    nn->add_option("--submitters", nnOptions->submitters, "Evaluator: submitting threads (default: twice the batch)");
    nn->add_option("--max-wait-ms", nnOptions->maxWaitMs, "Evaluator: longest wait for a batch to fill")
        ->capture_default_str();
    nn->add_option("--sgf", nnOptions->sgf, "Take positions from SGF files, folders or archives (every fifth move)");
    nn->add_option("--seed", nnOptions->seed, "Random seed for positions and symmetries")->capture_default_str();
    nn->callback([nnOptions] { benchNetwork(*nnOptions); });

    auto searchOptions = std::make_shared<SearchBenchOptions>();
    CLI::App* search = bench->add_subcommand(
        "search", "Tree search visits/s, with tengen gtp's preset and networks unless told otherwise");
    addModelOptions(search, searchOptions->engine);
    addEvaluatorOptions(search, searchOptions->engine);
    addSearchOptions(search, searchOptions->engine);
    search->add_option("--board", searchOptions->boardSize, "Board size without networks")->capture_default_str();
    search->add_option("--moves", searchOptions->moves, "Light random moves played before searching")
        ->capture_default_str();
    search->add_option("--batch", searchOptions->batch,
                       "Evaluator: most positions per batch (0: search threads * in-flight)")
        ->capture_default_str();
    search->add_option("--max-wait-ms", searchOptions->maxWaitMs, "Evaluator: longest wait for a batch to fill")
        ->capture_default_str();
    search->add_option("--seed", searchOptions->seed, "Random seed")->capture_default_str();
    search->callback([searchOptions] { benchSearch(*searchOptions); });

    auto selfplayOptions = std::make_shared<SelfplayBenchOptions>();
    CLI::App* selfplay = bench->add_subcommand(
        "selfplay", "Raw-policy self-play games/s and moves/s through one batched evaluator, against its raw speed");
    selfplay->add_option("--model", selfplayOptions->model, "Policy network")->capture_default_str();
    selfplay->add_option("--games", selfplayOptions->games, "Games to play")->capture_default_str()
        ->check(CLI::PositiveNumber);
    selfplay->add_option("--parallel", selfplayOptions->parallel, "Games played at once")->capture_default_str()
        ->check(CLI::PositiveNumber);
    addBatchOptions(selfplay, selfplayOptions->evaluator);
    selfplay->add_option("--seed", selfplayOptions->seed, "Seed of the games")->capture_default_str();
    selfplay->callback([selfplayOptions] { benchSelfplay(*selfplayOptions); });
}

}  // namespace tengen::app
