// Self-play on 7x7 with tiny random networks: games end and are scored, batching does not
// change them, shards round-trip and refuse damage, a series resumes byte for byte, and the
// value-data recipe keeps one position per game.
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "nets/model_file.h"
#include "nets/rollout/policy.h"
#include "nets/train/position_batch.h"
#include "go/sgf.h"
#include "selfplay/networks.h"
#include "selfplay/shard.h"
#include "selfplay/training_games.h"
#include "selfplay/worker.h"
#include "tests/command_output.h"
#include "tests/scratch_files.h"

// LibTorch brings glog's CHECK, which aborts; the tests want Catch's.
#undef CHECK
#include <catch2/catch.hpp>

using namespace tengen;
namespace fs = std::filesystem;

namespace {

constexpr int kSize = 7;

// A policy network of random weights, saved where the self-play code loads it from.
fs::path tinyPolicyFile(const std::string& name, std::uint64_t seed) {
    const fs::path path = test::scratch(name);
    torch::manual_seed(seed);
    nets::NetworkShape shape;
    shape.kind = nets::NetworkKind::Policy;
    shape.features = nets::FeatureSet::AlphaGoPolicy;
    shape.boardSize = kSize;
    shape.layers = 2;
    shape.filters = 8;
    nets::Model model = nets::makeModel(shape);
    torch::NoGradGuard noGrad;
    for (auto& p : model.module().parameters()) p.mul_(3);
    nets::saveModel(path, model);
    return path;
}

nets::EvaluatorOptions smallBatches() {
    nets::EvaluatorOptions options;
    options.maxBatch = 16;
    options.precision = nets::Precision::Float32;
    options.fixedBatchShape = true;  // as tengen selfplay runs policy games
    return options;
}

selfplay::RunnerOptions runnerOn(selfplay::NetworkSet& networks, const fs::path& black, const fs::path& white) {
    selfplay::RunnerOptions options;
    options.game.boardSize = kSize;
    options.game.komi = 7.5;
    options.game.deadStonePlayouts = 20;
    options.black = networks.player(black, {});
    options.white = networks.player(white, {});
    return options;
}

std::vector<std::uint64_t> seeds(int count) {
    std::vector<std::uint64_t> s;
    for (int i = 0; i < count; ++i) s.push_back(selfplay::gameSeed(42, static_cast<std::uint64_t>(i)));
    return s;
}

}  // namespace

TEST_CASE("self-play games with random networks end, and every one is scored", "[selfplay]") {
    selfplay::NetworkSet networks(smallBatches());
    const fs::path black = tinyPolicyFile("selfplay-black.model", 1), white = tinyPolicyFile("selfplay-white.model", 2);
    const selfplay::RunnerOptions options = runnerOn(networks, black, white);
    const std::vector<selfplay::GameRecord> games = selfplay::playGames(options, seeds(40));
    REQUIRE(games.size() == 40);
    for (const selfplay::GameRecord& g : games) {
        INFO("seed " << g.seed);
        CHECK(g.moves.size() <= 3u * kSize * kSize);
        CHECK(g.moves.size() == g.moveProbabilities.size());
        CHECK((g.endReason == "score" || g.endReason == "move-cap"));
        const Game replayed = g.replay();  // every move legal
        if (g.endReason == "score") CHECK(replayed.isOver());
        CHECK(g.winner.has_value() == (g.blackMargin != 0));
        if (g.winner) CHECK((*g.winner == Color::Black) == (g.blackMargin > 0));
        for (float p : g.moveProbabilities) CHECK((p > 0 && p <= 1));
        CHECK(g.blackModel != g.whiteModel);
    }
}

