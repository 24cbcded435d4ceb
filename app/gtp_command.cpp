// tengen gtp: a GTP engine on stdio, as a TCP server (--listen), or dialling a
// controller (--connect).
#include <filesystem>
#include <memory>

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "app/commands.h"
#include "gtp/policy_player.h"
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
    double idleSeconds = 1800;
    std::string policyModel = TENGEN_MODELS_DIR "/policy-19.model";
    std::string valueModel = TENGEN_MODELS_DIR "/value-19.model";
    bool simple = false;
    int threads = 2;
    int visits = 0;
    int searchThreads = 2;
    double secondsPerMove = 0;
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

// The search when asked for (--visits), else the bundled policy network when there is one;
// the simple player otherwise, or if asked.
std::unique_ptr<gtp::Player> makePlayer(const GtpCommandOptions& options) {
    if (options.visits > 0) {
        nets::setTorchThreads(options.threads);
        gtp::SearchPlayerOptions search;
        search.search.visits = options.visits;
        search.search.threads = options.searchThreads;
        search.search.seed = options.seed;
        search.evaluator.threads = options.threads;
        search.secondsPerMove = options.secondsPerMove;
        if (!options.simple) {
            search.policyModel = existing(options.policyModel);
            search.valueModel = existing(options.valueModel);
        }
        return std::make_unique<gtp::SearchPlayer>(search);
    }
    if (!options.simple && std::filesystem::exists(options.policyModel)) {
        nets::setTorchThreads(options.threads);
        return std::make_unique<gtp::PolicyPlayer>(options.policyModel, existing(options.valueModel), options.seed);
    }
    if (!options.simple)
        spdlog::warn("no policy network at {}: playing with the simple built-in player", options.policyModel);
    return std::make_unique<gtp::SimplePlayer>(options.seed);
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
    gtp->add_option("--idle-timeout", options->idleSeconds, "Close a TCP session idle this many seconds")
        ->capture_default_str();
    gtp->add_option("--policy-model", options->policyModel, "Policy network to play with")->capture_default_str();
    gtp->add_option("--value-model", options->valueModel, "Value network for analysis (empty: none)")
        ->capture_default_str();
    gtp->add_flag("--simple", options->simple, "Play with the simple built-in player, without networks");
    gtp->add_option("--threads", options->threads, "Torch threads for the networks")->capture_default_str();
    gtp->add_option("--visits", options->visits,
                    "Search this many visits per move (0: no search, play the policy network's move)")
        ->capture_default_str();
    gtp->add_option("--search-threads", options->searchThreads, "Search worker threads")->capture_default_str();
    gtp->add_option("--seconds-per-move", options->secondsPerMove,
                    "Stop searching after this long when the game has no clock (0: visits only)")
        ->capture_default_str();
    gtp->callback([options] { runGtp(*options); });
}

}  // namespace tengen::app
