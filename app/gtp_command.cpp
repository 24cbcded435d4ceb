// tengen gtp: a GTP engine on stdio, as a TCP server (--listen), or dialling a
// controller (--connect).
#include <filesystem>
#include <memory>

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "app/commands.h"
#include "gtp/policy_player.h"
#include "mcts/search.h"
#include "gtp/search_player.h"
#include "gtp/simple_player.h"
#include "nets/device.h"
#include "gtp/tcp_server.h"
#include "tengen_version.h"

namespace tengen::app {

namespace {

struct GtpCommandOptions {
    int boardSize = 19;
    double komi = 7.5;
    std::string rules = "chinese";
    std::string logLevel = "warn";
    std::string logFile;
    std::uint64_t seed = 1;
    std::size_t maxLineBytes = 64 * 1024;
    std::string listen;
    std::string connect;
    int maxConnections = 16;
    bool allowFileCommands = false;  // --listen: loadsgf and printsgf FILE for every peer
    double idleSeconds = 1800;
    std::string policyModel = TENGEN_MODELS_DIR "/policy-19-10x64.model";
    std::string valueModel = TENGEN_MODELS_DIR "/value-19-10x64.model";
    std::string rolloutModel = TENGEN_MODELS_DIR "/rollout-19.model";
    // Sharper playouts predict games' winners better (README, Rollout policy).
    double rolloutSharpness = 1.5;
    std::string player = "search";
    bool simple = false;  // --simple: the same as --player simple
    bool averageSymmetries = false;  // --player policy: the mean over the 8 symmetric views
    // One torch thread beside the two search workers: a second one fights them for the two
    // cores (bench search: 1,096 visits/s against 966 with two; docs/benchmarks.md).
    int threads = 1;
    std::string precision = "auto";
    mcts::SearchOptions search = defaultSearch();
    // First play urgency. Leela Zero's 0.25 on its 0..1 scale; against the paper's even value
    // (negative) it won 45-20 at 400 visits (README, Search).
    double fpuReduction = 0.5;
    double secondsPerMove = 0;
    int resignSearches = gtp::SearchPlayerOptions{}.resignSearches;
    bool ponder = false;
    double maxTreeMegabytes = 2048;
    gtp::TimeManagerOptions time;

