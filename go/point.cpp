#include "go/point.h"

#include <cctype>

namespace tengen {

std::string_view colorName(Color c) {
    switch (c) {
        case Color::Black: return "black";
        case Color::White: return "white";
        case Color::Empty: return "empty";
        case Color::Edge: return "edge";
    }
    return "?";
}

std::optional<Color> parseColor(std::string_view text) {
    std::string lower;
    for (char ch : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (lower == "b" || lower == "black") return Color::Black;
    if (lower == "w" || lower == "white") return Color::White;
    return std::nullopt;
}

std::optional<Point> Geometry::parseVertex(std::string_view text) const {
    std::string lower;
    for (char ch : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (lower == "pass") return kPass;
    if (lower == "resign") return kResign;
    if (lower.size() < 2 || lower.size() > 3 || lower[0] < 'a' || lower[0] > 'z' || lower[0] == 'i')
        return std::nullopt;
    int col = lower[0] - 'a' - (lower[0] > 'i' ? 1 : 0);
    int row = 0;
    for (std::size_t i = 1; i < lower.size(); ++i) {
        if (!std::isdigit(static_cast<unsigned char>(lower[i]))) return std::nullopt;
        row = row * 10 + (lower[i] - '0');
    }
    if (lower[1] == '0') return std::nullopt;
    // GTP counts rows from the bottom, our rows from the top.
    int topRow = size_ - row;
    if (!onBoard(col, topRow)) return std::nullopt;
    return point(col, topRow);
}

std::string Geometry::vertexName(Point p) const {
    if (p == kPass) return "pass";
    if (p == kResign) return "resign";
    int c = col(p);
    char letter = static_cast<char>('A' + c + (c >= 8 ? 1 : 0));
    return std::string(1, letter) + std::to_string(size_ - row(p));
}

std::optional<Point> Geometry::parseSgfPoint(std::string_view text) const {
    if (text.empty()) return kPass;
    if (text.size() != 2) return std::nullopt;
    if (text == "tt" && size_ <= 19) return kPass;
    auto coord = [](char ch) -> int {
        if (ch >= 'a' && ch <= 'z') return ch - 'a';
        if (ch >= 'A' && ch <= 'Z') return ch - 'A' + 26;
        return -1;
    };
    int c = coord(text[0]), r = coord(text[1]);
    if (!onBoard(c, r)) return std::nullopt;
    return point(c, r);
}

std::string Geometry::sgfPointName(Point p) const {
    if (p == kPass) return "";
    return {static_cast<char>('a' + col(p)), static_cast<char>('a' + row(p))};
}

}  // namespace tengen
