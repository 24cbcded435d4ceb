// tengen bench: speed measurements that are too slow or too noisy for unit tests.
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "app/commands.h"
#include "go/playout.h"

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
}

}  // namespace tengen::app
