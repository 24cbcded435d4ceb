#pragma once
// Go games as SGF holds them: the main line of an SGF tree read into a record of setup
// stones, moves and game information, replayed under the game's own rules, and written back.

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "go/game.h"
#include "go/sgf.h"

namespace tengen {

struct GameRecord {
    int size = 19;
    double komi = 0;
    int handicap = 0;             // HA[]
    std::string rulesText;        // RU[] as written
    std::optional<Rules> rules;   // RU[] understood, if it names a known rule set
    std::string result;           // RE[] as written: "B+R", "W+3.5", "0", "Void", ...
    std::string blackName, whiteName, blackRank, whiteRank, date, event;
    // Setup stones from the nodes before the first move (handicap stones may stand in the
    // root or in the second node).
    std::vector<Point> setupBlack, setupWhite;
    std::optional<Color> firstToMove;  // PL[], if given
    std::vector<Move> moves;           // the main line
    // What the reader reinterpreted, as short labels that sgf stats counts: the tree's charset
    // fixes (see SgfTree), and the servers' own conventions read into the standard ones -
    // "komi ×100" (Fox's KM[650] is 6.5), "komi ×100 in stones" (KM[375] is 3¾ stones, 7.5
    // points), "rank with a pro prefix" (P9段), "rank in East Asian script" (9段, 1级, 9단,
    // 初段), "HA without stones, White first: even game".
    std::vector<std::string> fixes;

    // Winner from RE[], if RE names one.
    std::optional<Color> winner() const;
    // Whether RE[] says the game ended on the board: by a count ("B+3.5", "0") or a
    // resignation. A win on time or by forfeit says nothing about the position.
    bool decidedOnBoard() const;
};

// Problems with what an SGF tree says about a Go game (as opposed to SGF syntax).
class SgfGameError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Reads the main line of one game tree. Throws SgfGameError naming `source` and the node
// for an unsupported board size, bad coordinates, or setup stones after the first move.
// `treeFixes` are the parser's, passed on into the record's fixes.
GameRecord readGameRecord(const SgfNode& root, std::string_view source = "<string>",
                          std::vector<std::string> treeFixes = {});

// Every game in an SGF file's text. Throws SgfError or SgfGameError.
std::vector<GameRecord> readGameRecords(std::string_view text, std::string_view source = "<string>");

// Sets up the record's position and plays its moves into a new game under `rules`
// (the record's own rules if null). Returns the game, or the first illegal move and why.
struct ReplayResult {
    Game game;
    std::optional<std::string> error;  // "move 57 (W D4): superko"
};
ReplayResult replay(const GameRecord& record, std::optional<Rules> rules = std::nullopt);

// A record of the game so far, ready to be saved; information fields are left for the caller.
GameRecord recordOf(const Game& game);

SgfNode toSgf(const GameRecord& record);
std::string writeGameRecord(const GameRecord& record);

}  // namespace tengen
