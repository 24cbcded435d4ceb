// tengen bench: speed measurements that are too slow or too noisy for unit tests.
#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "app/commands.h"
#include "go/dataset.h"
#include "go/playout.h"
#include "go/sgf_game.h"
#include "nets/features.h"

namespace tengen::app {

namespace {

struct PlayoutBenchOptions {
    int boardSize = 19;
    double seconds = 5;
    int threads = 1;
    std::uint64_t seed = 1;
};

void benchPlayouts(const PlayoutBenchOptions& options) {
    if (options.boardSize < kMinBoardSize || options.boardSize > kMaxBoardSize)
        throw std::invalid_argument(fmt::format("--board must be {}..{}", kMinBoardSize, kMaxBoardSize));
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
        const int length = options.moves + static_cast<int>(rng.below(21)) - 10;
        for (int m = 0; m < length; ++m) {
            Move move{game.toMove(), randomLightMove(game.board(), game.toMove(), rng)};
            if (!game.isLegal(move)) move.point = kPass;
            game.play(move);
        }
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
    if (options.boardSize < kMinBoardSize || options.boardSize > kMaxBoardSize)
        throw std::invalid_argument(fmt::format("--board must be {}..{}", kMinBoardSize, kMaxBoardSize));
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
}

}  // namespace tengen::app