TEST_CASE("a game among many concurrent ones is the game its seed plays alone", "[selfplay]") {
    selfplay::NetworkSet networks(smallBatches());
    const fs::path black = tinyPolicyFile("selfplay-black.model", 1), white = tinyPolicyFile("selfplay-white.model", 2);
    selfplay::RunnerOptions options = runnerOn(networks, black, white);
    options.parallelGames = 24;
    const std::vector<std::uint64_t> all = seeds(24);
    const std::vector<selfplay::GameRecord> together = selfplay::playGames(options, all);
    options.parallelGames = 1;
    for (std::size_t i = 0; i < all.size(); i += 5) {
        const selfplay::GameRecord alone = selfplay::playGames(options, {all[i]}).front();
        INFO("game " << i);
        CHECK(alone.moves == together[i].moves);
        CHECK(alone.blackMargin == together[i].blackMargin);
    }
}

TEST_CASE("shards round-trip, and damaged or foreign ones are refused by name", "[selfplay][shard]") {
    selfplay::NetworkSet networks(smallBatches());
    const fs::path black = tinyPolicyFile("selfplay-black.model", 1);
    const selfplay::RunnerOptions options = runnerOn(networks, black, black);
    selfplay::Shard shard;
    shard.header.settings = "settings";
    shard.header.worker = 3;
    shard.header.seed = 9;
    shard.games = selfplay::playGames(options, seeds(6));
    shard.games[0].visits.assign(shard.games[0].moves.size(), {{0, 5}, {7, 2}});
    const std::string bytes = selfplay::encodeShard(shard);
    const selfplay::Shard back = selfplay::decodeShard(bytes, "x.shard");
    REQUIRE(back.games.size() == 6);
    CHECK(back.header.worker == 3);
    CHECK(back.header.settings == "settings");
    for (std::size_t i = 0; i < 6; ++i) {
        CHECK(back.games[i].moves == shard.games[i].moves);
        CHECK(back.games[i].moveProbabilities == shard.games[i].moveProbabilities);
        CHECK(back.games[i].blackMargin == shard.games[i].blackMargin);
        CHECK(back.games[i].endReason == shard.games[i].endReason);
        CHECK(back.games[i].seed == shard.games[i].seed);
        CHECK(back.games[i].symmetries == shard.games[i].symmetries);
    }
    // Policy players draw through random views, and the shard keeps which.
    REQUIRE(shard.games[0].symmetries.size() == shard.games[0].moves.size());
    CHECK(std::any_of(shard.games[0].symmetries.begin(), shard.games[0].symmetries.end(),
                      [](std::uint8_t view) { return view != 0; }));
    CHECK(back.games[0].visits.size() == shard.games[0].moves.size());
    CHECK(back.games[0].visits[0].size() == 2);
    CHECK(back.games[0].visits[0][1].visits == 2);
    CHECK(selfplay::encodeShard(back) == bytes);

    CHECK_THROWS_WITH(selfplay::decodeShard(bytes.substr(0, bytes.size() / 2), "cut.shard"),
                      Catch::Contains("cut.shard") && Catch::Contains("truncated"));
    std::string flipped = bytes;
    flipped[flipped.size() / 2] ^= 0x20;
    CHECK_THROWS_WITH(selfplay::decodeShard(flipped, "flipped.shard"), Catch::Contains("flipped.shard"));
    CHECK_THROWS_WITH(selfplay::decodeShard("not a shard at all", "text.shard"), Catch::Contains("text.shard"));
    std::string newer = bytes;
    const auto version = newer.find("\"version\":3");
    REQUIRE(version != std::string::npos);
    newer[version + 10] = '7';
    // The checksum no longer matches either; a reader must not get as far as the games.
    CHECK_THROWS_AS(selfplay::decodeShard(newer, "newer.shard"), selfplay::ShardError);

    // A directory with a damaged shard still yields the good ones.
    const fs::path dir = test::scratch("shard-scan");
    fs::remove_all(dir);
    fs::create_directories(dir);
    test::writeAll(dir / "a.shard", bytes);
    test::writeAll(dir / "b.shard", bytes.substr(0, 100));
    const selfplay::ShardScan scan = selfplay::scanShards(dir);
    CHECK(scan.shards.size() == 1);
    REQUIRE(scan.refused.size() == 1);
    CHECK(scan.refused[0].second.find("b.shard") != std::string::npos);
}

