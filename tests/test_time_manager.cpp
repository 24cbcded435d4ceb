// Time management: whole games played against the clock under every kind of time setting,
// the clock's bookkeeping move by move, the fischer extension of kgs-time_settings, and the
// engine keeping its own clock when the controller sends no time_left.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <thread>

#include "gtp/engine.h"
#include "play/time_manager.h"

using namespace tengen;

namespace {

play::TimeSettings settingsOf(std::vector<std::string> kgsArgs) {
    const auto settings = play::TimeSettings::fromKgs(kgsArgs);
    REQUIRE(settings);
    return *settings;
}

struct SimulatedGame {
    int boardSize = 19;
    int movesPerSide = 250;
    // What each move costs beyond the thinking time it was given (less than the time
    // manager's lag allowance, as it must be).
    double overheadSeconds = 0.2;
};

struct SimulatedClockRun {
    std::vector<double> thinking;  // per move of ours
    play::ClockState finalClock;
    bool lostOnTime = false;
    int periodsLost = 0;
};

// Plays one side's moves of a game: each move spends its whole allowance plus the overhead,
// and the clock moves on as the engine's own bookkeeping has it. The board fills by about
// a point a move until captures and dame hold it at four fifths.
SimulatedClockRun simulate(const play::TimeSettings& settings, const SimulatedGame& game) {
    SimulatedClockRun run;
    play::ClockState clock = settings.freshClock();
    const int points = game.boardSize * game.boardSize;
    for (int move = 0; move < game.movesPerSide; ++move) {
        const int plies = 2 * move;
        const int stones = std::min(static_cast<int>(0.9 * plies), 4 * points / 5);
        const auto budget = play::thinkingTime(clock, play::GameStage{points, points - stones, plies});
        REQUIRE(budget);
        run.thinking.push_back(budget->count());
        const int periodsBefore = clock.periodsLeft;
        const play::ClockAfterMove after = play::clockAfterMove(clock, settings, budget->count() + game.overheadSeconds);
        clock = after.clock;
        REQUIRE(clock.mainSeconds >= 0);
        REQUIRE(clock.periodSeconds >= 0);
        if (settings.kind == play::TimeSettings::Kind::Byoyomi) run.periodsLost += periodsBefore - clock.periodsLeft;
        if (after.outOfTime) {
            run.lostOnTime = true;
            break;
        }
    }
    run.finalClock = clock;
    return run;
}

double average(const std::vector<double>& values, std::size_t from, std::size_t to) {
    double sum = 0;
    for (std::size_t i = from; i < to; ++i) sum += values.at(i);
    return sum / static_cast<double>(to - from);
}

}  // namespace

TEST_CASE("the time manager never exceeds its budget in simulated games", "[time]") {
    struct Case {
        std::vector<std::string> kgs;
        SimulatedGame game;
    };
    const std::vector<Case> cases = {
        {{"absolute", "60"}, {}},
        {{"absolute", "300"}, {}},
        {{"absolute", "1800"}, {}},
        {{"absolute", "60"}, {9, 80}},
        {{"absolute", "300"}, {9, 80}},
        {{"byoyomi", "0", "10", "5"}, {}},
        {{"byoyomi", "60", "5", "3"}, {}},
        {{"byoyomi", "600", "30", "1"}, {9, 100}},
        {{"canadian", "0", "300", "25"}, {}},
        {{"canadian", "10", "30", "5"}, {}},
        {{"canadian", "60", "10", "1"}, {9, 100}},
        {{"fischer", "60", "2"}, {}},
        {{"fischer", "5", "1"}, {}},
        {{"fischer", "3", "1"}, {9, 100}},
    };
    for (const Case& c : cases) {
        const play::TimeSettings settings = settingsOf(c.kgs);
        const SimulatedClockRun run = simulate(settings, c.game);
        std::string command = "kgs-time_settings";
        for (const std::string& arg : c.kgs) command += " " + arg;
        INFO(command << " on " << c.game.boardSize << "x" << c.game.boardSize);
        CHECK_FALSE(run.lostOnTime);
        CHECK(static_cast<int>(run.thinking.size()) == c.game.movesPerSide);
        CHECK(run.finalClock.mainSeconds >= 0);
        switch (settings.kind) {
        case play::TimeSettings::Kind::Byoyomi:
            // Each period is spent almost whole, and none is lost.
            CHECK(run.periodsLost == 0);
            CHECK(run.finalClock.periodsLeft == settings.periods);
            CHECK(run.thinking.back() >= settings.periodSeconds - 0.5 - 1e-9);
            break;
        case play::TimeSettings::Kind::Canadian:
            // The block's time goes to its stones, not much of it left unused.
            CHECK(run.thinking.back() >= settings.periodSeconds / settings.periodStones - 0.5 - 1e-9);
            break;
        case play::TimeSettings::Kind::Fischer:
            // Most of each increment goes into thinking, and the main time lasts.
            CHECK(average(run.thinking, 0, run.thinking.size()) >= 0.5 * settings.incrementSeconds);
            CHECK(run.finalClock.mainSeconds >= settings.incrementSeconds);
            break;
        default:
            break;
        }
    }
}

