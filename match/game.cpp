#include "match/game.h"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

#include "go/dead_stones.h"
#include "go/handicap.h"
#include "go/scoring.h"

namespace tengen::match {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

// An engine lost the game by something it did (or failed to do).
struct Forfeit {
    Color loser;
    std::string reason;
    std::string detail;
};

char colorLetter(Color c) { return c == Color::Black ? 'B' : 'W'; }
std::string colorWord(Color c) { return c == Color::Black ? "black" : "white"; }

// KGS's name for a rules preset.
std::string kgsPresetName(const std::string& preset) {
    if (preset == "new-zealand" || preset == "nz") return "new_zealand";
    if (preset == "tromp-taylor") return "chinese";
    return preset;
}

// Sends to one engine; anything that goes wrong is that engine's forfeit.
class Side {
public:
    Side(RunningEngine& engine, Color color) : engine_(engine), color_(color) {}
    RunningEngine& engine() { return engine_; }
    Color color() const { return color_; }

    gtp::GtpReply send(const std::string& command, milliseconds timeout, const char* timeoutReason = reason::kTimeout) {
        try {
            return engine_.client->send(command, timeout);
        } catch (const gtp::GtpClientError& e) {
            throw Forfeit{color_, classify(e, timeoutReason), e.what()};
        }
    }
    void sendOk(const std::string& command, milliseconds timeout) {
        const gtp::GtpReply reply = send(command, timeout);
        if (!reply.ok)
            throw Forfeit{color_, reason::kError,
                          fmt::format("{} ({}) refused '{}': {}", engine_.client->name(), colorWord(color_), command,
                                      reply.text)};
    }

private:
    static std::string classify(const gtp::GtpClientError& e, const char* timeoutReason) {
        switch (e.kind()) {
        case gtp::GtpClientError::Kind::Timeout: return timeoutReason;
        case gtp::GtpClientError::Kind::Garbage: return reason::kGarbage;
        case gtp::GtpClientError::Kind::Rejected: return reason::kError;
        case gtp::GtpClientError::Kind::Start:
        case gtp::GtpClientError::Kind::Closed:
        case gtp::GtpClientError::Kind::Other: return reason::kCrash;
        }
        return reason::kCrash;
    }
    RunningEngine& engine_;
    Color color_;
};

// Sends kgs-rules: the whole spec first ("chinese,ko=simple", which Tengen understands),
// then, if that is refused, the preset alone, which KGS engines know.
void sendKgsRules(Side& side, const std::string& rulesName, milliseconds timeout) {
    const std::size_t comma = rulesName.find(',');
    const std::string preset = kgsPresetName(rulesName.substr(0, comma));
    const std::string overrides = comma == std::string::npos ? "" : rulesName.substr(comma);
    if (!side.send("kgs-rules " + preset + overrides, timeout).ok && !overrides.empty())
        side.send("kgs-rules " + preset, timeout);
}

PointSet parseVertices(const Geometry& g, const std::string& text) {
    PointSet set;
    std::istringstream in(text);
    std::string word;
    while (in >> word)
        if (const auto p = g.parseVertex(word); p && *p >= 0) set.set(static_cast<std::size_t>(*p));
    return set;
}

// The referee engine replays the game and names the dead stones; Tengen scores with them,
// so the count follows the match's rules even when the referee's own rules differ.
std::optional<PointSet> refereeDeadStones(RunningEngine& referee, const Game& game, const GameSettings& settings,
                                          const std::vector<Point>& handicapStones, std::string& note) {
    const Geometry& g = game.geometry();
    std::vector<std::string> commands = {fmt::format("boardsize {}", settings.size), "clear_board",
                                         fmt::format("komi {}", settings.komi)};
    if (!handicapStones.empty()) {
        std::string setup = "set_free_handicap";
        for (Point p : handicapStones) setup += " " + g.vertexName(p);
        commands.push_back(setup);
    }
    for (const Move& m : game.moves()) commands.push_back(fmt::format("play {} {}", colorWord(m.color), g.vertexName(m.point)));
    commands.push_back("final_status_list dead");
    try {
        const std::vector<gtp::GtpReply> replies = referee.client->sendAll(commands, settings.moveTimeout);
        for (std::size_t i = 0; i < replies.size(); ++i)
            if (!replies[i].ok) {
                note = fmt::format("referee {} refused '{}': {}; scored by Tengen instead", referee.client->name(),
                                   commands[i], replies[i].text);
                return std::nullopt;
            }
        return parseVertices(g, replies.back().text);
    } catch (const gtp::GtpClientError& e) {
        note = fmt::format("referee failed ({}); scored by Tengen instead", e.what());
        return std::nullopt;
    }
}

void scoreGame(PlayedGame& outcome, const GameSettings& settings, RunningEngine* referee,
               const std::vector<Point>& handicapStones, std::uint64_t seed, const char* why) {
    const Game& game = outcome.game;
    std::string note;
    std::optional<PointSet> dead;
    if (referee) dead = refereeDeadStones(*referee, game, settings, handicapStones, note);
    if (!dead) dead = findDeadStones(game, DeadStoneOptions{settings.deadStonePlayouts, seed});
    const Score score = tengen::score(game.board(), settings.rules, settings.komi, game.handicap(), *dead);
    outcome.reason = why;
    outcome.result = score.result();
    if (score.winner() != Color::Empty) outcome.winner = score.winner();
    outcome.detail = fmt::format("{} {} to {} after {} moves, {} dead stones{}{}",
                                 why == reason::kMoveCap ? "move cap reached; scored" : "scored", score.black,
                                 score.white, game.moves().size(), dead->count(), referee && note.empty() ? " (referee " + referee->client->name() + ")" : "",
                                 note.empty() ? "" : "; " + note);
}

}  // namespace

