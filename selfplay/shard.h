#pragma once
// Shards: the files self-play writes its games to, a few hundred games each, and that the
// trainers read. A shard is framed like a model file (go/framed_file.h: a magic line naming
// the format and its version, length-prefixed blocks, a checksum), holding a JSON header
// (format version, the settings the games were played under, the worker and its seed, the
// shard's number in the worker's series, the number of games) and the games, zlib-compressed.
// Shards are written atomically (temporary name, then rename): a killed worker leaves no torn
// file, and a damaged one is refused by name while the others are still read.

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "selfplay/game_record.h"

namespace tengen::selfplay {

class ShardError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct ShardHeader {
    int version = 3;
    // What the games were played with (board, rules, players, models...), as the runner
    // writes it: a shard is resumed or merged only with shards of the same settings.
    std::string settings;
    int worker = 0;
    std::uint64_t seed = 0;
    int index = 0;  // the shard's number in its worker's series, from 0
    int games = 0;
};

struct Shard {
    ShardHeader header;
    std::vector<GameRecord> games;
};

// The file name of a worker's shard: unique per worker, seed and index, so that many
// workers can write into one directory without colliding.
std::string shardFileName(int worker, std::uint64_t seed, int index);

// The whole file, ready for writeFileAtomically.
std::string encodeShard(const Shard& shard);
// Throws ShardError naming the file and what is wrong with it.
Shard decodeShard(std::string_view bytes, const std::string& name);

void writeShard(const std::filesystem::path& path, const Shard& shard);
Shard readShard(const std::filesystem::path& path);

// Every shard in a directory, in name order: those that read, and why the others did not.
struct ShardScan {
    std::vector<std::pair<std::filesystem::path, Shard>> shards;
    std::vector<std::pair<std::filesystem::path, std::string>> refused;
};
ShardScan scanShards(const std::filesystem::path& directory);

}  // namespace tengen::selfplay