TEST_CASE("a worker's series is the same bytes twice, resumes after a lost shard, and refuses other settings",
          "[selfplay][shard]") {
    selfplay::NetworkSet networks(smallBatches());
    const fs::path black = tinyPolicyFile("selfplay-black.model", 1), white = tinyPolicyFile("selfplay-white.model", 2);
    selfplay::WorkerOptions options;
    options.runner = runnerOn(networks, black, white);
    options.runner.parallelGames = 8;
    options.worker = 2;
    options.seed = 5;
    options.games = 20;
    options.gamesPerShard = 8;
    const fs::path first = test::scratch("series-1"), second = test::scratch("series-2");
    fs::remove_all(first);
    fs::remove_all(second);
    options.outDir = first;
    CHECK(selfplay::runWorker(options).shardsWritten == 3);
    options.outDir = second;
    selfplay::runWorker(options);
    for (int index = 0; index < 3; ++index) {
        const std::string name = selfplay::shardFileName(2, 5, index);
        CHECK(test::readAll(first / name) == test::readAll(second / name));
    }
    // As a kill would: the last shard never written. The rerun writes it as it was.
    const std::string last = selfplay::shardFileName(2, 5, 2);
    const std::string lastBytes = test::readAll(second / last);
    fs::remove(second / last);
    int gamesResumed = 0, gamesEnded = 0;
    const selfplay::WorkerReport resumed =
        selfplay::runWorker(options, {.gameEnded = [&](const selfplay::GameRecord&) { ++gamesEnded; },
                                      .gamesResumed = [&](int games) { gamesResumed += games; }});
    CHECK(resumed.shardsResumed == 2);
    CHECK(resumed.shardsWritten == 1);
    // Progress counts the series' games: 16 found from before, and the last shard's 4 played.
    CHECK(gamesResumed == 16);
    CHECK(gamesEnded == 4);
    CHECK(test::readAll(second / last) == lastBytes);

    options.runner.game.komi = 5.5;
    CHECK_THROWS_WITH(selfplay::runWorker(options), Catch::Contains("other settings"));
}

TEST_CASE("value data draws U up to AlphaGo's 450 on 19x19 and the same share of a smaller board", "[selfplay]") {
    CHECK(selfplay::alphaGoMaxSampledMove(19) == 450);
    CHECK(selfplay::alphaGoMaxSampledMove(9) == 100);  // 450 * 81 / 361, rounded down
    CHECK(selfplay::alphaGoMaxSampledMove(2) == 4);
}

TEST_CASE("value data keeps one position per game, after a move drawn uniformly from the legal ones", "[selfplay]") {
    selfplay::NetworkSet networks(smallBatches());
    const fs::path sl = tinyPolicyFile("selfplay-black.model", 1), rl = tinyPolicyFile("selfplay-white.model", 2);
    selfplay::RunnerOptions options;
    options.game.boardSize = kSize;
    options.game.deadStonePlayouts = 20;
    options.valueData = selfplay::ValueDataRecipe{30, networks.player(sl, {}), networks.player(rl, {})};
    const std::vector<selfplay::GameRecord> games = selfplay::playGames(options, seeds(60));
    std::set<int> sampled;
    for (const selfplay::GameRecord& g : games) {
        INFO("seed " << g.seed);
        CHECK(g.blackModel == g.whiteModel);  // one policy plays both colours up to U
        if (g.sampledPosition < 0) continue;
        CHECK(g.sampledPosition >= 1);
        CHECK(g.sampledPosition <= 30);
        sampled.insert(g.sampledPosition);
        // Move U was drawn uniformly among the legal moves of its position.
        Game before(kSize);
        for (int i = 0; i + 1 < g.sampledPosition; ++i)
            before.play({before.toMove(), nets::policyMove(g.moves[static_cast<std::size_t>(i)], before.geometry())});
        const std::size_t legal = before.legalMoves(before.toMove()).size();
        CHECK(g.moveProbabilities[static_cast<std::size_t>(g.sampledPosition - 1)] ==
              Approx(legal ? 1.0 / legal : 1.0));
    }
    CHECK(sampled.size() > 10);  // U varies from game to game
}

