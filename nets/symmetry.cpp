#include "nets/symmetry.h"

#include <stdexcept>

namespace tengen::nets {

namespace {

// The flat index each point goes to, computed once per call rather than once per plane.
struct IndexMap {
    std::array<std::int16_t, kMaxBoardSize * kMaxBoardSize> to{};
    IndexMap(Symmetry s, int size) {
        for (int i = 0; i < size * size; ++i) to[i] = static_cast<std::int16_t>(transformIndex(s, i, size));
    }
};

void checkSize(int size) {
    if (size < kMinBoardSize || size > kMaxBoardSize) throw std::invalid_argument("board size out of range");
}

}  // namespace

std::string_view symmetryName(Symmetry s) {
    switch (s) {
        case Symmetry::Identity: return "identity";
        case Symmetry::Rotate90: return "rotate90";
        case Symmetry::Rotate180: return "rotate180";
        case Symmetry::Rotate270: return "rotate270";
        case Symmetry::FlipLeftRight: return "flip-left-right";
        case Symmetry::FlipUpDown: return "flip-up-down";
        case Symmetry::Transpose: return "transpose";
        case Symmetry::AntiTranspose: return "anti-transpose";
    }
    return "?";
}

std::optional<Symmetry> symmetryFromIndex(int index) {
    if (index < 0 || index >= kSymmetryCount) return std::nullopt;
    return kAllSymmetries[index];
}

Symmetry inverse(Symmetry s) {
    // Rotations by a quarter turn undo each other; every other element is its own inverse.
    if (s == Symmetry::Rotate90) return Symmetry::Rotate270;
    if (s == Symmetry::Rotate270) return Symmetry::Rotate90;
    return s;
}

Symmetry compose(Symmetry first, Symmetry second) {
    // Identify the composite by where it sends two reference points of a 3x3 board; the
    // corner and an edge midpoint together tell all eight elements apart.
    for (Symmetry candidate : kAllSymmetries)
        if (transform(candidate, {0, 0}, 3) == transform(second, transform(first, {0, 0}, 3), 3) &&
            transform(candidate, {1, 0}, 3) == transform(second, transform(first, {1, 0}, 3), 3))
            return candidate;
    throw std::logic_error("symmetries do not compose");
}

Coord transform(Symmetry s, Coord c, int size) {
    const int n = size - 1;
    switch (s) {
        case Symmetry::Identity: return c;
        case Symmetry::Rotate90: return {n - c.row, c.col};
        case Symmetry::Rotate180: return {n - c.col, n - c.row};
        case Symmetry::Rotate270: return {c.row, n - c.col};
        case Symmetry::FlipLeftRight: return {n - c.col, c.row};
        case Symmetry::FlipUpDown: return {c.col, n - c.row};
        case Symmetry::Transpose: return {c.row, c.col};
        case Symmetry::AntiTranspose: return {n - c.row, n - c.col};
    }
    return c;
}

int transformIndex(Symmetry s, int index, int size) {
    const Coord c = transform(s, {index % size, index / size}, size);
    return c.row * size + c.col;
}

Point transformPoint(Symmetry s, Point p, const Geometry& geometry) {
    if (!geometry.onBoard(p)) return p;
    const Coord c = transform(s, {geometry.col(p), geometry.row(p)}, geometry.size());
    return geometry.point(c.col, c.row);
}

Move transformMove(Symmetry s, Move m, const Geometry& geometry) { return {m.color, transformPoint(s, m.point, geometry)}; }

void transformPlanes(Symmetry s, const float* in, float* out, int planes, int size) {
    checkSize(size);
    const int area = size * size;
    const IndexMap map(s, size);
    for (int plane = 0; plane < planes; ++plane) {
        const float* from = in + static_cast<std::ptrdiff_t>(plane) * area;
        float* to = out + static_cast<std::ptrdiff_t>(plane) * area;
        for (int i = 0; i < area; ++i) to[map.to[i]] = from[i];
    }
}

std::vector<float> transformPlanes(Symmetry s, std::span<const float> in, int planes, int size) {
    if (in.size() != static_cast<std::size_t>(planes) * size * size)
        throw std::invalid_argument("feature buffer size does not match planes * size * size");
    std::vector<float> out(in.size());
    transformPlanes(s, in.data(), out.data(), planes, size);
    return out;
}

void transformPolicy(Symmetry s, const float* in, float* out, int size, bool withPass) {
    transformPlanes(s, in, out, 1, size);
    if (withPass) out[size * size] = in[size * size];
}

std::vector<float> transformPolicy(Symmetry s, std::span<const float> in, int size, bool withPass) {
    if (in.size() != static_cast<std::size_t>(size) * size + (withPass ? 1 : 0))
        throw std::invalid_argument("policy size does not match size * size (+1 for pass)");
    std::vector<float> out(in.size());
    transformPolicy(s, in.data(), out.data(), size, withPass);
    return out;
}

}  // namespace tengen::nets
