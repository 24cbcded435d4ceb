#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <csignal>
#include <cstdlib>

#include <spdlog/spdlog.h>

int main(int argc, char* argv[]) {
    // Tests talk to child engines and sockets that may close first.
    std::signal(SIGPIPE, SIG_IGN);
    // Tests provoke warnings on purpose; set TENGEN_TEST_LOG=debug to see them.
    const char* level = std::getenv("TENGEN_TEST_LOG");
    spdlog::set_level(level ? spdlog::level::from_str(level) : spdlog::level::off);
    return Catch::Session().run(argc, argv);
}
