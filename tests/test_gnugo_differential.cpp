// Differential tests of the rules engine against GNU Go 3.8 (simple ko, suicide illegal,
// like our Japanese preset): random games played move by move through both, comparing
// stones, captures and the legality of sampled points after every move; and the fixed
// handicap placement.
//
// The long version is hidden: tengen_tests "[long]", with TENGEN_DIFF_GAMES games per board
// size and TENGEN_DIFF_SEED as the first game's seed. A failure names its game seed; run
// the long version with that seed and TENGEN_DIFF_GAMES=1 to replay the game.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "go/game.h"
#include "go/handicap.h"
#include "go/playout.h"
#include "gtp/client.h"

using namespace tengen;
using namespace std::chrono_literals;
using tengen::gtp::GtpClient;
using tengen::gtp::GtpReply;

namespace {

constexpr auto kTimeout = 10s;

GtpClient startGnuGo() {
    const char* configured = std::getenv("TENGEN_GNUGO");
    const std::string path = configured != nullptr ? configured : "/usr/games/gnugo";
    INFO("GNU Go 3.8 is needed at " << path << " (apt install gnugo, or set TENGEN_GNUGO)");
    REQUIRE(std::filesystem::exists(path));
    return GtpClient("gnugo", {path, "--mode", "gtp"}, GtpClient::Stderr::Discard);
}

std::uint64_t environmentNumber(const char* name, std::uint64_t fallback) {
    const char* text = std::getenv(name);
    return text != nullptr ? std::stoull(text, nullptr, 0) : fallback;
}

// What the random games reached, so that the test can insist they reach the hard cases.
struct Coverage {
    long moves = 0;
    long multiStoneCaptures = 0;
    long probes = 0;
    long koProbes = 0;
    long suicideProbes = 0;
};

struct Probe {
    Color color;
    Point point;
};

// Mostly light-playout moves (they never fill their own true eyes, so games end), with
// some passes and some uniformly random legal moves, which fill eyes and self-atari and so
// make the big captures, kos and suicide points that light playouts alone rarely reach.
Point chooseMove(const Game& game, Random& rng) {
    const double roll = rng.uniform();
    if (roll < 0.02) return kPass;
    if (roll < 0.15) {
        std::vector<Point> legal;
        for (int i = 0; i < game.board().emptyCount(); ++i) {
            const Point p = game.board().emptyAt(i);
            if (game.isLegal({game.toMove(), p})) legal.push_back(p);
        }
        return legal.empty() ? kPass : legal[rng.below(static_cast<std::uint32_t>(legal.size()))];
    }
    return randomLightMove(game.board(), game.toMove(), rng);
}

// Points to ask about after a move: a remembered ko point, an occupied point, empty points
// without empty neighbours (where suicide, capture and ko happen) and random empty points.
// The last probe is for the player who just moved, the rest for the player to move.
std::vector<Probe> chooseProbes(const Board& board, Color toMove, Point rememberedKo, int count, Random& rng) {
    const Geometry& geometry = board.geometry();
    std::vector<Point> points;
    auto add = [&](Point p) {
        if (static_cast<int>(points.size()) < count && std::find(points.begin(), points.end(), p) == points.end())
            points.push_back(p);
    };
    if (rememberedKo != kNoPoint && board.at(rememberedKo) == Color::Empty) add(rememberedKo);
    for (int tries = 0; tries < 8 && board.emptyCount() < board.size() * board.size(); ++tries) {
        const Point p = geometry.point(static_cast<int>(rng.below(board.size())), static_cast<int>(rng.below(board.size())));
        if (board.at(p) != Color::Empty) {
            add(p);
            break;
        }
    }
    std::vector<Point> crowded;
    for (int i = 0; i < board.emptyCount(); ++i) {
        const Point p = board.emptyAt(i);
        const auto around = geometry.neighbours(p);
        if (std::none_of(around.begin(), around.end(), [&](Point n) { return board.at(n) == Color::Empty; }))
            crowded.push_back(p);
    }
    std::shuffle(crowded.begin(), crowded.end(), rng);
    for (std::size_t i = 0; i < crowded.size() && static_cast<int>(points.size()) < count / 2 + 1; ++i) add(crowded[i]);
    for (int tries = 0; tries < 2 * count && board.emptyCount() > 0; ++tries)
        add(board.emptyAt(static_cast<int>(rng.below(static_cast<std::uint32_t>(board.emptyCount())))));

    std::vector<Probe> probes;
    for (Point p : points) probes.push_back({toMove, p});
    if (probes.size() > 1) probes.back().color = opponent(toMove);
    return probes;
}

std::vector<std::string> ourStones(const Board& board, Color color) {
    std::vector<std::string> vertices;
    for (int row = 0; row < board.size(); ++row)
        for (int col = 0; col < board.size(); ++col)
            if (board.at(board.geometry().point(col, row)) == color)
                vertices.push_back(board.geometry().vertexName(board.geometry().point(col, row)));
    std::sort(vertices.begin(), vertices.end());
    return vertices;
}

std::vector<std::string> words(const std::string& text) {
    std::vector<std::string> result;
    std::istringstream stream(text);
    for (std::string word; stream >> word;) result.push_back(word);
    std::sort(result.begin(), result.end());
    return result;
}

std::vector<std::string> missingFrom(const std::vector<std::string>& sorted, const std::vector<std::string>& other) {
    std::vector<std::string> missing;
    std::set_difference(sorted.begin(), sorted.end(), other.begin(), other.end(), std::back_inserter(missing));
    return missing;
}

// Appends to `differences` every way GNU Go's replies to the comparison commands differ
// from our game.
void compare(const Game& game, const std::vector<Probe>& probes, const std::vector<GtpReply>& replies,
             Coverage& coverage, std::vector<std::string>& differences) {
    const Board& board = game.board();
    for (Color color : {Color::Black, Color::White}) {
        const GtpReply& reply = replies[color == Color::Black ? 1 : 2];
        const auto theirs = words(reply.text), ours = ourStones(board, color);
        if (!reply.ok || theirs != ours)
            differences.push_back(fmt::format("list_stones {}: only GNU Go has [{}], only we have [{}]{}",
                                              colorName(color), fmt::join(missingFrom(theirs, ours), " "),
                                              fmt::join(missingFrom(ours, theirs), " "), reply.ok ? "" : " (GNU Go failed)"));
        const GtpReply& captures = replies[color == Color::Black ? 3 : 4];
        const std::string ourCaptures = std::to_string(board.prisoners(opponent(color)));
        if (!captures.ok || captures.text != ourCaptures)
            differences.push_back(fmt::format("captures {}: GNU Go '{}', ours {}", colorName(color), captures.text, ourCaptures));
    }
    for (std::size_t i = 0; i < probes.size(); ++i) {
        const Probe& probe = probes[i];
        const Legality ours = game.legality({probe.color, probe.point});
        const GtpReply& reply = replies[5 + i];
        coverage.probes++;
        coverage.koProbes += ours == Legality::Ko;
        coverage.suicideProbes += ours == Legality::Suicide;
        if (!reply.ok || reply.text != (ours == Legality::Legal ? "1" : "0"))
            differences.push_back(fmt::format("is_legal {} {}: GNU Go says {}, we say {}", colorName(probe.color),
                                              game.geometry().vertexName(probe.point),
                                              reply.text == "1" ? "legal" : reply.text == "0" ? "illegal" : "'" + reply.text + "'",
                                              legalityReason(ours)));
    }
}

std::string report(const Game& game, std::uint64_t seed, const std::vector<std::string>& moves,
                   const std::vector<std::string>& differences) {
    return fmt::format(
        "GNU Go and Tengen disagree on {0}x{0}, game seed {1:#x}, after move {2} ({3}):\n  {4}\n"
        "moves: {5}\nour board after the move:\n{6}\n"
        "replay: TENGEN_DIFF_SEED={1:#x} TENGEN_DIFF_GAMES=1 tengen_tests '[long]'",
        game.size(), seed, moves.size(), moves.back(), fmt::join(differences, "\n  "), fmt::join(moves, ", "),
        game.board().toString());
}

// Plays one random game through both engines, failing the test at the first difference.
void playAndCompare(GtpClient& gnugo, int size, std::uint64_t seed, int probesPerMove, Coverage& coverage) {
    for (const std::string& command : {fmt::format("boardsize {}", size), std::string("clear_board"), std::string("komi 0")})
        gnugo.sendOk(command, kTimeout);
    Game game(size, Rules::japanese(), 0.0);
    // Separate generators, so that the games do not depend on the number of probes.
    Random moveRng(seed), probeRng(seed ^ 0x9B0BE5EEDull);
    std::vector<std::string> moves;  // "black D4", as GTP play takes them
    Point rememberedKo = kNoPoint;
    const int moveCap = 3 * size * size;  // random play can cycle through kos for ever
    while (!game.isOver() && static_cast<int>(moves.size()) < moveCap) {
        const Color mover = game.toMove();
        const Point point = chooseMove(game, moveRng);
        moves.push_back(fmt::format("{} {}", colorName(mover), game.geometry().vertexName(point)));
        const int prisonersBefore = game.board().prisoners(Color::Black) + game.board().prisoners(Color::White);
        const Legality ours = game.play({mover, point});
        if (ours != Legality::Legal)
            FAIL(report(game, seed, moves, {fmt::format("the move generator chose a move we find illegal: {}", legalityReason(ours))}));
        coverage.moves++;
        coverage.multiStoneCaptures +=
            game.board().prisoners(Color::Black) + game.board().prisoners(Color::White) - prisonersBefore >= 2;

        const Color toMove = game.toMove();
        if (game.board().koPoint(toMove) != kNoPoint) rememberedKo = game.board().koPoint(toMove);
        const std::vector<Probe> probes = chooseProbes(game.board(), toMove, rememberedKo, probesPerMove, probeRng);
        std::vector<std::string> batch = {"play " + moves.back(), "list_stones black", "list_stones white",
                                          "captures black", "captures white"};
        for (const Probe& probe : probes)
            batch.push_back(fmt::format("is_legal {} {}", colorName(probe.color), game.geometry().vertexName(probe.point)));
        const std::vector<GtpReply> replies = gnugo.sendAll(batch, kTimeout);

        std::vector<std::string> differences;
        if (!replies[0].ok) differences.push_back(fmt::format("GNU Go rejected the move: {}", replies[0].text));
        compare(game, probes, replies, coverage, differences);
        if (!differences.empty()) FAIL(report(game, seed, moves, differences));
    }
}

struct Schedule {
    int size;
    int games;
    int probesPerMove;
};

void runDifferential(const std::vector<Schedule>& schedules, std::uint64_t firstSeed) {
    GtpClient gnugo = startGnuGo();
    Coverage coverage;
    for (const Schedule& schedule : schedules)
        for (int game = 0; game < schedule.games; ++game)
            playAndCompare(gnugo, schedule.size, firstSeed + game, schedule.probesPerMove, coverage);
    // Agreement means little unless the games reached the cases that are easy to get wrong.
    INFO(coverage.moves << " moves, " << coverage.probes << " probes");
    CHECK(coverage.multiStoneCaptures > 0);
    CHECK(coverage.koProbes > 0);
    CHECK(coverage.suicideProbes > 0);
}

}  // namespace

