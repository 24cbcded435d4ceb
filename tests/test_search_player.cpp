// The search behind GTP: genmove through the engine, and pondering (its time management
// is tested in test_time_manager.cpp).
#include <chrono>
#include <thread>

#include "gtp/engine.h"
#include "play/search_player.h"
#include "nets/model_file.h"
#include "tests/board_text.h"

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
