#pragma once
// GTP over TCP (Boost.Asio): a server where every connection is an independent session
// with its own game, and the dialling side of GNU Go's --gtp-connect.

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "gtp/engine.h"
#include "gtp/session.h"

namespace tengen::gtp {

// An engine with the player it owns: one per session.
struct EngineInstance {
    std::unique_ptr<play::Player> player;
    std::unique_ptr<Engine> engine;
};
using EngineFactory = std::function<EngineInstance()>;

struct Endpoint {
    std::string host;
    unsigned short port = 0;
    // "HOST:PORT" or "PORT" (host then 127.0.0.1). Throws std::invalid_argument.
    static Endpoint parse(const std::string& text);
};

struct TcpServerOptions {
    Endpoint endpoint{"127.0.0.1", 0};
    int maxConnections = 16;
    std::size_t maxLineBytes = 64 * 1024;
    std::chrono::milliseconds idleTimeout{std::chrono::minutes(30)};
};

class TcpServer {
public:
    // Binds at once (throws std::runtime_error if it cannot), so port() is known.
    TcpServer(TcpServerOptions options, EngineFactory factory);
    ~TcpServer();
    unsigned short port() const;
    // Accepts and serves connections until stop(); blocks.
    void run();
    // Safe from any thread: stops accepting and ends every session.
    void stop();
    int activeSessions() const { return active_.load(); }

private:
    struct State;
    std::unique_ptr<State> state_;
    std::atomic<int> active_{0};
};

// Connects to a controller listening at `endpoint` and serves one GTP session on that
// socket. Throws std::runtime_error if the connection fails.
SessionSummary serveConnection(const Endpoint& endpoint, const EngineInstance& instance,
                               const SessionLimits& limits);

}  // namespace tengen::gtp
