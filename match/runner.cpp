#include "match/runner.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <ostream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "go/atomic_file.h"
#include "go/handicap.h"
#include "go/sgf.h"
#include "go/sgf_game.h"
#include "match/results.h"

namespace tengen::match {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

int defaultConcurrency() {
    const unsigned cores = std::thread::hardware_concurrency();
    return std::max(1, static_cast<int>(cores / 2));
}

std::string matchFingerprint(const MatchOptions& o) {
    json j;
    for (const EngineSpec& e : o.engines) j["engines"].push_back(e.describe());
    j["schedule"] = std::string(scheduleKindName(o.schedule));
    const GameSettings& g = o.game;
    j["game"] = {{"size", g.size},
                 {"komi", g.komi},
                 {"rules", g.rulesName},
                 {"handicap", g.handicap},
                 {"time", g.time.describe()},
                 {"max_moves", g.maxMoves}};
    j["openings"] = {{"sgf", o.openings.sgfPaths},
                     {"sgf_moves", o.openings.sgfMoves},
                     {"random_moves", o.openings.randomMoves},
                     {"per_game", o.openings.perGame},
                     {"seed", o.openings.seed}};
    j["referee"] = o.referee ? o.referee->describe() : "tengen";
    j["seed"] = o.seed;
    return j.dump(2);
}

namespace {

std::string utcNow(const char* format) {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char text[64];
    std::strftime(text, sizeof text, format, &tm);
    return text;
}

std::string duration(double seconds) {
    const long s = std::lround(std::max(0.0, seconds));
    if (s >= 3600) return fmt::format("{}h{:02}m", s / 3600, s / 60 % 60);
    return fmt::format("{}:{:02}", s / 60, s % 60);
}

// The match directory holds one match: its fingerprint is written on the first run and
// must match on every rerun, or results of different settings would be mixed.
void claimDirectory(const MatchOptions& options) {
    fs::create_directories(fs::path(options.outDir) / "games");
    const std::string path = (fs::path(options.outDir) / "match.json").string();
    const std::string fingerprint = matchFingerprint(options);
    std::ifstream in(path);
    if (in) {
        std::stringstream existing;
        existing << in.rdbuf();
        if (json::parse(existing.str(), nullptr, false) != json::parse(fingerprint))
            throw std::runtime_error(fmt::format(
                "{} holds a match with other settings (see {}); use another match directory, or the same settings to resume",
                options.outDir, path));
        return;
    }
    writeFileAtomically(path, fingerprint + "\n");
}

// Temporary SGF files of games that were being written when a previous run was killed.
void removeTemporaries(const std::string& outDir) {
    for (const auto& entry : fs::directory_iterator(fs::path(outDir) / "games"))
        if (entry.path().filename().string().find(".tmp") != std::string::npos) fs::remove(entry.path());
}

std::string sgfText(const MatchOptions& options, const ScheduledGame& g, const PlayedGame& outcome,
                    const std::vector<std::string>& programs) {
    GameRecord record = recordOf(outcome.game);
    record.blackName = options.engines[g.black].name;
    record.whiteName = options.engines[g.white].name;
    record.result = outcome.result;
    record.rulesText = options.game.rulesName;
    record.komi = options.game.komi;
    record.date = utcNow("%Y-%m-%d");
    record.event = options.event;
    SgfNode root = toSgf(record);
    root.set("GN", {fmt::format("game {}", g.id)});
    root.set("RO", {std::to_string(g.round + 1)});
    if (options.game.time.timed()) {
        root.set("TM", {fmt::format("{}", options.game.time.mainSeconds)});
        if (!options.game.time.sgfOvertime().empty()) root.set("OT", {options.game.time.sgfOvertime()});
    }
    root.set("GC", {fmt::format("{}: {}", outcome.reason, outcome.detail)});
    root.set("C", {fmt::format("Black: {} ({})\nWhite: {} ({})\nTime control: {}\nResult: {} ({}): {}\n"
                               "Time used: black {:.1f}s, white {:.1f}s",
                               record.blackName, programs[g.black], record.whiteName, programs[g.white],
                               options.game.time.describe(), outcome.result, outcome.reason, outcome.detail,
                               outcome.blackSeconds, outcome.whiteSeconds)});
    return writeSgf(root);
}

PlayedGame startFailure(const GameSettings& settings, Color loser, const std::string& error) {
    PlayedGame outcome;
    outcome.game = Game(settings.size, settings.rules, settings.komi);
    outcome.winner = opponent(loser);
    outcome.faulty = loser;
    outcome.reason = reason::kCrash;
    outcome.detail = error;
    outcome.result = fmt::format("{}+F", loser == Color::Black ? 'W' : 'B');
    return outcome;
}

// Engines one worker keeps between games, started on first use and after any failure.
class EnginePool {
public:
    EnginePool(const MatchOptions& options) : options_(options) {}

