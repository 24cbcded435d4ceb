#pragma once
// Where a GTP session's lines come from and where its responses go: a C++ stream (tests),
// or a file descriptor (stdin/stdout, TCP sockets), with limits on line length and idle time.

#include <atomic>
#include <chrono>
#include <iosfwd>
#include <mutex>
#include <optional>
#include <string>

namespace tengen::gtp {

struct ReadResult {
    enum class Kind { Line, TooLong, End, IdleTimeout, Error };
    Kind kind = Kind::End;
    std::string line;  // for Line; for TooLong, the start of the line
};

class LineReader {
public:
    virtual ~LineReader() = default;
    // Blocks until a whole line (without its '\n'), the end of input, or a limit.
    virtual ReadResult read() = 0;
    // Makes a blocked read() return End soon; safe to call from another thread.
    virtual void interrupt() {}
};

class ResponseWriter {
public:
    virtual ~ResponseWriter() = default;
    // Writes and flushes; false once the peer is gone. Safe to call from several threads.
    virtual bool write(std::string_view text) = 0;
};

class StreamLineReader final : public LineReader {
public:
    StreamLineReader(std::istream& in, std::size_t maxLineBytes) : in_(in), maxLineBytes_(maxLineBytes) {}
    ReadResult read() override;

private:
    std::istream& in_;
    std::size_t maxLineBytes_;
};

class StreamWriter final : public ResponseWriter {
public:
    explicit StreamWriter(std::ostream& out) : out_(out) {}
    bool write(std::string_view text) override;

private:
    std::ostream& out_;
    std::mutex mutex_;
};

// Reads a file descriptor (stdin, a socket) with poll(), so that an idle peer or an
// interrupt() ends the wait. It does not own the descriptor.
class FdLineReader final : public LineReader {
public:
    FdLineReader(int fd, std::size_t maxLineBytes, std::optional<std::chrono::milliseconds> idleTimeout = {})
        : fd_(fd), maxLineBytes_(maxLineBytes), idleTimeout_(idleTimeout) {}
    ReadResult read() override;
    void interrupt() override { interrupted_ = true; }

private:
    int fd_;
    std::size_t maxLineBytes_;
    std::optional<std::chrono::milliseconds> idleTimeout_;
    std::atomic<bool> interrupted_{false};
    std::string pending_;     // bytes read past the last line returned
    bool discarding_ = false; // inside an over-long line
    bool ended_ = false;
};

class FdWriter final : public ResponseWriter {
public:
    explicit FdWriter(int fd) : fd_(fd) {}
    bool write(std::string_view text) override;

private:
    int fd_;
    std::mutex mutex_;
    bool broken_ = false;
};

}  // namespace tengen::gtp
