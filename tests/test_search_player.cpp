// The players behind GTP: the search's genmove through the engine and pondering (its time
// management is tested in test_time_manager.cpp), and the networks each board size plays on.
#include <chrono>
#include <thread>

#include "gtp/engine.h"
#include "play/search_player.h"
#include "nets/model_file.h"
#include "play/networks_by_size.h"
#include "play/policy_player.h"
#include "tests/board_text.h"
#include "tests/scratch_files.h"

// LibTorch brings glog's CHECK, which aborts; the tests want Catch's.
#undef CHECK
#include <catch2/catch.hpp>

using namespace tengen;

TEST_CASE("genmove through the search finds the capture that wins a race", "[mcts][gtp]") {
    play::SearchPlayerOptions options;
    options.search.visits = 1500;
    play::SearchPlayer player(options, {});
    gtp::Engine engine(player, {});
    // Black's B2 chain and White's C1-C2 are both in atari; D1 captures first.
    for (const char* command : {"boardsize 5", "komi 0.5", "play b c3", "play b a2", "play b b2", "play b d2",
                                "play b b1", "play w a3", "play w b3", "play w c2", "play w c1"})
        REQUIRE(engine.execute(*gtp::parseCommandLine(command)).success);
    const gtp::Reply reply = engine.execute(*gtp::parseCommandLine("genmove b"));
    REQUIRE(reply.success);
    CHECK(reply.text == "D1");
}

