// The incremental board checked against recomputation over many random games.
#include <catch2/catch.hpp>

#include "go/board.h"
#include "go/playout.h"
#include "go/scoring.h"
#include "go/zobrist.h"

using namespace tengen;

namespace {

// Chains, liberties and the hash recomputed from nothing but the stones. Returns the
// first disagreement, or "" if there is none.
std::string inconsistency(const Board& board) {
    const Geometry& g = board.geometry();
    std::uint64_t hash = 0;
    int empties = 0;
    for (int row = 0; row < g.size(); ++row)
        for (int col = 0; col < g.size(); ++col) {
            const Point p = g.point(col, row);
            const Color c = board.at(p);
            const std::string where = g.vertexName(p) + ": ";
            if (c == Color::Empty) {
                ++empties;
                continue;
            }
            hash ^= zobrist::kStone[colorIndex(c)][p];
            int size = 0;
            bool sameChain = true;
            board.forEachStone(p, [&](Point s) {
                ++size;
                sameChain &= board.at(s) == c && board.chainOf(s) == board.chainOf(p);
            });
            if (!sameChain) return where + "chain list mixes chains";
            if (size != board.chainSize(p)) return where + "chain size";
            if (board.chainLiberties(p) != static_cast<int>(board.chainLibertySet(p).count()))
                return where + "liberty count";
            if (board.chainLiberties(p) == 0) return where + "chain without liberties";
        }
    if (hash != board.hash()) return "hash";
    if (empties != board.emptyCount()) return "empty count";
    return "";
}

}  // namespace

TEST_CASE("incremental chains, liberties and hash match a recount in random games", "[board]") {
    for (int size : {2, 3, 5, 9, 13, 19, 25}) {
        Random rng(static_cast<std::uint64_t>(size) * 1000 + 1);
        for (int gameIndex = 0; gameIndex < 6; ++gameIndex) {
            Board board(size);
            Color toMove = Color::Black;
            for (int move = 0, passes = 0; passes < 2 && move < 3 * size * size; ++move) {
                const Point p = randomLightMove(board, toMove, rng);
                if (p != kPass) {
                    const MoveEffect predicted = board.analyse({toMove, p}, false);
                    REQUIRE(predicted.legalIgnoringKo);
                    const int captured = board.play({toMove, p});
                    REQUIRE(captured == predicted.capturedStones);
                    REQUIRE(board.hash() == predicted.hashAfter);
                    REQUIRE(board.chainLiberties(p) == predicted.libertiesAfter);
                    REQUIRE(board.chainSize(p) == predicted.chainSizeAfter);
                } else {
                    board.play({toMove, p});
                }
                passes = p == kPass ? passes + 1 : 0;
                toMove = opponent(toMove);
                REQUIRE(inconsistency(board) == "");
            }
            // The playouts' fast Tromp-Taylor count agrees with the general scorer.
            const Score fast = trompTaylorScore(board, 7.5);
            const Score general = score(board, Rules::trompTaylor(), 7.5, 0);
            REQUIRE(fast.black == general.black);
            REQUIRE(fast.white == general.white);
        }
    }
}

TEST_CASE("analyse predicts multi-stone suicide", "[board]") {
    Board board(5);
    // Black B5 A4 B4 with White around; Black A5 would kill all four.
    for (const char* v : {"B5", "A4", "B4"}) board.play({Color::Black, *board.geometry().parseVertex(v)});
    for (const char* v : {"C5", "C4", "A3", "B3"}) board.play({Color::White, *board.geometry().parseVertex(v)});
    const Point a5 = *board.geometry().parseVertex("A5");
    const MoveEffect illegal = board.analyse({Color::Black, a5}, false);
    CHECK(illegal.suicide);
    CHECK_FALSE(illegal.legalIgnoringKo);
    const MoveEffect allowed = board.analyse({Color::Black, a5}, true);
    CHECK(allowed.legalIgnoringKo);
    CHECK(board.play({Color::Black, a5}) == 4);
    CHECK(board.hash() == allowed.hashAfter);
    CHECK(board.stones(Color::Black) == 0);
    REQUIRE(inconsistency(board) == "");
}

TEST_CASE("true eyes and eye-like points", "[board]") {
    Board board(7);
    auto put = [&](Color c, const char* v) { board.play({c, *board.geometry().parseVertex(v)}); };
    auto point = [&](const char* v) { return *board.geometry().parseVertex(v); };
    for (const char* v : {"C6", "B5", "D5", "C4", "A3", "B2", "A1"}) put(Color::Black, v);
    CHECK(board.isTrueEye(point("C5"), Color::Black));
    CHECK(board.isTrueEye(point("A2"), Color::Black));
    CHECK_FALSE(board.isEyeLike(point("C5"), Color::White));
    put(Color::White, "D4");  // one opponent diagonal in the middle is still an eye...
    CHECK(board.isTrueEye(point("C5"), Color::Black));
    put(Color::White, "B6");  // ...two are not
    CHECK(board.isEyeLike(point("C5"), Color::Black));
    CHECK_FALSE(board.isTrueEye(point("C5"), Color::Black));
    put(Color::White, "B1");  // on the edge a single opponent diagonal breaks it
    CHECK(board.isEyeLike(point("A2"), Color::Black));
    CHECK_FALSE(board.isTrueEye(point("A2"), Color::Black));
}

TEST_CASE("self-atari and liberties after a move", "[board]") {
    Board board(5);
    auto v = [&](const char* name) { return *board.geometry().parseVertex(name); };
    board.play({Color::White, v("B5")});
    board.play({Color::White, v("A4")});
    CHECK(board.isSelfAtari({Color::Black, v("A5")}) == false);  // suicide is not self-atari
    board.play({Color::Black, v("C5")});
    board.play({Color::Black, v("B4")});
    // B5's only liberty is A5: Black takes it, but the capturing stone keeps a single liberty.
    const MoveEffect e = board.analyse({Color::Black, v("A5")}, false);
    CHECK(e.capturedStones == 1);
    CHECK(e.libertiesAfter == 1);
    CHECK(board.isSelfAtari({Color::Black, v("A5")}));
    CHECK(board.analyse({Color::Black, v("D4")}, false).libertiesAfter == 4);
}

TEST_CASE("vertices and SGF points convert both ways", "[board]") {
    Geometry g19(19), g25(25);
    CHECK(g19.vertexName(*g19.parseVertex("J10")) == "J10");
    CHECK(g19.vertexName(*g19.parseVertex("a1")) == "A1");
    CHECK_FALSE(g19.parseVertex("I5"));
    CHECK_FALSE(g19.parseVertex("A20"));
    CHECK_FALSE(g19.parseVertex("A0"));
    CHECK_FALSE(g19.parseVertex("Z1"));
    CHECK(g25.vertexName(*g25.parseVertex("Z25")) == "Z25");
    CHECK(*g19.parseSgfPoint("tt") == kPass);
    CHECK(*g19.parseSgfPoint("") == kPass);
    CHECK(g25.parseSgfPoint("tt").value() != kPass);
    CHECK(g19.sgfPointName(*g19.parseSgfPoint("pd")) == "pd");
    CHECK(g19.vertexName(*g19.parseSgfPoint("pd")) == "Q16");
}
