#pragma once
// The engine side of GTP: one game, its settings, and the command table. Transport
// (stdio, TCP) and framing live elsewhere; this class only turns commands into replies.

#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "go/game.h"
#include "go/sgf_game.h"
#include "gtp/command_line.h"
#include "play/player.h"
#include "play/clock.h"

namespace tengen::gtp {

struct EngineOptions {
    std::string name = "Tengen";
    std::string version;
    int boardSize = 19;
    double komi = 7.5;
    Rules rules = Rules::chinese();
    int deadStonePlayouts = 400;
    std::size_t maxSgfBytes = std::size_t{16} << 20;
    // loadsgf and printsgf FILE read and write the engine's files: off when anyone who can
    // reach a listening socket may send commands.
    bool fileCommands = true;
};

// Writes part of a streamed response (analysis lines).
using Emit = std::function<void(std::string_view)>;

struct Reply {
    bool success = true;
    std::string text;
    // Set for commands that stream (lz-analyze, kata-analyze, lz-genmove_analyze,
    // kata-genmove_analyze): the session writes "=", runs this until it returns or `stop` is
    // set by the next command arriving, then ends the response with a blank line.
    std::function<void(const std::atomic<bool>& stop, const Emit& emit)> stream{};
    static Reply failure(std::string text) { return {false, std::move(text), {}}; }
};

class Engine {
public:
    Engine(play::Player& player, EngineOptions options);

    // Runs one command. Failing commands leave the game as it was.
    Reply execute(const CommandLine& command);
    bool quitRequested() const { return quit_; }
    bool knows(const std::string& name) const;
    std::vector<std::string> commandNames() const;

    const Game& game() const { return game_; }
    play::Player& player() { return player_; }

private:
    using Args = std::vector<std::string>;
    using Handler = std::function<Reply(const Args&)>;
    void add(std::string name, Handler handler);
    void registerCommands();

    Reply boardsize(const Args& args);
    Reply play(const Args& args);
    Reply genmove(const Args& args, bool cleanup, bool playIt);
    Reply fixedHandicap(const Args& args);
    Reply placeFreeHandicap(const Args& args);
    Reply setFreeHandicap(const Args& args);
    Reply finalScore();
    Reply finalStatusList(const Args& args);
    Reply timeSettings(const std::optional<play::TimeSettings>& settings);
    Reply timeLeft(const Args& args);
    // Takes the time since `moveStarted` off the side's clock, as the controller's clock does.
    void chargeClock(Color color, std::chrono::steady_clock::time_point moveStarted);
    Reply loadsgf(const Args& args);
    Reply printsgf(const Args& args);
    Reply setRules(const Args& args);
    enum class AnalysisFormat { LeelaZero, KataGo };
    Reply analyze(const Args& args, AnalysisFormat format, bool thenPlay);
    std::string formatAnalysis(const play::AnalysisSnapshot& snapshot, AnalysisFormat format, bool withOwnership,
                               Color toMove) const;
    play::AnalysisSnapshot quickAnalysis(Color color, std::chrono::milliseconds budget);

    std::optional<Color> colorArg(const std::string& text) const;
    std::optional<Point> vertexArg(const std::string& text) const;
    std::string vertexList(const std::vector<Point>& points) const;
    PointSet deadStones() const;
    void newGame(int size);
    void positionChanged();

    play::Player& player_;
    EngineOptions options_;
    Game game_;
    play::TimeSettings timeSettings_;
    std::array<play::ClockState, 3> clocks_{};  // by colorIndex
    std::array<bool, 3> movedFor_{};  // colours this engine chose moves for, by colorIndex
    // The players, ranks, event and date of the game loadsgf read, for printsgf to keep.
    GameRecord loadedInformation_;
    bool quit_ = false;
    std::vector<std::pair<std::string, Handler>> commands_;
};

}  // namespace tengen::gtp
