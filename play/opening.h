#pragma once
// Opening diversity for matches and self-play: the first moves of each game, from an SGF
// opening set (the first moves of expert games: self-play from move k of an expert game) or
// made up as random balanced moves. In a match, rounds 2k and 2k+1 of a pairing share
// opening k with colours swapped, so whatever advantage an opening gives, each engine gets
// it once.

#include <cstdint>
#include <string>
#include <vector>

#include "go/game.h"

namespace tengen::play {

struct OpeningOptions {
    std::vector<std::string> sgfPaths;  // files, directories or archives of SGF games
    int sgfMoves = 8;                   // moves taken from each SGF game
    int randomMoves = 0;                // random balanced moves when there is no SGF set
    // Every game its own opening instead of one per colour-swapped pair: for collections
    // of games (deterministic engines would replay the pair's game with names swapped).
    bool perGame = false;
    std::uint64_t seed = 1;
    int candidates = 8;                 // random openings tried per game, the most even kept
    int playouts = 128;                 // light playouts judging each candidate
};

class OpeningBook {
public:
    // Reads the SGF set (only games of this board size). Throws std::runtime_error if an
    // SGF set is given but holds no usable game of this size.
    OpeningBook(const OpeningOptions& options, int boardSize, double komi);

    // The points of opening `index`, to be played in turn from the game's side to move. A
    // pure function of the options and the index, so a resumed match replays the same ones.
    std::vector<Point> opening(int index, const Game& start) const;

    const OpeningOptions& options() const { return options_; }

private:
    std::vector<Point> randomOpening(int index, const Game& start) const;

    OpeningOptions options_;
    int size_;
    double komi_;
    std::vector<std::vector<Point>> sgfOpenings_;
};

}  // namespace tengen::play
