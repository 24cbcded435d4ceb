#include "nets/train/position_batch.h"

#include <algorithm>
#include <numeric>
#include <random>

namespace tengen::nets {

std::vector<PositionRef> allPositions(const std::vector<IndexedGame>& games) {
    std::vector<PositionRef> positions;
    for (std::uint32_t g = 0; g < games.size(); ++g)
        for (auto m = static_cast<std::uint32_t>(games[g].firstPosition); m < games[g].record.moves.size(); ++m)
            positions.push_back({g, m});
    return positions;
}

std::vector<PositionRef> sampledPositions(const std::vector<IndexedGame>& games, int perGame, std::uint64_t seed) {
    std::vector<PositionRef> positions;
    for (std::uint32_t g = 0; g < games.size(); ++g) {
        const std::size_t moves = games[g].record.moves.size();
        const auto first = static_cast<std::uint32_t>(games[g].firstPosition);
        if (games[g].winner == Color::Empty || moves <= first) continue;
        if (games[g].valueSample >= 0) {  // value data: its one position, whatever perGame says
            if (static_cast<std::size_t>(games[g].valueSample) < moves)
                positions.push_back({g, static_cast<std::uint32_t>(games[g].valueSample)});
            continue;
        }
        std::mt19937_64 rng(seed ^ gameHash(games[g].record));
        std::vector<std::uint32_t> indices(moves - first);
        std::iota(indices.begin(), indices.end(), first);
        std::shuffle(indices.begin(), indices.end(), rng);
        indices.resize(std::min<std::size_t>(indices.size(), static_cast<std::size_t>(std::max(0, perGame))));
        std::sort(indices.begin(), indices.end());
        for (std::uint32_t m : indices) positions.push_back({g, m});
    }
    return positions;
}

PositionBatch makeBatch(const std::vector<IndexedGame>& games, const std::vector<PositionRef>& positions,
                        const std::vector<Symmetry>& symmetries, FeatureSet features, int boardSize) {
    const auto batch = static_cast<long>(positions.size());
    const int points = boardSize * boardSize, planes = planeCount(features);
    PositionBatch out;
    out.features = torch::empty({batch, planes, boardSize, boardSize});
    out.target = torch::empty({batch}, torch::kLong);
    out.legal = torch::zeros({batch, points + 1}, torch::kBool);
    out.ownTrueEyes = torch::zeros({batch, points + 1}, torch::kBool);
    out.outcome = torch::zeros({batch});
    float* outcomeData = out.outcome.data_ptr<float>();
    float* featureData = out.features.data_ptr<float>();
    long* targetData = out.target.data_ptr<long>();
    bool* legalData = out.legal.data_ptr<bool>();
    bool* eyeData = out.ownTrueEyes.data_ptr<bool>();
    std::vector<float> plain(featureSize(features, boardSize));
    for (long i = 0; i < batch; ++i) {
        const GameRecord& record = games[positions[i].game].record;
        Game game = positionBefore(record, positions[i].move);
        // Features are seen from the expert's side, even where a record has one side move twice.
        game.setToMove(record.moves[positions[i].move].color);
        const Geometry& g = game.geometry();
        const Symmetry s = symmetries[i];
        extractFeatures(game, features, plain.data());
        transformPlanes(s, plain.data(), featureData + i * plain.size(), planes, boardSize);
        auto indexOf = [&](Point p) {
            return p == kPass ? points : transformIndex(s, g.row(p) * boardSize + g.col(p), boardSize);
        };
        targetData[i] = indexOf(record.moves[positions[i].move].point);
        bool* legal = legalData + i * (points + 1);
        bool* eyes = eyeData + i * (points + 1);
        for (Point p : game.legalMoves(game.toMove())) {
            legal[indexOf(p)] = true;
            if (game.board().isTrueEye(p, game.toMove())) eyes[indexOf(p)] = true;
        }
        legal[points] = true;
        const Color winner = games[positions[i].game].winner;
        if (winner != Color::Empty) outcomeData[i] = winner == game.toMove() ? 1.0f : -1.0f;
    }
    return out;
}

}  // namespace tengen::nets
