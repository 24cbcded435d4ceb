#pragma once
// Builds boards from ASCII diagrams (X black, O white, . empty; top row first) so rules
// tests read like the positions they check.

#include <string>
#include <string_view>
#include <vector>

#include "go/game.h"

namespace tengen::test {

inline Game gameFromDiagram(std::string_view diagram, Rules rules = Rules::chinese(), double komi = 7.5) {
    std::vector<std::string> rows;
    std::string row;
    for (char ch : diagram) {
        if (ch == '\n') {
            if (!row.empty()) rows.push_back(row);
            row.clear();
        } else if (ch == 'X' || ch == 'O' || ch == '.') {
            row += ch;
        }
    }
    if (!row.empty()) rows.push_back(row);
    Game game(static_cast<int>(rows.size()), rules, komi);
    std::vector<Point> black, white;
    for (int r = 0; r < static_cast<int>(rows.size()); ++r)
        for (int c = 0; c < static_cast<int>(rows[r].size()); ++c) {
            if (rows[r][c] == 'X') black.push_back(game.geometry().point(c, r));
            if (rows[r][c] == 'O') white.push_back(game.geometry().point(c, r));
        }
    if (!game.setup(black, white)) throw std::invalid_argument("diagram has a chain without liberties");
    return game;
}

inline Point at(const Game& game, std::string_view vertex) { return *game.geometry().parseVertex(vertex); }

// Three kos on a 9x9 board: at the top left Black can take (C8), at the top right White can
// take (H8), at the left middle Black can take (C4). Taking in turn C8, H8, C4, B8, G8, B4
// brings back the starting position.
inline constexpr const char* kTripleKo = R"(
    . X O . . . O X .
    X O . O . O X . X
    . X O . . . O X .
    . . . . . . . . .
    . X O . . . . . .
    X O . O . . . . .
    . X O . . . . . .
    . . . . . . . . .
    . . . . . . . . .)";

// A ko at the top left of a 5x5 board: Black C4 takes B4.
inline constexpr const char* kSimpleKo = R"(
    . X O . .
    X O . O .
    . X O . .
    . . . . .
    . . . . .)";

// A seki at the top of a 9x9 board: C9-C8-C7-D7 and E9-E8-E7 share D9 and D8, and whoever
// fills one is captured. GNU Go 3.8 lists both chains as seki, no stone as dead, and scores
// it B+13 under Chinese rules with komi 0.
inline constexpr const char* kSeki = R"(
    . O X . O X . . .
    . O X . O X . . .
    . O X X O X . . .
    . O O O X X . . .
    O O O O X . . . .
    . . . O X . . . .
    . . . O X . . . .
    . . . O X . . . .
    . . . O X . . . .)";

}  // namespace tengen::test
