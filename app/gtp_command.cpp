// tengen gtp: a GTP engine on stdio.
#include <memory>

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "app/commands.h"
#include "gtp/session.h"
#include "gtp/simple_player.h"
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
};

// stdout belongs to GTP: logs go to stderr or a file.
void setUpLogging(const GtpCommandOptions& options) {
    std::shared_ptr<spdlog::logger> logger =
        options.logFile.empty() ? spdlog::stderr_color_mt("tengen")
                                : spdlog::basic_logger_mt("tengen", options.logFile);
    logger->set_level(spdlog::level::from_str(options.logLevel));
    spdlog::set_default_logger(logger);
}

void runGtp(const GtpCommandOptions& options) {
    const auto rules = Rules::fromName(options.rules);
    if (!rules) throw std::invalid_argument("unknown rules '" + options.rules + "'");
    if (options.boardSize < kMinBoardSize || options.boardSize > kMaxBoardSize)
        throw std::invalid_argument("--size must be 2..25");
    setUpLogging(options);
    gtp::SimplePlayer player(options.seed);
    gtp::EngineOptions engineOptions;
    engineOptions.version = TENGEN_VERSION;
    engineOptions.boardSize = options.boardSize;
    engineOptions.komi = options.komi;
    engineOptions.rules = *rules;
    gtp::Engine engine(player, engineOptions);
    gtp::FdLineReader reader(0, options.maxLineBytes);
    gtp::FdWriter writer(1);
    gtp::runSession(engine, reader, writer);
}

}  // namespace

void addGtpCommand(CLI::App& app) {
    auto options = std::make_shared<GtpCommandOptions>();
    CLI::App* gtp = app.add_subcommand("gtp", "Play through the Go Text Protocol on stdin/stdout");
    gtp->add_option("--size", options->boardSize, "Initial board size")->capture_default_str();
    gtp->add_option("--komi", options->komi, "Initial komi")->capture_default_str();
    gtp->add_option("--rules", options->rules, "Rule set: chinese, japanese, tromp-taylor, aga, new-zealand")
        ->capture_default_str();
    gtp->add_option("--log-level", options->logLevel, "trace, debug, info, warn, error, off")->capture_default_str();
    gtp->add_option("--log-file", options->logFile, "Write logs to this file instead of stderr");
    gtp->add_option("--seed", options->seed, "Random seed of the player")->capture_default_str();
    gtp->add_option("--max-line", options->maxLineBytes, "Longest command line accepted, in bytes")
        ->capture_default_str();
    gtp->callback([options] { runGtp(*options); });
}

}  // namespace tengen::app
