// tengen gtp: a GTP engine on stdio, as a TCP server (--listen), or dialling a
// controller (--connect).
#include <filesystem>
#include <memory>

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "app/commands.h"
#include "app/options.h"
#include "gtp/tcp_server.h"
#include "nets/device.h"
#include "play/policy_player.h"
#include "play/search_player.h"
#include "play/simple_player.h"
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
    EngineFlags engine{play::tunedPreset(TENGEN_MODELS_DIR)};
    std::string player = "search";
    bool simple = false;  // --simple: the same as --player simple
    bool averageSymmetries = false;  // --player policy: the mean over the 8 symmetric views
    double secondsPerMove = 0;
    bool ponder = false;
    play::TimeManagerOptions time;
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

// The bundled networks are optional: a build without them still plays, on what is there.
std::string existingOrNone(const std::string& path) {
    return !path.empty() && std::filesystem::exists(path) ? path : std::string();
}

// The search by default, on the networks for the game's board size; the bare policy network
// or the simple built-in player when asked for. Every session of a TCP server shares the
// networks loaded here.
std::function<std::unique_ptr<play::Player>()> playerMaker(const GtpCommandOptions& options) {
    const std::string player = options.simple ? "simple" : options.player;
    if (player == "simple") return [seed = options.seed] { return std::make_unique<play::SimplePlayer>(seed); };
    play::EnginePreset preset = options.engine.resolve();
    nets::setTorchThreads(preset.evaluator.threads);
    if (player == "policy") {
        if (!std::filesystem::exists(preset.models.policy))
            throw std::invalid_argument("--player policy needs a policy network; none at " + preset.models.policy);
        preset.models.value = existingOrNone(preset.models.value);
        auto networks = std::make_shared<play::DirectNetworksBySize>(preset);
        return [networks, seed = options.seed, average = options.averageSymmetries] {
            return std::make_unique<play::PolicyPlayer>(networks, seed, average);
        };
    }
    if (player != "search") throw std::invalid_argument("--player must be search, policy or simple");
    if (existingOrNone(preset.models.policy).empty())
        spdlog::warn("no policy network{}: searching with uniform priors",
                     preset.models.policy.empty() ? "" : " at " + preset.models.policy);
    for (std::string* path : {&preset.models.policy, &preset.models.value, &preset.models.rollout})
        *path = existingOrNone(*path);
    play::SearchPlayerOptions search;
    search.search = preset.search;
    search.search.seed = options.seed;
    search.secondsPerMove = options.secondsPerMove;
    search.time = options.time;
    search.ponder = options.ponder;
    search.resignSearches = preset.resignSearches;
    const auto networks = std::make_shared<play::NetworksBySize>(preset);
    return [search, networks] { return std::make_unique<play::SearchPlayer>(search, networks); };
}

gtp::EngineFactory engineFactory(const GtpCommandOptions& options, const Rules& rules) {
    return [options, rules, makePlayer = playerMaker(options)] {
        gtp::EngineInstance instance;
        instance.player = makePlayer();
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
    requireBoardSize(options.boardSize, "--size");
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
    addModelOptions(gtp, options->engine);
    gtp->add_option("--player", options->player,
                    "search (tree search on the networks), policy (the policy network's best move, no search) "
                    "or simple (built-in, no networks)")
        ->capture_default_str();
    gtp->add_flag("--simple", options->simple, "Same as --player simple");
    gtp->add_flag("--average-symmetries", options->averageSymmetries,
                  "--player policy: play the best move of the network's answers averaged over the 8 symmetries");
    addEvaluatorOptions(gtp, options->engine);
    addSearchOptions(gtp, options->engine);
    gtp->add_option("--seconds-per-move", options->secondsPerMove,
                    "Stop searching after this long when the game has no clock (0: visits only)")
        ->capture_default_str();
    gtp->add_option("--resign-threshold", options->engine.preset.search.resignThreshold, "Resign below this win rate (0: never)")
        ->capture_default_str();
    gtp->add_option("--resign-searches", options->engine.preset.resignSearches,
                    "Resign only after this many consecutive searches of ours below the threshold")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    gtp->add_option("--lag", options->time.lagSeconds,
                    "Seconds each move keeps free of the clock for transport and GUI delays")
        ->capture_default_str();
    gtp->add_flag("--ponder", options->ponder, "Search on the opponent's time");
    gtp->callback([options] { runGtp(*options); });
}

}  // namespace tengen::app
