#include "gtp/client.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/process/child.hpp>
#include <boost/process/io.hpp>
#include <boost/process/pipe.hpp>
#include <boost/process/search_path.hpp>
#include <boost/process/args.hpp>
#include <boost/process/exe.hpp>
#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <thread>

namespace tengen::gtp {

namespace bp = boost::process;
using Clock = std::chrono::steady_clock;

struct GtpClient::Process {
    bp::child child;
};

namespace {

// A write to a pipe whose reader has gone raises SIGPIPE, which would kill the whole
// controller. Blocking it in this thread turns it into EPIPE; a SIGPIPE that the write
// left pending is consumed before the mask is restored, so it is never delivered later.
class SigpipeGuard {
public:
    SigpipeGuard() {
        sigset_t pending;
        sigpending(&pending);
        pendingBefore_ = sigismember(&pending, SIGPIPE) == 1;
        sigemptyset(&sigpipe_);
        sigaddset(&sigpipe_, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &sigpipe_, &previous_);
    }
    ~SigpipeGuard() {
        if (!pendingBefore_) {
            const timespec zero{0, 0};
            while (sigtimedwait(&sigpipe_, nullptr, &zero) == SIGPIPE) {}
        }
        pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
    }
    SigpipeGuard(const SigpipeGuard&) = delete;
    SigpipeGuard& operator=(const SigpipeGuard&) = delete;

private:
    sigset_t sigpipe_, previous_;
    bool pendingBefore_ = false;
};

// poll() with an absolute deadline; returns false when the deadline passes first.
bool pollUntil(pollfd* fds, nfds_t count, Clock::time_point deadline) {
    for (;;) {
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) return false;
        const int ready = ::poll(fds, count, static_cast<int>(std::min<long long>(left, 1 << 30)));
        if (ready > 0) return true;
        if (ready < 0 && errno != EINTR) throw GtpClientError(fmt::format("poll failed: {}", std::strerror(errno)));
    }
}

std::string describeStatus(int status) {
    if (WIFSIGNALED(status)) return fmt::format("signal {}", WTERMSIG(status));
    return fmt::format("status {}", WEXITSTATUS(status));
}

}  // namespace

GtpClient::GtpClient(std::string name, std::vector<std::string> commandLine, Stderr stderrMode)
    : name_(std::move(name)) {
    if (commandLine.empty()) throw GtpClientError(fmt::format("engine {} has an empty command line", name_));
    const std::string& program = commandLine.front();
    boost::filesystem::path executable = program;
    if (program.find('/') == std::string::npos) {
        executable = bp::search_path(program);
        if (executable.empty())
            throw GtpClientError(fmt::format("cannot start engine {}: '{}' not found on PATH", name_, program), GtpClientError::Kind::Start);
    }
    const std::vector<std::string> args(commandLine.begin() + 1, commandLine.end());

    // Close-on-exec, so that one engine does not inherit the pipes of another and keep
    // them open after its owner closes them; dup2 onto 0 and 1 clears the flag there.
    int in[2], out[2];
    if (::pipe2(in, O_CLOEXEC) != 0) throw GtpClientError(fmt::format("pipe failed: {}", std::strerror(errno)));
    if (::pipe2(out, O_CLOEXEC) != 0) {
        ::close(in[0]);
        ::close(in[1]);
        throw GtpClientError(fmt::format("pipe failed: {}", std::strerror(errno)));
    }
    bp::pipe stdinPipe(in[0], in[1]), stdoutPipe(out[0], out[1]);
    try {
        auto io = [&](auto&&... stderrOption) {
            return bp::child(bp::exe = executable.string(), bp::args = args, bp::std_in < stdinPipe,
                             bp::std_out > stdoutPipe, stderrOption...);
        };
        process_ = std::make_unique<Process>(
            Process{stderrMode == Stderr::Discard ? io(bp::std_err > bp::null) : io()});
    } catch (const std::exception& e) {
        throw GtpClientError(fmt::format("cannot start engine {} ({}): {}", name_, executable.string(), e.what()), GtpClientError::Kind::Start);
    }
    // Boost closed the child's ends; take ownership of ours.
    toEngine_ = stdinPipe.native_sink();
    stdinPipe.assign_sink(-1);
    fromEngine_ = stdoutPipe.native_source();
    stdoutPipe.assign_source(-1);
    ::fcntl(toEngine_, F_SETFL, ::fcntl(toEngine_, F_GETFL) | O_NONBLOCK);
    ::fcntl(fromEngine_, F_SETFL, ::fcntl(fromEngine_, F_GETFL) | O_NONBLOCK);
}