TEST_CASE("sudden death spends its time where the game is decided", "[time]") {
    const SimulatedClockRun run = simulate(settingsOf({"absolute", "300"}), {});
    REQUIRE_FALSE(run.lostOnTime);
    // Moves 40-90 of ours are the middle game (a fifth to half of the board filled), moves
    // 150-200 the late endgame, moves 0-10 the opening.
    const double opening = average(run.thinking, 0, 10);
    const double middleGame = average(run.thinking, 40, 90);
    const double lateEndgame = average(run.thinking, 150, 200);
    CHECK(middleGame > 1.5 * lateEndgame);
    CHECK(middleGame > opening);
    // Most of the clock is used, not hoarded: thinking and overhead take over half of it.
    CHECK(run.finalClock.mainSeconds < 150);
}

TEST_CASE("thinking time stays inside every clock with a safety margin", "[time]") {
    const play::TimeManagerOptions options;
    const play::GameStage stages[] = {{361, 361, 0}, {361, 200, 170}, {361, 80, 400}, {81, 40, 45}, {4, 1, 3}};
    for (const play::GameStage& stage : stages)
        for (double main : {0.0, 0.3, 1.0, 30.0, 600.0, 7200.0})
            for (double period : {0.0, 0.4, 10.0, 30.0})
                for (int stones : {0, 1, 5, 25})
                    for (double increment : {0.0, 3.0}) {
                        play::ClockState clock;
                        clock.timed = true;
                        clock.mainSeconds = main;
                        clock.periodSeconds = increment > 0 ? 0 : period;
                        clock.periodStones = stones;
                        clock.stonesLeftInPeriod = stones;
                        clock.periodsLeft = stones == 0 ? 3 : 0;
                        clock.incrementSeconds = increment;
                        const auto budget = play::thinkingTime(clock, stage, options);
                        REQUIRE(budget);
                        INFO("main " << main << " period " << clock.periodSeconds << " stones " << stones
                                     << " increment " << increment << " empty " << stage.emptyPoints);
                        // What this move may take without losing the game or a period, and
                        // the margin it keeps free where it ends (in the main time, or in the
                        // period or the block's share for this stone): the lag allowance, or
                        // half of a small time.
                        const double overtime =
                            clock.hasOvertime() ? clock.periodSeconds / std::max(1, clock.stonesLeftInPeriod) : 0;
                        const double available = main + overtime;
                        const double margin = std::min(options.lagSeconds, (clock.hasOvertime() ? overtime : main) / 2);
                        CHECK(budget->count() <= std::max(options.minimumSeconds, available - margin) + 1e-9);
                        CHECK(budget->count() >= options.minimumSeconds);
                        // Overtime gives every move its share anyway: no move takes less.
                        if (clock.hasOvertime()) CHECK(budget->count() >= overtime - margin - 1e-9);
                    }
    play::ClockState untimed;
    CHECK_FALSE(play::thinkingTime(untimed, play::GameStage{}));
}

