#include "selfplay/training_games.h"

#include <cmath>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "nets/evaluation.h"
#include "play/game_outcome.h"
#include "selfplay/shard.h"

namespace tengen::selfplay {

namespace {

// The result as SGF's RE[] says it, so that the filter's "decided on the board" reads
// self-play games as it reads expert ones.
std::string resultText(const GameRecord& game) {
    if (!game.winner) return "0";
    const char winner = *game.winner == Color::Black ? 'B' : 'W';
    if (game.endReason == play::end_reason::kResign) return fmt::format("{}+R", winner);
    return fmt::format("{}+{}", winner, std::abs(game.blackMargin));
}

tengen::GameRecord expertForm(const GameRecord& game) {
    tengen::GameRecord record;
    record.size = game.boardSize;
    record.komi = game.komi;
    record.rulesText = game.rules;
    record.rules = Rules::fromSpec(game.rules);
    record.result = resultText(game);
    const Geometry geometry(game.boardSize);
    Color toMove = Color::Black;
    for (const std::uint16_t move : game.moves) {
        record.moves.push_back({toMove, nets::policyMove(move, geometry)});
        toMove = opponent(toMove);
    }
    return record;
}

}  // namespace

ShardIndexing indexShardGames(GameIndex& index, const GameFilter& filter, const std::filesystem::path& directory) {
    ShardScan scan;
    try {
        scan = scanShards(directory);
    } catch (const ShardError& e) {
        throw std::runtime_error(e.what());
    }
    ShardIndexing counts;
    for (const auto& [path, reason] : scan.refused) {
        spdlog::warn("{}: refused: {}", path.string(), reason);
        ++counts.refusedShards;
        ++index.skippedUnreadable;
    }
    for (const auto& [path, shard] : scan.shards) {
        ++counts.shards;
        for (std::size_t i = 0; i < shard.games.size(); ++i) {
            const GameRecord& game = shard.games[i];
            ++counts.games;
            indexGame(index, filter, fmt::format("{}#{}", path.string(), i), expertForm(game), game.sampledPosition);
        }
    }
    return counts;
}

}  // namespace tengen::selfplay
