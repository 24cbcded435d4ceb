#pragma once
// Playouts with the rollout policy p_pi, fast enough for search leaves: the analogue of
// go/playout.h's lightPlayout with moves drawn from p_pi instead of uniformly.
//
// Scoring every candidate afresh would cost a full-board feature pass per move. Instead
// RolloutPlayer keeps, for each point and both colours, exp(weight of its 3x3 pattern) and
// refreshes only the points whose neighbourhood the last move changed: the move's own
// surroundings, captured stones' surroundings, and the surroundings of chains whose
// liberty count (1, 2, 3+) changed. The few points with last-move features get their full
// score on top for one move. Sampling walks per-row sums, so a move costs O(board side).
//
// Thread safety: the policy is only read; each thread uses its own RolloutPlayer, Board
// and Random.

#include <cstdint>

#include "go/game.h"
#include "go/playout.h"
#include "nets/rollout/options.h"
#include "nets/rollout/policy.h"

namespace tengen::nets {

class RolloutPlayer {
public:
    // Plays on `board`, which must outlive the player and change only through play().
    // `context` describes the move that led to the position, if known (its response,
    // save-atari and nakade features then apply to the first move too).
    RolloutPlayer(const RolloutPolicy& policy, Board& board, Color toMove, const RolloutContext& context = {},
                  const RolloutOptions& options = {});

    Color toMove() const { return toMove_; }
    const RolloutContext& context() const { return context_; }

    // A candidate move drawn from p_pi for the player to move, or kPass if there is none
    // (options.rejectSelfAtariFrom may set candidates aside).
    Point sample(Random& rng);
    // Plays a move for the player to move (a sampled one, a pass, or any legal move that is
    // not suicide).
    void play(Point p);

    // exp(score) the sampler gives p for the player to move; 0 if p is not a candidate.
    // Divided by the sum over the board it is p_pi's probability. For tests and analysis.
    double weightOf(Point p) const { return weight_[colourSlot(toMove_)][p]; }

private:
    static int colourSlot(Color c) { return c == Color::Black ? 0 : 1; }
    void refreshPoint(Point q);
    void mark(Point q);
    void markWithNeighbourhood(Point q);   // q and its 8 neighbours
    void markAroundChain(Point stone);     // the 8 neighbours of every stone of the chain
    void applyLastMoveFeatures();
    void removeLastMoveFeatures();
    void recomputeDirtyRows(int slot);
    Point draw(Random& rng);
    bool isRejectedSelfAtari(Point p) const;
    void excludeForThisMove(Point p);  // weight 0 until the move is played

    const RolloutPolicy& policy_;
    Board& board_;
    Color toMove_;
    RolloutContext context_;
    RolloutOptions options_;
    int size_, stride_;

    // Per colour: exp(score) of each point as a move, 0 if it is not a candidate. Between
    // moves, the score is the 3x3 pattern's weight alone.
    std::array<std::array<float, kMaxPoints>, 2> weight_{};
    std::array<std::array<double, kMaxBoardSize>, 2> rowSum_{};
    std::array<std::uint32_t, 2> dirtyRows_{};

    // Points whose weight the last-move features (or simple ko, or a rejected self-atari)
    // change for this move only: the cached weight to restore, and the weight for this move.
    struct Override {
        Point point;
        float saved;
        float weight;
    };
    std::array<Override, kMaxLastMoveFeatures + kMaxPoints> overrides_{};
    int overrideCount_ = 0;
    int overrideSlot_ = 0;
    std::array<std::int16_t, kMaxPoints> overrideOf_{};  // index into overrides_, or -1

    // Points to refresh after a move, deduplicated by stamp.
    std::array<std::uint32_t, kMaxPoints> marked_{};
    std::uint32_t stamp_ = 0;
    std::array<Point, kMaxPoints> dirty_{};
    int dirtyCount_ = 0;
    std::array<Point, kMaxPoints> captured_{};
};

// The context of a game's current position for a playout: its last two moves and what the
// last one captured. That takes replaying the game (Game keeps no captures), so a caller
// that plays moves itself tracks them with contextAfter instead.
RolloutContext rolloutContextOf(const Game& game);

// Plays p_pi moves from the position until two passes in a row (or lightPlayout's move
// cap), then scores the final board by Tromp-Taylor. `context` is the move that led here,
// if known. The board is left at the final position.
PlayoutResult rolloutPlayout(const RolloutPolicy& policy, Board& board, Color toMove, double komi, Random& rng,
                             const RolloutContext& context = {}, const RolloutOptions& options = {});

struct RolloutBenchmarkOptions {
    int boardSize = 19;
    double seconds = 5;
    int threads = 1;
    std::uint64_t seed = 1;
    double komi = 7.5;
};

struct RolloutBenchmarkResult {
    int threads = 1;
    double seconds = 0;     // wall time
    double cpuSeconds = 0;  // CPU time of the playout threads: unlike wall time, not inflated
                            // by other processes sharing the cores
    long playouts = 0;
    long moves = 0;         // passes included, as lightPlayout counts them
    double meanMargin = 0;
    double microsecondsPerMove() const { return moves ? seconds * threads * 1e6 / moves : 0; }  // per thread
    double cpuMicrosecondsPerMove() const { return moves ? cpuSeconds * 1e6 / moves : 0; }
    double playoutsPerSecond() const { return seconds > 0 ? playouts / seconds : 0; }
    double movesPerPlayout() const { return playouts ? static_cast<double>(moves) / playouts : 0; }
};

// Full p_pi playouts from the empty board on `threads` threads for `seconds`: what
// `tengen bench rollout` reports.
RolloutBenchmarkResult benchmarkRolloutPolicy(const RolloutPolicy& policy, const RolloutBenchmarkOptions& options);

}  // namespace tengen::nets
