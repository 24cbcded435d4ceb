#include "selfplay/shard.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <zlib.h>

#include "go/atomic_file.h"
#include "go/framed_file.h"
#include "nets/symmetry.h"

namespace tengen::selfplay {

namespace {

constexpr std::string_view kMagic = "TENGEN SELFPLAY SHARD\n";
// Version 2 added who would have resigned in play-on games and the opening's length,
// version 3 the view of the board each move was drawn through; older shards still read
// (their moves as if drawn through the identity view).
constexpr int kVersion = 3;
constexpr int kOldestVersion = 1;
// Far above any real shard (a few MB), so that a damaged length cannot ask for all memory.
constexpr std::uintmax_t kMaxShardBytes = 1ull << 30;

// Fixed-width little-endian fields, whatever the machine.
class ByteWriter {
public:
    template <typename T>
    void put(T value) {
        std::uint64_t bits = 0;
        if constexpr (std::is_floating_point_v<T>) {
            using Word = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
            bits = std::bit_cast<Word>(value);
        } else {
            bits = static_cast<std::uint64_t>(value);
        }
        for (std::size_t i = 0; i < sizeof(T); ++i) bytes_.push_back(static_cast<char>(bits >> (8 * i)));
    }
    void putString(const std::string& text) {
        put<std::uint16_t>(static_cast<std::uint16_t>(std::min<std::size_t>(text.size(), 0xFFFF)));
        bytes_.append(text, 0, std::min<std::size_t>(text.size(), 0xFFFF));
    }
    std::string& bytes() { return bytes_; }

private:
    std::string bytes_;
};

class ByteReader {
public:
    // The bytes must outlive the reader.
    explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}
    template <typename T>
    T get() {
        need(sizeof(T));
        std::uint64_t bits = 0;
        for (std::size_t i = 0; i < sizeof(T); ++i)
            bits |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes_[at_ + i])) << (8 * i);
        at_ += sizeof(T);
        if constexpr (std::is_floating_point_v<T>) {
            using Word = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
            return std::bit_cast<T>(static_cast<Word>(bits));
        } else {
            return static_cast<T>(bits);
        }
    }
    std::string getString() {
        const std::size_t size = get<std::uint16_t>();
        need(size);
        std::string text(bytes_.substr(at_, size));
        at_ += size;
        return text;
    }
    bool done() const { return at_ == bytes_.size(); }

private:
    void need(std::size_t n) const {
        if (bytes_.size() - at_ < n) throw std::out_of_range("the games end early");
    }
    std::string_view bytes_;
    std::size_t at_ = 0;
};

void putGame(ByteWriter& out, const GameRecord& g) {
    out.put<std::uint8_t>(static_cast<std::uint8_t>(g.boardSize));
    out.put<double>(g.komi);
    out.putString(g.rules);
    out.putString(g.blackModel);
    out.putString(g.whiteModel);
    out.put<std::uint64_t>(g.seed);
    out.put<std::uint32_t>(static_cast<std::uint32_t>(g.moves.size()));
    for (std::uint16_t m : g.moves) out.put<std::uint16_t>(m);
    for (float p : g.moveProbabilities) out.put<float>(p);
    out.put<std::uint8_t>(g.visits.empty() ? 0 : 1);
    for (const std::vector<VisitShare>& shares : g.visits) {
        out.put<std::uint16_t>(static_cast<std::uint16_t>(shares.size()));
        for (const VisitShare& s : shares) {
            out.put<std::uint16_t>(s.move);
            out.put<std::uint32_t>(s.visits);
        }
    }
    out.put<std::uint8_t>(!g.winner ? 0 : *g.winner == Color::Black ? 1 : 2);
    out.put<double>(g.blackMargin);
    out.putString(g.endReason);
    out.put<std::int32_t>(g.sampledPosition);
    out.put<std::uint8_t>(!g.wouldHaveResigned ? 0 : *g.wouldHaveResigned == Color::Black ? 1 : 2);
    out.put<std::int32_t>(g.wouldHaveResignedAt);
    out.put<std::uint32_t>(static_cast<std::uint32_t>(g.openingMoves));
    if (!g.symmetries.empty() && g.symmetries.size() != g.moves.size())
        throw std::logic_error("a game's views do not match its moves");
    out.put<std::uint8_t>(g.symmetries.empty() ? 0 : 1);
    for (std::uint8_t view : g.symmetries) out.put<std::uint8_t>(view);
}

