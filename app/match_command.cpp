// tengen match: a tournament between GTP engines (child processes or TCP servers), with
// SGF records, a resumable results file, Elo statistics and SPRT.
#include <algorithm>
#include <iostream>
#include <memory>

#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "app/commands.h"
#include "app/options.h"
#include "match/runner.h"

namespace tengen::app {

namespace {

struct MatchCommandOptions {
    std::vector<std::string> engines;
    std::vector<std::string> setups;
    std::string schedule;  // empty: pair for two engines, round-robin for more
    int games = 10;
    int size = 9;
    double komi = 7.5;
    std::string rules = "chinese";
    int handicap = 0;
    double timePerMove = 0;
    double mainTime = 0;
    double byoyomi = 0;
    int byoyomiMoves = 1;
    double timeMargin = 0.5;
    double moveTimeout = 60;
    int maxMoves = 0;
    int deadStonePlayouts = 400;
    std::vector<std::string> openings;
    int openingMoves = 8;
    int randomOpening = 0;
    bool openingPerGame = false;
    std::string referee;
    bool sprt = false;
    double elo0 = 0, elo1 = 35, alpha = 0.05, beta = 0.05;
    int concurrency = 0;
    std::string out;
    std::string event = "Tengen match";
    std::uint64_t seed = 1;
    std::string progress = "auto";
    bool engineStderr = false;
    std::string logLevel = "warn";
};

match::MatchOptions toMatchOptions(const MatchCommandOptions& o) {
    match::MatchOptions m;
    for (const std::string& text : o.engines) m.engines.push_back(match::parseEngineSpec(text));
    for (const std::string& text : o.setups) {
        const auto [name, command] = match::parseSetupSpec(text);
        auto it = std::find_if(m.engines.begin(), m.engines.end(), [&](const auto& e) { return e.name == name; });
        if (it == m.engines.end()) throw std::invalid_argument("--setup names no engine: " + name);
        it->setupCommands.push_back(command);
    }
    m.schedule = o.schedule.empty() ? (m.engines.size() == 2 ? match::ScheduleKind::Pair : match::ScheduleKind::RoundRobin)
                                    : match::parseScheduleKind(o.schedule);
    m.gamesPerPairing = o.games;
    requireBoardSize(o.size, "--size");
    m.game.size = o.size;
    m.game.komi = o.komi;
    const auto rules = Rules::fromSpec(o.rules);
    if (!rules) throw std::invalid_argument("unknown rules '" + o.rules + "'");
    m.game.rules = *rules;
    m.game.rulesName = o.rules;
    if (o.handicap == 1 || o.handicap < 0 || o.handicap > 9) throw std::invalid_argument("--handicap takes 0 or 2..9");
    m.game.handicap = o.handicap;
    if (o.timePerMove > 0 && (o.mainTime > 0 || o.byoyomi > 0))
        throw std::invalid_argument("--time-per-move excludes --main-time and --byoyomi");
    m.game.time = o.timePerMove > 0 ? play::TimeSettings::perMove(o.timePerMove)
                                    : play::TimeSettings::canadian(o.mainTime, o.byoyomi, o.byoyomiMoves);
    m.game.timeMarginSeconds = o.timeMargin;
    m.game.moveTimeout = std::chrono::milliseconds(static_cast<long long>(o.moveTimeout * 1000));
    m.game.maxMoves = o.maxMoves;
    m.game.deadStonePlayouts = o.deadStonePlayouts;
    m.openings.sgfPaths = o.openings;
    m.openings.sgfMoves = o.openingMoves;
    m.openings.randomMoves = o.randomOpening;
    m.openings.seed = o.seed;
    m.openings.perGame = o.openingPerGame;
    if (!o.referee.empty() && o.referee != "tengen") {
        auto it = std::find_if(m.engines.begin(), m.engines.end(), [&](const auto& e) { return e.name == o.referee; });
        // A referee named after a player is a separate process of the same command, so
        // that it never shares state with a game in progress.
        m.referee = it != m.engines.end() ? *it : match::parseEngineSpec(o.referee);
    }
    if (o.sprt) m.sprt = match::SprtOptions{o.elo0, o.elo1, o.alpha, o.beta};
    m.concurrency = o.concurrency;
    if (o.out.empty()) throw std::invalid_argument("--out DIR is required: results, SGF and reports go there");
    m.outDir = o.out;
    m.event = o.event;
    m.seed = o.seed;
    if (o.progress == "auto") m.progress = match::ProgressStyle::Auto;
    else if (o.progress == "live") m.progress = match::ProgressStyle::Live;
    else if (o.progress == "plain") m.progress = match::ProgressStyle::Plain;
    else if (o.progress == "quiet") m.progress = match::ProgressStyle::Quiet;
    else throw std::invalid_argument("--progress takes auto, live, plain or quiet");
    m.engineStderr = o.engineStderr;
    return m;
}

}  // namespace

void addMatchCommand(CLI::App& app) {
    auto o = std::make_shared<MatchCommandOptions>();
    CLI::App* cmd = app.add_subcommand("match", "Play a tournament between GTP engines (resumable; Elo, SPRT, SGF)");
    cmd->footer(
        "Example:\n"
        "  tengen match --engine \"gnugo=/usr/games/gnugo --mode gtp --level 1 --chinese-rules\" \\\n"
        "               --engine \"tengen=build/tengen gtp\" --games 10 --size 9 --komi 7.5 --out runs/x\n"
        "Rerun the same command to resume after a kill. Engines: NAME=COMMAND or NAME=tcp:HOST:PORT.");
    cmd->add_option("-e,--engine", o->engines, "NAME=COMMAND LINE or NAME=tcp:HOST:PORT (two or more)")->required();
    cmd->add_option("--setup", o->setups, "NAME=GTP COMMAND sent to that engine after every start");
    cmd->add_option("--schedule", o->schedule, "pair, round-robin or gauntlet (first engine vs the others)");
    cmd->add_option("-n,--games", o->games, "Games per pairing (colours alternate)")->capture_default_str()
        ->check(CLI::PositiveNumber);
    cmd->add_option("--size", o->size, "Board size")->capture_default_str();
    cmd->add_option("--komi", o->komi, "Komi")->capture_default_str();
    cmd->add_option("--rules", o->rules,
                    "chinese, japanese, tromp-taylor, aga, new-zealand, optionally with overrides such as "
                    "chinese,ko=simple (GNU Go's ko rule)")->capture_default_str();
    cmd->add_option("--handicap", o->handicap, "Fixed handicap stones (0 or 2..9)")->capture_default_str();
    cmd->add_option("--time-per-move", o->timePerMove, "Seconds per move (byo-yomi of one move)");
    cmd->add_option("--main-time", o->mainTime, "Main time in seconds");
    cmd->add_option("--byoyomi", o->byoyomi, "Byo-yomi period in seconds, after main time");
    cmd->add_option("--byoyomi-moves", o->byoyomiMoves, "Moves per byo-yomi period (Canadian)")->capture_default_str();
    cmd->add_option("--time-margin", o->timeMargin, "Seconds of lag allowed before an engine loses on time")
        ->capture_default_str();
    cmd->add_option("--move-timeout", o->moveTimeout, "Without a clock: seconds before a silent engine forfeits")
        ->capture_default_str();
    cmd->add_option("--max-moves", o->maxMoves, "Move cap, then the referee scores (0: 3 x points)")
        ->capture_default_str();
    cmd->add_option("--dead-stone-playouts", o->deadStonePlayouts, "Playouts of Tengen's dead-stone finder")
        ->capture_default_str();
    cmd->add_option("--openings", o->openings, "SGF file, directory or archive of openings");
    cmd->add_option("--opening-moves", o->openingMoves, "Moves taken from each SGF opening")->capture_default_str();
    cmd->add_option("--random-opening", o->randomOpening, "N random balanced opening moves (no SGF set)")
        ->capture_default_str();
    cmd->add_flag("--opening-per-game", o->openingPerGame,
                  "A new opening for every game, not one per colour-swapped pair (teacher games)");
    cmd->add_option("--referee", o->referee,
                    "tengen (own scoring), an engine's NAME, or NAME=COMMAND; asked final_status_list dead");
    cmd->add_flag("--sprt", o->sprt, "Stop when the SPRT decides (two engines)");
    cmd->add_option("--elo0", o->elo0, "SPRT H0 Elo")->capture_default_str();
    cmd->add_option("--elo1", o->elo1, "SPRT H1 Elo")->capture_default_str();
    cmd->add_option("--alpha", o->alpha, "SPRT false-positive rate")->capture_default_str();
    cmd->add_option("--beta", o->beta, "SPRT false-negative rate")->capture_default_str();
    cmd->add_option("-j,--concurrency", o->concurrency,
                    fmt::format("Games at once (default {}: half the cores)", match::defaultConcurrency()));
    cmd->add_option("-o,--out", o->out, "Match directory: results.jsonl, games/*.sgf, summary, chart")->required();
    cmd->add_option("--event", o->event, "Event name for SGF records")->capture_default_str();
    cmd->add_option("--seed", o->seed, "Seed of openings and dead-stone playouts")->capture_default_str();
    cmd->add_option("--progress", o->progress, "auto, live, plain or quiet")->capture_default_str();
    cmd->add_flag("--engine-stderr", o->engineStderr, "Show the engines' stderr");
    cmd->add_option("--log-level", o->logLevel, "trace, debug, info, warn, error, off")->capture_default_str();
    cmd->callback([o] {
        auto logger = spdlog::stderr_color_mt("match");
        logger->set_level(spdlog::level::from_str(o->logLevel));
        spdlog::set_default_logger(logger);
        match::runMatch(toMatchOptions(*o), std::cout, std::cerr);
    });
}

}  // namespace tengen::app
