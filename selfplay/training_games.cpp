#include "selfplay/training_games.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "selfplay/shard.h"

namespace tengen::selfplay {

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
            indexGame(index, filter, fmt::format("{}#{}", path.string(), i), game.asSgfRecord(), game.sampledPosition);
        }
    }
    return counts;
}

}  // namespace tengen::selfplay
