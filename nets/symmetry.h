#pragma once
// The eight symmetries of the square board (the dihedral group D4): the identity, three
// rotations and four reflections. Go is invariant under all of them, so training augments
// with a random one, and play averages or randomises the network's view over them.
//
// Everything works on flat row-major indices (row * size + col, row 0 at the top, as
// Geometry counts rows) because that is how feature planes and policies are laid out.
// Transforming moves a value from where it is to where the symmetry sends that point:
// out[s(q)] = in[q]. So the transformed features describe the transformed position, and
// a policy computed on a transformed position goes back with the inverse symmetry.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "go/point.h"

namespace tengen::nets {

enum class Symmetry : std::uint8_t {
    Identity,
    Rotate90,       // clockwise: the top-left corner goes to the top right
    Rotate180,
    Rotate270,      // clockwise, i.e. 90 degrees anticlockwise
    FlipLeftRight,  // mirror in the vertical centre line
    FlipUpDown,     // mirror in the horizontal centre line
    Transpose,      // mirror in the top-left to bottom-right diagonal
    AntiTranspose,  // mirror in the top-right to bottom-left diagonal
};

inline constexpr int kSymmetryCount = 8;
inline constexpr std::array<Symmetry, kSymmetryCount> kAllSymmetries = {
    Symmetry::Identity,      Symmetry::Rotate90,   Symmetry::Rotate180, Symmetry::Rotate270,
    Symmetry::FlipLeftRight, Symmetry::FlipUpDown, Symmetry::Transpose, Symmetry::AntiTranspose};

std::string_view symmetryName(Symmetry s);
// By index 0..7 (in kAllSymmetries order), e.g. from a random draw or a cache key.
std::optional<Symmetry> symmetryFromIndex(int index);
// The symmetry that undoes s.
Symmetry inverse(Symmetry s);
// Applying `first` and then `second` in one step.
Symmetry compose(Symmetry first, Symmetry second);

struct Coord {
    int col = 0;
    int row = 0;
    friend bool operator==(const Coord&, const Coord&) = default;
};

// Where s sends (col, row) on a size x size board.
Coord transform(Symmetry s, Coord c, int size);
// The same for a flat index row * size + col.
int transformIndex(Symmetry s, int index, int size);
// The same for a board point; pass, resign and kNoPoint are left as they are.
Point transformPoint(Symmetry s, Point p, const Geometry& geometry);
Move transformMove(Symmetry s, Move m, const Geometry& geometry);

// Planes-major features [plane][row][col]: out receives planes * size * size values and
// must not overlap in.
void transformPlanes(Symmetry s, const float* in, float* out, int planes, int size);
std::vector<float> transformPlanes(Symmetry s, std::span<const float> in, int planes, int size);

// A policy over the size * size points, followed by the pass entry if withPass (which no
// symmetry moves). out must not overlap in.
void transformPolicy(Symmetry s, const float* in, float* out, int size, bool withPass);
std::vector<float> transformPolicy(Symmetry s, std::span<const float> in, int size, bool withPass);

}  // namespace tengen::nets
