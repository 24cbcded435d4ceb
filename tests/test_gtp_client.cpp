// The GTP client against GNU Go and against shell scripts that misbehave on purpose.
#include <sys/wait.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "gtp/client.h"

using namespace std::chrono_literals;
using tengen::gtp::GtpClient;
using tengen::gtp::GtpClientError;

namespace {

std::string gnuGoPath() {
    const char* path = std::getenv("TENGEN_GNUGO");
    return path != nullptr ? path : "/usr/games/gnugo";
}

GtpClient startGnuGo() {
    const std::string path = gnuGoPath();
    INFO("GNU Go 3.8 is needed at " << path << " (apt install gnugo, or set TENGEN_GNUGO)");
    REQUIRE(std::filesystem::exists(path));
    return GtpClient("gnugo", {path, "--mode", "gtp"}, GtpClient::Stderr::Discard);
}

GtpClient shellEngine(const char* script) {
    return GtpClient("script", {"/bin/sh", "-c", script}, GtpClient::Stderr::Discard);
}

}  // namespace

TEST_CASE("GtpClient talks to GNU Go", "[gtp-client][gnugo][integration]") {
    GtpClient gnugo = startGnuGo();
    CHECK(gnugo.name() == "gnugo");

    const auto name = gnugo.send("name", 10s);
    CHECK(name.ok);
    CHECK(name.text == "GNU Go");
    CHECK(gnugo.sendOk("protocol_version", 10s) == "2");

    // A multi-line reply keeps its inner lines and loses only the blank terminator.
    const std::string commands = gnugo.sendOk("list_commands", 10s);
    CHECK(commands.find("\nplay\n") != std::string::npos);
    CHECK(commands.back() != '\n');

    const auto unknown = gnugo.send("no_such_command", 10s);
    CHECK_FALSE(unknown.ok);
    CHECK(unknown.text == "unknown command");
    CHECK_THROWS_WITH(gnugo.sendOk("play black Z99", 10s), Catch::Contains("rejected 'play black Z99'"));

    // Pipelined commands get their replies in order, failures included.
    const std::vector<std::string> batch = {"boardsize 9", "clear_board", "play black E5", "play white E5",
                                            "list_stones black"};
    const auto replies = gnugo.sendAll(batch, 10s);
    REQUIRE(replies.size() == 5);
    CHECK(replies[2].ok);
    CHECK_FALSE(replies[3].ok);
    CHECK(replies[4].text == "E5");
    CHECK(gnugo.alive());
}

TEST_CASE("GtpClient gives up on an engine that does not answer", "[gtp-client][integration]") {
    GtpClient engine = shellEngine("read x; exec sleep 5");
    const auto start = std::chrono::steady_clock::now();
    CHECK_THROWS_WITH(engine.send("name", 300ms), "engine script did not answer 'name' within 300 ms");
    CHECK(std::chrono::steady_clock::now() - start < 1s);
    // The stream is out of step after a timeout, so the engine is gone, and reaped: a killed
    // engine left as a zombie would be there for waitpid to collect.
    CHECK_FALSE(engine.alive());
    std::this_thread::sleep_for(100ms);
    int status = 0;
    CHECK(::waitpid(-1, &status, WNOHANG) <= 0);
    CHECK_THROWS_WITH(engine.send("name", 300ms), Catch::Contains("is not running"));
}

TEST_CASE("GtpClient reports an engine that exits mid-command", "[gtp-client][integration]") {
    GtpClient engine = shellEngine("read x; exit 3");
    CHECK_THROWS_WITH(engine.send("name", 2s), "engine script exited (status 3) while answering 'name'");
    CHECK_FALSE(engine.alive());
}

TEST_CASE("GtpClient reports an engine that has already exited", "[gtp-client][integration]") {
    GtpClient engine = shellEngine("exit 0");
    while (engine.alive()) std::this_thread::sleep_for(1ms);
    CHECK_THROWS_WITH(engine.send("name", 2s), "engine script exited (status 0) while answering 'name'");
}

TEST_CASE("GtpClient rejects answers that are not GTP", "[gtp-client][integration]") {
    GtpClient engine = shellEngine("read x; echo hello; echo; exec sleep 5");
    CHECK_THROWS_WITH(engine.send("name", 2s), "engine script answered garbage to 'name': hello");
}

TEST_CASE("GtpClient refuses an answer line that never ends", "[gtp-client][integration]") {
    GtpClient engine = shellEngine("read x; yes = | tr -d '\\n'");
    CHECK_THROWS_WITH(engine.send("name", 20s), Catch::Contains("answered 'name' with a line of more than 16777216 bytes"));
    CHECK_FALSE(engine.alive());
}

TEST_CASE("GtpClient accepts CRLF line ends and stray blank lines", "[gtp-client][integration]") {
    GtpClient engine = shellEngine(R"(read x; printf '\r\n= one\r\ntwo\r\n\r\n'; read x; printf '? bad\n\n')");
    const auto reply = engine.send("first", 2s);
    CHECK(reply.ok);
    CHECK(reply.text == "one\ntwo");
    const auto failure = engine.send("second", 2s);
    CHECK_FALSE(failure.ok);
    CHECK(failure.text == "bad");
}

TEST_CASE("GtpClient fails cleanly when the program does not exist", "[gtp-client][integration]") {
    using CommandLine = std::vector<std::string>;
    CHECK_THROWS_WITH(GtpClient("ghost", CommandLine{"no-such-gtp-engine-xyz"}),
                      "cannot start engine ghost: 'no-such-gtp-engine-xyz' not found on PATH");
    CHECK_THROWS_WITH(GtpClient("ghost", CommandLine{"/no/such/engine"}), Catch::StartsWith("cannot start engine ghost"));
    CHECK_THROWS_AS(GtpClient("ghost", CommandLine{}), GtpClientError);
}

TEST_CASE("splitCommandLine splits like a shell", "[gtp-client]") {
    using Words = std::vector<std::string>;
    CHECK(GtpClient::splitCommandLine("/usr/games/gnugo --mode gtp --level 1") ==
          Words{"/usr/games/gnugo", "--mode", "gtp", "--level", "1"});
    CHECK(GtpClient::splitCommandLine("  a\t 'b c'  \"d \\\"e\\\" \\f\" g\\ h ''") ==
          Words{"a", "b c", "d \"e\" \\f", "g h", ""});
    CHECK(GtpClient::splitCommandLine("x'y'\"z\"").front() == "xyz");
    CHECK(GtpClient::splitCommandLine("").empty());
    CHECK_THROWS_AS(GtpClient::splitCommandLine("gnugo 'open"), std::invalid_argument);
}