GtpClient::GtpClient(std::string name, const TcpAddress& address, std::chrono::milliseconds connectTimeout)
    : name_(std::move(name)) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const std::string port = std::to_string(address.port);
    if (const int rc = ::getaddrinfo(address.host.c_str(), port.c_str(), &hints, &found); rc != 0)
        throw GtpClientError(fmt::format("cannot resolve {} for engine {}: {}", address.host, name_, gai_strerror(rc)), GtpClientError::Kind::Start);
    std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, &::freeaddrinfo);
    const auto deadline = Clock::now() + connectTimeout;
    std::string lastError = "no address";
    for (addrinfo* a = found; a != nullptr && fromEngine_ < 0; a = a->ai_next) {
        const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
        if (fd < 0) {
            lastError = std::strerror(errno);
            continue;
        }
        // Non-blocking connect, so that an unreachable host costs connectTimeout, not minutes.
        if (::connect(fd, a->ai_addr, a->ai_addrlen) != 0 && errno != EINPROGRESS) {
            lastError = std::strerror(errno);
            ::close(fd);
            continue;
        }
        pollfd pfd{fd, POLLOUT, 0};
        int error = 0;
        socklen_t length = sizeof error;
        if (!pollUntil(&pfd, 1, deadline)) {
            lastError = "timed out";
        } else if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0 || error != 0) {
            lastError = std::strerror(error != 0 ? error : errno);
        } else {
            const int one = 1;
            ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            // Two descriptors for one socket keep closePipes() and the pipe code unchanged.
            fromEngine_ = fd;
            toEngine_ = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
            connected_ = true;
            break;
        }
        ::close(fd);
    }
    if (fromEngine_ < 0)
        throw GtpClientError(fmt::format("cannot connect to engine {} at {}:{}: {}", name_, address.host,
                                         address.port, lastError),
                             GtpClientError::Kind::Start);
}