TEST_CASE("value-data shards index as training games giving their one sampled position each", "[selfplay][shard]") {
    selfplay::NetworkSet networks(smallBatches());
    const fs::path sl = tinyPolicyFile("selfplay-black.model", 1);
    selfplay::WorkerOptions options;
    options.runner.game.boardSize = kSize;
    options.runner.game.deadStonePlayouts = 20;
    options.runner.valueData = selfplay::ValueDataRecipe{30, networks.player(sl, {}), networks.player(sl, {})};
    options.runner.parallelGames = 8;
    options.seed = 9;
    options.games = 24;
    options.gamesPerShard = 12;
    options.outDir = test::scratch("value-shards");
    fs::remove_all(options.outDir);
    selfplay::runWorker(options);
    test::writeAll(options.outDir / "torn.shard", "TENGEN SELFPLAY SHARD\n");  // refused, the rest still read

    std::size_t shardGames = 0;
    for (const auto& [path, shard] : selfplay::scanShards(options.outDir).shards)
        for (const selfplay::GameRecord& game : shard.games) {
            REQUIRE(game.sampledPosition >= 1);  // the worker keeps only games with a sample
            ++shardGames;
        }
    GameFilter filter;
    filter.boardSize = kSize;
    filter.heldOutEvery = 3;
    GameIndex index;
    const selfplay::ShardIndexing counts = selfplay::indexShardGames(index, filter, options.outDir);
    CHECK(counts.shards == 2);
    CHECK(counts.refusedShards == 1);
    CHECK(counts.games == shardGames);
    CHECK(index.training.size() + index.heldOut.size() == shardGames);
    CHECK_FALSE(index.heldOut.empty());
    for (const auto* games : {&index.training, &index.heldOut}) {
        const std::vector<nets::PositionRef> positions = nets::sampledPositions(*games, 8, 1);
        std::size_t expected = 0;
        for (const IndexedGame& game : *games) {
            CHECK(game.valueSample >= 1);
            expected += game.winner != Color::Empty && game.valueSample < static_cast<int>(game.record.moves.size());
        }
        CHECK(positions.size() == expected);  // one per game, not eight
        for (const nets::PositionRef& p : positions) CHECK(static_cast<int>(p.move) == (*games)[p.game].valueSample);
    }
}

TEST_CASE("a self-play game exported as SGF replays as played, its value sample marked", "[selfplay]") {
    selfplay::NetworkSet networks(smallBatches());
    const fs::path sl = tinyPolicyFile("selfplay-black.model", 1);
    selfplay::RunnerOptions options;
    options.game.boardSize = kSize;
    options.game.deadStonePlayouts = 20;
    options.valueData = selfplay::ValueDataRecipe{20, networks.player(sl, {}), networks.player(sl, {})};
    for (const selfplay::GameRecord& game : selfplay::playGames(options, seeds(6))) {
        if (game.sampledPosition < 0) continue;
        const std::string text = game.sgfText();
        const std::vector<std::unique_ptr<SgfNode>> trees = parseSgfCollection(text);
        REQUIRE(trees.size() == 1);
        const SgfNode* node = trees.front().get();
        for (int i = 0; i < game.sampledPosition; ++i) node = node->children.front().get();
        CHECK_THAT(node->value("C"), Catch::StartsWith("Value sample"));
        const GameRecord record = readGameRecords(text).front();
        CHECK(record.winner() == game.winner);
        const Game replayed = replay(record).game;
        const bool sameMoves = replayed.moves() == game.replay().moves();
        CHECK(sameMoves);
    }
}

