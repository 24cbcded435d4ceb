#include "gtp/engine.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "go/atomic_file.h"
#include "go/dead_stones.h"
#include "go/handicap.h"
#include "go/scoring.h"
#include "go/sgf_game.h"
#include "play/time_manager.h"

namespace tengen::gtp {

namespace {

// The players, their ranks, the event and the date: what a loaded game's record keeps
// through printsgf.
void copyGameInformation(const GameRecord& from, GameRecord& to) {
    to.blackName = from.blackName;
    to.whiteName = from.whiteName;
    to.blackRank = from.blackRank;
    to.whiteRank = from.whiteRank;
    to.event = from.event;
    to.date = from.date;
}

std::optional<long> integer(const std::string& text, long min, long max) {
    if (text.empty() || text.size() > 12) return std::nullopt;
    char* end = nullptr;
    const long value = std::strtol(text.c_str(), &end, 10);
    if (*end != '\0' || value < min || value > max) return std::nullopt;
    return value;
}

std::optional<double> real(const std::string& text) {
    if (text.empty() || text.size() > 32) return std::nullopt;
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (*end != '\0' || !std::isfinite(value) || std::abs(value) > 10000) return std::nullopt;
    return value;
}

const Reply kSyntaxError = Reply::failure("syntax error");

}  // namespace

Engine::Engine(play::Player& player, EngineOptions options)
    : player_(player), options_(std::move(options)), game_(options_.boardSize, options_.rules, options_.komi) {
    registerCommands();
    clocks_.fill(timeSettings_.freshClock());
}

void Engine::add(std::string name, Handler handler) { commands_.emplace_back(std::move(name), std::move(handler)); }

bool Engine::knows(const std::string& name) const {
    return std::any_of(commands_.begin(), commands_.end(), [&](const auto& c) { return c.first == name; });
}

std::vector<std::string> Engine::commandNames() const {
    std::vector<std::string> names;
    for (const auto& c : commands_) names.push_back(c.first);
    return names;
}

Reply Engine::execute(const CommandLine& command) {
    for (const auto& [name, handler] : commands_)
        if (name == command.name) {
            try {
                return handler(command.args);
            } catch (const std::exception& e) {
                // A bug or a resource problem must cost one command, not the session.
                spdlog::error("command '{}' failed: {}", command.name, e.what());
                return Reply::failure(fmt::format("internal error: {}", e.what()));
            }
        }
    return Reply::failure("unknown command");
}

std::optional<Color> Engine::colorArg(const std::string& text) const { return parseColor(text); }

std::optional<Point> Engine::vertexArg(const std::string& text) const {
    const auto p = game_.geometry().parseVertex(text);
    if (!p || *p == kResign) return std::nullopt;
    return p;
}

std::string Engine::vertexList(const std::vector<Point>& points) const {
    std::string out;
    for (Point p : points) out += (out.empty() ? "" : " ") + game_.geometry().vertexName(p);
    return out;
}

void Engine::newGame(int size) {
    game_ = Game(size, game_.rules(), game_.komi());
    clocks_.fill(timeSettings_.freshClock());
    movedFor_ = {};
    loadedInformation_ = {};
    positionChanged();
}

void Engine::positionChanged() { player_.onPositionChanged(game_); }

PointSet Engine::deadStones() const {
    return findDeadStones(game_, {options_.deadStonePlayouts, game_.board().hash()});
}

void Engine::registerCommands() {
    auto noArgs = [](auto body) {
        return [body](const Args& args) -> Reply { return args.empty() ? body() : kSyntaxError; };
    };
    add("protocol_version", noArgs([] { return Reply{true, "2"}; }));
    add("name", noArgs([this] { return Reply{true, options_.name}; }));
    add("version", noArgs([this] { return Reply{true, options_.version}; }));
    add("known_command", [this](const Args& args) {
        if (args.size() != 1) return kSyntaxError;
        return Reply{true, knows(args[0]) ? "true" : "false"};
    });
    add("list_commands", noArgs([this] {
        std::string out;
        for (const auto& name : commandNames()) out += name + "\n";
        out.pop_back();
        return Reply{true, out};
    }));
    add("quit", [this](const Args&) {
        quit_ = true;
        return Reply{};
    });
    add("boardsize", [this](const Args& args) { return boardsize(args); });
    add("clear_board", noArgs([this] {
        newGame(game_.size());
        return Reply{};
    }));
    add("komi", [this](const Args& args) {
        const auto komi = args.size() == 1 ? real(args[0]) : std::nullopt;
        if (!komi) return Reply::failure("syntax error");
        game_.setKomi(*komi);
        return Reply{};
    });
    add("play", [this](const Args& args) { return play(args); });
    add("genmove", [this](const Args& args) { return genmove(args, false, true); });
    add("reg_genmove", [this](const Args& args) { return genmove(args, false, false); });
    add("kgs-genmove_cleanup", [this](const Args& args) { return genmove(args, true, true); });
    add("undo", noArgs([this] {
        if (game_.moves().empty() || !game_.undo()) return Reply::failure("cannot undo");
        positionChanged();
        return Reply{};
    }));
    add("fixed_handicap", [this](const Args& args) { return fixedHandicap(args); });
    add("place_free_handicap", [this](const Args& args) { return placeFreeHandicap(args); });
    add("set_free_handicap", [this](const Args& args) { return setFreeHandicap(args); });
    add("final_score", noArgs([this] { return finalScore(); }));
    add("final_status_list", [this](const Args& args) { return finalStatusList(args); });
    add("time_settings", [this](const Args& args) { return timeSettings(play::TimeSettings::fromGtp(args)); });
    add("kgs-time_settings", [this](const Args& args) { return timeSettings(play::TimeSettings::fromKgs(args)); });
    add("time_left", [this](const Args& args) { return timeLeft(args); });
    if (options_.fileCommands) add("loadsgf", [this](const Args& args) { return loadsgf(args); });
    add("printsgf", [this](const Args& args) { return printsgf(args); });
    add("showboard", noArgs([this] {
        const Board& b = game_.board();
        return Reply{true, fmt::format("\n{}Black captured {}, White captured {}; {} to move", b.toString(),
                                       b.prisoners(Color::White), b.prisoners(Color::Black),
                                       colorName(game_.toMove()))};
    }));
    add("is_legal", [this](const Args& args) {
        if (args.size() != 2) return kSyntaxError;
        const auto color = colorArg(args[0]);
        const auto vertex = vertexArg(args[1]);
        if (!color || !vertex) return kSyntaxError;
        return Reply{true, game_.isLegal({*color, *vertex}) ? "1" : "0"};
    });
    add("list_stones", [this](const Args& args) {
        const auto color = args.size() == 1 ? colorArg(args[0]) : std::nullopt;
        if (!color) return kSyntaxError;
        std::vector<Point> stones;
        const Geometry& g = game_.geometry();
        for (int row = 0; row < g.size(); ++row)
            for (int col = 0; col < g.size(); ++col)
                if (game_.board().at(g.point(col, row)) == *color) stones.push_back(g.point(col, row));
        return Reply{true, vertexList(stones)};
    });
    add("countlib", [this](const Args& args) {
        const auto vertex = args.size() == 1 ? vertexArg(args[0]) : std::nullopt;
        if (!vertex || *vertex == kPass) return kSyntaxError;
        if (game_.board().at(*vertex) == Color::Empty) return Reply::failure("vertex must not be empty");
        return Reply{true, std::to_string(game_.board().chainLiberties(*vertex))};
    });
    add("kgs-rules", [this](const Args& args) { return setRules(args); });
    add("lz-analyze", [this](const Args& args) { return analyze(args, AnalysisFormat::LeelaZero, false); });
    add("lz-genmove_analyze", [this](const Args& args) { return analyze(args, AnalysisFormat::LeelaZero, true); });
    add("kata-analyze", [this](const Args& args) { return analyze(args, AnalysisFormat::KataGo, false); });
    add("kata-genmove_analyze", [this](const Args& args) { return analyze(args, AnalysisFormat::KataGo, true); });
    add("gogui-analyze_commands", noArgs([] {
        return Reply{true,
                     "gfx/Move win rates/tengen-gfx_winrates\n"
                     "gfx/Visits/tengen-gfx_visits\n"
                     "gfx/Priors/tengen-gfx_priors\n"
                     "gfx/Ownership/tengen-gfx_ownership\n"
                     "gfx/Best move/tengen-gfx_best\n"
                     "string/Dead stones/final_status_list dead"};
    }));
    // GoGui shows LABEL text on the points: one figure per candidate move of a second's
    // analysis.
    const auto candidateLabels = [this](double (*figure)(const play::CandidateMove&)) {
        std::string out = "LABEL";
        for (const play::CandidateMove& c : quickAnalysis(game_.toMove(), std::chrono::milliseconds(1000)).candidates)
            if (c.move != kPass) out += fmt::format(" {} {:.0f}", game_.geometry().vertexName(c.move), figure(c));
        return Reply{true, out};
    };
    add("tengen-gfx_winrates", noArgs([candidateLabels] {
        return candidateLabels([](const play::CandidateMove& c) { return 100 * c.winrate; });
    }));
    add("tengen-gfx_visits", noArgs([candidateLabels] {
        return candidateLabels([](const play::CandidateMove& c) { return static_cast<double>(c.visits); });
    }));
    add("tengen-gfx_priors", noArgs([candidateLabels] {
        return candidateLabels([](const play::CandidateMove& c) { return 100 * c.prior; });
    }));
    add("tengen-gfx_ownership", noArgs([this] {
        const play::AnalysisSnapshot a = quickAnalysis(game_.toMove(), std::chrono::milliseconds(1000));
        const Geometry& g = game_.geometry();
        std::string out = "INFLUENCE";
        for (int row = 0; row < g.size(); ++row)
            for (int col = 0; col < g.size(); ++col) {
                const Point p = g.point(col, row);
                out += fmt::format(" {} {:.2f}", g.vertexName(p), a.ownership.empty() ? 0.0 : a.ownership[p]);
            }
        return Reply{true, out};
    }));
    add("tengen-gfx_best", noArgs([this] {
        const play::AnalysisSnapshot a = quickAnalysis(game_.toMove(), std::chrono::milliseconds(1000));
        if (a.candidates.empty()) return Reply{true, ""};
        std::string out = "VAR";
        Color c = game_.toMove();
        for (Point p : a.candidates.front().principalVariation) {
            out += fmt::format(" {} {}", c == Color::Black ? 'b' : 'w', game_.geometry().vertexName(p));
            c = opponent(c);
        }
        return Reply{true, out};
    }));
    add("tengen-rules", [this](const Args& args) {
        if (args.empty()) return Reply{true, game_.rules().describe()};
        return setRules(args);
    });
}

Reply Engine::boardsize(const Args& args) {
    const auto size = args.size() == 1 ? integer(args[0], -1000000, 1000000) : std::nullopt;
    if (!size) return kSyntaxError;
    if (*size < kMinBoardSize || *size > kMaxBoardSize) return Reply::failure("unacceptable size");
    newGame(static_cast<int>(*size));
    return {};
}

Reply Engine::play(const Args& args) {
    if (args.size() != 2) return kSyntaxError;
    const auto color = colorArg(args[0]);
    const auto vertex = vertexArg(args[1]);
    if (!color || !vertex) return kSyntaxError;
    if (game_.play({*color, *vertex}) != Legality::Legal) return Reply::failure("illegal move");
    positionChanged();
    return {};
}

Reply Engine::genmove(const Args& args, bool cleanup, bool playIt) {
    const auto color = args.size() == 1 ? colorArg(args[0]) : std::nullopt;
    if (!color) return kSyntaxError;
    const auto started = std::chrono::steady_clock::now();
    play::MoveRequest request{*color, cleanup, clocks_[colorIndex(*color)], !playIt};
    Point move = player_.chooseMove(game_, request);
    if (move != kResign && !game_.isLegal({*color, move})) {
        spdlog::error("player '{}' chose illegal move {}; passing instead", player_.name(),
                      game_.geometry().vertexName(move));
        move = kPass;
    }
    if (playIt && move != kResign) {
        movedFor_[colorIndex(*color)] = true;
        game_.play({*color, move});
        positionChanged();
        chargeClock(*color, started);
    }
    return {true, game_.geometry().vertexName(move)};
}

Reply Engine::fixedHandicap(const Args& args) {
    const auto stones = args.size() == 1 ? integer(args[0], -1000000, 1000000) : std::nullopt;
    if (!stones) return kSyntaxError;
    if (game_.board().stones(Color::Black) + game_.board().stones(Color::White) > 0 || !game_.moves().empty())
        return Reply::failure("board not empty");
    const std::vector<Point> points = fixedHandicapPoints(game_.geometry(), static_cast<int>(*stones));
    if (points.empty()) return Reply::failure("invalid number of stones");
    game_.placeHandicap(points);
    positionChanged();
    return {true, vertexList(points)};
}

Reply Engine::placeFreeHandicap(const Args& args) {
    const int area = game_.size() * game_.size();
    const auto stones = args.size() == 1 ? integer(args[0], -1000000, 1000000) : std::nullopt;
    if (!stones) return kSyntaxError;
    if (game_.board().stones(Color::Black) + game_.board().stones(Color::White) > 0 || !game_.moves().empty())
        return Reply::failure("board not empty");
    if (*stones < 2 || *stones >= area) return Reply::failure("invalid number of stones");
    const Geometry& g = game_.geometry();
    const int fixed = std::min<int>(static_cast<int>(*stones), maxFixedHandicap(g.size()));
    std::vector<Point> points = fixedHandicapPoints(g, fixed);
    // Beyond the standard points, spread stones out: each goes as far as possible from
    // the others, off the first line when the board allows.
    while (static_cast<long>(points.size()) < *stones) {
        Point best = kNoPoint;
        int bestDistance = -1;
        for (int row = 0; row < g.size(); ++row)
            for (int col = 0; col < g.size(); ++col) {
                const Point p = g.point(col, row);
                if (std::find(points.begin(), points.end(), p) != points.end()) continue;
                int nearest = 4 * g.size();
                for (Point q : points) nearest = std::min(nearest, std::abs(g.col(q) - col) + std::abs(g.row(q) - row));
                const bool firstLine = g.size() > 4 && (col == 0 || row == 0 || col == g.size() - 1 || row == g.size() - 1);
                const int distance = nearest * 2 - (firstLine ? 3 : 0);
                if (distance > bestDistance) {
                    bestDistance = distance;
                    best = p;
                }
            }
        points.push_back(best);
    }
    if (!game_.placeHandicap(points)) return Reply::failure("invalid number of stones");
    positionChanged();
    return {true, vertexList(points)};
}

Reply Engine::setFreeHandicap(const Args& args) {
    if (game_.board().stones(Color::Black) + game_.board().stones(Color::White) > 0 || !game_.moves().empty())
        return Reply::failure("board not empty");
    std::vector<Point> points;
    for (const std::string& arg : args) {
        const auto p = vertexArg(arg);
        if (!p || *p == kPass || std::find(points.begin(), points.end(), *p) != points.end())
            return Reply::failure("bad vertex list");
        points.push_back(*p);
    }
    if (points.size() < 2 || static_cast<int>(points.size()) >= game_.size() * game_.size())
        return Reply::failure("bad vertex list");
    if (!game_.placeHandicap(points)) return Reply::failure("bad vertex list");
    positionChanged();
    return {};
}

Reply Engine::finalScore() {
    const Score s = score(game_.board(), game_.rules(), game_.komi(), game_.handicap(), deadStones());
    return {true, s.result()};
}

Reply Engine::finalStatusList(const Args& args) {
    if (args.size() != 1) return kSyntaxError;
    const std::string& status = args[0];
    if (status != "alive" && status != "dead" && status != "seki") return kSyntaxError;
    std::vector<Point> listed;
    if (status != "seki") {
        const PointSet dead = deadStones();
        const Geometry& g = game_.geometry();
        for (int row = 0; row < g.size(); ++row)
            for (int col = 0; col < g.size(); ++col) {
                const Point p = g.point(col, row);
                if (game_.board().at(p) == Color::Empty) continue;
                if (dead.test(p) == (status == "dead")) listed.push_back(p);
            }
    }
    return {true, vertexList(listed)};
}

Reply Engine::timeSettings(const std::optional<play::TimeSettings>& settings) {
    if (!settings) return kSyntaxError;
    timeSettings_ = *settings;
    clocks_.fill(timeSettings_.freshClock());
    return {};
}

void Engine::chargeClock(Color color, std::chrono::steady_clock::time_point moveStarted) {
    // Controllers that send time_left before each genmove overwrite this; for the others it
    // is all the engine knows of its time.
    const double spent = std::chrono::duration<double>(std::chrono::steady_clock::now() - moveStarted).count();
    const play::ClockAfterMove after = play::clockAfterMove(clocks_[colorIndex(color)], timeSettings_, spent);
    if (after.outOfTime) spdlog::warn("{} has run out of time by the engine's own clock", colorName(color));
    clocks_[colorIndex(color)] = after.clock;
}

Reply Engine::timeLeft(const Args& args) {
    if (args.size() != 3) return kSyntaxError;
    const auto color = colorArg(args[0]);
    const auto seconds = real(args[1]);
    const auto stones = integer(args[2], 0, 1000000);
    if (!color || !seconds || !stones) return kSyntaxError;
    clocks_[colorIndex(*color)] = timeSettings_.clockFromTimeLeft(std::max(0.0, *seconds), static_cast<int>(*stones));
    return {};
}

Reply Engine::loadsgf(const Args& args) {
    if (args.empty() || args.size() > 2) return kSyntaxError;
    std::optional<long> moveNumber;
    if (args.size() == 2) {
        moveNumber = integer(args[1], 1, 100000);
        if (!moveNumber) return kSyntaxError;
    }
    try {
        std::error_code ec;
        const auto size = std::filesystem::file_size(args[0], ec);
        if (ec) return Reply::failure("cannot load file");
        if (size > options_.maxSgfBytes) return Reply::failure("cannot load file");
        std::ifstream in(args[0], std::ios::binary);
        std::stringstream text;
        text << in.rdbuf();
        if (!in) return Reply::failure("cannot load file");
        std::vector<GameRecord> records = readGameRecords(text.str(), args[0]);
        if (records.empty()) return Reply::failure("cannot load file");
        GameRecord& record = records.front();
        // "move_number: the position before this move" (GTP 2, section 6.3.5).
        if (moveNumber && *moveNumber - 1 < static_cast<long>(record.moves.size()))
            record.moves.resize(static_cast<std::size_t>(*moveNumber - 1));
        ReplayResult replayed = replay(record, record.rules.value_or(game_.rules()));
        if (replayed.error) {
            spdlog::warn("loadsgf {}: {}", args[0], *replayed.error);
            return Reply::failure("cannot load file");
        }
        // What was reinterpreted (a detected charset, Fox's komi ×100...) goes to the log, so
        // that a surprising komi or name can be traced to the file.
        for (const std::string& fix : record.fixes) spdlog::info("loadsgf {}: {}", args[0], fix);
        game_ = std::move(replayed.game);
        movedFor_ = {};
        loadedInformation_ = {};
        copyGameInformation(record, loadedInformation_);
        positionChanged();
        return {};
    } catch (const std::exception& e) {
        spdlog::warn("loadsgf: {}", e.what());
        return Reply::failure("cannot load file");
    }
}

Reply Engine::printsgf(const Args& args) {
    if (args.size() > 1) return kSyntaxError;
    if (!args.empty() && !options_.fileCommands) return Reply::failure("cannot save file: file commands are off");
    GameRecord record = recordOf(game_);
    copyGameInformation(loadedInformation_, record);
    if (movedFor_[colorIndex(Color::Black)]) {
        record.blackName = options_.name;
        record.blackRank.clear();
    }
    if (movedFor_[colorIndex(Color::White)]) {
        record.whiteName = options_.name;
        record.whiteRank.clear();
    }
    if (record.date.empty()) {
        const std::time_t now = std::time(nullptr);
        char date[16];
        std::tm local{};
        localtime_r(&now, &local);  // sessions of a TCP server run side by side
        std::strftime(date, sizeof date, "%Y-%m-%d", &local);
        record.date = date;
    }
    if (game_.isOver())
        record.result = score(game_.board(), game_.rules(), game_.komi(), game_.handicap(), deadStones()).result();
    const std::string text = writeGameRecord(record);
    if (args.empty()) return {true, text};
    try {
        writeFileAtomically(args[0], text);
    } catch (const std::exception& e) {
        spdlog::warn("printsgf: {}", e.what());
        return Reply::failure("cannot save file");
    }
    return {};
}

Reply Engine::setRules(const Args& args) {
    if (args.size() != 1) return kSyntaxError;
    const auto rules = Rules::fromSpec(args[0]);
    if (!rules) return Reply::failure("unknown rules");
    game_.setRules(*rules);
    return {};
}

}  // namespace tengen::gtp

