#include "selfplay/worker.h"

#include <algorithm>
#include <optional>

#include <cstdlib>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "selfplay/file_lock.h"

namespace tengen::selfplay {

namespace {

nlohmann::json describe(const SidePlayer& side) {
    nlohmann::json pool = nlohmann::json::array();
    for (const Network& n : side.pool) pool.push_back(n.checksum);
    nlohmann::json j = {{"pool", pool}, {"temperature", side.sampling.temperature}, {"topK", side.sampling.topK}};
    // Other players only add their own keys, so that a policy series keeps its fingerprint.
    if (side.kind == PlayerKind::Rollout) j["kind"] = "rollout";
    if (side.kind == PlayerKind::Search) {
        const mcts::SearchOptions& s = side.search.search;
        j["kind"] = "search";
        j["search"] = {{"visits", s.visits},
                       {"cPuct", s.selection.cPuct},
                       {"lambda", s.lambda},
                       {"dirichletAlpha", s.dirichletAlpha},
                       {"dirichletEpsilon", s.dirichletEpsilon},
                       {"resignThreshold", s.resignThreshold},
                       {"temperatureMoves", side.search.temperatureMoves}};
    }
    if (side.rollout) j["rollout"] = side.rolloutChecksum;
    return j;
}

// A shard of the series written before, or nothing: none there, or one damaged outside this
// program (writes are atomic), whose games are then played again.
std::optional<Shard> readIfIntact(const std::filesystem::path& path) {
    if (!std::filesystem::exists(path)) return std::nullopt;
    try {
        return readShard(path);
    } catch (const ShardError& e) {
        spdlog::warn("{}; playing its games again", e.what());
        return std::nullopt;
    }
}


}  // namespace

std::string settingsFingerprint(const WorkerOptions& options) {
    const RunnerOptions& r = options.runner;
    nlohmann::json j = {{"size", r.game.boardSize},
                        {"komi", r.game.komi},
                        {"rules", r.game.rules},
                        {"maxMoves", r.game.maxMoves},
                        {"scoring", r.game.scoring == Scoring::Area ? "area" : "tromp-taylor"},
                        {"deadStonePlayouts", r.game.deadStonePlayouts},
                        {"gamesPerShard", options.gamesPerShard}};
    if (r.valueData) {
        j["valueData"] = {{"maxSampledMove", r.valueData->maxSampledMove},
                          {"opening", describe(r.valueData->opening)},
                          {"finish", describe(r.valueData->finish)}};
    } else {
        j["black"] = describe(r.black);
        j["white"] = describe(r.white);
    }
    if (hasSearchPlayer(r)) j["playOnShare"] = r.playOnShare;
    if (r.alternateColours) j["alternateColours"] = true;
    if (r.openings) {
        const play::OpeningOptions& o = r.openings->options();
        j["openings"] = {{"sgf", o.sgfPaths}, {"sgfMoves", o.sgfMoves}, {"randomMoves", o.randomMoves}, {"seed", o.seed}};
    }
    return j.dump();
}

int schedulerWorkerIndex() {
    for (const char* variable : {"SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"})
        if (const char* value = std::getenv(variable)) {
            char* end = nullptr;
            const long index = std::strtol(value, &end, 10);
            if (*value == '\0' || *end != '\0' || index < 0 || index > 1'000'000)
                throw std::invalid_argument(fmt::format("{}={} is not a worker index", variable, value));
            return static_cast<int>(index);
        }
    return 0;
}

WorkerReport runWorker(const WorkerOptions& options, const WorkerEvents& events) {
    if (options.games < 0 || options.gamesPerShard < 1)
        throw std::invalid_argument("games must not be negative, and games per shard must be positive");
    if (options.runner.alternateColours && options.gamesPerShard % 2 != 0)
        throw std::invalid_argument("with colours alternating, games per shard must be even");
    std::filesystem::create_directories(options.outDir);
    // Two workers given the same index by mistake would write the same shards: the second
    // refuses while the first holds the series' lock (released by the kernel if it dies).
    const std::filesystem::path lockFile =
        options.outDir / fmt::format(".worker-{}-seed-{}.lock", options.worker, options.seed);
    const FileLock lock(lockFile, FileLock::IfHeld::Fail);
    if (!lock.acquired())
        throw ShardError(fmt::format("another worker with this index and seed is writing to {} (it holds {}); give "
                                     "each worker its own index",
                                     options.outDir.string(), lockFile.filename().string()));
    const std::string settings = settingsFingerprint(options);
    const std::uint64_t seriesSeed = gameSeed(options.seed, static_cast<std::uint64_t>(options.worker));
    const int shards = (options.games + options.gamesPerShard - 1) / options.gamesPerShard;
    WorkerReport report;
    for (int index = 0; index < shards; ++index) {
        const std::filesystem::path path = options.outDir / shardFileName(options.worker, options.seed, index);
        const int first = index * options.gamesPerShard;
        const int count = std::min(options.gamesPerShard, options.games - first);
        if (const std::optional<Shard> existing = readIfIntact(path)) {
            if (existing->header.settings != settings)
                throw ShardError(fmt::format("{} holds games played with other settings ({}); use another "
                                             "directory, or the same settings to resume",
                                             path.string(), existing->header.settings));
            ++report.shardsResumed;
            if (events.gamesResumed) events.gamesResumed(count);
            continue;
        }
        std::vector<std::uint64_t> seeds;
        for (int n = first; n < first + count; ++n) seeds.push_back(gameSeed(seriesSeed, static_cast<std::uint64_t>(n)));
        std::vector<GameRecord> games = playGames(options.runner, seeds, events.gameEnded);
        report.gamesPlayed += count;
        if (options.runner.valueData)
            std::erase_if(games, [](const GameRecord& g) { return g.sampledPosition < 0; });
        Shard shard;
        shard.header.settings = settings;
        shard.header.worker = options.worker;
        shard.header.seed = options.seed;
        shard.header.index = index;
        shard.games = std::move(games);
        writeShard(path, shard);
        report.gamesKept += static_cast<int>(shard.games.size());
        ++report.shardsWritten;
    }
    return report;
}

}  // namespace tengen::selfplay