TEST_CASE("version 1 and 2 shards still read", "[selfplay][shard]") {
    for (const int version : {1, 2}) {
        const selfplay::Shard shard = selfplay::readShard(fs::path(TENGEN_FIXTURES) / "shards" /
                                                          fmt::format("version-{}-7x7.shard", version));
        CHECK(shard.header.version == version);
        REQUIRE(shard.games.size() == 4);
        for (const selfplay::GameRecord& game : shard.games) {
            CHECK(game.boardSize == 7);
            CHECK_FALSE(game.wouldHaveResigned);
            CHECK(game.wouldHaveResignedAt == -1);
            // Older shards do not say which view each move was drawn through.
            CHECK(game.symmetries.empty());
            CHECK_NOTHROW(game.replay());
        }
    }
}

namespace {

selfplay::SidePlayer searchPlayer(selfplay::NetworkSet& networks, const fs::path& model, double resignThreshold) {
    selfplay::SidePlayer side = networks.player(model, {});
    side.kind = selfplay::PlayerKind::Search;
    side.search.search.visits = 16;
    side.search.search.lambda = 1;
    side.search.search.dirichletEpsilon = 0.25;
    side.search.search.dirichletAlpha = 0.2;
    side.search.search.resignThreshold = resignThreshold;
    side.search.temperatureMoves = 4;
    return side;
}

}  // namespace

TEST_CASE("search players record their visits, and rollout players play p_pi's moves", "[selfplay]") {
    selfplay::NetworkSet networks(smallBatches());
    const fs::path model = tinyPolicyFile("selfplay-black.model", 1);
    selfplay::RunnerOptions options = runnerOn(networks, model, model);
    options.black = searchPlayer(networks, model, 0);
    options.white.kind = selfplay::PlayerKind::Rollout;
    options.white.pool.clear();
    options.white.rollout = std::make_shared<nets::RolloutPolicy>();  // uniform: light playouts
    options.parallelGames = 3;
    const std::vector<selfplay::GameRecord> games = selfplay::playGames(options, seeds(4));
    REQUIRE(games.size() == 4);
    for (const selfplay::GameRecord& g : games) {
        INFO("seed " << g.seed);
        CHECK_NOTHROW(g.replay());
        CHECK((g.endReason == "score" || g.endReason == "move-cap"));
        REQUIRE(g.visits.size() == g.moves.size());
        for (std::size_t i = 0; i < g.moves.size(); ++i) {
            if (i % 2 == 1) {  // White, the rollout player: no search
                CHECK(g.visits[i].empty());
                continue;
            }
            std::uint32_t total = 0;
            bool chosenVisited = false;
            for (const selfplay::VisitShare& share : g.visits[i]) {
                total += share.visits;
                chosenVisited = chosenVisited || share.move == g.moves[i];
            }
            CHECK(total >= 16);  // this search's visits, and those a reused subtree brought
            CHECK((chosenVisited || g.moves[i] == kSize * kSize));
        }
        for (float p : g.moveProbabilities) CHECK((p > 0 && p <= 1));
    }
    selfplay::RunnerOptions noRollout = options;
    noRollout.white.rollout.reset();
    CHECK_THROWS_WITH(selfplay::playGames(noRollout, seeds(1)), Catch::Contains("no rollout policy"));
}

TEST_CASE("search players resign three searches running below the threshold, except in play-on games",
          "[selfplay]") {
    selfplay::NetworkSet networks(smallBatches());
    const fs::path model = tinyPolicyFile("selfplay-black.model", 1);
    selfplay::RunnerOptions options = runnerOn(networks, model, model);
    // Resigning below an even game: whoever the search sees behind gives up.
    options.black = options.white = searchPlayer(networks, model, 0.5);
    options.parallelGames = 4;
    options.playOnShare = 0;
    int resigned = 0;
    for (const selfplay::GameRecord& g : selfplay::playGames(options, seeds(6))) {
        CHECK_FALSE(g.wouldHaveResigned);
        if (g.endReason != "resign") continue;
        ++resigned;
        REQUIRE(g.winner);
        // The loser was to move after the last move, and past the opening (a fifth of the points).
        const Color loser = g.moves.size() % 2 == 0 ? Color::Black : Color::White;
        CHECK(*g.winner == opponent(loser));
        CHECK(g.moves.size() >= static_cast<std::size_t>(kSize * kSize / 5));
    }
    CHECK(resigned > 0);

    options.playOnShare = 1;
    int wouldHave = 0;
    for (const selfplay::GameRecord& g : selfplay::playGames(options, seeds(6))) {
        CHECK(g.endReason != "resign");
        if (!g.wouldHaveResigned) continue;
        ++wouldHave;
        CHECK(g.wouldHaveResignedAt >= kSize * kSize / 5);
        CHECK(g.wouldHaveResignedAt < static_cast<int>(g.moves.size()));
    }
    CHECK(wouldHave > 0);
}

