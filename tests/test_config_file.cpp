// Config files (--config): every subcommand reads its flags from a TOML section named after it.

#include <catch2/catch.hpp>

#include <functional>
#include <string>

#include "tests/command_output.h"
#include "tests/scratch_files.h"

using tengen::test::runCommand;
using tengen::test::scratch;
using tengen::test::writeAll;

namespace {

tengen::test::CommandOutput gtpWithConfig(const std::string& config, const std::string& commands) {
    // One file per content: CTest runs the test cases in parallel.
    const auto path = scratch("config-" + std::to_string(std::hash<std::string>{}(config)) + ".toml");
    writeAll(path, config);
    return runCommand("printf '" + commands + "' | " + TENGEN_BINARY + " --config " + path.string() +
                      " gtp --player simple 2>&1");
}

}  // namespace

TEST_CASE("a config file sets a subcommand's flags", "[cli][integration]") {
    const auto [status, output] = gtpWithConfig("[gtp]\nsize = 9\nkomi = 6.5\n", "printsgf\\n");
    CHECK(status == 0);
    CHECK_THAT(output, Catch::Contains("SZ[9]") && Catch::Contains("KM[6.5]"));
}

TEST_CASE("a config file with an unknown or malformed key is refused by name", "[cli][integration]") {
    SECTION("misspelt key") {
        const auto [status, output] = gtpWithConfig("[gtp]\nsise = 9\n", "printsgf\\n");
        CHECK(status != 0);
        CHECK_THAT(output, Catch::Contains("gtp.sise"));
        CHECK_THAT(output, !Catch::Contains("SZ[19]"));
    }
    SECTION("value of the wrong type") {
        const auto [status, output] = gtpWithConfig("[gtp]\nkomi = lots\n", "printsgf\\n");
        CHECK(status != 0);
        CHECK_THAT(output, Catch::Contains("komi"));
    }
}
