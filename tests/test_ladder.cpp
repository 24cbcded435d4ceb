// Ladder reading on hand-made positions: ladders that work, ladders broken by a breaker
// stone in their path, and escapes by capturing an attacker stone in atari.
#include <catch2/catch.hpp>

#include "nets/ladder.h"
#include "tests/board_text.h"

using namespace tengen;
using namespace tengen::nets;
using tengen::test::at;
using tengen::test::gameFromDiagram;

namespace {

// White D3 in atari, Black to chase it: the ladder runs up and to the right (E3 F3 E4 E5
// F4 G4 F5 F6 G5 H5 G6 G7 H6 H7 J6 J7 J5) and dies at the right edge.
const char* kLadderInAtari = R"(
    . . . . . . . . .
    . . . . . . . . .
    . . . . . . . . .
    . . . . . . . . .
    . . . . . . . . .
    . . . X . . . . .
    . . X O . . . . .
    . . . X X . . . .
    . . . . . . . . .)";

// The same with a white stone at G7 on the ladder's path.
const char* kLadderInAtariBroken = R"(
    . . . . . . . . .
    . . . . . . . . .
    . . . . . . O . .
    . . . . . . . . .
    . . . . . . . . .
    . . . X . . . . .
    . . X O . . . . .
    . . . X X . . . .
    . . . . . . . . .)";

// A black stone at G7 instead helps the attacker.
const char* kLadderInAtariBlackStoneInPath = R"(
    . . . . . . . . .
    . . . . . . . . .
    . . . . . . X . .
    . . . . . . . . .
    . . . . . . . . .
    . . . X . . . . .
    . . X O . . . . .
    . . . X X . . . .
    . . . . . . . . .)";

// White D3 on two liberties (D4, E3), Black to play. D4 starts the ladder above; E3
// pushes White into open space.
const char* kLadderTwoLiberties = R"(
    . . . . . . . . .
    . . . . . . . . .
    . . . . . . . . .
    . . . . . . . . .
    . . . . . . . . .
    . . . . . . . . .
    . . X O . . . . .
    . . . X X . . . .
    . . . . . . . . .)";

const char* kLadderTwoLibertiesBroken = R"(
    . . . . . . . . .
    . . . . . . . . .
    . . . . . . . . .
    . . . . . . O . .
    . . . . . . . . .
    . . . . . . . . .
    . . X O . . . . .
    . . . X X . . . .
    . . . . . . . . .)";

}  // namespace

TEST_CASE("a ladder with nothing in its path captures", "[ladder]") {
    Game game = gameFromDiagram(kLadderInAtari);
    const Board& board = game.board();
    CHECK(isCapturedInLadder(board, at(game, "D3"), Color::White));
    CHECK_FALSE(isLadderEscape(board, at(game, "E3"), at(game, "D3")));
    // The attacker to move with the prey in atari simply takes it.
    CHECK(isCapturedInLadder(board, at(game, "D3"), Color::Black));
}

TEST_CASE("a ladder breaker of the fleeing colour saves the chain", "[ladder]") {
    Game game = gameFromDiagram(kLadderInAtariBroken);
    CHECK_FALSE(isCapturedInLadder(game.board(), at(game, "D3"), Color::White));
    CHECK(isLadderEscape(game.board(), at(game, "E3"), at(game, "D3")));
}

TEST_CASE("an attacker stone in the ladder's path does not break it", "[ladder]") {
    Game game = gameFromDiagram(kLadderInAtariBlackStoneInPath);
    CHECK(isCapturedInLadder(game.board(), at(game, "D3"), Color::White));
    CHECK_FALSE(isLadderEscape(game.board(), at(game, "E3"), at(game, "D3")));
}

TEST_CASE("ladder capture: only the atari that drives the prey into the ladder works", "[ladder]") {
    Game game = gameFromDiagram(kLadderTwoLiberties);
    const Board& board = game.board();
    CHECK(isCapturedInLadder(board, at(game, "D3"), Color::Black));
    CHECK(isLadderCapture(board, at(game, "D4"), at(game, "D3")));
    CHECK_FALSE(isLadderCapture(board, at(game, "E3"), at(game, "D3")));
    // Not ataris: a move that is not a liberty, and the prey's owner to move.
    CHECK_FALSE(isLadderCapture(board, at(game, "F5"), at(game, "D3")));
    CHECK_FALSE(isCapturedInLadder(board, at(game, "D3"), Color::White));

    Game broken = gameFromDiagram(kLadderTwoLibertiesBroken);
    CHECK_FALSE(isCapturedInLadder(broken.board(), at(broken, "D3"), Color::Black));
    CHECK_FALSE(isLadderCapture(broken.board(), at(broken, "D4"), at(broken, "D3")));
    CHECK_FALSE(isLadderCapture(broken.board(), at(broken, "E3"), at(broken, "D3")));
}