    static mcts::SearchOptions defaultSearch() {
        mcts::SearchOptions search;
        search.visits = 1600;
        search.threads = 2;
        search.resignThreshold = 0.1;
        // Rollouts alone: mixing in the bundled value network lost 3-18 at equal time, each
        // mixed leaf waiting for a network evaluation (README, Search).
        search.lambda = 1;
        // At 0.5 s a move 2 beat the paper's 5 by 33-14, and 1 by 46-29 (README, Search).
        search.selection.cPuct = 2;
        // Expanding a leaf once it has two visits rather than one sends half as many positions
        // to the network, which sets the pace with two workers: 31% more visits a second, and
        // 26-21 in self-play at 0.5 s a move (README, Search).
        search.expansionThreshold = 2;
        // A playout that lets a group of two or more stones put itself in atari counts it
        // wrongly; rejecting such moves made playouts name the winner of Tengen's games
        // against GNU Go more often (README, Rollout policy).
        search.rollout.rejectSelfAtariFrom = 2;
        return search;
    }
};

// stdout belongs to GTP: logs go to stderr or a file.
void setUpLogging(const GtpCommandOptions& options) {
    std::shared_ptr<spdlog::logger> logger =
        options.logFile.empty() ? spdlog::stderr_color_mt("tengen")
                                : spdlog::basic_logger_mt("tengen", options.logFile);
    logger->set_level(spdlog::level::from_str(options.logLevel));
    logger->flush_on(spdlog::level::info);
    spdlog::set_default_logger(logger);
}

std::optional<std::string> existing(const std::string& path) {
    return !path.empty() && std::filesystem::exists(path) ? std::optional(path) : std::nullopt;
}

// The search by default, on the bundled networks when the board size is theirs; the bare
// policy network or the simple built-in player when asked for.
std::unique_ptr<gtp::Player> makePlayer(const GtpCommandOptions& options) {
    const std::string player = options.simple ? "simple" : options.player;
    if (player == "simple") return std::make_unique<gtp::SimplePlayer>(options.seed);
    nets::setTorchThreads(options.threads);
    if (player == "policy") {
        if (!std::filesystem::exists(options.policyModel))
            throw std::invalid_argument("--player policy needs a policy network; none at " + options.policyModel);
        return std::make_unique<gtp::PolicyPlayer>(options.policyModel, existing(options.valueModel), options.seed,
                                                   options.averageSymmetries);
    }
    if (player != "search") throw std::invalid_argument("--player must be search, policy or simple");
    gtp::SearchPlayerOptions search;
    search.search = options.search;
    search.search.seed = options.seed;
    if (options.fpuReduction >= 0) search.search.selection.fpuReduction = options.fpuReduction;
    search.search.maxNodes = static_cast<std::size_t>(options.maxTreeMegabytes * 1024 * 1024 / mcts::kNodeBytes);
    search.evaluator.threads = options.threads;
    search.evaluator.precision = nets::requirePrecisionOrAuto(options.precision);
    search.secondsPerMove = options.secondsPerMove;
    search.time = options.time;
    search.ponder = options.ponder;
    search.resignSearches = options.resignSearches;
    search.policyModel = existing(options.policyModel);
    search.valueModel = existing(options.valueModel);
    search.rolloutModel = existing(options.rolloutModel);
    search.rolloutSharpness = options.rolloutSharpness;
    if (!search.policyModel)
        spdlog::warn("no policy network at {}: searching with uniform priors", options.policyModel);
    return std::make_unique<gtp::SearchPlayer>(search);
}

gtp::EngineFactory engineFactory(const GtpCommandOptions& options, const Rules& rules) {
    return [options, rules] {
        gtp::EngineInstance instance;
        instance.player = makePlayer(options);
        gtp::EngineOptions engineOptions;
        engineOptions.version = TENGEN_VERSION;
        engineOptions.boardSize = options.boardSize;
        engineOptions.komi = options.komi;
        engineOptions.rules = rules;
        engineOptions.fileCommands = options.listen.empty() || options.allowFileCommands;
        instance.engine = std::make_unique<gtp::Engine>(*instance.player, engineOptions);
        return instance;
    };
}

void runGtp(const GtpCommandOptions& options) {
    const auto rules = Rules::fromSpec(options.rules);
    if (!rules) throw std::invalid_argument("unknown rules '" + options.rules + "'");
    if (options.boardSize < kMinBoardSize || options.boardSize > kMaxBoardSize)
        throw std::invalid_argument("--size must be 2..25");
    if (!options.listen.empty() && !options.connect.empty())
        throw std::invalid_argument("--listen and --connect exclude each other");
    setUpLogging(options);
    const gtp::EngineFactory factory = engineFactory(options, *rules);
    const auto idle = std::chrono::milliseconds(static_cast<long>(options.idleSeconds * 1000));
    if (!options.listen.empty()) {
        gtp::TcpServerOptions serverOptions{gtp::Endpoint::parse(options.listen), options.maxConnections,
                                            options.maxLineBytes, idle};
        gtp::TcpServer server(serverOptions, factory);
        spdlog::warn("serving GTP on {}:{}", serverOptions.endpoint.host, server.port());
        server.run();
        return;
    }
    const gtp::EngineInstance instance = factory();
    if (!options.connect.empty()) {
        gtp::serveConnection(gtp::Endpoint::parse(options.connect), instance, {options.maxLineBytes, idle});
        return;
    }
    gtp::FdLineReader reader(0, options.maxLineBytes);
    gtp::FdWriter writer(1);
    gtp::runSession(*instance.engine, reader, writer);
}

}  // namespace

void addGtpCommand(CLI::App& app) {
    auto options = std::make_shared<GtpCommandOptions>();
    CLI::App* gtp = app.add_subcommand("gtp", "Play through the Go Text Protocol (stdin/stdout by default)");
    gtp->add_option("--size", options->boardSize, "Initial board size")->capture_default_str();
    gtp->add_option("--komi", options->komi, "Initial komi")->capture_default_str();
    gtp->add_option("--rules", options->rules, "Rule set: chinese, japanese, tromp-taylor, aga, new-zealand")
        ->capture_default_str();
    gtp->add_option("--log-level", options->logLevel, "trace, debug, info, warn, error, off")->capture_default_str();
    gtp->add_option("--log-file", options->logFile, "Write logs to this file instead of stderr");
    gtp->add_option("--seed", options->seed, "Random seed of the player")->capture_default_str();
    gtp->add_option("--max-line", options->maxLineBytes, "Longest command line accepted, in bytes")
        ->capture_default_str();
    gtp->add_option("--listen", options->listen,
                    "Serve GTP over TCP at HOST:PORT (or PORT on 127.0.0.1); one game per connection");
    gtp->add_option("--connect", options->connect, "Dial a controller at HOST:PORT and serve GTP on that socket");
    gtp->add_option("--max-connections", options->maxConnections, "Concurrent TCP sessions (--listen)")
        ->capture_default_str();
    gtp->add_flag("--allow-file-commands", options->allowFileCommands,
                  "--listen: let peers use loadsgf and printsgf FILE, which read and write this machine's files");
    gtp->add_option("--idle-timeout", options->idleSeconds, "Close a TCP session idle this many seconds")
        ->capture_default_str();
    gtp->add_option("--policy-model", options->policyModel, "Policy network (priors)")->capture_default_str();
    gtp->add_option("--value-model", options->valueModel, "Value network (leaf values; empty: none)")
        ->capture_default_str();
    gtp->add_option("--rollout-model", options->rolloutModel, "Rollout policy p_pi (rollouts, cheap priors; empty: light rollouts)")
        ->capture_default_str();
    gtp->add_option("--player", options->player,
                    "search (tree search on the networks), policy (the policy network's best move, no search) "
                    "or simple (built-in, no networks)")
        ->capture_default_str();
    gtp->add_flag("--simple", options->simple, "Same as --player simple");
    gtp->add_flag("--average-symmetries", options->averageSymmetries,
                  "--player policy: play the best move of the network's answers averaged over the 8 symmetries");
    gtp->add_option("--threads", options->threads, "Torch threads for the networks")->capture_default_str();
    gtp->add_option("--precision", options->precision,
                    "Network arithmetic: fp32, bf16 (CPUs with AVX-512 BF16), or auto: the faster of the two on "
                    "this machine, timed at start-up")
        ->capture_default_str();
    mcts::SearchOptions& search = options->search;
    gtp->add_option("--visits", search.visits, "Simulations per move (a clock or --seconds-per-move may stop sooner)")
        ->capture_default_str();
    gtp->add_option("--seconds-per-move", options->secondsPerMove,
                    "Stop searching after this long when the game has no clock (0: visits only)")
        ->capture_default_str();
    gtp->add_option("--search-threads", search.threads, "Search worker threads")->capture_default_str();
    gtp->add_option("--in-flight", search.simulationsInFlight, "Simulations each worker keeps waiting on the network")
        ->capture_default_str();
    gtp->add_option("--lambda", search.lambda, "Rollout share of a leaf's value (0: value network only, 1: rollouts only)")
        ->capture_default_str();
    gtp->add_option("--c-puct", search.selection.cPuct, "PUCT exploration constant")->capture_default_str();
    gtp->add_option("--fpu-reduction", options->fpuReduction,
                    "Unvisited moves count as the parent's value less this times sqrt(prior visited), "
                    "Leela Zero's first play urgency (negative: as even, the paper's)")
        ->capture_default_str();
    gtp->add_option("--score-utility", search.selection.scoreUtility,
                    "Weight of the rollouts' mean score margin, relative to the root's, beside the win rate "
                    "(KataGo's dynamic score utility; 0: win rate alone)")
        ->capture_default_str();
    gtp->add_option("--virtual-loss", search.virtualLoss, "Virtual loss per pending simulation")->capture_default_str();
    gtp->add_option("--expansion-threshold", search.expansionThreshold, "Visits before a leaf is expanded")
        ->capture_default_str();
    gtp->add_option("--rollout-sharpness", options->rolloutSharpness,
                    "Rollouts draw moves in proportion to exp(this * p_pi's score): above 1 they keep to its "
                    "likely moves")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    gtp->add_option("--reject-self-atari", search.rollout.rejectSelfAtariFrom,
                    "Rollouts redraw a move that puts an own chain of this many stones in atari (0: never)")
        ->capture_default_str();
    gtp->add_option("--resign-threshold", search.resignThreshold, "Resign below this win rate (0: never)")
        ->capture_default_str();
    gtp->add_option("--resign-searches", options->resignSearches,
                    "Resign only after this many consecutive searches of ours below the threshold")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    gtp->add_option("--lag", options->time.lagSeconds,
                    "Seconds each move keeps free of the clock for transport and GUI delays")
        ->capture_default_str();
    gtp->add_flag("--ponder", options->ponder, "Search on the opponent's time");
    gtp->add_option("--max-tree-mb", options->maxTreeMegabytes, "Memory cap of the search tree, in MiB")
        ->capture_default_str();
    gtp->callback([options] { runGtp(*options); });
}

}  // namespace tengen::app