GameRecord getGame(ByteReader& in, int version) {
    GameRecord g;
    g.boardSize = in.get<std::uint8_t>();
    if (g.boardSize < kMinBoardSize || g.boardSize > kMaxBoardSize)
        throw std::out_of_range(fmt::format("a game has board size {}", g.boardSize));
    g.komi = in.get<double>();
    g.rules = in.getString();
    g.blackModel = in.getString();
    g.whiteModel = in.getString();
    g.seed = in.get<std::uint64_t>();
    const std::uint32_t moves = in.get<std::uint32_t>();
    const int points = g.boardSize * g.boardSize;
    if (moves > 100u * static_cast<std::uint32_t>(points)) throw std::out_of_range("a game has too many moves");
    for (std::uint32_t i = 0; i < moves; ++i) {
        const std::uint16_t m = in.get<std::uint16_t>();
        if (m > points) throw std::out_of_range(fmt::format("move {} is off the board", m));
        g.moves.push_back(m);
    }
    for (std::uint32_t i = 0; i < moves; ++i) g.moveProbabilities.push_back(in.get<float>());
    if (in.get<std::uint8_t>() != 0) {
        g.visits.resize(moves);
        for (std::vector<VisitShare>& shares : g.visits) {
            const std::uint16_t count = in.get<std::uint16_t>();
            for (int i = 0; i < count; ++i) {
                VisitShare s;
                s.move = in.get<std::uint16_t>();
                s.visits = in.get<std::uint32_t>();
                shares.push_back(s);
            }
        }
    }
    const std::uint8_t winner = in.get<std::uint8_t>();
    if (winner > 2) throw std::out_of_range("a game has no valid winner");
    if (winner) g.winner = winner == 1 ? Color::Black : Color::White;
    g.blackMargin = in.get<double>();
    g.endReason = in.getString();
    g.sampledPosition = in.get<std::int32_t>();
    if (g.sampledPosition < -1 || g.sampledPosition > static_cast<int>(moves))
        throw std::out_of_range("a game's sampled position is past its end");
    if (version >= 2) {
        const std::uint8_t resigner = in.get<std::uint8_t>();
        if (resigner > 2) throw std::out_of_range("a game has no valid resigner");
        if (resigner) g.wouldHaveResigned = resigner == 1 ? Color::Black : Color::White;
        g.wouldHaveResignedAt = in.get<std::int32_t>();
        if (g.wouldHaveResignedAt < -1 || g.wouldHaveResignedAt > static_cast<int>(moves))
            throw std::out_of_range("a game would have been resigned past its end");
        const std::uint32_t openingMoves = in.get<std::uint32_t>();
        if (openingMoves > moves) throw std::out_of_range("a game's opening is longer than the game");
        g.openingMoves = static_cast<int>(openingMoves);
    }
    if (version >= 3 && in.get<std::uint8_t>() != 0) {
        for (std::uint32_t i = 0; i < moves; ++i) {
            const std::uint8_t view = in.get<std::uint8_t>();
            if (view >= nets::kSymmetryCount) throw std::out_of_range(fmt::format("move {} has no view {}", i, view));
            g.symmetries.push_back(view);
        }
    }
    return g;
}

std::string compress(const std::string& raw) {
    uLongf size = compressBound(raw.size());
    std::string out(size, '\0');
    if (compress2(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(raw.data()),
                  raw.size(), 6) != Z_OK)
        throw ShardError("shard compression failed");
    out.resize(size);
    return out;
}