TEST_CASE("random games agree with GNU Go move by move", "[gnugo][integration]") {
    runDifferential({{5, 20, 8}, {7, 10, 8}, {9, 30, 8}, {13, 3, 6}, {19, 4, 4}}, 1);
}

TEST_CASE("many random games agree with GNU Go move by move", "[.long]") {
    const int games = static_cast<int>(environmentNumber("TENGEN_DIFF_GAMES", 2000));
    runDifferential({{5, games, 8}, {7, games, 8}, {9, games, 8}, {13, games, 6}, {19, games, 4}},
                    environmentNumber("TENGEN_DIFF_SEED", 1'000'000));
}

TEST_CASE("fixed handicap placement agrees with GNU Go", "[gnugo][integration]") {
    GtpClient gnugo = startGnuGo();
    std::vector<std::string> disagreements;
    for (int size = 7; size <= 19; ++size) {
        const Geometry geometry(size);
        gnugo.sendOk(fmt::format("boardsize {}", size), kTimeout);
        // One past the largest count anyone allows, to see both refuse it.
        for (int stones = 2; stones <= 10; ++stones) {
            gnugo.sendOk("clear_board", kTimeout);
            const GtpReply theirs = gnugo.send(fmt::format("fixed_handicap {}", stones), kTimeout);
            std::vector<std::string> ours;
            for (Point p : fixedHandicapPoints(geometry, stones)) ours.push_back(geometry.vertexName(p));
            std::sort(ours.begin(), ours.end());
            if (theirs.ok ? words(theirs.text) != ours : !ours.empty())
                disagreements.push_back(fmt::format("{}x{} with {} stones: GNU Go {}, ours [{}]", size, size, stones,
                                                    theirs.ok ? "[" + theirs.text + "]" : "refuses", fmt::join(ours, " ")));
        }
    }
    INFO(fmt::format("{}", fmt::join(disagreements, "\n")));
    CHECK(disagreements.empty());
}
