// Dead stones at the end of a game, as final_score, final_status_list and the match referee
// see them: GNU Go 3.8's verdicts on the same positions are the reference.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "go/dead_stones.h"
#include "tests/board_text.h"

using namespace tengen;
using namespace tengen::test;

namespace {

std::set<std::string> deadVertices(const Game& game) {
    const PointSet dead = findDeadStones(game);
    std::set<std::string> out;
    const Geometry& g = game.geometry();
    for (int row = 0; row < g.size(); ++row)
        for (int col = 0; col < g.size(); ++col)
            if (dead.test(g.point(col, row))) out.insert(g.vertexName(g.point(col, row)));
    return out;
}

}  // namespace

TEST_CASE("a seki's chains are alive, the stones inside territory dead", "[rules][dead]") {
    // The end of a 9x9 game against GNU Go (two passes). A2-B2-C2 and the white chain around
    // it share A3, B3, C3 and A1, with no eye on either side: whoever fills the last but one
    // shared liberty is captured, so both live in seki. GNU Go 3.8 lists B9 B8 H3 H2 G1 H1
    // as dead and scores B+9.5; playouts that fill shared liberties killed A2-B2-C2 as well
    // and made it W+0.5.
    const Game game = gameFromDiagram(R"(
        . O . X X O . . .
        X O X X O O . O .
        . X . . X X O . O
        X . X X X O O O O
        O X X X O X O X O
        O O O O O X X X X
        . . . O X . X O .
        X X X O X . X O X
        . O O O X X O O .)");
    CHECK(deadVertices(game) == std::set<std::string>{"B8", "B9", "G1", "H1", "H2", "H3"});
}

TEST_CASE("a seki with two shared liberties leaves no stone dead", "[rules][dead]") {
    CHECK(deadVertices(gameFromDiagram(kSeki)).empty());
}

TEST_CASE("lone stones inside the opponent's area are dead", "[rules][dead]") {
    const Game game = gameFromDiagram(R"(
        . . . . X O . . .
        . . . . X O . . .
        . . . . X O . . .
        . . . . X O . . .
        . . O . X O . X .
        . . . . X O . . .
        . . . . X O . . .
        . . . . X O . . .
        . . . . X O . . .)");
    CHECK(deadVertices(game) == std::set<std::string>{"C5", "H5"});
}