TEST_CASE("the clock after a move", "[time]") {
    SECTION("sudden death, and out of time") {
        const play::TimeSettings settings = settingsOf({"absolute", "60"});
        auto after = play::clockAfterMove(settings.freshClock(), settings, 10);
        CHECK_FALSE(after.outOfTime);
        CHECK(after.clock.mainSeconds == Approx(50));
        after = play::clockAfterMove(after.clock, settings, 50.5);
        CHECK(after.outOfTime);
        CHECK(after.clock.mainSeconds == 0);
        CHECK(play::thinkingTime(after.clock, play::GameStage{})->count() == Approx(play::TimeManagerOptions{}.minimumSeconds));
    }
    SECTION("Fischer adds the increment after the move") {
        const play::TimeSettings settings = settingsOf({"fischer", "60", "2"});
        auto after = play::clockAfterMove(settings.freshClock(), settings, 10);
        CHECK_FALSE(after.outOfTime);
        CHECK(after.clock.mainSeconds == Approx(52));
        CHECK(after.clock.incrementSeconds == 2);
        // A move must end inside the time left; the increment comes too late to save it.
        CHECK(play::clockAfterMove(after.clock, settings, 53).outOfTime);
    }
    SECTION("Japanese byo-yomi: the period resets, and is lost only when overrun") {
        const play::TimeSettings settings = settingsOf({"byoyomi", "30", "10", "3"});
        auto after = play::clockAfterMove(settings.freshClock(), settings, 35);
        CHECK_FALSE(after.outOfTime);
        CHECK(after.clock.inByoyomi());
        CHECK(after.clock.periodsLeft == 3);
        CHECK(after.clock.periodSeconds == Approx(10));
        after = play::clockAfterMove(after.clock, settings, 9.9);
        CHECK(after.clock.periodsLeft == 3);
        after = play::clockAfterMove(after.clock, settings, 25);
        CHECK_FALSE(after.outOfTime);
        CHECK(after.clock.periodsLeft == 1);
        CHECK(after.clock.periodSeconds == Approx(10));
        after = play::clockAfterMove(after.clock, settings, 10);
        CHECK(after.outOfTime);
        // A period partly used when time_left was sent: what is left of it counts.
        const play::ClockState reported = settings.clockFromTimeLeft(4, 2);
        after = play::clockAfterMove(reported, settings, 5);
        CHECK(after.clock.periodsLeft == 1);
        CHECK(after.clock.periodSeconds == Approx(10));
    }
    SECTION("Canadian: stones count down through the block, which then starts afresh") {
        const play::TimeSettings settings = settingsOf({"canadian", "10", "30", "5"});
        auto after = play::clockAfterMove(settings.freshClock(), settings, 12);
        CHECK(after.clock.inByoyomi());
        CHECK(after.clock.periodSeconds == Approx(28));
        CHECK(after.clock.stonesLeftInPeriod == 4);
        for (int i = 0; i < 3; ++i) after = play::clockAfterMove(after.clock, settings, 5);
        CHECK(after.clock.periodSeconds == Approx(13));
        CHECK(after.clock.stonesLeftInPeriod == 1);
        after = play::clockAfterMove(after.clock, settings, 12);
        CHECK_FALSE(after.outOfTime);
        CHECK(after.clock.periodSeconds == Approx(30));
        CHECK(after.clock.stonesLeftInPeriod == 5);
        CHECK(play::clockAfterMove(after.clock, settings, 30).outOfTime);
    }
    SECTION("no time limit") {
        const play::TimeSettings settings;
        const auto after = play::clockAfterMove(settings.freshClock(), settings, 1000);
        CHECK_FALSE(after.outOfTime);
        CHECK_FALSE(after.clock.timed);
    }
}

TEST_CASE("kgs-time_settings fischer main increment", "[time][gtp]") {
    const auto fischer = play::TimeSettings::fromKgs({"fischer", "600", "10"});
    REQUIRE(fischer);
    CHECK(fischer->kind == play::TimeSettings::Kind::Fischer);
    CHECK(fischer->mainSeconds == 600);
    CHECK(fischer->incrementSeconds == 10);
    const play::ClockState fresh = fischer->freshClock();
    CHECK(fresh.timed);
    CHECK(fresh.mainSeconds == 600);
    CHECK(fresh.incrementSeconds == 10);
    CHECK_FALSE(fresh.hasOvertime());
    // time_left gives the main time, increments included; Fischer has no overtime, so
    // stones, if any, change nothing.
    for (int stones : {0, 3}) {
        const play::ClockState left = fischer->clockFromTimeLeft(42.5, stones);
        CHECK(left.mainSeconds == 42.5);
        CHECK(left.incrementSeconds == 10);
        CHECK_FALSE(left.inByoyomi());
    }
    for (const std::vector<std::string>& bad : std::vector<std::vector<std::string>>{
             {"fischer"}, {"fischer", "600"}, {"fischer", "600", "-1"}, {"fischer", "x", "10"}, {"fischer", "600", "10", "1"}})
        CHECK_FALSE(play::TimeSettings::fromKgs(bad));
    // The other kinds read as before.
    const auto byoyomi = play::TimeSettings::fromKgs({"byoyomi", "600", "30", "5"});
    REQUIRE(byoyomi);
    CHECK(byoyomi->kind == play::TimeSettings::Kind::Byoyomi);
    CHECK(byoyomi->incrementSeconds == 0);
    CHECK(byoyomi->freshClock().incrementSeconds == 0);
}