TEST_CASE("the fleeing chain escapes by capturing an attacker stone in atari", "[ladder]") {
    // White D3 is in atari, and extending to E3 leaves one liberty (E4); but Black D4 is
    // in atari too, and White E4 takes it, leaving D3 with two liberties and no ladder.
    Game game = gameFromDiagram(R"(
        . . . . . . . . .
        . . . . . . . . .
        . . . . . . . . .
        . . . . . . . . .
        . . . O . . . . .
        . . O X . . . . .
        . . X O . X . . .
        . . . X X . . . .
        . . . . . . . . .)");
    const Board& board = game.board();
    CHECK_FALSE(isCapturedInLadder(board, at(game, "D3"), Color::White));
    CHECK(isLadderEscape(board, at(game, "E4"), at(game, "D3")));
    CHECK_FALSE(isLadderEscape(board, at(game, "E3"), at(game, "D3")));
}

TEST_CASE("a capture in the middle of the ladder breaks it", "[ladder]") {
    // In kLadderInAtari Black's first atari is F3. A white stone at F2 leaves that stone in
    // atari once White reaches F4, and White takes it at G3 instead of running.
    Game breaks = gameFromDiagram(R"(
        . . . . . . . . .
        . . . . . . . . .
        . . . . . . . . .
        . . . . . . . . .
        . . . . . . . . .
        . . . X . . . . .
        . . X O . . . . .
        . . . X X O . . .
        . . . . . . . . .)");
    CHECK_FALSE(isCapturedInLadder(breaks.board(), at(breaks, "D3"), Color::White));
    CHECK(isLadderEscape(breaks.board(), at(breaks, "E3"), at(breaks, "D3")));
    // With Black G3 the F3 stone is connected and cannot be taken: the ladder works again.
    Game holds = gameFromDiagram(R"(
        . . . . . . . . .
        . . . . . . . . .
        . . . . . . . . .
        . . . . . . . . .
        . . . . . . . . .
        . . . X . . . . .
        . . X O . . X . .
        . . . X X O . . .
        . . . . . . . . .)");
    CHECK(isCapturedInLadder(holds.board(), at(holds, "D3"), Color::White));
    CHECK_FALSE(isLadderEscape(holds.board(), at(holds, "E3"), at(holds, "D3")));
}

TEST_CASE("a ladder across the whole 19x19 board is read to the end", "[ladder]") {
    // The kLadderInAtari shape in the lower left corner; the ladder crosses the board
    // diagonally, about 60 moves deep.
    auto ladder = [](const std::vector<std::string>& extraWhite, const std::vector<std::string>& extraBlack) {
        Game game(19);
        std::vector<Point> black, white;
        for (auto v : {"D4", "C3", "D2", "E2"}) black.push_back(at(game, v));
        white.push_back(at(game, "D3"));
        for (const auto& v : extraWhite) white.push_back(at(game, v));
        for (const auto& v : extraBlack) black.push_back(at(game, v));
        REQUIRE(game.setup(black, white));
        return game;
    };
    Game open = ladder({}, {});
    CHECK(isCapturedInLadder(open.board(), at(open, "D3"), Color::White));
    Game broken = ladder({"Q16"}, {});
    CHECK_FALSE(isCapturedInLadder(broken.board(), at(broken, "D3"), Color::White));
    CHECK(isLadderEscape(broken.board(), at(broken, "E3"), at(broken, "D3")));
    // A white stone off the diagonal, and a black one on it, change nothing.
    Game offPath = ladder({"C16"}, {"Q16"});
    CHECK(isCapturedInLadder(offPath.board(), at(offPath, "D3"), Color::White));
    // Too shallow a read cannot prove the capture, and says so by answering false.
    CHECK_FALSE(isCapturedInLadder(open.board(), at(open, "D3"), Color::White, LadderLimits{20, 1000}));
    CHECK_FALSE(isCapturedInLadder(open.board(), at(open, "D3"), Color::White, LadderLimits{100, 10}));
}

TEST_CASE("chains with three liberties or more are not in a ladder", "[ladder]") {
    Game game = gameFromDiagram(R"(
        . . . . .
        . . . . .
        . . O X .
        . . X . .
        . . . . .)");
    CHECK_FALSE(isCapturedInLadder(game.board(), at(game, "C3"), Color::Black));
    CHECK_FALSE(isCapturedInLadder(game.board(), at(game, "C3"), Color::White));
    CHECK_FALSE(isLadderEscape(game.board(), at(game, "B3"), at(game, "C3")));  // not in atari
    CHECK_FALSE(isLadderCapture(game.board(), at(game, "B3"), at(game, "C3")));  // three liberties
    // Empty points are nobody's chain.
    CHECK_FALSE(isCapturedInLadder(game.board(), at(game, "A1"), Color::Black));
}
