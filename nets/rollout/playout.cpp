#include "nets/rollout/playout.h"

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <thread>
#include <vector>

#include "go/scoring.h"
#include "nets/rollout/thread_cpu_clock.h"

namespace tengen::nets {

namespace {

// exp(40), as RolloutPolicy::refresh caps single weights: larger would overflow the sums.
constexpr float kMaxWeight = 2.35385266837e17f;

}  // namespace

RolloutPlayer::RolloutPlayer(const RolloutPolicy& policy, Board& board, Color toMove, const RolloutContext& context,
                             const RolloutOptions& options)
    : policy_(policy), board_(board), toMove_(toMove), context_(context), options_(options), size_(board.size()),
      stride_(board.geometry().stride()) {
    const Geometry& g = board_.geometry();
    for (int row = 0; row < size_; ++row)
        for (int col = 0; col < size_; ++col) refreshPoint(g.point(col, row));
    const std::uint32_t allRows = size_ >= 32 ? ~0u : (1u << size_) - 1;
    dirtyRows_ = {allRows, allRows};
    overrideOf_.fill(-1);
    applyLastMoveFeatures();
}

void RolloutPlayer::refreshPoint(Point q) {
    const std::uint32_t rowBit = 1u << (q / stride_ - 1);
    dirtyRows_[0] |= rowBit;
    dirtyRows_[1] |= rowBit;
    if (board_.at(q) != Color::Empty) {
        weight_[0][q] = weight_[1][q] = 0;
        return;
    }
    // One board read serves both colours: White's view only swaps own and opponent.
    const std::uint32_t black = neighbourhoodCode(board_, q);
    const std::uint32_t codes[2] = {black, swapNeighbourhoodColours(black)};
    for (int slot = 0; slot < 2; ++slot)
        weight_[slot][q] = isCandidateNeighbourhood(codes[slot]) ? policy_.expWeight(patternFeature(codes[slot])) : 0.0f;
}

void RolloutPlayer::mark(Point q) {
    if (marked_[q] == stamp_) return;
    marked_[q] = stamp_;
    dirty_[dirtyCount_++] = q;
}

void RolloutPlayer::markWithNeighbourhood(Point q) {
    mark(q);
    for (Point n : board_.geometry().neighbours(q)) mark(n);
    for (Point n : board_.geometry().diagonals(q)) mark(n);
}

void RolloutPlayer::markAroundChain(Point stone) {
    board_.forEachStone(stone, [&](Point s) {
        for (Point n : board_.geometry().neighbours(s)) mark(n);
        for (Point n : board_.geometry().diagonals(s)) mark(n);
    });
}

void RolloutPlayer::applyLastMoveFeatures() {
    const int slot = colourSlot(toMove_);
    overrideSlot_ = slot;
    overrideCount_ = 0;
    LastMoveFeatures features;
    lastMoveFeatures(board_, toMove_, context_, features);
    // exp(pattern + last-move weights) as a product of precomputed exps: no exp() per point.
    // The cached weight is exp(pattern), or 0 for a point that is no candidate, whatever its
    // last-move features.
    for (int i = 0; i < features.count; ++i) {
        const LastMoveFeature& f = features.items[i];
        int k = overrideOf_[f.point];
        if (k < 0) {
            const float cached = weight_[slot][f.point];
            if (cached == 0) continue;
            k = overrideCount_++;
            overrideOf_[f.point] = static_cast<std::int16_t>(k);
            overrides_[k] = {f.point, cached, cached};
        }
        overrides_[k].weight *= policy_.expWeight(f.feature);
    }
    for (int k = 0; k < overrideCount_; ++k) {
        const Override& o = overrides_[k];
        weight_[slot][o.point] = std::min(o.weight, kMaxWeight);
        dirtyRows_[slot] |= 1u << (o.point / stride_ - 1);
    }
    // The cache ignores simple ko, which changes without any neighbourhood changing.
    const Point ko = board_.koPoint(toMove_);
    if (ko != kNoPoint) excludeForThisMove(ko);
}

void RolloutPlayer::excludeForThisMove(Point p) {
    float& weight = weight_[overrideSlot_][p];
    if (overrideOf_[p] >= 0) {
        overrides_[overrideOf_[p]].weight = 0;
    } else {
        if (weight == 0) return;
        overrideOf_[p] = static_cast<std::int16_t>(overrideCount_);
        overrides_[overrideCount_++] = {p, weight, 0.0f};
    }
    weight = 0;
    dirtyRows_[overrideSlot_] |= 1u << (p / stride_ - 1);
}

void RolloutPlayer::removeLastMoveFeatures() {
    for (int k = 0; k < overrideCount_; ++k) {
        const Override& o = overrides_[k];
        weight_[overrideSlot_][o.point] = o.saved;
        overrideOf_[o.point] = -1;
        dirtyRows_[overrideSlot_] |= 1u << (o.point / stride_ - 1);
    }
    overrideCount_ = 0;
}

void RolloutPlayer::recomputeDirtyRows(int slot) {
    for (std::uint32_t rows = dirtyRows_[slot]; rows != 0; rows &= rows - 1) {
        const int row = std::countr_zero(rows);
        const float* w = &weight_[slot][(row + 1) * stride_ + 1];
        double sum = 0;
        for (int col = 0; col < size_; ++col) sum += w[col];
        rowSum_[slot][row] = sum;
    }
    dirtyRows_[slot] = 0;
}

Point RolloutPlayer::sample(Random& rng) {
    for (;;) {
        const Point p = draw(rng);
        if (p == kPass || !isRejectedSelfAtari(p)) return p;
        excludeForThisMove(p);
    }
}

bool RolloutPlayer::isRejectedSelfAtari(Point p) const {
    if (options_.rejectSelfAtariFrom <= 0) return false;
    // Two empty neighbours are two liberties: most moves need no closer look.
    int empty = 0;
    for (Point n : board_.geometry().neighbours(p)) empty += board_.at(n) == Color::Empty;
    if (empty >= 2) return false;
    const MoveEffect effect = board_.analyse({toMove_, p}, false);
    return effect.libertiesAfter == 1 && effect.chainSizeAfter >= options_.rejectSelfAtariFrom;
}

Point RolloutPlayer::draw(Random& rng) {
    const int slot = colourSlot(toMove_);
    recomputeDirtyRows(slot);
    const double* rows = rowSum_[slot].data();
    double total = 0;
    for (int row = 0; row < size_; ++row) total += rows[row];
    if (!(total > 0)) return kPass;
    double u = rng.uniform() * total;
    int row = 0;
    while (row < size_ - 1 && (u >= rows[row] || rows[row] <= 0)) u -= rows[row++];
    // Rounding can leave u past the last row's weights: fall back to its last candidate.
    while (row > 0 && rows[row] <= 0) --row;
    const float* w = &weight_[slot][(row + 1) * stride_ + 1];
    int last = -1;
    for (int col = 0; col < size_; ++col) {
        if (w[col] <= 0) continue;
        last = col;
        u -= w[col];
        if (u < 0) break;
    }
    return last < 0 ? kPass : static_cast<Point>((row + 1) * stride_ + 1 + last);
}

void RolloutPlayer::play(Point p) {
    removeLastMoveFeatures();
    const Color mover = toMove_, other = opponent(mover);
    const Point previous = context_.lastMove;
    context_ = RolloutContext{};
    context_.lastMove = p;
    context_.ownPreviousMove = previous;
    if (p == kPass) {
        board_.play({mover, kPass});
        toMove_ = other;
        applyLastMoveFeatures();
        return;
    }
    if (++stamp_ == 0) {
        marked_.fill(0);
        stamp_ = 1;
    }
    dirtyCount_ = 0;

    // What the move's neighbours were before it: their chains' liberty counts may change.
    struct Neighbour {
        Point head;
        Color colour;
        int liberties;
    };
    std::array<Neighbour, 4> before{};
    int beforeCount = 0;
    for (Point n : board_.geometry().neighbours(p)) {
        const Color c = board_.at(n);
        if (c != Color::Black && c != Color::White) continue;
        const Point head = board_.chainOf(n);
        bool repeated = false;
        for (int i = 0; i < beforeCount; ++i) repeated |= before[i].head == head;
        if (!repeated) before[beforeCount++] = {head, c, board_.chainLiberties(n)};
    }
    int capturedCount = 0;
    forEachCapturedStone(board_, {mover, p}, [&](Point s) { captured_[capturedCount++] = s; });
    board_.play({mover, p});

    context_.capturedCount = capturedCount;
    for (int i = 0; i < std::min(capturedCount, RolloutContext::kCapturedKept); ++i) context_.captured[i] = captured_[i];

    // Colour changes: the move and the captured stones.
    markWithNeighbourhood(p);
    for (int i = 0; i < capturedCount; ++i) markWithNeighbourhood(captured_[i]);
    // Liberty-count changes, as patterns see them (1, 2, 3+). An opponent chain lost one
    // liberty; the mover's chains merged into one whose count may differ from each part's.
    const int libertiesNow = board_.chainLiberties(p);
    bool ownChanged = false;
    for (int i = 0; i < beforeCount; ++i) {
        const Neighbour& b = before[i];
        if (b.colour == other) {
            if (board_.at(b.head) == other && b.liberties - 1 <= 2) markAroundChain(b.head);
        } else {
            ownChanged |= std::min(b.liberties, 3) != std::min(libertiesNow, 3);
        }
    }
    if (ownChanged) markAroundChain(p);
    // Captures give liberties back to the mover's chains around them. Rare: walk them all.
    if (capturedCount > 0) {
        std::array<Point, 16> walked{};
        int walkedCount = 0;
        for (int i = 0; i < capturedCount; ++i)
            for (Point n : board_.geometry().neighbours(captured_[i])) {
                if (board_.at(n) != mover) continue;
                const Point head = board_.chainOf(n);
                if (std::find(walked.begin(), walked.begin() + walkedCount, head) != walked.begin() + walkedCount)
                    continue;
                if (walkedCount < static_cast<int>(walked.size())) walked[walkedCount++] = head;
                markAroundChain(head);
            }
    }
    for (int i = 0; i < dirtyCount_; ++i)
        if (board_.at(dirty_[i]) != Color::Edge) refreshPoint(dirty_[i]);

    toMove_ = other;
    applyLastMoveFeatures();
}

RolloutContext rolloutContextOf(const Game& game) {
    const std::vector<Move>& moves = game.moves();
    if (moves.empty()) return {};
    RolloutContext before;
    if (moves.size() >= 2 && moves[moves.size() - 2].color == game.toMove())
        before.lastMove = moves[moves.size() - 2].point;
    Game previous = game;
    // The last step may be a setup edit (handicap, SGF AB/AW): what the move captured is then
    // unknown, and an empty board stands in for the one before it.
    const bool lastStepWasTheMove = previous.undo() && previous.moves().size() == moves.size() - 1;
    return contextAfter(lastStepWasTheMove ? previous.board() : Board(game.size()), moves.back(), before);
}

PlayoutResult rolloutPlayout(const RolloutPolicy& policy, Board& board, Color toMove, double komi, Random& rng,
                             const RolloutContext& context, const RolloutOptions& options) {
    PlayoutResult result;
    RolloutPlayer player(policy, board, toMove, context, options);
    const int cap = 3 * board.size() * board.size();
    for (int passes = 0; passes < 2 && result.moves < cap; ++result.moves) {
        const Point p = player.sample(rng);
        passes = p == kPass ? passes + 1 : 0;
        player.play(p);
    }
    result.margin = trompTaylorScore(board, komi).margin();
    return result;
}

RolloutBenchmarkResult benchmarkRolloutPolicy(const RolloutPolicy& policy, const RolloutBenchmarkOptions& options) {
    using Clock = std::chrono::steady_clock;
    RolloutBenchmarkResult result;
    result.threads = std::max(1, options.threads);
    struct Tally {
        long playouts = 0, moves = 0;
        double margin = 0, cpuSeconds = 0;
    };
    std::vector<Tally> tallies(static_cast<std::size_t>(result.threads));
    const auto start = Clock::now();
    const auto deadline = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options.seconds));
    std::vector<std::thread> workers;
    for (int t = 0; t < result.threads; ++t)
        workers.emplace_back([&, t] {
            Random rng(options.seed * 7919 + static_cast<std::uint64_t>(t));
            Tally& tally = tallies[static_cast<std::size_t>(t)];
            // At least one playout each, however short the time asked for.
            do {
                Board board(options.boardSize);
                const PlayoutResult r = rolloutPlayout(policy, board, Color::Black, options.komi, rng);
                ++tally.playouts;
                tally.moves += r.moves;
                tally.margin += r.margin;
            } while (Clock::now() < deadline);
            tally.cpuSeconds = threadCpuSeconds();
        });
    for (std::thread& w : workers) w.join();
    result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    double marginSum = 0;
    for (const Tally& t : tallies) {
        result.playouts += t.playouts;
        result.moves += t.moves;
        marginSum += t.margin;
        result.cpuSeconds += t.cpuSeconds;
    }
    result.meanMargin = result.playouts ? marginSum / result.playouts : 0;
    return result;
}

}  // namespace tengen::nets