TEST_CASE("games start from an opening book: random balanced moves, or move k of an expert game", "[selfplay]") {
    selfplay::NetworkSet networks(smallBatches());
    const fs::path model = tinyPolicyFile("selfplay-black.model", 1);
    selfplay::RunnerOptions options = runnerOn(networks, model, model);
    play::OpeningOptions random;
    random.randomMoves = 4;
    options.openings = std::make_shared<play::OpeningBook>(random, kSize, 7.5);
    const std::vector<selfplay::GameRecord> games = selfplay::playGames(options, seeds(6));
    std::set<std::vector<std::uint16_t>> openings;
    for (const selfplay::GameRecord& g : games) {
        CHECK(g.openingMoves == 4);
        openings.insert({g.moves.begin(), g.moves.begin() + 4});
        CHECK(g.moveProbabilities[0] == 1.0f);
    }
    CHECK(openings.size() > 1);  // drawn game by game
    CHECK(selfplay::playGames(options, seeds(6))[3].moves == games[3].moves);  // by the seed alone
    selfplay::RunnerOptions valueData = options;
    valueData.valueData = selfplay::ValueDataRecipe{20, options.black, options.black};
    CHECK_THROWS_WITH(selfplay::playGames(valueData, seeds(1)), Catch::Contains("no openings"));

    const fs::path expert = test::scratch("expert-7x7.sgf");
    // The second game has setup stones and the third starts with White: neither gives an
    // opening that Black plays from the empty board.
    test::writeAll(expert, "(;GM[1]SZ[7]KM[7.5];B[dd];W[cc];B[ec];W[de])(;GM[1]SZ[7]AB[aa];W[bb])"
                           "(;GM[1]SZ[7];W[bb];B[cc])");
    play::OpeningOptions fromExpert;
    fromExpert.sgfPaths = {expert.string()};
    fromExpert.sgfMoves = 3;
    options.openings = std::make_shared<play::OpeningBook>(fromExpert, kSize, 7.5);
    const Geometry geometry(kSize);
    const std::vector<std::uint16_t> expected = {
        static_cast<std::uint16_t>(nets::policyIndex(geometry.point(3, 3), geometry)),
        static_cast<std::uint16_t>(nets::policyIndex(geometry.point(2, 2), geometry)),
        static_cast<std::uint16_t>(nets::policyIndex(geometry.point(4, 2), geometry))};
    for (const selfplay::GameRecord& g : selfplay::playGames(options, seeds(3))) {
        CHECK(g.openingMoves == 3);
        CHECK(std::vector<std::uint16_t>(g.moves.begin(), g.moves.begin() + 3) == expected);
        CHECK_NOTHROW(g.replay());
    }
}

namespace {

// `tengen selfplay` on 7x7 with the tiny network: `games` games in shards of 4.
std::vector<std::string> selfplayArgs(const fs::path& model, const fs::path& out, int games) {
    return {"selfplay",    "--size",      "7",     "--black-model", model.string(), "--games",
            std::to_string(games), "--games-per-shard", "4", "--parallel", "4", "--dead-stone-playouts",
            "20",          "--precision", "fp32",  "--progress",    "plain",        "--out",
            out.string()};
}

std::vector<fs::path> shardsIn(const fs::path& dir) {
    std::vector<fs::path> shards;
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.path().extension() == ".shard") shards.push_back(entry.path());
    return shards;
}

}  // namespace