std::string decompress(std::string_view packed, std::uint64_t rawBytes) {
    if (rawBytes > kMaxShardBytes) throw std::out_of_range("its games would unpack to more than 1 GiB");
    std::string raw(rawBytes, '\0');
    uLongf size = rawBytes;
    if (uncompress(reinterpret_cast<Bytef*>(raw.data()), &size, reinterpret_cast<const Bytef*>(packed.data()),
                   packed.size()) != Z_OK ||
        size != rawBytes)
        throw std::out_of_range("its games do not unpack");
    return raw;
}

}  // namespace

std::string shardFileName(int worker, std::uint64_t seed, int index) {
    return fmt::format("w{:05}-s{}-{:06}.shard", worker, seed, index);
}

std::string encodeShard(const Shard& shard) {
    ByteWriter games;
    for (const GameRecord& g : shard.games) putGame(games, g);
    const nlohmann::json header = {{"version", kVersion},         {"settings", shard.header.settings},
                                   {"worker", shard.header.worker}, {"seed", shard.header.seed},
                                   {"index", shard.header.index},   {"games", shard.games.size()},
                                   {"bytes", games.bytes().size()}};
    return frameBlocks(kMagic, {header.dump(), compress(games.bytes())});
}

Shard decodeShard(std::string_view bytes, const std::string& name) {
    const Unframed framed = unframeBlocks(bytes, kMagic, 2);
    if (framed.problem != FrameProblem::None)
        throw ShardError(name + " " + describeFrameProblem(framed.problem, "self-play shard"));
    Shard shard;
    try {
        const nlohmann::json header = nlohmann::json::parse(framed.blocks[0]);
        shard.header.version = header.at("version").get<int>();
        if (shard.header.version < kOldestVersion || shard.header.version > kVersion)
            throw ShardError(fmt::format("{} is a version {} shard; this build reads versions {} to {}", name,
                                         shard.header.version, kOldestVersion, kVersion));
        shard.header.settings = header.at("settings").get<std::string>();
        shard.header.worker = header.at("worker").get<int>();
        shard.header.seed = header.at("seed").get<std::uint64_t>();
        shard.header.index = header.at("index").get<int>();
        shard.header.games = header.at("games").get<int>();
        const std::string games = decompress(framed.blocks[1], header.at("bytes").get<std::uint64_t>());
        ByteReader in(games);
        for (int i = 0; i < shard.header.games; ++i) shard.games.push_back(getGame(in, shard.header.version));
        if (!in.done()) throw std::out_of_range("bytes follow its last game");
    } catch (const ShardError&) {
        throw;
    } catch (const std::exception& e) {
        throw ShardError(fmt::format("{} is malformed: {}", name, e.what()));
    }
    return shard;
}

void writeShard(const std::filesystem::path& path, const Shard& shard) {
    writeFileAtomically(path, encodeShard(shard));
}

Shard readShard(const std::filesystem::path& path) {
    std::string whyNot;
    const std::optional<std::string> bytes = readWholeFile(path, kMaxShardBytes, whyNot);
    if (!bytes) throw ShardError(path.string() + " " + whyNot);
    return decodeShard(*bytes, path.string());
}

ShardScan scanShards(const std::filesystem::path& directory) {
    ShardScan scan;
    std::vector<std::filesystem::path> paths;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(directory, error))
        if (entry.path().extension() == ".shard") paths.push_back(entry.path());
    if (error) throw ShardError(fmt::format("cannot list {}: {}", directory.string(), error.message()));
    std::sort(paths.begin(), paths.end());
    for (const auto& path : paths) {
        try {
            scan.shards.emplace_back(path, readShard(path));
        } catch (const ShardError& e) {
            scan.refused.emplace_back(path, e.what());
        }
    }
    return scan;
}

}  // namespace tengen::selfplay
