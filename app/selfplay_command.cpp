// tengen selfplay: self-play games into shards, AlphaGo's value data among them; and
// `selfplay stats DIR`, what a directory of shards holds.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>

#include <fmt/format.h>

#include "app/commands.h"
#include "app/options.h"
#include "go/atomic_file.h"
#include "play/preset.h"
#include "selfplay/networks.h"
#include "selfplay/worker.h"

namespace tengen::app {

namespace {

struct SelfplayCommandOptions {
    std::string out;
    int games = 1000;
    int gamesPerShard = 256;
    int worker = -1;  // -1: SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX, or 0
    std::uint64_t seed = 1;
    int boardSize = 19;
    double komi = 7.5;
    std::string rules = "chinese";
    int maxMoves = 0;
    bool trompTaylor = false;
    int deadStonePlayouts = 100;
    std::string black;  // empty: the policy network bundled for the board size
    std::string white;  // empty: as Black
    double temperature = 1;
    int topK = 0;
    bool valueData = false;
    std::string finishModel;  // value data: empty: as Black
    int maxSampledMove = 0;  // 0: AlphaGo's 450 on 19x19, in proportion to the board's points
    int parallel = 256;
    // Players other than the raw policy.
    std::string blackPlayer = "policy", whitePlayer;  // policy, search or rollout; White: as Black
    int visits = 200;
    double dirichletAlpha = 0;  // 0: 0.03 scaled from 19x19 to the board's points
    double dirichletEpsilon = 0.25;
    int temperatureMoves = -1;  // -1: a twelfth of the points (30 on 19x19)
    double resignThreshold = 0;
    double playOnShare = 0.1;
    std::string rolloutModel = play::bundledModels(TENGEN_MODELS_DIR).rollout;
    play::OpeningOptions openings;
    BatchFlags evaluator;
    std::string progress = "auto";
};

// Games, games/s, moves/s, Black's share of wins and an ETA: one line redrawn on a terminal,
// a plain line every so often otherwise. Games resumed from an earlier run's shards count
// toward the total but not toward the rates.
class Progress {
public:
    Progress(int total, const std::string& style)
        : total_(total), live_(style == "live" || (style == "auto" && ::isatty(STDERR_FILENO) == 1)),
          quiet_(style == "quiet") {}
    void gamesResumed(int games) { resumed_ += games; }
    void gameEnded(const selfplay::GameRecord& game) {
        ++games_;
        moves_ += game.moves.size();
        if (game.winner == Color::Black) ++blackWins_;
        if (quiet_) return;
        const int done = resumed_ + games_;
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
        if (!live_ && seconds < nextPlainLine_ && done < total_) return;
        nextPlainLine_ = seconds + 30;
        const double rate = games_ / std::max(seconds, 1e-9);
        const std::string line = fmt::format(
            "{}/{} games, {:.2f} games/s, {:.0f} moves/s, Black wins {:.1f}%, ETA {:.0f} s", done, total_, rate,
            moves_ / std::max(seconds, 1e-9), 100.0 * blackWins_ / games_, (total_ - done) / std::max(rate, 1e-9));
        std::cerr << (live_ ? "\r" + line : line + "\n") << std::flush;
    }
    void finish() {
        if (live_ && games_ > 0) std::cerr << "\n";
    }

private:
    int total_;
    bool live_, quiet_;
    int resumed_ = 0, games_ = 0, blackWins_ = 0;
    std::size_t moves_ = 0;
    double nextPlainLine_ = 0;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

std::string bundledPolicy(int boardSize) {
    const std::string policy = play::bundledModels(TENGEN_MODELS_DIR, boardSize).policy;
    if (policy.empty())
        throw std::invalid_argument(fmt::format("no policy network is bundled for {}x{} in {}: name one with --black-model",
                                                boardSize, boardSize, TENGEN_MODELS_DIR));
    return policy;
}

void runSelfplay(const SelfplayCommandOptions& o) {
    if (o.out.empty()) throw std::invalid_argument("--out is required");
    if (!Rules::fromSpec(o.rules)) throw std::invalid_argument("unknown rules '" + o.rules + "'");
    const std::string whitePlayer = o.whitePlayer.empty() ? o.blackPlayer : o.whitePlayer;
    const std::string black = o.black.empty() ? bundledPolicy(o.boardSize) : o.black;
    nets::EvaluatorOptions evaluator = o.evaluator.resolve();
    // Games without a search player are a function of their seeds, and a resumed series is
    // the bytes of an uninterrupted one, only if batches keep one shape; search games depend
    // on timing anyway and would pay for the padding for nothing.
    evaluator.fixedBatchShape = o.blackPlayer != "search" && whitePlayer != "search";
    selfplay::NetworkSet networks(evaluator);
    selfplay::WorkerOptions w;
    w.outDir = o.out;
    w.worker = o.worker >= 0 ? o.worker : selfplay::schedulerWorkerIndex();
    w.seed = o.seed;
    w.games = o.games;
    w.gamesPerShard = o.gamesPerShard;
    selfplay::RunnerOptions& r = w.runner;
    r.game.boardSize = o.boardSize;
    r.game.komi = o.komi;
    r.game.rules = o.rules;
    r.game.maxMoves = o.maxMoves;
    r.game.scoring = o.trompTaylor ? selfplay::Scoring::TrompTaylor : selfplay::Scoring::Area;
    r.game.deadStonePlayouts = o.deadStonePlayouts;
    r.parallelGames = o.parallel;
    r.playOnShare = o.playOnShare;
    if (!o.openings.sgfPaths.empty() || o.openings.randomMoves > 0) {
        play::OpeningOptions openings = o.openings;
        openings.seed = o.seed;
        r.openings = std::make_shared<play::OpeningBook>(openings, o.boardSize, o.komi);
    }
    const selfplay::PolicySampling sampling{o.temperature, o.topK};
    const auto player = [&](const std::string& models, const std::string& kind) {
        selfplay::SidePlayer side;
        if (kind != "rollout") side = networks.player(models, sampling);
        if (kind == "policy") return side;
        const play::EnginePreset preset = play::tunedPreset(TENGEN_MODELS_DIR);
        side.rollout = networks.rollout(o.rolloutModel, preset.rolloutSharpness);
        side.rolloutChecksum = selfplay::modelChecksum(o.rolloutModel);
        if (kind == "rollout") {
            side.kind = selfplay::PlayerKind::Rollout;
            return side;
        }
        side.kind = selfplay::PlayerKind::Search;
        const int points = o.boardSize * o.boardSize;
        mcts::SearchOptions& search = side.search.search;
        search = preset.search;
        search.visits = o.visits;
        search.lambda = 1;  // rollouts score the leaves: the evaluator holds the policy network only
        search.maxNodes = std::min<std::size_t>(search.maxNodes, static_cast<std::size_t>(o.visits) * 64 + 4096);
        search.dirichletAlpha = o.dirichletAlpha > 0 ? o.dirichletAlpha : 0.03 * 361 / points;
        search.dirichletEpsilon = o.dirichletEpsilon;
        search.resignThreshold = o.resignThreshold;
        side.search.temperatureMoves = o.temperatureMoves >= 0 ? o.temperatureMoves : points / 12;
        return side;
    };
    if (o.valueData) {
        const int maxSampledMove =
            o.maxSampledMove > 0 ? o.maxSampledMove : selfplay::alphaGoMaxSampledMove(o.boardSize);
        r.valueData = selfplay::ValueDataRecipe{maxSampledMove, player(black, o.blackPlayer),
                                                player(o.finishModel.empty() ? black : o.finishModel, whitePlayer)};
    } else {
        r.black = player(black, o.blackPlayer);
        r.white = player(o.white.empty() ? black : o.white, whitePlayer);
    }
    Progress progress(o.games, o.progress);
    const selfplay::WorkerReport report =
        selfplay::runWorker(w, {.gameEnded = [&](const selfplay::GameRecord& g) { progress.gameEnded(g); },
                               .gamesResumed = [&](int games) { progress.gamesResumed(games); }});
    progress.finish();
    fmt::print("worker {}: {} shards written, {} already there; {} games played, {} kept, in {}\n", w.worker,
               report.shardsWritten, report.shardsResumed, report.gamesPlayed, report.gamesKept, o.out);
}

void printStats(const std::string& directory) {
    const selfplay::ShardScan scan = selfplay::scanShards(directory);
    int games = 0, blackWins = 0, whiteWins = 0, draws = 0, samples = 0;
    // Play-on games in which a search player wanted to resign, and those it went on to win.
    int wouldHaveResigned = 0, falseResignations = 0;
    std::size_t searchedMoves = 0;
    std::size_t moves = 0, shortest = SIZE_MAX, longest = 0;
    std::map<std::string, int> reasons;
    for (const auto& [path, shard] : scan.shards) {
        for (const selfplay::GameRecord& g : shard.games) {
            ++games;
            moves += g.moves.size();
            shortest = std::min(shortest, g.moves.size());
            longest = std::max(longest, g.moves.size());
            if (!g.winner) ++draws;
            else if (*g.winner == Color::Black) ++blackWins;
            else ++whiteWins;
            if (g.sampledPosition >= 0) ++samples;
            ++reasons[g.endReason];
            if (g.wouldHaveResigned) {
                ++wouldHaveResigned;
                falseResignations += g.winner == g.wouldHaveResigned;
            }
            for (const auto& visits : g.visits) searchedMoves += !visits.empty();
        }
    }
    fmt::print("shards: {} read, {} refused\n", scan.shards.size(), scan.refused.size());
    fmt::print("games: {}\npositions: {} (value samples: {})\n", games, moves, samples);
    if (games > 0) {
        fmt::print("results: Black {} ({:.1f}%), White {} ({:.1f}%), draws {}\n", blackWins, 100.0 * blackWins / games,
                   whiteWins, 100.0 * whiteWins / games, draws);
        fmt::print("game length: mean {:.1f}, shortest {}, longest {}\n", static_cast<double>(moves) / games, shortest,
                   longest);
        for (const auto& [reason, count] : reasons) fmt::print("ended by {}: {}\n", reason, count);
        if (searchedMoves > 0) fmt::print("moves chosen by search: {}\n", searchedMoves);
        if (wouldHaveResigned > 0)
            fmt::print("play-on games a player would have resigned: {}, of which it went on to win {} "
                       "(false resignations: {:.1f}%)\n",
                       wouldHaveResigned, falseResignations, 100.0 * falseResignations / wouldHaveResigned);
    }
    for (const auto& [path, why] : scan.refused) fmt::print("refused: {}\n", why);
}

// Writes games of a directory of shards as SGF files named after their shard and number.
void exportGames(const std::string& directory, const std::string& out, int limit) {
    const selfplay::ShardScan scan = selfplay::scanShards(directory);
    for (const auto& [path, why] : scan.refused) fmt::print(stderr, "refused: {}\n", why);
    std::filesystem::create_directories(out);
    int written = 0;
    for (const auto& [path, shard] : scan.shards)
        for (std::size_t i = 0; i < shard.games.size() && (limit == 0 || written < limit); ++i, ++written) {
            const std::filesystem::path file =
                std::filesystem::path(out) / fmt::format("{}-{:04}.sgf", path.stem().string(), i);
            writeFileAtomically(file, shard.games[i].sgfText());
        }
    fmt::print("{} games written to {}\n", written, out);
}

}  // namespace

void addSelfplayCommand(CLI::App& app) {
    auto o = std::make_shared<SelfplayCommandOptions>();
    CLI::App* selfplay = app.add_subcommand("selfplay", "Self-play games into shards (value data with --value-data)");
    selfplay->add_option("-o,--out", o->out, "Shard directory (shared by workers; rerun to resume)");
    selfplay->add_option("-n,--games", o->games, "Games in this worker's series")->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    selfplay->add_option("--games-per-shard", o->gamesPerShard, "Games in each shard")->capture_default_str()
        ->check(CLI::PositiveNumber);
    selfplay->add_option("--worker-index", o->worker,
                         "This worker's index (default: SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX, or 0)");
    selfplay->add_option("--seed", o->seed, "Seed of the series")->capture_default_str();
    selfplay->add_option("--size", o->boardSize, "Board size")->capture_default_str()
        ->check(CLI::Range(kMinBoardSize, kMaxBoardSize));
    selfplay->add_option("--komi", o->komi, "Komi")->capture_default_str();
    selfplay->add_option("--rules", o->rules, "Rule set (as tengen gtp --rules)")->capture_default_str();
    selfplay->add_option("--max-moves", o->maxMoves, "Score the game after this many moves (0: 3 x points)")
        ->capture_default_str();
    selfplay->add_flag("--tromp-taylor", o->trompTaylor, "Score every stone on the board as alive (Tromp-Taylor)");
    selfplay->add_option("--dead-stone-playouts", o->deadStonePlayouts, "Playouts of the dead-stone finder")
        ->capture_default_str();
    selfplay->add_option("--black-model", o->black,
                         "Black's policy network, or a folder of them to draw from (default: the one bundled for "
                         "--size)");
    selfplay->add_option("--white-model", o->white, "White's policy network or pool (default: as Black)");
    selfplay->add_option("--temperature", o->temperature, "Sampling temperature (0: the most probable move)")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    selfplay->add_option("--top-k", o->topK, "Sample among this many likeliest moves (0: all)")->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    selfplay->add_flag("--value-data", o->valueData,
                       "AlphaGo's value data: one position per game, after a uniformly random move U");
    selfplay->add_option("--finish-model", o->finishModel,
                         "--value-data: the policy for the moves after U (default: --black-model, which plays "
                         "the moves before it)");
    selfplay->add_option("--max-sampled-move", o->maxSampledMove,
                         "--value-data: U is drawn from 1 to this (default: AlphaGo's 450 on 19x19, in proportion "
                         "to the board's points: 100 on 9x9)")
        ->check(CLI::PositiveNumber);
    selfplay->add_option("--parallel", o->parallel, "Games played at once (with a search player: threads)")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    const std::vector<std::string> kinds{"policy", "search", "rollout"};
    selfplay->add_option("--black-player", o->blackPlayer,
                         "policy (the network's move), search (the engine's search at --visits, root noise) or "
                         "rollout (the fast rollout policy); with --value-data, the player before U")
        ->capture_default_str()
        ->check(CLI::IsMember(kinds));
    selfplay->add_option("--white-player", o->whitePlayer, "As --black-player (default: the same); with "
                                                           "--value-data, the player after U")
        ->check(CLI::IsMember(kinds));
    selfplay->add_option("--visits", o->visits, "Search players: simulations a move")->capture_default_str()
        ->check(CLI::PositiveNumber);
    selfplay->add_option("--dirichlet-alpha", o->dirichletAlpha,
                         "Search players: root noise's alpha (0: 0.03 x 361 / the board's points)")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    selfplay->add_option("--dirichlet-epsilon", o->dirichletEpsilon, "Search players: root noise's weight")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 1.0));
    selfplay->add_option("--temperature-moves", o->temperatureMoves,
                         "Search players: moves drawn by visits before the most visited is taken "
                         "(default: a twelfth of the points)");
    selfplay->add_option("--resign-threshold", o->resignThreshold,
                         "Search players resign below this win rate, three searches running (0: never)")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 0.5));
    selfplay->add_option("--play-on-share", o->playOnShare,
                         "Share of games in which search players play on instead of resigning, to count "
                         "false resignations")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 1.0));
    selfplay->add_option("--rollout-model", o->rolloutModel, "Rollout policy of rollout and search players")
        ->capture_default_str();
    selfplay->add_option("--random-opening", o->openings.randomMoves,
                         "Start each game after this many random balanced moves (as tengen match does)")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    selfplay->add_option("--openings", o->openings.sgfPaths,
                         "Start each game from move --opening-moves of a game drawn from these SGF files, "
                         "directories or archives");
    selfplay->add_option("--opening-moves", o->openings.sgfMoves, "Moves taken from each --openings game")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    addBatchOptions(selfplay, o->evaluator);
    selfplay->add_option("--progress", o->progress, "auto, live, plain or quiet")->capture_default_str()
        ->check(CLI::IsMember({"auto", "live", "plain", "quiet"}));
    CLI::App* stats = selfplay->add_subcommand("stats", "What a directory of shards holds, and the files refused");
    auto statsDir = std::make_shared<std::string>();
    stats->add_option("dir", *statsDir, "Shard directory")->required();
    stats->callback([statsDir] { printStats(*statsDir); });
    CLI::App* exportCommand =
        selfplay->add_subcommand("export", "Write games of a directory of shards as SGF, to look at in a GUI");
    auto exportDir = std::make_shared<std::string>();
    auto exportOut = std::make_shared<std::string>();
    auto exportLimit = std::make_shared<int>(0);
    exportCommand->add_option("dir", *exportDir, "Shard directory")->required();
    exportCommand->add_option("--sgf", *exportOut, "Folder to write the SGF files to")->required();
    exportCommand->add_option("--games", *exportLimit, "The first this many games (0: all)")->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    exportCommand->callback([exportDir, exportOut, exportLimit] { exportGames(*exportDir, *exportOut, *exportLimit); });
    selfplay->callback([o, selfplay, stats, exportCommand] {
        if (selfplay->got_subcommand(stats) || selfplay->got_subcommand(exportCommand)) return;
        runSelfplay(*o);
    });
}

}  // namespace tengen::app
