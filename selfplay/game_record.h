#pragma once
// One finished self-play game as shards store it, and as the value and RL trainers read it.
// Moves are kept as policy indices (nets::policyIndex: row * size + col, pass at size * size),
// the networks' own numbering, so a record does not depend on the board's internal layout.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "go/game.h"
#include "go/sgf_game.h"

namespace tengen::selfplay {

// A move's share of a search's visits at the root (search players only).
struct VisitShare {
    std::uint16_t move = 0;  // policy index
    std::uint32_t visits = 0;
};

struct GameRecord {
    int boardSize = 19;
    double komi = 7.5;
    std::string rules = "chinese";  // a Rules::fromSpec spec
    // FNV-1a checksums of the model files that played each side, as 16 hex digits ("" for none).
    std::string blackModel, whiteModel;
    std::uint64_t seed = 0;  // the game's own seed: the same seed replays the same game
    std::vector<std::uint16_t> moves;  // policy indices, in order
    int openingMoves = 0;              // the first moves, from an opening book rather than a player
    // The chosen move's probability under the mover's policy, as it was sampled (for the RL
    // trainer's importance weights); 1 where the move was forced (a pass with nothing else).
    std::vector<float> moveProbabilities;
    // Per move, the view of the board (a nets::Symmetry) the mover's network saw when it drew
    // the move; identity for moves no network drew. A learner must take each move's gradient
    // through the same view for REINFORCE to stay on-policy. Empty in games from shards older
    // than format version 3, whose moves count as drawn through the identity view.
    std::vector<std::uint8_t> symmetries;
    // Per move, for search players; empty for the others.
    std::vector<std::vector<VisitShare>> visits;
    std::optional<Color> winner;  // none: a draw
    double blackMargin = 0;       // Black's score less White's, komi included
    std::string endReason;        // one of play::end_reason
    // Value data (AlphaGo's recipe): the position after this many moves is the one sample
    // the game gives; -1 when the game is not value data.
    int sampledPosition = -1;
    // A game of the play-on share (RunnerOptions::playOnShare): the player whose searches
    // wanted to resign, and the number of moves played when they did; -1 when none did.
    std::optional<Color> wouldHaveResigned;
    int wouldHaveResignedAt = -1;

    // The game as played, from the empty board.
    Game replay() const;
    // The game as an SGF record holds it: moves, board, komi, rules, and the result as RE[]
    // writes it ("B+R", "W+3.5", "0"), the players named by their models' checksums.
    tengen::GameRecord asSgfRecord() const;
    // SGF text for a person to look at (selfplay export): asSgfRecord, with the seed and the end
    // reason in the root's comment, and the value sample's node saying so.
    std::string sgfText() const;
};

}  // namespace tengen::selfplay
