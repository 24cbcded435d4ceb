#include "play/opening.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "go/dataset.h"
#include "go/playout.h"
#include "go/random.h"
#include "go/sgf_game.h"

namespace tengen::play {

namespace {

double meanPlayoutMargin(const Game& game, double komi, int playouts, Random& rng) {
    double sum = 0;
    for (int i = 0; i < playouts; ++i) {
        Board board = game.board();
        sum += lightPlayout(board, game.toMove(), komi, rng).margin;
    }
    return sum / std::max(1, playouts);
}

}  // namespace

OpeningBook::OpeningBook(const OpeningOptions& options, int boardSize, double komi)
    : options_(options), size_(boardSize), komi_(komi) {
    if (options.sgfPaths.empty()) return;
    forEachSgf(options.sgfPaths, [&](const SgfFile& file) {
        try {
            for (const GameRecord& record : readGameRecords(file.text, file.name)) {
                // Openings are played from the empty board, Black first, colours alternating:
                // games with setup stones or that White starts have no such first moves.
                const bool fromEmptyBoard = record.setupBlack.empty() && record.setupWhite.empty();
                if (record.size != boardSize || record.moves.empty() || !fromEmptyBoard ||
                    record.moves.front().color != Color::Black)
                    continue;
                std::vector<Point> points;
                Color next = Color::Black;
                for (const Move& m : record.moves) {
                    if (static_cast<int>(points.size()) >= options.sgfMoves || m.color != next) break;
                    points.push_back(m.point);
                    next = opponent(next);
                }
                sgfOpenings_.push_back(std::move(points));
            }
        } catch (const std::exception&) {
            // A broken file in an opening set costs one opening, not the match.
        }
        return true;
    });
    if (sgfOpenings_.empty())
        throw std::runtime_error(fmt::format("the opening set holds no {}x{} game with moves", boardSize, boardSize));
}

std::vector<Point> OpeningBook::opening(int index, const Game& start) const {
    if (!sgfOpenings_.empty()) return sgfOpenings_[static_cast<std::size_t>(index) % sgfOpenings_.size()];
    if (options_.randomMoves > 0) return randomOpening(index, start);
    return {};
}

// Random moves off the first line that neither fill an eye nor put their own chain in
// atari; of several such openings, the one whose light-playout margin is closest to the
// starting position's keeps the game as even as the empty board was.
std::vector<Point> OpeningBook::randomOpening(int index, const Game& start) const {
    Random rng(options_.seed * 0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(index) * 0xD1B54A32D192ED03ull + 1);
    const double baseline = meanPlayoutMargin(start, komi_, options_.playouts, rng);
    const Geometry& g = start.geometry();
    const int edge = size_ >= 7 ? 1 : 0;
    std::vector<Point> best;
    double bestDistance = std::numeric_limits<double>::infinity();
    for (int candidate = 0; candidate < std::max(1, options_.candidates); ++candidate) {
        Game game = start;
        std::vector<Point> points;
        for (int tries = 0; static_cast<int>(points.size()) < options_.randomMoves && tries < 1000; ++tries) {
            const int col = edge + static_cast<int>(rng.below(static_cast<std::uint32_t>(size_ - 2 * edge)));
            const int row = edge + static_cast<int>(rng.below(static_cast<std::uint32_t>(size_ - 2 * edge)));
            const Move move{game.toMove(), g.point(col, row)};
            if (!game.isLegal(move) || game.board().isSelfAtari(move)) continue;
            game.play(move);
            points.push_back(move.point);
        }
        const double distance = std::abs(meanPlayoutMargin(game, komi_, options_.playouts, rng) - baseline);
        if (distance < bestDistance) {
            bestDistance = distance;
            best = std::move(points);
        }
    }
    return best;
}

}  // namespace tengen::play
