#pragma once
// Ladder reading: whether a chain short of liberties can be chased to death by a sequence
// of ataris. A real search on board copies, not a pattern: the fleeing side extends at its
// last liberty or captures an attacker chain in atari next to it; the attacker answers
// each extension by trying both liberties of the fleeing chain.
//
// It reads ladders only. A chain that would die to a net, or live by a counter-atari that
// captures nothing yet, is outside what it claims to know.

#include "go/board.h"

namespace tengen::nets {

struct LadderLimits {
    // Moves deep along one line of play; a ladder across a 25x25 board takes about 96.
    int maxDepth = 100;
    // Board copies per search, so that one pathological position costs a bounded time.
    int maxNodes = 1000;
};

// Whether the chain at `prey` is captured in a ladder with `toMove` to play:
//  - prey's owner to move with the chain in atari: true if every escape (extending, or
//    capturing an adjacent attacker chain in atari) still loses to a ladder;
//  - the attacker to move with the chain on two liberties: true if one of the two
//    ataris wins the ladder;
//  - the attacker to move with the chain in atari: true (it is taken at once).
// Any other case (three or more liberties, owner to move on two) is not a ladder: false.
// When a limit runs out the answer is false: unproven captures are not captures.
bool isCapturedInLadder(const Board& board, Point prey, Color toMove, const LadderLimits& limits = {});

// The AlphaGo "ladder capture" question for one move: the chain at `prey` has two
// liberties, and its opponent plays `move` (one of them), leaving it in atari and dead in
// the ladder that follows. False if the move is illegal (simple ko, suicide) or not an atari.
bool isLadderCapture(const Board& board, Point move, Point prey, const LadderLimits& limits = {});

// The AlphaGo "ladder escape" question for one move: the chain at `prey` is in atari, its
// owner plays `move` (extending, or capturing an attacker chain), and the chain then
// survives: three or more liberties, or two that the attacker cannot ladder.
// False if the move is illegal or `prey` is not in atari.
bool isLadderEscape(const Board& board, Point move, Point prey, const LadderLimits& limits = {});

}  // namespace tengen::nets
