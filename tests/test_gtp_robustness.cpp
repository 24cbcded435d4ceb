// GTP under hostile input: random and mutated command lines, and TCP peers that misbehave.
#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>
#include <thread>

#include "go/random.h"
#include "gtp/session.h"
#include "play/simple_player.h"
#include "gtp/tcp_server.h"
#include "tests/scratch_files.h"

using namespace tengen;

namespace {

struct EngineState {
    int size;
    std::uint64_t hash;
    Color toMove;
    std::size_t moves;
    double komi;
    int handicap;
    friend bool operator==(const EngineState&, const EngineState&) = default;
};

EngineState stateOf(const gtp::Engine& engine) {
    const Game& g = engine.game();
    return {g.size(), g.board().hash(), g.toMove(), g.moves().size(), g.komi(), g.handicap()};
}

// Command lines a fuzzer would find: real commands with wrong, huge, negative or odd
// arguments, random bytes, NULs, and over-long lines.
std::string randomLine(Random& rng) {
    static const char* names[] = {
        "protocol_version", "name", "version", "known_command", "list_commands", "boardsize", "clear_board",
        "komi", "play", "genmove", "reg_genmove", "undo", "fixed_handicap", "place_free_handicap",
        "set_free_handicap", "time_settings", "kgs-time_settings", "time_left", "loadsgf", "showboard",
        "is_legal", "list_stones", "countlib", "kgs-rules", "tengen-rules", "printsgf", "lz-analyze",
        "kata-analyze", "gogui-analyze_commands", "final_status_list", "PLAY", "play\x01", ""};
    static const char* words[] = {
        "b", "w", "black", "WHITE", "red", "pass", "PASS", "resign", "a1", "A19", "T19", "Z25", "I5", "j10",
        "D4", "e5", "0", "1", "2", "-1", "7", "9", "19", "25", "26", "100", "99999999999999999999", "1e308",
        "nan", "inf", "-0", "6.5", "0x10", "chinese", "japanese", "nz", "byoyomi", "canadian", "none",
        "absolute", "/nonexistent.sgf", "/dev/null", "dead", "alive", "seki", "\t", "#", "\x7f", "\xff\xfe"};
    std::string line;
    const std::uint32_t kind = rng.below(10);
    if (kind == 0) {
        // Raw random bytes, NUL included.
        const std::uint32_t length = rng.below(40);
        for (std::uint32_t i = 0; i < length; ++i) {
            char c = static_cast<char>(rng.below(256));
            if (c != '\n') line += c;
        }
        return line;
    }
    if (kind == 1) return std::string(100 + rng.below(3000), static_cast<char>('a' + rng.below(26)));
    if (kind <= 7) {
        // A well-formed command, so games really progress, then maybe one byte mutated.
        const std::string color = rng.below(2) ? "b" : "w";
        const std::string vertex = std::string(1, "ABCDEFGHJ"[rng.below(9)]) + std::to_string(1 + rng.below(9));
        static const char* templates[] = {"play @ %", "play @ %", "play @ %", "genmove @", "undo", "is_legal @ %",
                                          "countlib %", "list_stones @", "komi 6.5", "fixed_handicap 4",
                                          "set_free_handicap % A1", "time_left @ 30 0", "final_score", "clear_board"};
        for (const char* c = templates[rng.below(std::size(templates))]; *c; ++c)
            line += *c == '@' ? color : *c == '%' ? vertex : std::string(1, *c);
        if (kind >= 6 && !line.empty()) {
            const std::size_t at = rng.below(static_cast<std::uint32_t>(line.size()));
            switch (rng.below(3)) {
                case 0: line[at] = static_cast<char>(rng.below(256)); break;
                case 1: line.erase(at, 1); break;
                default: line.insert(at, 1, static_cast<char>(rng.below(128)));
            }
            if (line.find('\n') != std::string::npos) line.erase(line.find('\n'), 1);
        }
        return line;
    }
    if (rng.below(4) == 0) line += std::to_string(rng.below(1000)) + " ";
    line += names[rng.below(std::size(names))];
    const std::uint32_t args = rng.below(5);
    for (std::uint32_t i = 0; i < args; ++i) line += std::string(" ") + words[rng.below(std::size(words))];
    return line;
}

}  // namespace

