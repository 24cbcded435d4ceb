// tengen gtp with no player flags: the tuned search on the bundled networks. With a fixed seed,
// one search thread and fp32 arithmetic its moves are a fixed function of the position, so a
// change meant to leave play alone (a refactoring, a move of files) can be shown to do so.
#include <catch2/catch.hpp>

#include <string>

#include "tests/command_output.h"

using tengen::test::runCommand;

TEST_CASE("the default player's fixed-seed moves are those it played before the layout change", "[gtp][integration]") {
    // Recorded with the binary of commit ec0eea4, before play/, match/ and nets/rollout/ were split out.
    const std::string commands = std::string("loadsgf ") + TENGEN_FIXTURES +
                                 "/sgf/kgs-2001-10-03-1-passes.sgf 80\\ngenmove b\\ngenmove w\\ngenmove b\\nquit\\n";
    const auto [status, output] =
        runCommand("printf '" + commands + "' | " + TENGEN_BINARY +
                   " gtp --seed 7 --visits 400 --search-threads 1 --precision fp32 2>/dev/null");
    CHECK(status == 0);
    CHECK(output == "= \n\n= B2\n\n= B4\n\n= R6\n\n= \n\n");
}
