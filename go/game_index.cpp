#include "go/game_index.h"

#include <algorithm>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "go/dataset.h"
#include "go/rank.h"

namespace tengen {

namespace {

// "no training games left: 12 game(s) read, 2 unreadable file(s), 0 not replaying; board size 19
// removed 0, ..., both players at least 9 dan removed 12, no moves removed 0"
std::string noGamesLeft(GameSet needed, const GameFilter& filter, const GameIndex& index) {
    // When every game is held out (an evaluation on all of them) they are simply the games.
    const std::string kind = needed == GameSet::Training ? "training" : filter.heldOutEvery == 1 ? "" : "held-out";
    const std::size_t read = index.training.size() + index.heldOut.size() + index.skippedByFilter + index.skippedIllegal;
    const FilterRemovals& removed = index.removedBy;
    std::string message = fmt::format("no {}{}games left: {} game(s) read, {} unreadable file(s), {} not replaying; "
                                      "board size {} removed {}",
                                      kind, kind.empty() ? "" : " ", read, index.skippedUnreadable,
                                      index.skippedIllegal, filter.boardSize, removed.boardSize);
    if (filter.evenGamesOnly) message += fmt::format(", even games only removed {}", removed.handicap);
    if (filter.minimumDan > 0)
        message += fmt::format(", both players at least {} dan removed {}", filter.minimumDan, removed.rank);
    if (filter.minimumKomi > -1000 || filter.maximumKomi < 1000)
        message += fmt::format(", komi from {} to {} removed {}", filter.minimumKomi, filter.maximumKomi, removed.komi);
    if (filter.decidedOnBoardOnly) message += fmt::format(", decided on the board removed {}", removed.result);
    message += fmt::format(", no moves removed {}", removed.noMoves);
    if (kind == "held-out" && !index.training.empty())
        message += fmt::format("; {} game(s) kept, none of them held out (one in {})", index.training.size(),
                               filter.heldOutEvery);
    return message;
}

}  // namespace

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

std::string GameIndex::summary() const {
    return fmt::format("games: {} training ({} positions), {} held out ({} positions); skipped {} by filter, "
                       "{} unreadable, {} not replaying",
                       training.size(), trainingPositions(), heldOut.size(), heldOutPositions(), skippedByFilter,
                       skippedUnreadable, skippedIllegal);
}

std::size_t GameIndex::trainingPositions() const {
    std::size_t n = 0;
    for (const IndexedGame& g : training) n += g.record.moves.size() - g.firstPosition;
    return n;
}

std::size_t GameIndex::heldOutPositions() const {
    std::size_t n = 0;
    for (const IndexedGame& g : heldOut) n += g.record.moves.size() - g.firstPosition;
    return n;
}

void indexGame(GameIndex& index, const GameFilter& filter, std::string name, GameRecord r, int valueSample) {
    const bool even = r.handicap < 2 && r.setupBlack.empty() && r.setupWhite.empty();
    const bool wrongSize = r.size != filter.boardSize;
    const bool handicapped = filter.evenGamesOnly && !even;
    const bool weak = danOf(r.blackRank) < filter.minimumDan || danOf(r.whiteRank) < filter.minimumDan;
    const bool komiOutside = r.komi < filter.minimumKomi || r.komi > filter.maximumKomi;
    const bool decidedOffBoard = filter.decidedOnBoardOnly && !r.decidedOnBoard();
    const int firstPosition = std::max(0, filter.skipOpeningMoves);
    const bool noMoves = static_cast<int>(r.moves.size()) <= firstPosition;
    FilterRemovals& removed = index.removedBy;
    removed.boardSize += wrongSize;
    removed.handicap += handicapped;
    removed.rank += weak;
    removed.komi += komiOutside;
    removed.result += decidedOffBoard;
    removed.noMoves += noMoves;
    if (wrongSize || handicapped || weak || komiOutside || decidedOffBoard || noMoves) {
        ++index.skippedByFilter;
        return;
    }
    if (replay(r).error) {
        ++index.skippedIllegal;
        return;
    }
    IndexedGame game{std::move(name), {}, r.winner().value_or(Color::Empty), valueSample, firstPosition};
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
        for (GameRecord& r : records) indexGame(index, filter, file.name, std::move(r));
        return true;
    });
    return index;
}

void requireGames(const GameIndex& index, const GameFilter& filter, GameSet needed) {
    const bool empty = needed == GameSet::Training ? index.training.empty() : index.heldOut.empty();
    if (empty) throw std::runtime_error(noGamesLeft(needed, filter, index));
}

GameIndex indexTrainingGames(const std::vector<std::string>& paths, const GameFilter& filter) {
    spdlog::info("indexing games in {} path(s)", paths.size());
    GameIndex index = indexGames(paths, filter);
    spdlog::info("{}", index.summary());
    requireGames(index, filter, GameSet::Training);
    return index;
}

GameIndex indexHeldOutGames(const std::vector<std::string>& paths, const GameFilter& filter) {
    GameIndex index = indexGames(paths, filter);
    requireGames(index, filter, GameSet::HeldOut);
    return index;
}

}  // namespace tengen