    // key distinguishes the two instances of an engine that plays itself.
    RunningEngine* acquire(const EngineSpec& spec, int key, std::string& error) {
        auto it = engines_.find(key);
        if (it != engines_.end() && it->second.client && it->second.client->alive()) return &it->second;
        engines_.erase(key);
        try {
            return &engines_.emplace(key, startEngine(spec, startOptions())).first->second;
        } catch (const std::exception& e) {
            error = e.what();
            return nullptr;
        }
    }

private:
    EngineStartOptions startOptions() const {
        EngineStartOptions start;
        start.quietStderr = !options_.engineStderr;
        start.setupTimeout = std::max(options_.game.moveTimeout, std::chrono::milliseconds(10'000));
        return start;
    }
    const MatchOptions& options_;
    std::map<int, RunningEngine> engines_;
};

struct SharedState {
    std::mutex mutex;
    std::map<int, GameResult> results;
    std::size_t next = 0;
    int running = 0;
    int finishedThisRun = 0;
    bool stop = false;
    std::string firstError;
};

class Progress {
public:
    Progress(std::ostream& out, ProgressStyle style) : out_(out) {
        live_ = style == ProgressStyle::Live || (style == ProgressStyle::Auto && ::isatty(STDERR_FILENO) == 1);
        quiet_ = style == ProgressStyle::Quiet;
    }
    // Called with the shared state locked.
    void gameFinished(const std::string& line, const std::string& status) {
        if (quiet_) return;
        if (live_) out_ << "\r\033[K" << line << "\n" << status << std::flush;
        else out_ << line << " | " << status << "\n" << std::flush;
    }
    void status(const std::string& status) {
        if (live_) out_ << "\r\033[K" << status << std::flush;
    }
    void done() {
        if (live_) out_ << "\r\033[K" << std::flush;
    }

private:
    std::ostream& out_;
    bool live_ = false;
    bool quiet_ = false;
};

}  // namespace

MatchReport runMatch(const MatchOptions& options, std::ostream& out, std::ostream& progressStream) {
    std::vector<std::string> names;
    for (const EngineSpec& e : options.engines) {
        if (std::find(names.begin(), names.end(), e.name) != names.end())
            throw std::runtime_error(fmt::format("two engines are named '{}'", e.name));
        names.push_back(e.name);
    }
    const std::vector<Pairing> pairingList = pairings(options.schedule, static_cast<int>(names.size()));
    const std::vector<ScheduledGame> schedule =
        makeSchedule(options.schedule, static_cast<int>(names.size()), options.gamesPerPairing);
    if (options.sprt && pairingList.size() != 1) throw std::runtime_error("SPRT needs a two-engine match");
    if (options.game.handicap < 0 || options.game.handicap == 1 || options.game.handicap > 9)
        throw std::runtime_error("a fixed handicap takes 0 or 2..9 stones");

    claimDirectory(options);
    removeTemporaries(options.outDir);
    const std::string resultsPath = (fs::path(options.outDir) / "results.jsonl").string();
    SharedState shared;
    for (auto& [id, r] : loadResults(resultsPath)) {
        // Games beyond a reduced --games stay in the file but not in this report.
        if (id >= 0 && id < static_cast<int>(schedule.size()) && r.black == names[schedule[id].black] &&
            r.white == names[schedule[id].white])
            shared.results.emplace(id, std::move(r));
    }
    const play::OpeningBook book(options.openings, options.game.size, options.game.komi);

    // Every engine must start once before anything is scheduled: a typo in a command line
    // should stop the match, not forfeit all its games.
    std::vector<std::string> programs;
    for (const EngineSpec& spec : options.engines) {
        try {
            programs.push_back(startEngine(spec, {.quietStderr = !options.engineStderr}).programName);
        } catch (const std::exception& e) {
            throw std::runtime_error(fmt::format("engine {} does not work: {}", spec.name, e.what()));
        }
    }
    if (options.referee) {
        try {
            startEngine(*options.referee, {.quietStderr = !options.engineStderr});
        } catch (const std::exception& e) {
            throw std::runtime_error(fmt::format("referee {} does not work: {}", options.referee->name, e.what()));
        }
    }

    std::vector<ScheduledGame> pending;
    for (const ScheduledGame& g : schedule)
        if (!shared.results.count(g.id)) pending.push_back(g);
    auto sprtDecided = [&] {
        if (!options.sprt) return false;
        return makeReport(names, pairingList, shared.results, static_cast<int>(schedule.size()), options.sprt)
                   .sprt->decision != SprtDecision::Continue;
    };
    if (sprtDecided()) pending.clear();

    const int concurrency =
        std::max(1, std::min(options.concurrency > 0 ? options.concurrency : defaultConcurrency(),
                             static_cast<int>(std::max<std::size_t>(1, pending.size()))));
    Progress progress(progressStream, options.progress);
    const auto started = Clock::now();
    const int total = static_cast<int>(schedule.size());
    if (!shared.results.empty() && options.progress != ProgressStyle::Quiet)
        progressStream << fmt::format("resuming: {} of {} games already played\n", shared.results.size(), total);

    auto statusLine = [&] {
        const int done = static_cast<int>(shared.results.size());
        std::string score;
        if (pairingList.size() == 1) {
            const MatchReport r = makeReport(names, pairingList, shared.results, total, std::nullopt);
            const WinLossDraw& w = r.pairings[0].stats.record;
            score = fmt::format("{} {}-{}-{} {}", names[0], w.wins, w.losses, w.draws, names[1]);
        } else {
            std::map<std::string, double> points;
            for (const auto& [id, r] : shared.results) {
                points[r.black] += r.scoreOf(r.black);
                points[r.white] += r.scoreOf(r.white);
            }
            for (const std::string& n : names) score += fmt::format("{}{} {}", score.empty() ? "" : ", ", n, points[n]);
        }
        std::string eta = "?";
        if (shared.finishedThisRun > 0) {
            const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
            const std::size_t left = pending.size() - std::min(pending.size(), shared.next) + shared.running;
            eta = duration(elapsed / shared.finishedThisRun * static_cast<double>(left));
        }
        return fmt::format("{}/{} games, {} running | {} | ETA {}", done, total, shared.running, score, eta);
    };

    auto worker = [&] {
        EnginePool pool(options);
        EnginePool refereePool(options);
        for (;;) {
            ScheduledGame g;
            {
                std::lock_guard lock(shared.mutex);
                if (shared.stop || shared.next >= pending.size()) return;
                g = pending[shared.next++];
                ++shared.running;
                progress.status(statusLine());
            }
            const std::uint64_t seed = options.seed * 1'000'003ull + static_cast<std::uint64_t>(g.id);
            PlayedGame outcome;
            std::string error;
            RunningEngine* black = pool.acquire(options.engines[g.black], g.black * 2, error);
            RunningEngine* white =
                black ? pool.acquire(options.engines[g.white], g.white * 2 + (g.black == g.white), error) : nullptr;
            if (!black || !white) {
                outcome = startFailure(options.game, black ? Color::White : Color::Black, error);
            } else {
                RunningEngine* referee = nullptr;
                if (options.referee) {
                    std::string refereeError;
                    referee = refereePool.acquire(*options.referee, 0, refereeError);
                    if (!referee) spdlog::warn("referee unavailable ({}); Tengen scores instead", refereeError);
                }
                Game start(options.game.size, options.game.rules, options.game.komi);
                if (options.game.handicap >= 2) start.placeHandicap(fixedHandicapPoints(start.geometry(), options.game.handicap));
                outcome = playGame(options.game, {black, white, referee}, book.opening(options.openings.perGame ? g.id : g.opening, start), seed);
            }
            GameResult r;
            r.id = g.id;
            r.pairing = g.pairing;
            r.round = g.round;
            r.opening = options.openings.perGame ? g.id : g.opening;
            r.black = names[g.black];
            r.white = names[g.white];
            if (outcome.winner) r.winner = *outcome.winner == Color::Black ? "black" : "white";
            r.result = outcome.result;
            r.reason = outcome.reason;
            r.detail = outcome.detail;
            r.moves = static_cast<int>(outcome.game.moves().size());
            r.blackSeconds = outcome.blackSeconds;
            r.whiteSeconds = outcome.whiteSeconds;
            r.sgf = fmt::format("games/{:06}.sgf", g.id);
            r.finished = utcNow("%Y-%m-%dT%H:%M:%SZ");
            try {
                // SGF first: a game counts once its line is in the results file, and by
                // then its record is already complete on disk.
                writeFileAtomically((fs::path(options.outDir) / r.sgf).string(), sgfText(options, g, outcome, programs));
                std::lock_guard lock(shared.mutex);
                appendResult(resultsPath, r);
                shared.results[r.id] = r;
                --shared.running;
                ++shared.finishedThisRun;
                if (sprtDecided()) shared.stop = true;
                progress.gameFinished(
                    fmt::format("game {:>4}: {} (B) vs {} (W): {} by {}, {} moves{}", r.id, r.black, r.white, r.result,
                                r.reason, r.moves, r.reason == reason::kScore || r.reason == reason::kResign ? "" : " - " + r.detail),
                    statusLine());
            } catch (const std::exception& e) {
                std::lock_guard lock(shared.mutex);
                if (shared.firstError.empty()) shared.firstError = e.what();
                shared.stop = true;
                --shared.running;
                return;
            }
        }
    };
    std::vector<std::thread> threads;
    for (int i = 0; i < concurrency && !pending.empty(); ++i) threads.emplace_back(worker);
    for (std::thread& t : threads) t.join();
    progress.done();
    if (!shared.firstError.empty()) throw std::runtime_error("saving a game failed: " + shared.firstError);

    const MatchReport report = makeReport(names, pairingList, shared.results, total, options.sprt);
    const fs::path dir(options.outDir);
    writeFileAtomically((dir / "summary.json").string(), reportJson(report).dump(2) + "\n");
    writeFileAtomically((dir / "pairings.csv").string(), pairingsCsv(report));
    writeFileAtomically((dir / "ratings.csv").string(), ratingsCsv(report));
    writeFileAtomically((dir / "games.csv").string(), gamesCsv(shared.results));
    writeFileAtomically((dir / "chart.svg").string(), eloChartSvg(pairingList, names, shared.results));
    const GameSettings& s = options.game;
    std::string heading = fmt::format("{}: {}, {}x{}, komi {}, {} rules{}, time {}, referee {}", options.event,
                                      scheduleKindName(options.schedule), s.size, s.size, s.komi, s.rulesName,
                                      s.handicap >= 2 ? fmt::format(", handicap {}", s.handicap) : "",
                                      s.time.describe(), options.referee ? options.referee->name : "tengen");
    out << formatReport(report, heading) << std::flush;
    return report;
}

}  // namespace tengen::match
