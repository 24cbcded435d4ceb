#include "gtp/tcp_server.h"

#include <poll.h>

#include <list>
#include <mutex>
#include <thread>
#include <utility>  // Boost 1.74 Asio uses std::exchange without including it

#include <boost/asio.hpp>
#include <spdlog/spdlog.h>

namespace tengen::gtp {

namespace asio = boost::asio;
using asio::ip::tcp;

Endpoint Endpoint::parse(const std::string& text) {
    const auto colon = text.rfind(':');
    Endpoint e{"127.0.0.1", 0};
    std::string portText = text;
    if (colon != std::string::npos) {
        e.host = text.substr(0, colon);
        portText = text.substr(colon + 1);
        // [::1]:port
        if (e.host.size() >= 2 && e.host.front() == '[' && e.host.back() == ']') e.host = e.host.substr(1, e.host.size() - 2);
    }
    char* end = nullptr;
    const long port = std::strtol(portText.c_str(), &end, 10);
    if (portText.empty() || *end != '\0' || port < 0 || port > 65535 || e.host.empty())
        throw std::invalid_argument("bad address '" + text + "': expected HOST:PORT");
    e.port = static_cast<unsigned short>(port);
    return e;
}

namespace {

struct Connection {
    std::thread thread;
    std::unique_ptr<tcp::socket> socket;
    std::unique_ptr<FdLineReader> reader;
    std::atomic<bool> finished{false};
};

std::string peerName(const tcp::socket& socket) {
    boost::system::error_code ec;
    const auto peer = socket.remote_endpoint(ec);
    return ec ? "unknown peer" : peer.address().to_string() + ":" + std::to_string(peer.port());
}

}  // namespace

struct TcpServer::State {
    TcpServerOptions options;
    EngineFactory factory;
    asio::io_context io;
    tcp::acceptor acceptor{io};
    std::atomic<bool> stopping{false};
    std::mutex mutex;
    std::list<Connection> connections;
};

TcpServer::TcpServer(TcpServerOptions options, EngineFactory factory) : state_(std::make_unique<State>()) {
    state_->options = std::move(options);
    state_->factory = std::move(factory);
    const Endpoint& e = state_->options.endpoint;
    try {
        const tcp::endpoint endpoint(asio::ip::make_address(e.host), e.port);
        state_->acceptor.open(endpoint.protocol());
        state_->acceptor.set_option(tcp::acceptor::reuse_address(true));
        state_->acceptor.bind(endpoint);
        state_->acceptor.listen();
        state_->acceptor.non_blocking(true);
    } catch (const boost::system::system_error& error) {
        throw std::runtime_error("cannot listen on " + e.host + ":" + std::to_string(e.port) + ": " + error.what());
    }
}

TcpServer::~TcpServer() { stop(); }

unsigned short TcpServer::port() const { return state_->acceptor.local_endpoint().port(); }

void TcpServer::stop() {
    state_->stopping = true;
    std::lock_guard lock(state_->mutex);
    for (Connection& c : state_->connections)
        if (c.reader) c.reader->interrupt();
}

void TcpServer::run() {
    State& s = *state_;
    spdlog::info("GTP server listening on {}:{}", s.options.endpoint.host, port());
    while (!s.stopping) {
        {
            // Reap finished sessions so the list stays as long as the live ones.
            std::lock_guard lock(s.mutex);
            for (auto it = s.connections.begin(); it != s.connections.end();) {
                if (it->finished) {
                    it->thread.join();
                    it = s.connections.erase(it);
                } else {
                    ++it;
                }
            }
        }
        pollfd descriptor{s.acceptor.native_handle(), POLLIN, 0};
        if (::poll(&descriptor, 1, 100) <= 0) continue;
        auto socket = std::make_unique<tcp::socket>(s.io);
        boost::system::error_code ec;
        s.acceptor.accept(*socket, ec);
        if (ec) continue;
        const std::string peer = peerName(*socket);
        if (active_ >= s.options.maxConnections) {
            spdlog::warn("connection limit {} reached: refusing {}", s.options.maxConnections, peer);
            socket->close(ec);
            continue;
        }
        socket->non_blocking(false, ec);
        ++active_;
        spdlog::info("GTP session opened for {}", peer);
        std::lock_guard lock(s.mutex);
        Connection& c = s.connections.emplace_back();
        c.socket = std::move(socket);
        c.reader = std::make_unique<FdLineReader>(c.socket->native_handle(), s.options.maxLineBytes,
                                                  s.options.idleTimeout);
        c.thread = std::thread([this, &c, peer] {
            try {
                EngineInstance instance = state_->factory();
                FdWriter writer(c.socket->native_handle());
                const SessionSummary summary = runSession(*instance.engine, *c.reader, writer);
                if (summary.end == SessionEnd::IdleTimeout)
                    spdlog::warn("idle limit of {} ms reached: closing {}", state_->options.idleTimeout.count(), peer);
                spdlog::info("GTP session closed for {} after {} commands", peer, summary.answered);
            } catch (const std::exception& e) {
                spdlog::error("GTP session for {} failed: {}", peer, e.what());
            }
            boost::system::error_code ignored;
            c.socket->shutdown(tcp::socket::shutdown_both, ignored);
            c.socket->close(ignored);
            --active_;
            c.finished = true;
        });
    }
    std::lock_guard lock(s.mutex);
    for (Connection& c : s.connections) {
        c.reader->interrupt();
        c.thread.join();
    }
    s.connections.clear();
}

SessionSummary serveConnection(const Endpoint& endpoint, const EngineInstance& instance,
                               const SessionLimits& limits) {
    asio::io_context io;
    tcp::socket socket(io);
    try {
        tcp::resolver resolver(io);
        asio::connect(socket, resolver.resolve(endpoint.host, std::to_string(endpoint.port)));
    } catch (const boost::system::system_error& error) {
        throw std::runtime_error("cannot connect to " + endpoint.host + ":" + std::to_string(endpoint.port) + ": " +
                                 error.what());
    }
    FdLineReader reader(socket.native_handle(), limits.maxLineBytes, limits.idleTimeout);
    FdWriter writer(socket.native_handle());
    return runSession(*instance.engine, reader, writer);
}

}  // namespace tengen::gtp