TEST_CASE("a self-play run killed with SIGKILL resumes to the shards an uninterrupted run writes",
          "[selfplay][integration]") {
    const fs::path model = tinyPolicyFile("selfplay-black.model", 1);
    const fs::path killed = test::scratch("selfplay-killed"), whole = test::scratch("selfplay-whole");
    const fs::path log = test::scratch("selfplay-killed.log");
    fs::remove_all(killed);
    fs::remove_all(whole);
    const pid_t run = test::spawnTengen(selfplayArgs(model, killed, 48), log);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline &&
           (!fs::exists(killed) || shardsIn(killed).size() < 2))
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    ::kill(run, SIGKILL);
    CHECK(test::waitExit(run) == -SIGKILL);
    const std::size_t before = shardsIn(killed).size();
    INFO(test::readAll(log));
    REQUIRE(before >= 2);
    REQUIRE(before < 12);
    for (const fs::path& shard : shardsIn(killed)) CHECK_NOTHROW(selfplay::readShard(shard));  // none torn

    REQUIRE(test::waitExit(test::spawnTengen(selfplayArgs(model, killed, 48), log)) == 0);
    REQUIRE(test::waitExit(test::spawnTengen(selfplayArgs(model, whole, 48), log)) == 0);
    REQUIRE(shardsIn(killed).size() == 12);
    REQUIRE(shardsIn(whole).size() == 12);
    for (const fs::path& shard : shardsIn(whole))
        CHECK(test::readAll(killed / shard.filename()) == test::readAll(shard));
}

TEST_CASE("a shard that cannot be written fails the run with the file named, and the shards before it stay",
          "[selfplay][integration]") {
    const fs::path model = tinyPolicyFile("selfplay-black.model", 1);
    const fs::path dir = test::scratch("selfplay-full");
    fs::remove_all(dir);
    std::string command;
    for (const std::string& word : selfplayArgs(model, dir, 8)) command += " '" + word + "'";
    REQUIRE(test::runCommand(std::string(TENGEN_BINARY) + command + " 2>&1").status == 0);
    const std::string first = test::readAll(dir / selfplay::shardFileName(0, 1, 0));
    // As a full disk would: every write past 1 KiB fails (a file-size limit, its signal ignored).
    command.clear();
    for (const std::string& word : selfplayArgs(model, dir, 12)) command += " '" + word + "'";
    const test::CommandOutput full =
        test::runCommand("bash -c \"trap '' XFSZ; ulimit -f 1; exec " + std::string(TENGEN_BINARY) + command + "\" 2>&1");
    INFO(full.output);
    CHECK(full.status != 0);
    CHECK_THAT(full.output, Catch::Contains(selfplay::shardFileName(0, 1, 2)) && Catch::Contains("cannot write"));
    CHECK(test::readAll(dir / selfplay::shardFileName(0, 1, 0)) == first);
    CHECK(shardsIn(dir).size() == 2);
    // No temporary file is left; the series' lock file stays beside the shards.
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.path().filename().string().front() != '.') CHECK(entry.path().extension() == ".shard");
}

TEST_CASE("self-play plays the policy bundled for its board size unless told otherwise", "[selfplay][integration]") {
    const fs::path dir = test::scratch("selfplay-no-bundle");
    fs::remove_all(dir);
    // Nothing is bundled for 7x7: the run names what is missing and plays nothing.
    const test::CommandOutput missing = test::runCommand(std::string(TENGEN_BINARY) + " selfplay --size 7 --games 2 --out '" +
                                                         dir.string() + "' 2>&1");
    INFO(missing.output);
    CHECK(missing.status != 0);
    CHECK_THAT(missing.output, Catch::Contains("no policy network is bundled for 7x7") && Catch::Contains("--black-model"));
    CHECK_FALSE((fs::exists(dir) && !shardsIn(dir).empty()));
}
