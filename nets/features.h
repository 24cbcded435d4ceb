#pragma once
// What the networks see: a position turned into feature planes, one float per point per
// plane, laid out planes-major [plane][row][col] for a size x size board (row 0 at the top,
// as Geometry counts rows), ready to be copied into a tensor of shape [planes, size, size].
//
// The reference set is AlphaGo's (Silver et al., Nature 2016, Extended Data Table 2).
// Everything is relative to the player to move, so one network plays both colours.
// Plane meanings are listed with their indices in namespace alphago below.

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "go/game.h"

namespace tengen::nets {

// A network is trained on one feature set and must be fed the same one, so model files
// record it. New sets get new enumerators; existing ones never change meaning.
enum class FeatureSet : std::uint8_t {
    AlphaGoPolicy = 0,  // the 48 planes of the policy networks
    AlphaGoValue = 1,   // the same 48, then the player colour plane of the value network
};

int planeCount(FeatureSet set);
// Floats one position takes: planes * size * size.
std::size_t featureSize(FeatureSet set, int boardSize);
std::string_view featureSetName(FeatureSet set);  // "alphago-policy", "alphago-value"
std::optional<FeatureSet> parseFeatureSet(std::string_view name);

// A named run of consecutive planes, for documentation, debugging and tests.
struct PlaneGroup {
    std::string_view name;
    int first = 0;
    int count = 0;
};
std::span<const PlaneGroup> planeGroups(FeatureSet set);

// Plane indices of the AlphaGo sets. "One-hot k" groups set exactly one plane of the group
// at a point where the feature applies, and none where it does not.
namespace alphago {
// Stone colour, relative to the player to move (3).
inline constexpr int kPlayerStone = 0;
inline constexpr int kOpponentStone = 1;
inline constexpr int kEmpty = 2;
// All ones (1): lets the convolutions tell the board's edge from empty points, since
// zero padding outside the board is then distinguishable from the ones inside.
inline constexpr int kOnes = 3;
// Turns since (8): how many moves ago the stone on this point was played, one-hot
// 1, 2, ..., 7, >=8 (plane kTurnsSince + min(age, 8) - 1). Passes count as moves. Stones
// from setup or handicap are old: >=8. Empty points: none.
inline constexpr int kTurnsSince = 4;
// Liberties (8): liberties of the chain the stone belongs to, either colour, one-hot
// 1..7, >=8. Empty points: none.
inline constexpr int kLiberties = 12;
// Capture size (8): opponent stones the player to move would capture by playing here,
// one-hot 0..6, >=7 (plane kCaptureSize + min(n, 7)). Legal empty points only.
inline constexpr int kCaptureSize = 20;
// Self-atari size (8): when playing here would leave the mover's chain with exactly one
// liberty, the size of that chain (the stones put in atari), one-hot 1..7, >=8. Legal
// empty points that are self-ataris only.
inline constexpr int kSelfAtariSize = 28;
// Liberties after move (8): liberties of the mover's chain after playing here, captures
// included, one-hot 1..7, >=8. Legal empty points only (a legal suicide sets none).
inline constexpr int kLibertiesAfter = 36;
// Ladder capture (1): playing here ataris an opponent chain of two liberties that then
// dies in a ladder (nets/ladder.h reads it).
inline constexpr int kLadderCapture = 44;
// Ladder escape (1): playing here saves a player chain in atari, by extending or by
// capturing an attacker chain next to it, and the chain then has three or more liberties
// or two that the opponent cannot ladder.
inline constexpr int kLadderEscape = 45;
// Sensibleness (1): legal (superko included, under the game's rules) and not filling the
// player's own true eye (Board::isTrueEye).
inline constexpr int kSensibleness = 46;
// All zeros (1): kept because AlphaGo's networks were trained with it.
inline constexpr int kZeros = 47;
inline constexpr int kPolicyPlanes = 48;
// Player colour (1), value network only: all ones when Black is to move. The value of a
// position depends on who moves because komi favours White.
inline constexpr int kPlayerColour = 48;
inline constexpr int kValuePlanes = 49;
}  // namespace alphago

// Writes featureSize(set, game.size()) floats to out, every one of them (no need to clear
// it first). For the position as it stands, with game.toMove() to play.
void extractFeatures(const Game& game, FeatureSet set, float* out);
std::vector<float> extractFeatures(const Game& game, FeatureSet set);

}  // namespace tengen::nets