TEST_CASE("100,000 random and mutated command lines: every one answered, failures change nothing", "[gtp][fuzz]") {
    play::SimplePlayer player(3);
    gtp::EngineOptions options;
    options.boardSize = 9;
    options.deadStonePlayouts = 20;
    gtp::Engine engine(player, options);
    Random rng(20261122);
    std::size_t commands = 0, failures = 0, successfulPlays = 0;
    for (int i = 0; i < 100000; ++i) {
        std::string line = randomLine(rng);
        // printsgf with an argument writes a file; keep the fuzzer from littering.
        if (line.find("printsgf") != std::string::npos) line = "printsgf";
        // Big boards make genmove and scoring slow without finding anything new.
        if (line.find("boardsize") != std::string::npos && rng.below(4) != 0) line = "boardsize 9";
        const auto command = gtp::parseCommandLine(line);
        if (!command) continue;
        ++commands;
        const EngineState before = stateOf(engine);
        const gtp::Reply reply = engine.execute(*command);
        successfulPlays += reply.success && command->name == "play";
        if (!reply.success) {
            ++failures;
            INFO("line: " << line << "\nreply: " << reply.text);
            REQUIRE(stateOf(engine) == before);
            REQUIRE_FALSE(reply.text.empty());
        }
        if (engine.quitRequested()) break;
    }
    CHECK(commands > 80000);
    CHECK(failures > 10000);
    CHECK(successfulPlays > 5000);
}

TEST_CASE("a session answers every non-empty line of a garbage stream", "[gtp][fuzz]") {
    Random rng(99);
    std::string input;
    std::size_t expected = 0;
    for (int i = 0; i < 5000; ++i) {
        std::string line = randomLine(rng);
        if (line.find("quit") != std::string::npos || line.find("printsgf") != std::string::npos ||
            line.find("analyze") != std::string::npos || line.find("genmove") != std::string::npos)
            continue;
        if (line.size() > 1000 || gtp::parseCommandLine(line)) ++expected;
        input += line + "\n";
    }
    play::SimplePlayer player(1);
    gtp::EngineOptions options;
    options.deadStonePlayouts = 10;
    gtp::Engine engine(player, options);
    std::istringstream in(input);
    std::ostringstream out;
    const gtp::SessionSummary summary = gtp::runSession(engine, in, out, {1000, std::nullopt});
    CHECK(summary.answered == expected);
    CHECK(summary.end == gtp::SessionEnd::EndOfInput);
    // Every response is framed: it starts with = or ? and ends with a blank line.
    std::size_t responses = 0;
    std::istringstream lines(out.str());
    std::string line;
    bool atStart = true;
    while (std::getline(lines, line)) {
        if (atStart) {
            REQUIRE((!line.empty() && (line[0] == '=' || line[0] == '?')));
            ++responses;
        }
        atStart = line.empty();
    }
    CHECK(responses == expected);
}

namespace {

// A minimal blocking loopback client.
class Client {
public:
    explicit Client(unsigned short port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
        timeval timeout{5, 0};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    }
    ~Client() { ::close(fd_); }
    bool connected() const { return connected_; }
    void send(const std::string& text) { (void)!::write(fd_, text.data(), text.size()); }
    // Reads one response (up to its blank line); "" if the server closed the connection.
    std::string response() {
        for (;;) {
            const auto end = buffer_.find("\n\n");
            if (end != std::string::npos) {
                std::string r = buffer_.substr(0, end);
                buffer_.erase(0, end + 2);
                return r;
            }
            char chunk[4096];
            const ssize_t n = ::read(fd_, chunk, sizeof chunk);
            if (n <= 0) return "";
            buffer_.append(chunk, static_cast<std::size_t>(n));
        }
    }
    std::string ask(const std::string& command) {
        send(command + "\n");
        return response();
    }

private:
    int fd_ = -1;
    bool connected_ = false;
    std::string buffer_;
};

gtp::EngineFactory simpleEngines() {
    return [] {
        gtp::EngineInstance instance;
        instance.player = std::make_unique<play::SimplePlayer>(1);
        gtp::EngineOptions options;
        options.deadStonePlayouts = 20;
        instance.engine = std::make_unique<gtp::Engine>(*instance.player, options);
        return instance;
    };
}

struct RunningServer {
    gtp::TcpServer server;
    std::thread thread;
    explicit RunningServer(gtp::TcpServerOptions options) : server(std::move(options), simpleEngines()) {
        thread = std::thread([this] { server.run(); });
    }
    ~RunningServer() {
        server.stop();
        thread.join();
    }
};

}  // namespace

TEST_CASE("TCP: concurrent sessions each play their own game", "[gtp][tcp]") {
    RunningServer running({{"127.0.0.1", 0}, 16, 4096, std::chrono::seconds(30)});
    const unsigned short port = running.server.port();
    std::vector<std::thread> players;
    std::atomic<int> good{0};
    for (int i = 0; i < 8; ++i)
        players.emplace_back([&, i] {
            Client client(port);
            if (!client.connected()) return;
            bool ok = client.ask("boardsize 9") == "= ";
            // Each session places a different stone: no session may see another's.
            const std::string vertex = std::string(1, static_cast<char>('A' + i)) + "1";
            ok &= client.ask("play b " + vertex) == "= ";
            for (int move = 0; move < 10; ++move) {
                const std::string reply = client.ask(move % 2 ? "genmove b" : "genmove w");
                ok &= reply.size() > 2 && reply[0] == '=';
            }
            ok &= client.ask("list_stones black").find(vertex) != std::string::npos;
            ok &= client.ask("undo") == "= ";
            ok &= client.ask("quit") == "= ";
            good += ok;
        });
    for (auto& t : players) t.join();
    CHECK(good == 8);
}

