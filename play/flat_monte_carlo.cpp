#include "play/flat_monte_carlo.h"

#include <algorithm>

#include "go/playout.h"
#include "go/scoring.h"

namespace tengen::play {

void flatMonteCarlo(const Game& game, Color color, const std::vector<ScoredMove>& moves, const std::atomic<bool>& stop,
                    std::chrono::milliseconds interval, const std::function<void(const AnalysisSnapshot&)>& report,
                    Random& rng) {
    const Geometry& g = game.geometry();
    std::vector<int> visits(moves.size()), wins(moves.size());
    std::vector<double> ownership(kMaxPoints);
    int playouts = 0;
    auto nextReport = std::chrono::steady_clock::now() + interval;
    auto publish = [&] {
        AnalysisSnapshot snapshot;
        for (std::size_t i = 0; i < moves.size(); ++i) {
            if (visits[i] == 0) continue;
            CandidateMove c;
            c.move = moves[i].move;
            c.visits = visits[i];
            const double playouts = static_cast<double>(wins[i]) / visits[i];
            c.winrate = moves[i].valueWinrate ? 0.5 * *moves[i].valueWinrate + 0.5 * playouts : playouts;
            c.prior = moves[i].prior;
            c.principalVariation = {moves[i].move};
            snapshot.candidates.push_back(c);
        }
        // Early on many moves tie (every playout won, say): the one with more playouts behind
        // its rate, then the likelier one, comes first, not whichever the sort met first.
        std::sort(snapshot.candidates.begin(), snapshot.candidates.end(),
                  [](const CandidateMove& a, const CandidateMove& b) {
                      if (a.winrate != b.winrate) return a.winrate > b.winrate;
                      return a.visits != b.visits ? a.visits > b.visits : a.prior > b.prior;
                  });
        snapshot.ownership.assign(kMaxPoints, 0.0);
        for (int p = 0; p < kMaxPoints && playouts > 0; ++p) snapshot.ownership[p] = ownership[p] / playouts;
        report(snapshot);
    };
    while (!stop.load()) {
        // One playout per candidate per round keeps the estimates comparable.
        for (std::size_t i = 0; i < moves.size() && !stop.load(); ++i) {
            Board board = game.board();
            board.play({color, moves[i].move});
            const PlayoutResult r = lightPlayout(board, opponent(color), game.areaKomi(), rng);
            ++visits[i];
            wins[i] += (color == Color::Black) == (r.margin > 0);
            ++playouts;
            const Ownership owner = areaOwnership(board);
            for (int row = 0; row < g.size(); ++row)
                for (int col = 0; col < g.size(); ++col) {
                    const Point p = g.point(col, row);
                    ownership[p] += owner[p] == Color::Black ? 1 : owner[p] == Color::White ? -1 : 0;
                }
            if (std::chrono::steady_clock::now() >= nextReport) {
                publish();
                nextReport = std::chrono::steady_clock::now() + interval;
            }
        }
    }
    publish();
}

}  // namespace tengen::play