PlayedGame playGame(const GameSettings& settings, GameEngines engines, const std::vector<Point>& opening,
                     std::uint64_t seed) {
    PlayedGame outcome;
    outcome.game = Game(settings.size, settings.rules, settings.komi);
    Game& game = outcome.game;
    const Geometry& g = game.geometry();
    Side sides[2] = {Side(*engines.black, Color::Black), Side(*engines.white, Color::White)};
    auto side = [&](Color c) -> Side& { return sides[c == Color::Black ? 0 : 1]; };
    const play::TimeSettings& tc = settings.time;
    play::ClockState clocks[2] = {tc.freshClock(), tc.freshClock()};
    const int maxMoves = settings.maxMoves > 0 ? settings.maxMoves : 3 * settings.size * settings.size;
    std::vector<Point> handicapStones;

    try {
        for (Side& s : sides) {
            if (!s.engine().client->alive())
                throw Forfeit{s.color(), reason::kCrash, fmt::format("{} is not running", s.engine().client->name())};
            s.sendOk(fmt::format("boardsize {}", settings.size), settings.moveTimeout);
            s.sendOk("clear_board", settings.moveTimeout);
            s.sendOk(fmt::format("komi {}", settings.komi), settings.moveTimeout);
            if (s.engine().knowsKgsRules) sendKgsRules(s, settings.rulesName, settings.moveTimeout);
            const std::optional<std::string> timeSettings = tc.gtpArguments();
            if (tc.timed() && timeSettings && s.engine().knowsTimeSettings)
                s.sendOk("time_settings " + *timeSettings, settings.moveTimeout);
        }
        if (settings.handicap >= 2) {
            handicapStones = fixedHandicapPoints(g, settings.handicap);
            if (handicapStones.empty())
                throw std::invalid_argument(fmt::format("no fixed handicap of {} on {}x{}", settings.handicap,
                                                        settings.size, settings.size));
            for (Side& s : sides) s.sendOk(fmt::format("fixed_handicap {}", settings.handicap), settings.moveTimeout);
            game.placeHandicap(handicapStones);
        }
        for (Point p : opening) {
            const Move move{game.toMove(), p};
            if (!game.isLegal(move)) break;
            for (Side& s : sides)
                s.sendOk(fmt::format("play {} {}", colorWord(move.color), g.vertexName(p)), settings.moveTimeout);
            game.play(move);
            outcome.moveSeconds.push_back(0);
        }

        while (!game.isOver()) {
            if (static_cast<int>(game.moves().size()) >= maxMoves) {
                scoreGame(outcome, settings, engines.referee, handicapStones, seed, reason::kMoveCap);
                break;
            }
            const Color mover = game.toMove();
            Side& me = side(mover);
            Side& other = side(opponent(mover));
            play::ClockState& clock = clocks[mover == Color::Black ? 0 : 1];
            milliseconds timeout = settings.moveTimeout;
            double allowed = 0;
            if (tc.timed()) {
                allowed = play::secondsBeforeFlag(clock);
                const std::optional<std::string> timeLeft = play::timeLeftArguments(clock);
                if (me.engine().knowsTimeLeft && timeLeft)
                    me.sendOk(fmt::format("time_left {} {}", colorWord(mover), *timeLeft), settings.moveTimeout);
                // Past the flag plus margin the game is lost anyway: stop waiting then.
                timeout = milliseconds(static_cast<long long>((allowed + settings.timeMarginSeconds) * 1000) + 1);
            }
            const auto started = Clock::now();
            const gtp::GtpReply reply = me.send("genmove " + colorWord(mover), timeout, tc.timed() ? reason::kTime : reason::kTimeout);
            const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
            (mover == Color::Black ? outcome.blackSeconds : outcome.whiteSeconds) += seconds;
            if (!reply.ok)
                throw Forfeit{mover, reason::kError,
                              fmt::format("{} refused genmove: {}", me.engine().client->name(), reply.text)};
            if (tc.timed()) {
                if (seconds > allowed + settings.timeMarginSeconds)
                    throw Forfeit{mover, reason::kTime,
                                  fmt::format("{} took {:.2f}s with {:.2f}s left", me.engine().client->name(), seconds,
                                              allowed)};
                // Lag within the margin is the transport's, not the engine's: a move that ends
                // inside it is charged as ending a microsecond before the flag.
                clock = play::clockAfterMove(clock, tc, std::min(seconds, std::max(0.0, allowed - 1e-6))).clock;
            }
            std::string text = reply.text;
            const auto end = text.find_last_not_of(" \t\r\n");
            text = end == std::string::npos ? "" : text.substr(0, end + 1);
            const std::optional<Point> point = g.parseVertex(text);
            if (!point)
                throw Forfeit{mover, reason::kGarbage,
                              fmt::format("{} answered '{}' to genmove", me.engine().client->name(), text)};
            if (*point == kResign) {
                outcome.winner = opponent(mover);
                outcome.result = fmt::format("{}+R", colorLetter(opponent(mover)));
                outcome.reason = reason::kResign;
                outcome.detail = fmt::format("{} resigned after {} moves", me.engine().client->name(), game.moves().size());
                break;
            }
            const Move move{mover, *point};
            if (const Legality legality = game.legality(move); legality != Legality::Legal)
                throw Forfeit{mover, reason::kIllegal,
                              fmt::format("{} played {} {}: {}", me.engine().client->name(), colorWord(mover), text,
                                          legalityReason(legality))};
            game.play(move);
            outcome.moveSeconds.push_back(seconds);
            const gtp::GtpReply played = other.send(fmt::format("play {} {}", colorWord(mover), g.vertexName(*point)),
                                               settings.moveTimeout);
            if (!played.ok)
                throw Forfeit{opponent(mover), reason::kError,
                              fmt::format("{} refused the legal move {} {}: {}", other.engine().client->name(),
                                          colorWord(mover), g.vertexName(*point), played.text)};
        }
        if (game.isOver() && outcome.reason.empty())
            scoreGame(outcome, settings, engines.referee, handicapStones, seed, reason::kScore);
    } catch (const Forfeit& f) {
        outcome.winner = opponent(f.loser);
        outcome.faulty = f.loser;
        outcome.reason = f.reason;
        outcome.detail = f.detail;
        // SGF: T for time, F for forfeit (illegal move, crash, garbage).
        const bool onTime = f.reason == reason::kTime || f.reason == reason::kTimeout;
        outcome.result = fmt::format("{}+{}", colorLetter(opponent(f.loser)), onTime ? 'T' : 'F');
        // Only a dead or desynchronised engine needs a restart; one that merely lost on
        // time or played an illegal move is reset by clear_board, but restarting is cheap
        // and guarantees a clean state, so every forfeit restarts.
        side(f.loser).engine().client->kill();
    }
    return outcome;
}

}  // namespace tengen::match