TEST_CASE("pondering thinks on the opponent's time and stops for the next command", "[mcts][gtp][threads]") {
    play::SearchPlayerOptions options;
    options.search.visits = 200;
    options.search.threads = 2;
    options.ponder = true;
    play::SearchPlayer player(options, {});
    gtp::Engine engine(player, {});
    REQUIRE(engine.execute(*gtp::parseCommandLine("boardsize 7")).success);
    // The opponent's moves come from genmove too: fixed ones could hit the search's stones.
    for (const char* command : {"genmove b", "genmove w", "genmove b", "genmove w", "genmove b"}) {
        const gtp::Reply reply = engine.execute(*gtp::parseCommandLine(command));
        REQUIRE(reply.success);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    // Pondering on now; undo and clear_board stop it and leave a consistent game.
    REQUIRE(engine.execute(*gtp::parseCommandLine("undo")).success);
    REQUIRE(engine.execute(*gtp::parseCommandLine("clear_board")).success);
    CHECK(engine.execute(*gtp::parseCommandLine("genmove w")).success);
}

TEST_CASE("lambda 1 scores leaves by rollouts alone and does not load the value network", "[mcts][gtp]") {
    play::EnginePreset preset;
    preset.models.value = "no-such-value.model";  // a file that would be refused if it were read
    preset.search.lambda = 1;
    CHECK_NOTHROW(play::loadSharedNetworks(preset));
    preset.search.lambda = 0.5;
    CHECK_THROWS_AS(play::loadSharedNetworks(preset), nets::ModelFileError);
}

TEST_CASE("genmove resigns only after consecutive searches want to", "[mcts][gtp]") {
    play::SearchPlayerOptions options;
    options.search.visits = 300;
    options.search.resignThreshold = 0.1;
    play::SearchPlayer player(options, {});
    gtp::Engine engine(player, {});
    // 30 points of komi on 5x5: Black cannot win, and every search past the opening says so.
    for (const char* command : {"boardsize 5", "komi 30.5", "play b a1", "play w e5", "play b a5", "play w e1",
                                "play b c1", "play w c5"})
        REQUIRE(engine.execute(*gtp::parseCommandLine(command)).success);
    for (int search = 1; search <= options.resignSearches; ++search) {
        const gtp::Reply black = engine.execute(*gtp::parseCommandLine("genmove b"));
        REQUIRE(black.success);
        INFO("search " << search);
        CHECK((black.text == "resign") == (search == options.resignSearches));
        if (search < options.resignSearches) REQUIRE(engine.execute(*gtp::parseCommandLine("genmove w")).success);
    }
}

namespace {

// A tiny untrained policy network for one board size, saved as `name` in `dir`.
void saveTinyPolicy(const std::filesystem::path& dir, const std::string& name, int boardSize) {
    nets::NetworkShape shape;
    shape.boardSize = boardSize;
    shape.layers = 2;
    shape.filters = 4;
    nets::Model model = nets::makeModel(shape);
    nets::saveModel(dir / name, model);
}

std::filesystem::path freshDirectory(const std::string& name) {
    const auto dir = test::scratch(name);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

}  // namespace

TEST_CASE("the bundled networks are found by role and board size", "[play]") {
    const auto dir = freshDirectory("bundled-models");
    saveTinyPolicy(dir, "policy-9-2x4.model", 9);
    saveTinyPolicy(dir, "policy-19.model", 19);
    test::writeAll(dir / "value-9-2x4.model", "not read here");
    test::writeAll(dir / "policy-9-notes.txt", "not a model");
    const play::ModelFiles nine = play::bundledModels(dir, 9);
    CHECK(nine.policy == (dir / "policy-9-2x4.model").string());
    CHECK(nine.value == (dir / "value-9-2x4.model").string());
    CHECK(nine.rollout.empty());
    CHECK(play::bundledModels(dir, 19).policy == (dir / "policy-19.model").string());
    CHECK(play::bundledModels(dir, 13) == play::ModelFiles{});
    CHECK(play::bundledModels(dir / "missing", 9) == play::ModelFiles{});
    saveTinyPolicy(dir, "policy-9-other.model", 9);
    CHECK_THROWS_WITH(play::bundledModels(dir, 9), Catch::Contains("two policy networks for 9x9"));
}

TEST_CASE("a game of another board size searches on the networks bundled for it", "[play][gtp]") {
    const auto dir = freshDirectory("networks-by-size");
    saveTinyPolicy(dir, "policy-9-2x4.model", 9);
    const auto own = test::scratch("policy-7-own.model");
    saveTinyPolicy(own.parent_path(), own.filename().string(), 7);
    play::EnginePreset preset;
    preset.models.policy = own.string();
    preset.otherSizesModelsDir = dir.string();
    preset.search.lambda = 1;
    auto networks = std::make_shared<play::NetworksBySize>(preset);
    REQUIRE(networks->forSize(7).evaluator);
    CHECK(networks->forSize(7).evaluator->boardSize() == 7);
    const play::SharedNetworks nine = networks->forSize(9);
    REQUIRE(nine.evaluator);
    CHECK(nine.evaluator->boardSize() == 9);
    CHECK(networks->forSize(9).evaluator == nine.evaluator);  // loaded once, then shared
    CHECK_FALSE(networks->forSize(5).evaluator);

    // Through GTP: the controller changes the size after the engine has started.
    play::SearchPlayerOptions options;
    options.search.visits = 50;
    play::SearchPlayer player(options, networks);
    gtp::Engine engine(player, {});
    for (const char* size : {"boardsize 9", "boardsize 7", "boardsize 5"}) {
        INFO(size);
        REQUIRE(engine.execute(*gtp::parseCommandLine(size)).success);
        CHECK(engine.execute(*gtp::parseCommandLine("genmove b")).success);
    }

    // Without a bundle directory, other sizes have no networks.
    preset.otherSizesModelsDir.clear();
    CHECK_FALSE(play::NetworksBySize(preset).forSize(9).evaluator);
}

TEST_CASE("a damaged bundled network fails the move that needs it with its name, not the session", "[play][gtp]") {
    const auto dir = freshDirectory("damaged-bundle");
    test::writeAll(dir / "policy-9-2x4.model", "damaged");
    play::EnginePreset preset;
    preset.otherSizesModelsDir = dir.string();
    play::SearchPlayerOptions options;
    options.search.visits = 20;
    play::SearchPlayer player(options, std::make_shared<play::NetworksBySize>(preset));
    gtp::Engine engine(player, {});
    REQUIRE(engine.execute(*gtp::parseCommandLine("boardsize 9")).success);
    const gtp::Reply reply = engine.execute(*gtp::parseCommandLine("genmove b"));
    CHECK_FALSE(reply.success);
    CHECK_THAT(reply.text, Catch::Contains("policy-9-2x4.model"));
    REQUIRE(engine.execute(*gtp::parseCommandLine("boardsize 7")).success);
    CHECK(engine.execute(*gtp::parseCommandLine("genmove b")).success);
}

TEST_CASE("the raw policy player plays each board size on the network for it", "[play][gtp]") {
    const auto dir = freshDirectory("direct-networks-by-size");
    {
        // A 9x9 network that wants the centre above all.
        nets::NetworkShape shape;
        shape.boardSize = 9;
        shape.layers = 2;
        shape.filters = 4;
        nets::Model model = nets::makeModel(shape);
        torch::NoGradGuard noGrad;
        model.module().named_parameters()["point_bias"][4 * 9 + 4] = 100.0f;
        nets::saveModel(dir / "policy-9-centre.model", model);
    }
    const auto own = test::scratch("policy-7-direct.model");
    saveTinyPolicy(own.parent_path(), own.filename().string(), 7);
    play::EnginePreset preset;
    preset.models.policy = own.string();
    preset.otherSizesModelsDir = dir.string();
    auto networks = std::make_shared<play::DirectNetworksBySize>(preset);
    CHECK(networks->forSize(7)->policy.metadata.shape.boardSize == 7);
    const auto nine = networks->forSize(9);
    REQUIRE(nine);
    CHECK(nine->policy.metadata.shape.boardSize == 9);
    CHECK(networks->forSize(9) == nine);  // loaded once, then shared
    CHECK_FALSE(networks->forSize(5));

    play::PolicyPlayer player(networks, 1);
    gtp::Engine engine(player, {});
    REQUIRE(engine.execute(*gtp::parseCommandLine("boardsize 9")).success);
    CHECK(engine.execute(*gtp::parseCommandLine("genmove b")).text == "E5");
    for (const char* size : {"boardsize 7", "boardsize 5"}) {  // its own network; the simple player
        INFO(size);
        REQUIRE(engine.execute(*gtp::parseCommandLine(size)).success);
        CHECK(engine.execute(*gtp::parseCommandLine("genmove b")).success);
    }
}
