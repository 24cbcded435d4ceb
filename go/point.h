#pragma once
// Colours, points and moves on a board of any size from 2x2 to 25x25.
//
// Points are indices into a padded array: the board is surrounded by a one-point
// border of Color::Edge so that neighbour loops never need bounds checks.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tengen {

enum class Color : std::uint8_t { Empty = 0, Black = 1, White = 2, Edge = 3 };

constexpr Color opponent(Color c) { return c == Color::Black ? Color::White : Color::Black; }
constexpr int colorIndex(Color c) { return static_cast<int>(c); }
std::string_view colorName(Color c);                       // "black", "white", "empty", "edge"
std::optional<Color> parseColor(std::string_view text);    // b, black, w, white (any case)

constexpr int kMinBoardSize = 2;
constexpr int kMaxBoardSize = 25;
constexpr int kMaxStride = kMaxBoardSize + 2;
constexpr int kMaxPoints = kMaxStride * kMaxStride;

using Point = std::int16_t;
constexpr Point kPass = -1;
constexpr Point kResign = -2;
constexpr Point kNoPoint = -3;

struct Move {
    Color color = Color::Black;
    Point point = kPass;
    friend bool operator==(const Move&, const Move&) = default;
};

// Maps between (column, row) coordinates and padded indices for one board size.
// Column 0 is the left edge ("A"), row 0 is the top edge (SGF "a", GTP row N).
class Geometry {
public:
    explicit Geometry(int size = 19) : size_(size), stride_(size + 2) {}

    int size() const { return size_; }
    int stride() const { return stride_; }
    int paddedArea() const { return stride_ * stride_; }
    Point point(int col, int row) const { return static_cast<Point>((row + 1) * stride_ + col + 1); }
    int col(Point p) const { return p % stride_ - 1; }
    int row(Point p) const { return p / stride_ - 1; }
    bool onBoard(int col, int row) const { return col >= 0 && row >= 0 && col < size_ && row < size_; }
    bool onBoard(Point p) const { return p >= 0 && p < paddedArea() && onBoard(col(p), row(p)); }
    std::array<Point, 4> neighbours(Point p) const {
        return {static_cast<Point>(p - stride_), static_cast<Point>(p - 1), static_cast<Point>(p + 1),
                static_cast<Point>(p + stride_)};
    }
    std::array<Point, 4> diagonals(Point p) const {
        return {static_cast<Point>(p - stride_ - 1), static_cast<Point>(p - stride_ + 1),
                static_cast<Point>(p + stride_ - 1), static_cast<Point>(p + stride_ + 1)};
    }

    // GTP vertices: "D4", "pass"; the letter I is skipped. Returns nullopt on bad input.
    std::optional<Point> parseVertex(std::string_view text) const;
    std::string vertexName(Point p) const;
    // SGF points: "dd"; "" and (on boards up to 19) "tt" are passes.
    std::optional<Point> parseSgfPoint(std::string_view text) const;
    std::string sgfPointName(Point p) const;

    friend bool operator==(const Geometry& a, const Geometry& b) { return a.size_ == b.size_; }

private:
    int size_;
    int stride_;
};

}  // namespace tengen