namespace {

// Plays the first legal point, after a short think, and remembers the clocks it was given.
class ClockRecordingPlayer final : public play::Player {
public:
    std::vector<play::ClockState> clocks;
    std::string name() const override { return "clock recorder"; }
    Point chooseMove(const Game& game, const play::MoveRequest& request) override {
        clocks.push_back(request.clock);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        for (int i = 0; i < game.board().emptyCount(); ++i)
            if (game.isLegal({request.color, game.board().emptyAt(i)})) return game.board().emptyAt(i);
        return kPass;
    }
};

void run(gtp::Engine& engine, const std::string& command) {
    INFO(command);
    REQUIRE(engine.execute(*gtp::parseCommandLine(command)).success);
}

}  // namespace

TEST_CASE("without time_left the engine keeps its own clock", "[time][gtp]") {
    ClockRecordingPlayer player;
    gtp::Engine engine(player, {});
    run(engine, "boardsize 9");

    SECTION("sudden death, then time_left overrides") {
        run(engine, "time_settings 60 0 0");
        run(engine, "genmove b");
        run(engine, "genmove w");
        run(engine, "genmove b");
        REQUIRE(player.clocks.size() == 3);
        CHECK(player.clocks[0].mainSeconds == 60);
        CHECK(player.clocks[1].mainSeconds == 60);  // White's clock is its own
        CHECK(player.clocks[2].mainSeconds <= 60 - 0.02);
        CHECK(player.clocks[2].mainSeconds > 55);
        run(engine, "time_left b 30 0");
        run(engine, "genmove b");
        CHECK(player.clocks[3].mainSeconds == 30);
        // A new game starts with a full clock.
        run(engine, "clear_board");
        run(engine, "genmove b");
        CHECK(player.clocks[4].mainSeconds == 60);
    }
    SECTION("Japanese byo-yomi keeps its periods") {
        run(engine, "kgs-time_settings byoyomi 0 10 3");
        run(engine, "genmove b");
        run(engine, "genmove b");
        REQUIRE(player.clocks.size() == 2);
        CHECK(player.clocks[1].inByoyomi());
        CHECK(player.clocks[1].periodsLeft == 3);
        CHECK(player.clocks[1].periodSeconds == 10);
    }
    SECTION("Canadian counts its stones") {
        run(engine, "time_settings 0 30 5");
        run(engine, "genmove b");
        run(engine, "genmove b");
        REQUIRE(player.clocks.size() == 2);
        CHECK(player.clocks[1].stonesLeftInPeriod == 4);
        CHECK(player.clocks[1].periodSeconds < 30);
        CHECK(player.clocks[1].periodSeconds > 25);
    }
    SECTION("Fischer adds the increment") {
        run(engine, "kgs-time_settings fischer 10 2");
        run(engine, "genmove b");
        run(engine, "genmove b");
        REQUIRE(player.clocks.size() == 2);
        CHECK(player.clocks[0].mainSeconds == 10);
        CHECK(player.clocks[1].mainSeconds > 10);
        CHECK(player.clocks[1].mainSeconds < 12);
        CHECK(player.clocks[1].incrementSeconds == 2);
    }
    SECTION("reg_genmove plays nothing and costs nothing") {
        run(engine, "time_settings 60 0 0");
        run(engine, "reg_genmove b");
        run(engine, "genmove b");
        REQUIRE(player.clocks.size() == 2);
        CHECK(player.clocks[1].mainSeconds == 60);
    }
}

TEST_CASE("time saved on a move carries over only where the clock banks it", "[time]") {
    CHECK(play::savedTimeCarriesOver(settingsOf({"absolute", "60"}).freshClock()));
    CHECK(play::savedTimeCarriesOver(settingsOf({"fischer", "60", "2"}).freshClock()));
    const play::TimeSettings byoyomi = settingsOf({"byoyomi", "30", "10", "3"});
    CHECK(play::savedTimeCarriesOver(byoyomi.freshClock()));
    CHECK_FALSE(play::savedTimeCarriesOver(play::clockAfterMove(byoyomi.freshClock(), byoyomi, 35).clock));
    const play::TimeSettings canadian = settingsOf({"canadian", "0", "30", "2"});
    auto clock = canadian.freshClock();
    CHECK(play::savedTimeCarriesOver(clock));
    clock = play::clockAfterMove(clock, canadian, 5).clock;
    CHECK_FALSE(play::savedTimeCarriesOver(clock));
    // time_settings 0 1 1, as tengen match sends for --time-per-move 1.
    CHECK_FALSE(play::savedTimeCarriesOver(settingsOf({"canadian", "0", "1", "1"}).freshClock()));
    CHECK_FALSE(play::savedTimeCarriesOver(play::TimeSettings{}.freshClock()));
}
