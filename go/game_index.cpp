#include "go/game_index.h"

#include <cctype>

#include <spdlog/spdlog.h>

#include "go/dataset.h"

namespace tengen {

int danOf(std::string_view rank) {
    int value = 0;
    std::size_t i = 0;
    // Real ranks have one or two digits; a longer run is no rank, and must not overflow.
    while (i < rank.size() && i < 2 && std::isdigit(static_cast<unsigned char>(rank[i])))
        value = value * 10 + (rank[i++] - '0');
    if (i == rank.size() || value == 0 || std::isdigit(static_cast<unsigned char>(rank[i]))) return 0;
    const char kind = static_cast<char>(std::tolower(static_cast<unsigned char>(rank[i])));
    if (kind == 'd') return value;
    if (kind == 'p') return 9;
    return 0;
}

std::uint64_t gameHash(const GameRecord& record) {
    std::uint64_t hash = 0xCBF29CE484222325ull ^ static_cast<std::uint64_t>(record.size);
    for (const Move& m : record.moves)
        hash = (hash ^ (static_cast<std::uint64_t>(m.point + 8) * 3 + static_cast<std::uint64_t>(m.color))) *
               0x100000001B3ull;
    return hash ^ (hash >> 29);
}

Game positionBefore(const GameRecord& record, std::size_t moveIndex) {
    GameRecord prefix = record;
    prefix.moves.resize(std::min(moveIndex, record.moves.size()));
    return replay(prefix).game;
}

std::size_t GameIndex::trainingPositions() const {
    std::size_t n = 0;
    for (const IndexedGame& g : training) n += g.record.moves.size();
    return n;
}

std::size_t GameIndex::heldOutPositions() const {
    std::size_t n = 0;
    for (const IndexedGame& g : heldOut) n += g.record.moves.size();
    return n;
}

GameIndex indexGames(const std::vector<std::string>& paths, const GameFilter& filter) {
    GameIndex index;
    forEachSgf(paths, [&](const SgfFile& file) {
        std::vector<GameRecord> records;
        try {
            records = readGameRecords(file.text, file.name);
        } catch (const std::exception&) {
            ++index.skippedUnreadable;
            return true;
        }
        for (GameRecord& r : records) {
            const bool even = r.handicap < 2 && r.setupBlack.empty() && r.setupWhite.empty();
            const bool strong = danOf(r.blackRank) >= filter.minimumDan && danOf(r.whiteRank) >= filter.minimumDan;
            const bool komiKept = r.komi >= filter.minimumKomi && r.komi <= filter.maximumKomi;
            if (r.size != filter.boardSize || (filter.evenGamesOnly && !even) || !strong || r.moves.empty() ||
                !komiKept || (filter.decidedOnBoardOnly && !r.decidedOnBoard())) {
                ++index.skippedByFilter;
                continue;
            }
            if (replay(r).error) {
                ++index.skippedIllegal;
                continue;
            }
            IndexedGame game{file.name, {}, r.winner().value_or(Color::Empty)};
            // Only what replaying needs: the rest of the record would multiply memory use.
            game.record.size = r.size;
            game.record.komi = r.komi;
            game.record.rules = r.rules;
            game.record.handicap = r.handicap;
            game.record.setupBlack = std::move(r.setupBlack);
            game.record.setupWhite = std::move(r.setupWhite);
            game.record.firstToMove = r.firstToMove;
            game.record.moves = std::move(r.moves);
            const bool heldOut = filter.heldOutEvery > 0 && gameHash(game.record) % filter.heldOutEvery == 0;
            (heldOut ? index.heldOut : index.training).push_back(std::move(game));
        }
        return true;
    });
    return index;
}

GameIndex indexTrainingGames(const std::vector<std::string>& paths, const GameFilter& filter) {
    spdlog::info("indexing games in {} path(s)", paths.size());
    GameIndex index = indexGames(paths, filter);
    spdlog::info("games: {} training ({} positions), {} held out ({} positions); skipped {} by filter, {} unreadable, "
                 "{} not replaying",
                 index.training.size(), index.trainingPositions(), index.heldOut.size(), index.heldOutPositions(),
                 index.skippedByFilter, index.skippedUnreadable, index.skippedIllegal);
    if (index.training.empty()) throw std::runtime_error("no training games left after filtering");
    return index;
}

}  // namespace tengen