TEST_CASE("TCP: garbage, broken lines and limits", "[gtp][tcp]") {
    RunningServer running({{"127.0.0.1", 0}, 3, 200, std::chrono::milliseconds(400)});
    const unsigned short port = running.server.port();
    {
        // Garbage gets answers; a disconnect in the middle of a line harms nobody.
        Client rude(port);
        REQUIRE(rude.connected());
        CHECK(rude.ask(std::string("\x01\x02garbage\x00\xff", 12)).rfind("? unknown command", 0) == 0);
        rude.send("play b d");
    }
    {
        Client client(port);
        CHECK(client.ask(std::string(5000, 'x')) == "? line too long");
        CHECK(client.ask("name") == "= Tengen");
    }
    // Closed sessions notice their peer's end within a poll interval.
    auto waitUntilNoSessions = [&] {
        for (int i = 0; i < 250 && running.server.activeSessions() > 0; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
    };
    waitUntilNoSessions();
    {
        // The fourth concurrent connection is refused: the server closes it at once.
        Client a(port), b(port), c(port);
        REQUIRE(a.ask("name") == "= Tengen");
        REQUIRE(b.ask("name") == "= Tengen");
        REQUIRE(c.ask("name") == "= Tengen");
        Client d(port);
        CHECK(d.ask("name").empty());
    }
    waitUntilNoSessions();
    {
        // An idle session is closed after the idle limit.
        Client idle(port);
        REQUIRE(idle.ask("name") == "= Tengen");
        std::this_thread::sleep_for(std::chrono::milliseconds(900));
        CHECK(idle.ask("name").empty());
    }
}

TEST_CASE("TCP: --connect dials a waiting controller and serves GTP on that socket", "[gtp][tcp][integration]") {
    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(listener, 1) == 0);
    socklen_t length = sizeof address;
    ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
    const std::string target = "127.0.0.1:" + std::to_string(ntohs(address.sin_port));

    const pid_t child = ::fork();
    if (child == 0) {
        ::execl(TENGEN_BINARY, TENGEN_BINARY, "gtp", "--connect", target.c_str(), "--log-level", "off", nullptr);
        ::_exit(127);
    }
    timeval timeout{10, 0};
    ::setsockopt(listener, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    const int connection = ::accept(listener, nullptr, nullptr);
    REQUIRE(connection >= 0);
    ::setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    const std::string commands = "1 name\n2 boardsize 9\n3 play b e5\n4 list_stones black\n5 quit\n";
    REQUIRE(::write(connection, commands.data(), commands.size()) == static_cast<ssize_t>(commands.size()));
    std::string replies;
    char chunk[1024];
    for (ssize_t n; (n = ::read(connection, chunk, sizeof chunk)) > 0;) replies.append(chunk, static_cast<std::size_t>(n));
    ::close(connection);
    ::close(listener);
    int status = 0;
    ::waitpid(child, &status, 0);
    CHECK(replies == "=1 Tengen\n\n=2 \n\n=3 \n\n=4 E5\n\n=5 \n\n");
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("with file commands off, peers neither read nor write the engine's files", "[gtp][tcp]") {
    play::SimplePlayer player(1);
    gtp::EngineOptions options;
    options.fileCommands = false;
    gtp::Engine engine(player, options);
    const auto ask = [&](const std::string& line) {
        std::istringstream in(line + "\n");
        std::ostringstream out;
        gtp::runSession(engine, in, out, {256, std::nullopt});
        return out.str();
    };
    const std::filesystem::path written = test::scratch("written-by-a-peer.sgf");
    std::filesystem::remove(written);
    const std::string fixture = std::string(TENGEN_FIXTURES) + "/sgf/ff3-quirks.sgf";
    CHECK(ask("known_command loadsgf") == "= false\n\n");
    CHECK(ask("loadsgf " + fixture).rfind("? unknown command", 0) == 0);
    CHECK(ask("printsgf " + written.string()).rfind("? cannot save file", 0) == 0);
    CHECK_FALSE(std::filesystem::exists(written));
    // The record itself is still there for the asking.
    CHECK(ask("printsgf").rfind("= (;", 0) == 0);
}