GtpClient::~GtpClient() {
    if (!process_) {
        if (connected_) {
            try {
                send("quit", std::chrono::milliseconds(1000));
            } catch (...) {
            }
        }
        closePipes();
        return;
    }
    try {
        if (alive()) {
            send("quit", std::chrono::milliseconds(1000));
            closePipes();  // end of input, for engines that ignore quit
            const auto deadline = Clock::now() + std::chrono::milliseconds(500);
            while (alive() && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
    } catch (...) {
    }
    kill();
}

void GtpClient::closePipes() {
    if (toEngine_ >= 0) ::close(toEngine_);
    if (fromEngine_ >= 0) ::close(fromEngine_);
    toEngine_ = fromEngine_ = -1;
}

bool GtpClient::alive() {
    if (!process_) return connected_ && fromEngine_ >= 0;
    std::error_code ec;
    return process_->child.running(ec) && !ec;
}

void GtpClient::kill() {
    connected_ = false;
    if (process_) {
        // Not child::terminate: in Boost 1.74 it reaps with WNOHANG right after SIGKILL, which
        // usually runs before the engine has died, and then marks the child ended, so nothing
        // ever waits for it again: each engine killed mid-move stayed a zombie until the end of
        // a match. A blocking wait records the status instead.
        std::error_code ec;
        if (process_->child.running(ec)) {
            ::kill(process_->child.id(), SIGKILL);
            process_->child.wait(ec);
        }
    }
    closePipes();
}

void GtpClient::fail(const std::string& message, GtpClientError::Kind kind) {
    kill();
    throw GtpClientError(message, kind);
}

void GtpClient::failClosed(std::string_view command) {
    if (!process_) fail(fmt::format("engine {} closed the connection while answering '{}'", name_, command), GtpClientError::Kind::Closed);
    // The engine usually closes its output by exiting; give it a moment to finish.
    const auto deadline = Clock::now() + std::chrono::milliseconds(1000);
    while (alive() && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    if (alive()) fail(fmt::format("engine {} closed its output while answering '{}'", name_, command), GtpClientError::Kind::Closed);
    fail(fmt::format("engine {} exited ({}) while answering '{}'", name_,
                     describeStatus(process_->child.native_exit_code()), command),
         GtpClientError::Kind::Closed);
}

GtpReply GtpClient::send(std::string_view command, std::chrono::milliseconds timeout) {
    const std::string one(command);
    return std::move(sendAll(std::span(&one, 1), timeout).front());
}

std::string GtpClient::sendOk(std::string_view command, std::chrono::milliseconds timeout) {
    GtpReply reply = send(command, timeout);
    if (!reply.ok) throw GtpClientError(fmt::format("engine {} rejected '{}': {}", name_, command, reply.text), GtpClientError::Kind::Rejected);
    return std::move(reply.text);
}

std::vector<GtpReply> GtpClient::sendAll(std::span<const std::string> commands, std::chrono::milliseconds timeout) {
    if (commands.empty()) return {};
    const Deadline deadline{Clock::now() + timeout, timeout};
    std::string data;
    for (const std::string& command : commands) {
        if (command.find_first_of("\r\n") != std::string::npos)
            throw std::invalid_argument(fmt::format("GTP command '{}' spans several lines", command));
        data += command;
        data += '\n';
    }
    if (toEngine_ < 0)
        throw GtpClientError(fmt::format("engine {} is not running (cannot send '{}')", name_, commands.front()),
                             GtpClientError::Kind::Closed);
    writeAll(data, deadline, commands.front());
    std::vector<GtpReply> replies;
    replies.reserve(commands.size());
    for (const std::string& command : commands) replies.push_back(readReply(deadline, command));
    return replies;
}

void GtpClient::writeAll(std::string_view data, const Deadline& deadline, std::string_view command) {
    SigpipeGuard guard;
    bool outputOpen = true;
    while (!data.empty()) {
        // Keep reading replies while writing: an engine stuck on a full stdout pipe would
        // stop reading its stdin, and both sides would wait for ever.
        pollfd fds[2] = {{toEngine_, POLLOUT, 0}, {fromEngine_, POLLIN, 0}};
        if (!pollUntil(fds, outputOpen ? 2 : 1, deadline.at))
            fail(fmt::format("engine {} did not read '{}' within {} ms", name_, command, deadline.timeout.count()),
                 GtpClientError::Kind::Timeout);
        if (outputOpen && fds[1].revents != 0) {
            char chunk[4096];
            const ssize_t n = ::read(fromEngine_, chunk, sizeof chunk);
            if (n > 0) buffer_.append(chunk, static_cast<std::size_t>(n));
            outputOpen = n != 0;
        }
        if (fds[0].revents == 0) continue;
        const ssize_t n = ::write(toEngine_, data.data(), data.size());
        if (n >= 0) {
            data.remove_prefix(static_cast<std::size_t>(n));
        } else if (errno == EPIPE) {
            failClosed(command);
        } else if (errno != EAGAIN && errno != EINTR) {
            fail(fmt::format("writing '{}' to engine {} failed: {}", command, name_, std::strerror(errno)));
        }
    }
}

bool GtpClient::fill(const Deadline& deadline, std::string_view command) {
    for (;;) {
        pollfd fd{fromEngine_, POLLIN, 0};
        if (!pollUntil(&fd, 1, deadline.at))
            fail(fmt::format("engine {} did not answer '{}' within {} ms", name_, command, deadline.timeout.count()),
                 GtpClientError::Kind::Timeout);
        char chunk[4096];
        const ssize_t n = ::read(fromEngine_, chunk, sizeof chunk);
        if (n > 0) {
            buffer_.append(chunk, static_cast<std::size_t>(n));
            return true;
        }
        if (n == 0) return false;
        if (errno != EAGAIN && errno != EINTR)
            fail(fmt::format("reading the answer of engine {} to '{}' failed: {}", name_, command, std::strerror(errno)));
    }
}

GtpReply GtpClient::readReply(const Deadline& deadline, std::string_view command) {
    GtpReply reply;
    bool started = false;
    for (;;) {
        std::size_t end = buffer_.find('\n');
        while (end == std::string::npos) {
            // An engine or peer that never ends its line must not take all memory first.
            constexpr std::size_t kMaxLineBytes = std::size_t{16} << 20;
            if (buffer_.size() > kMaxLineBytes)
                fail(fmt::format("engine {} answered '{}' with a line of more than {} bytes", name_, command, kMaxLineBytes),
                     GtpClientError::Kind::Garbage);
            const std::size_t scanned = buffer_.size();
            if (!fill(deadline, command)) failClosed(command);
            end = buffer_.find('\n', scanned);
        }
        std::string line = buffer_.substr(0, end);
        buffer_.erase(0, end + 1);
        if (!line.empty() && line.back() == '\r') line.pop_back();

        if (!started) {
            if (line.empty()) continue;  // stray blank lines between replies are harmless
            if (line[0] != '=' && line[0] != '?')
                fail(fmt::format("engine {} answered garbage to '{}': {}", name_, command, line), GtpClientError::Kind::Garbage);
            reply.ok = line[0] == '=';
            const std::size_t text = line.find_first_not_of(" \t", 1);
            reply.text = text == std::string::npos ? "" : line.substr(text);
            started = true;
        } else if (line.empty()) {
            return reply;
        } else {
            reply.text += '\n';
            reply.text += line;
        }
    }
}

std::vector<std::string> GtpClient::splitCommandLine(std::string_view line) {
    std::vector<std::string> words;
    std::string word;
    bool inWord = false;
    char quote = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char ch = line[i];
        if (quote == '\'') {
            if (ch == '\'') quote = 0;
            else word += ch;
        } else if (ch == '\\' && i + 1 < line.size()) {
            // Inside double quotes a backslash only escapes what would otherwise be special.
            const char next = line[i + 1];
            if (quote == '"' && next != '"' && next != '\\') word += ch;
            word += next;
            ++i;
            inWord = true;
        } else if (quote == '"') {
            if (ch == '"') quote = 0;
            else word += ch;
        } else if (ch == '\'' || ch == '"') {
            quote = ch;
            inWord = true;
        } else if (ch == ' ' || ch == '\t' || ch == '\n') {
            if (inWord) words.push_back(std::move(word));
            word.clear();
            inWord = false;
        } else {
            word += ch;
            inWord = true;
        }
    }
    if (quote != 0) throw std::invalid_argument(fmt::format("unterminated {} quote in '{}'", quote, line));
    if (inWord) words.push_back(std::move(word));
    return words;
}

}  // namespace tengen::gtp
