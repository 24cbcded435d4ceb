#include "gtp/line_io.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <istream>
#include <ostream>
#include <utility>

namespace tengen::gtp {

ReadResult StreamLineReader::read() {
    std::string line;
    bool tooLong = false;
    std::streambuf* buffer = in_.rdbuf();
    for (;;) {
        const int ch = buffer->sbumpc();
        if (ch == std::char_traits<char>::eof()) {
            if (line.empty() && !tooLong) return {ReadResult::Kind::End, {}};
            break;
        }
        if (ch == '\n') break;
        if (line.size() < maxLineBytes_) line += static_cast<char>(ch);
        else tooLong = true;
    }
    return {tooLong ? ReadResult::Kind::TooLong : ReadResult::Kind::Line, std::move(line)};
}

bool StreamWriter::write(std::string_view text) {
    std::lock_guard lock(mutex_);
    out_ << text << std::flush;
    return static_cast<bool>(out_);
}

ReadResult FdLineReader::read() {
    using Clock = std::chrono::steady_clock;
    auto lastActivity = Clock::now();
    std::string tooLongStart;
    for (;;) {
        // Serve what is buffered first.
        const std::size_t newline = pending_.find('\n');
        if (newline != std::string::npos) {
            std::string line = pending_.substr(0, newline);
            pending_.erase(0, newline + 1);
            if (discarding_ || line.size() > maxLineBytes_) {
                if (!discarding_) tooLongStart = line.substr(0, maxLineBytes_);
                discarding_ = false;
                return {ReadResult::Kind::TooLong, std::move(tooLongStart)};
            }
            return {ReadResult::Kind::Line, std::move(line)};
        }
        if (pending_.size() > maxLineBytes_) {
            if (!discarding_) tooLongStart = pending_.substr(0, maxLineBytes_);
            discarding_ = true;
            pending_.clear();
        }
        if (ended_) {
            if (!pending_.empty() && !discarding_) return {ReadResult::Kind::Line, std::exchange(pending_, {})};
            if (discarding_) {
                discarding_ = false;
                return {ReadResult::Kind::TooLong, std::move(tooLongStart)};
            }
            return {ReadResult::Kind::End, {}};
        }
        if (interrupted_) return {ReadResult::Kind::End, {}};

        // Wake up regularly to notice interrupt() and the idle limit.
        pollfd descriptor{fd_, POLLIN, 0};
        const int ready = ::poll(&descriptor, 1, 100);
        if (ready < 0) {
            if (errno == EINTR) continue;
            return {ReadResult::Kind::Error, {}};
        }
        if (ready == 0) {
            if (idleTimeout_ && Clock::now() - lastActivity > *idleTimeout_) return {ReadResult::Kind::IdleTimeout, {}};
            continue;
        }
        char chunk[4096];
        const ssize_t n = ::read(fd_, chunk, sizeof chunk);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            ended_ = true;
            continue;
        }
        if (n == 0) {
            ended_ = true;
            continue;
        }
        lastActivity = Clock::now();
        pending_.append(chunk, static_cast<std::size_t>(n));
    }
}

bool FdWriter::write(std::string_view text) {
    std::lock_guard lock(mutex_);
    while (!broken_ && !text.empty()) {
        const ssize_t n = ::write(fd_, text.data(), text.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            broken_ = true;
            break;
        }
        text.remove_prefix(static_cast<std::size_t>(n));
    }
    return !broken_;
}

}  // namespace tengen::gtp
