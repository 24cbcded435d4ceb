#pragma once
// Self-play games as training data: the games of a directory of shards, read into the same
// index the expert games fill (go/game_index.h), so that train-value and eval-value take
// SGF archives, shards, or both. Value-data games give their one sampled position.

#include <filesystem>

#include "go/game_index.h"

namespace tengen::selfplay {

struct ShardIndexing {
    std::size_t shards = 0, games = 0;
    std::size_t refusedShards = 0;  // damaged or of another format: logged by name, then skipped
};

// Adds the games of every shard in `directory` to `index`, through the same filter and
// held-out split as expert games (the split by a hash of the moves). Throws
// std::runtime_error if the directory cannot be listed.
ShardIndexing indexShardGames(GameIndex& index, const GameFilter& filter, const std::filesystem::path& directory);

}  // namespace tengen::selfplay
