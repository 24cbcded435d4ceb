// tengen match end to end: misbehaving engines forfeit with the right reason while the
// match goes on, a killed match resumes without losing or doubling a game, a TCP engine
// plays, and GNU Go plays Tengen.
#include <catch2/catch.hpp>

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "go/sgf_game.h"
#include "tests/command_output.h"
#include "play/clock.h"
#include "match/results.h"
#include "match/runner.h"
#include "play/simple_player.h"
#include "gtp/tcp_server.h"

using namespace tengen;
namespace fs = std::filesystem;

namespace {

const std::string kFake = std::string(TENGEN_TESTS_DIR) + "/fake_engines/misbehaving_engine.sh";
// The matches here test the runner, not strength: a short search keeps the games quick.
const std::string kTengen = std::string(TENGEN_BINARY) + " gtp --log-level off --visits 200";

fs::path freshDirectory(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / fmt::format("tengen-match-{}-{}", name, ::getpid());
    fs::remove_all(dir);
    return dir;
}

// Starts `tengen match ARGS` with its output in `log`; returns the pid.
pid_t spawnMatch(std::vector<std::string> args, const fs::path& log) {
    args.insert(args.begin(), "match");
    return test::spawnTengen(args, log);
}

using test::waitExit;

std::string readFile(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<nlohmann::json> resultLines(const fs::path& dir) {
    std::vector<nlohmann::json> lines;
    std::istringstream in(readFile(dir / "results.jsonl"));
    std::string line;
    while (std::getline(in, line))
        if (!line.empty()) lines.push_back(nlohmann::json::parse(line));
    return lines;
}

// Every result has its SGF, which replays legally and carries the same result.
void checkRecords(const fs::path& dir, const std::vector<nlohmann::json>& lines) {
    std::set<std::string> listed;
    for (const auto& line : lines) {
        const std::string sgf = line.at("sgf");
        listed.insert(fs::path(sgf).filename().string());
        INFO(sgf);
        REQUIRE(fs::exists(dir / sgf));
        const std::vector<GameRecord> records = readGameRecords(readFile(dir / sgf), sgf);
        REQUIRE(records.size() == 1);
        CHECK(records[0].result == line.at("result").get<std::string>());
        CHECK(records[0].blackName == line.at("black").get<std::string>());
        CHECK(records[0].whiteName == line.at("white").get<std::string>());
        CHECK(!replay(records[0]).error);
    }
    std::set<std::string> files;
    for (const auto& entry : fs::directory_iterator(dir / "games")) files.insert(entry.path().filename().string());
    CHECK(files == listed);
}

}  // namespace

TEST_CASE("the referee's clock: periods, main time, and time_left in whole seconds", "[match][clock]") {
    using play::secondsBeforeFlag;
    using play::timeLeftArguments;
    SECTION("fixed time per move starts in byo-yomi and never claims 0 s left") {
        const play::TimeSettings settings = play::TimeSettings::perMove(0.5);
        CHECK(settings.describe() == "0.5s/move");
        play::ClockState clock = settings.freshClock();
        CHECK(secondsBeforeFlag(clock) == Approx(0.5));
        CHECK_FALSE(timeLeftArguments(clock));  // 0.5 s is not a whole second; "0 1" would be a lie
        clock = play::clockAfterMove(clock, settings, 0.4).clock;
        CHECK(secondsBeforeFlag(clock) == Approx(0.5));  // a new period for every move
        CHECK(timeLeftArguments(play::TimeSettings::perMove(2.5).freshClock()) == "2 1");
    }
    SECTION("main time, then Canadian periods of several moves") {
        const play::TimeSettings settings = play::TimeSettings::canadian(10, 30, 5);
        CHECK(settings.describe() == "10s + 30s/5 moves");
        CHECK(settings.gtpArguments() == "10 30 5");
        play::ClockState clock = settings.freshClock();
        const auto charge = [&](double seconds) { clock = play::clockAfterMove(clock, settings, seconds).clock; };
        CHECK(timeLeftArguments(clock) == "10 0");
        CHECK(secondsBeforeFlag(clock) == Approx(40));
        charge(4.5);
        CHECK(timeLeftArguments(clock) == "5 0");
        charge(8);  // 5.5 s of main time, then 2.5 s of the first period
        CHECK(timeLeftArguments(clock) == "27 4");
        CHECK(secondsBeforeFlag(clock) == Approx(27.5));
        for (int move = 0; move < 3; ++move) charge(9);
        CHECK(secondsBeforeFlag(clock) == Approx(0.5));
        CHECK_FALSE(timeLeftArguments(clock));
        charge(0.4);  // the fifth move of the period: a fresh period
        CHECK(timeLeftArguments(clock) == "30 5");
    }
    SECTION("main time alone is sudden death") {
        const play::TimeSettings settings = play::TimeSettings::canadian(300, 0, 1);
        CHECK(settings.describe() == "300s");
        CHECK(settings.gtpArguments() == "300 0 0");
        CHECK(secondsBeforeFlag(settings.freshClock()) == Approx(300));
        CHECK(play::clockAfterMove(settings.freshClock(), settings, 301).outOfTime);
        CHECK_FALSE(play::TimeSettings::canadian(0, 0, 1).timed());
    }
}

TEST_CASE("misbehaving engines lose with the right reason and the match goes on", "[match][fake][integration]") {
    const fs::path dir = freshDirectory("fakes");
    match::MatchOptions options;
    options.engines.push_back(match::parseEngineSpec("tengen=" + kTengen));
    for (const char* mode : {"illegal", "crash", "hang", "garbage", "slow"})
        options.engines.push_back(match::parseEngineSpec(fmt::format("{}={} {} 3", mode, kFake, mode)));
    options.schedule = match::ScheduleKind::Gauntlet;
    options.gamesPerPairing = 2;  // each fake plays both colours, the second time restarted
    options.game.size = 9;
    options.game.time = play::TimeSettings::perMove(1);
    options.game.timeMarginSeconds = 0.3;
    options.concurrency = 2;
    options.outDir = dir.string();
    options.progress = match::ProgressStyle::Quiet;
    std::ostringstream out, progress;
    const match::MatchReport report = match::runMatch(options, out, progress);
    INFO(out.str());

    const std::map<std::string, std::string> expected = {
        {"illegal", "illegal"}, {"crash", "crash"}, {"hang", "time"}, {"garbage", "garbage"}, {"slow", "time"}};
    const auto lines = resultLines(dir);
    REQUIRE(lines.size() == 10);
    for (const auto& line : lines) {
        const std::string fake = line["black"] == "tengen" ? line["white"] : line["black"];
        INFO(line.dump());
        CHECK(line["reason"] == expected.at(fake));
        CHECK(line["winner"] == (line["black"] == "tengen" ? "black" : "white"));
        CHECK(line["moves"].get<int>() >= 4);  // two ordinary moves came first
    }
    CHECK(report.pairings.size() == 5);
    for (const auto& p : report.pairings) CHECK(p.stats.record.wins == 2);
    checkRecords(dir, lines);
    CHECK(readFile(dir / lines[0]["sgf"].get<std::string>()).find("GC[") != std::string::npos);
    fs::remove_all(dir);
}

TEST_CASE("rules with overrides reach Tengen whole and KGS engines as the preset", "[match][fake][integration]") {
    const fs::path dir = freshDirectory("kgs-rules");
    match::MatchOptions options;
    options.engines.push_back(match::parseEngineSpec("tengen=" + kTengen));
    options.engines.push_back(match::parseEngineSpec(fmt::format("kgs={} kgs", kFake)));
    options.gamesPerPairing = 2;
    options.game.size = 9;
    options.game.rulesName = "chinese,ko=simple";
    options.game.rules = *Rules::fromSpec(options.game.rulesName);
    options.concurrency = 1;
    options.outDir = dir.string();
    options.progress = match::ProgressStyle::Quiet;
    std::ostringstream out, progress;
    match::runMatch(options, out, progress);
    // The fake resigns only once told a preset it knows; Tengen took the whole spec.
    const auto lines = resultLines(dir);
    REQUIRE(lines.size() == 2);
    for (const auto& line : lines) {
        INFO(line.dump());
        CHECK(line["reason"] == "resign");
        CHECK(line["detail"].get<std::string>().find("kgs resigned") != std::string::npos);
    }
    fs::remove_all(dir);
}

TEST_CASE("a killed match resumes without losing or doubling games", "[match][resume][integration]") {
    const fs::path dir = freshDirectory("resume");
    const fs::path log = fs::path(dir.string() + ".log");
    const std::vector<std::string> args = {"--engine", "a=" + kTengen + " --seed 1", "--engine", "b=" + kTengen + " --seed 2",
                                           "--games", "10", "--size", "9", "--random-opening", "2",
                                           "--concurrency", "2", "--dead-stone-playouts", "100", "--out", dir.string(),
                                           "--progress", "plain"};
    const pid_t first = spawnMatch(args, log);
    // Kill it once a few games are in, with others surely in progress.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
        if (fs::exists(dir / "results.jsonl") && resultLines(dir).size() >= 3) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ::kill(first, SIGKILL);
    CHECK(waitExit(first) == -SIGKILL);
    const std::size_t beforeResume = resultLines(dir).size();
    INFO(readFile(log));
    REQUIRE(beforeResume >= 3);
    REQUIRE(beforeResume < 10);

    REQUIRE(waitExit(spawnMatch(args, log)) == 0);
    const auto lines = resultLines(dir);
    std::set<int> ids;
    for (const auto& line : lines) ids.insert(line["id"].get<int>());
    CHECK(lines.size() == 10);
    CHECK(ids == std::set<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
    checkRecords(dir, lines);
    CHECK(readFile(log).find("resuming: " + std::to_string(beforeResume) + " of 10") != std::string::npos);

    // A third run has nothing left to play and only reports.
    REQUIRE(waitExit(spawnMatch(args, log)) == 0);
    CHECK(resultLines(dir).size() == 10);
    for (const char* file : {"summary.json", "pairings.csv", "ratings.csv", "games.csv", "chart.svg"})
        CHECK(fs::exists(dir / file));

    // Other settings in the same directory are refused rather than mixed in.
    std::vector<std::string> other = args;
    other[7] = "13";  // --size
    CHECK(waitExit(spawnMatch(other, log)) != 0);
    fs::remove_all(dir);
    fs::remove(log);
}

TEST_CASE("an engine behind a TCP GTP server plays a match", "[match][tcp][integration]") {
    gtp::TcpServer server({{"127.0.0.1", 0}, 4, 64 * 1024, std::chrono::seconds(60)}, [] {
        gtp::EngineInstance instance;
        instance.player = std::make_unique<play::SimplePlayer>(3);
        instance.engine = std::make_unique<gtp::Engine>(*instance.player, gtp::EngineOptions{});
        return instance;
    });
    std::thread serving([&] { server.run(); });
    const fs::path dir = freshDirectory("tcp");
    match::MatchOptions options;
    options.engines.push_back(match::parseEngineSpec(fmt::format("remote=tcp:127.0.0.1:{}", server.port())));
    options.engines.push_back(match::parseEngineSpec("local=" + kTengen));
    options.gamesPerPairing = 2;
    options.game.size = 7;
    options.game.deadStonePlayouts = 100;
    options.concurrency = 1;
    options.outDir = dir.string();
    options.progress = match::ProgressStyle::Quiet;
    std::ostringstream out, progress;
    const match::MatchReport report = match::runMatch(options, out, progress);
    server.stop();
    serving.join();
    CHECK(report.games == 2);
    for (const auto& line : resultLines(dir)) CHECK((line["reason"] == "score" || line["reason"] == "resign"));
    fs::remove_all(dir);
}

TEST_CASE("GNU Go level 1 against Tengen on 9x9, refereed by GNU Go", "[match][gnugo][integration]") {
    const fs::path dir = freshDirectory("gnugo");
    match::MatchOptions options;
    options.engines.push_back(
        match::parseEngineSpec("gnugo=/usr/games/gnugo --mode gtp --level 1 --chinese-rules"));
    options.engines.push_back(match::parseEngineSpec("tengen=" + kTengen));
    options.gamesPerPairing = 2;
    options.game.size = 9;
    // GNU Go enforces simple ko only; under superko it sometimes forfeits a repetition.
    options.game.rulesName = "chinese,ko=simple";
    options.game.rules = *Rules::fromSpec(options.game.rulesName);
    // No clock: GNU Go given time_settings spends it, and this test must stay fast.
    options.referee = options.engines[0];
    options.concurrency = 2;
    options.outDir = dir.string();
    options.progress = match::ProgressStyle::Quiet;
    std::ostringstream out, progress;
    const match::MatchReport report = match::runMatch(options, out, progress);
    INFO(out.str());
    CHECK(report.games == 2);
    const auto lines = resultLines(dir);
    REQUIRE(lines.size() == 2);
    for (const auto& line : lines) {
        INFO(line.dump());
        CHECK((line["reason"] == "score" || line["reason"] == "resign"));
        if (line["reason"] == "score") CHECK(line["detail"].get<std::string>().find("referee gnugo") != std::string::npos);
    }
    checkRecords(dir, lines);
    CHECK(out.str().find("gnugo vs tengen") != std::string::npos);
    fs::remove_all(dir);
}
