#pragma once
// The controller side of GTP: runs another engine as a child process and talks to it over
// its stdin/stdout. Used by the tests (GNU Go as a rules oracle) and by match play.
//
// Every read has a deadline, so a hung or crashed engine becomes an exception rather than a
// hung controller. After any GtpClientError the engine is killed: once a reply is late or
// malformed, the command/reply pairing can no longer be trusted.

#include <chrono>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace tengen::gtp {

class GtpClientError : public std::runtime_error {
public:
    // What went wrong, so that a match can tell a crash from a timeout without parsing text.
    enum class Kind { Other, Start, Timeout, Closed, Garbage, Rejected };
    explicit GtpClientError(const std::string& message, Kind kind = Kind::Other)
        : std::runtime_error(message), kind_(kind) {}
    Kind kind() const { return kind_; }

private:
    Kind kind_;
};

struct GtpReply {
    bool ok = false;   // "=" rather than "?"
    // Without the leading "= "/"? " and the terminating blank line; inner newlines kept.
    std::string text;
};

class GtpClient {
public:
    enum class Stderr { Inherit, Discard };
    static constexpr std::chrono::milliseconds kDefaultTimeout{60'000};

    // commandLine[0] is the program (searched on PATH if it has no '/'), the rest its
    // arguments. Throws GtpClientError if the program cannot be started.
    GtpClient(std::string name, std::vector<std::string> commandLine, Stderr stderrMode = Stderr::Inherit);
    // Connects to a GTP server already listening at host:port (such as `tengen gtp --listen`
    // or GNU Go behind a socket bridge). Each connection is one session; there is no process
    // to restart, so after a failure the caller reconnects. Throws GtpClientError if the
    // connection cannot be made within connectTimeout.
    struct TcpAddress {
        std::string host;
        unsigned short port = 0;
    };
    GtpClient(std::string name, const TcpAddress& address,
              std::chrono::milliseconds connectTimeout = std::chrono::milliseconds(10'000));
    ~GtpClient();
    GtpClient(const GtpClient&) = delete;
    GtpClient& operator=(const GtpClient&) = delete;

    const std::string& name() const { return name_; }

    // Sends one command (a single line) and waits for its reply.
    GtpReply send(std::string_view command, std::chrono::milliseconds timeout = kDefaultTimeout);
    // Like send, but a "?" reply is an error too; returns the reply text.
    std::string sendOk(std::string_view command, std::chrono::milliseconds timeout = kDefaultTimeout);
    // Pipelines the commands (all written before the replies are read) to save round
    // trips; the timeout covers the whole batch. Replies are in command order.
    std::vector<GtpReply> sendAll(std::span<const std::string> commands,
                                  std::chrono::milliseconds timeout = kDefaultTimeout);

    bool alive();
    // Kills the engine at once (SIGKILL); later sends throw.
    void kill();

    // Shell-like splitting: whitespace separates words; single quotes keep everything,
    // double quotes keep everything but backslash escapes; a backslash outside single
    // quotes escapes the next character. Throws std::invalid_argument on an open quote.
    static std::vector<std::string> splitCommandLine(std::string_view line);

private:
    struct Process;

    struct Deadline {
        std::chrono::steady_clock::time_point at;
        std::chrono::milliseconds timeout;  // for messages
    };
    void writeAll(std::string_view data, const Deadline& deadline, std::string_view command);
    GtpReply readReply(const Deadline& deadline, std::string_view command);
    // Waits for more bytes from the engine; false at the end of its output.
    bool fill(const Deadline& deadline, std::string_view command);
    [[noreturn]] void fail(const std::string& message, GtpClientError::Kind kind = GtpClientError::Kind::Other);
    [[noreturn]] void failClosed(std::string_view command);
    void closePipes();

    std::string name_;
    std::unique_ptr<Process> process_;  // null for a TCP connection
    bool connected_ = false;            // TCP: the socket has not failed yet
    int toEngine_ = -1;    // write end of the engine's stdin
    int fromEngine_ = -1;  // read end of the engine's stdout
    std::string buffer_;   // bytes read but not yet consumed as lines
};

}  // namespace tengen::gtp