namespace tengen::gtp {

play::AnalysisSnapshot Engine::quickAnalysis(Color color, std::chrono::milliseconds budget) {
    std::atomic<bool> stop{false};
    play::AnalysisSnapshot latest;
    const auto deadline = std::chrono::steady_clock::now() + budget;
    player_.analyse(game_, color, stop, std::chrono::milliseconds(50), [&](const play::AnalysisSnapshot& s) {
        latest = s;
        if (std::chrono::steady_clock::now() >= deadline) stop = true;
    });
    return latest;
}

std::string Engine::formatAnalysis(const play::AnalysisSnapshot& snapshot, AnalysisFormat format, bool withOwnership,
                                   Color toMove) const {
    if (snapshot.candidates.empty()) return "";
    const Geometry& g = game_.geometry();
    std::string line;
    int order = 0;
    for (const play::CandidateMove& c : snapshot.candidates) {
        // Lower confidence bound of the win rate, as Leela Zero and KataGo sort by.
        const double spread = c.visits > 0 ? 1.96 * std::sqrt(c.winrate * (1 - c.winrate) / c.visits) : 1.0;
        const double lcb = std::max(0.0, c.winrate - spread);
        if (!line.empty()) line += ' ';
        if (format == AnalysisFormat::LeelaZero) {
            line += fmt::format("info move {} visits {} winrate {} prior {} lcb {} order {} pv", g.vertexName(c.move),
                                c.visits, std::lround(c.winrate * 10000), std::lround(c.prior * 10000),
                                std::lround(lcb * 10000), order++);
        } else {
            line += fmt::format(
                "info move {} visits {} utility {:.6f} winrate {:.6f} scoreMean {:.3f} scoreStdev 0 scoreLead {:.3f} "
                "prior {:.6f} lcb {:.6f} utilityLcb {:.6f} order {} pv",
                g.vertexName(c.move), c.visits, 2 * c.winrate - 1, c.winrate, c.scoreLead, c.scoreLead, c.prior, lcb,
                2 * lcb - 1, order++);
        }
        for (Point p : c.principalVariation) line += " " + g.vertexName(p);
    }
    if (format == AnalysisFormat::KataGo && withOwnership && !snapshot.ownership.empty()) {
        // Row by row from the top left, for the side to move.
        line += " ownership";
        const double sign = toMove == Color::Black ? 1 : -1;
        for (int row = 0; row < g.size(); ++row)
            for (int col = 0; col < g.size(); ++col)
                line += fmt::format(" {:.4f}", sign * snapshot.ownership[g.point(col, row)] + 0.0);
    }
    return line + "\n";
}

Reply Engine::analyze(const Args& args, AnalysisFormat format, bool thenPlay) {
    // [color] [interval in centiseconds] [key value ...], as Leela Zero and KataGo take them.
    std::size_t next = 0;
    Color color = game_.toMove();
    if (next < args.size() && colorArg(args[next])) color = *colorArg(args[next++]);
    else if (thenPlay) return kSyntaxError;
    long centiseconds = 100;
    if (next < args.size() && integer(args[next], 0, 1000000)) centiseconds = *integer(args[next++], 0, 1000000);
    bool ownership = false;
    for (; next + 1 < args.size(); next += 2) {
        if (args[next] == "interval") {
            const auto value = integer(args[next + 1], 0, 1000000);
            if (!value) return kSyntaxError;
            centiseconds = *value;
        } else if (args[next] == "ownership") {
            ownership = args[next + 1] == "true";
        }
        // Other keys (minmoves, maxmoves, avoid, allow, ...) are accepted and ignored.
    }
    if (next != args.size()) return kSyntaxError;
    const auto interval = std::chrono::milliseconds(std::max<long>(centiseconds, 1) * 10);

    Reply reply;
    reply.stream = [this, color, interval, format, ownership, thenPlay](const std::atomic<bool>& stop,
                                                                        const Emit& emit) {
        // genmove variants think for a move's worth of time, or until interrupted.
        const auto started = std::chrono::steady_clock::now();
        const auto deadline = started + std::chrono::seconds(1);
        std::atomic<bool> done{false};
        play::AnalysisSnapshot last;
        player_.analyse(game_, color, thenPlay ? done : stop, interval, [&](const play::AnalysisSnapshot& snapshot) {
            last = snapshot;
            emit(formatAnalysis(snapshot, format, ownership, color));
            if (thenPlay && (stop || std::chrono::steady_clock::now() >= deadline)) done = true;
        });
        if (!thenPlay) return;
        // Candidates come best first.
        Point move = kPass;
        for (const play::CandidateMove& c : last.candidates)
            if (game_.isLegal({color, c.move})) {
                move = c.move;
                break;
            }
        movedFor_[colorIndex(color)] = true;
        game_.play({color, move});
        positionChanged();
        chargeClock(color, started);
        emit("play " + game_.geometry().vertexName(move) + "\n");
    };
    return reply;
}

}  // namespace tengen::gtp
