#include "gtp/session.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include <spdlog/spdlog.h>

namespace tengen::gtp {

namespace {

// Lines read ahead by the reader thread, waiting for the command loop.
class InputQueue {
public:
    void push(ReadResult r) {
        {
            std::lock_guard lock(mutex_);
            lines_.push_back(std::move(r));
        }
        changed_.notify_all();
    }
    ReadResult pop() {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return !lines_.empty(); });
        ReadResult r = std::move(lines_.front());
        lines_.pop_front();
        return r;
    }
    // Waits until input arrives or `done` becomes true.
    void waitForInputOr(const std::atomic<bool>& done) {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return !lines_.empty() || done.load(); });
    }
    void wake() {
        { std::lock_guard lock(mutex_); }
        changed_.notify_all();
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<ReadResult> lines_;
};

std::string streamHeader(const std::optional<long long>& id) {
    return "=" + (id ? std::to_string(*id) : std::string()) + "\n";
}

}  // namespace

SessionSummary runSession(Engine& engine, LineReader& reader, ResponseWriter& writer) {
    InputQueue queue;
    std::atomic<bool> stopReading{false};
    std::thread readerThread([&] {
        while (!stopReading) {
            ReadResult r = reader.read();
            const bool last = r.kind != ReadResult::Kind::Line && r.kind != ReadResult::Kind::TooLong;
            queue.push(std::move(r));
            if (last) break;
        }
    });

    SessionSummary summary;
    auto respond = [&](const std::string& text) {
        if (!writer.write(text)) summary.end = SessionEnd::PeerGone;
        return summary.end != SessionEnd::PeerGone;
    };
    for (bool running = true; running;) {
        ReadResult input = queue.pop();
        switch (input.kind) {
            case ReadResult::Kind::End:
            case ReadResult::Kind::Error:
                summary.end = SessionEnd::EndOfInput;
                running = false;
                continue;
            case ReadResult::Kind::IdleTimeout:
                spdlog::info("GTP session idle for too long; closing it");
                summary.end = SessionEnd::IdleTimeout;
                running = false;
                continue;
            case ReadResult::Kind::TooLong: {
                spdlog::warn("command line too long ({}+ bytes) rejected", input.line.size());
                const auto command = parseCommandLine(input.line);
                running = respond(formatResponse(false, command ? command->id : std::nullopt, "line too long"));
                ++summary.answered;
                continue;
            }
            case ReadResult::Kind::Line: break;
        }
        const auto command = parseCommandLine(input.line);
        if (!command) continue;
        spdlog::debug("<< {}", input.line);
        Reply reply = engine.execute(*command);
        ++summary.answered;
        if (!reply.stream) {
            running = respond(formatResponse(reply.success, command->id, reply.text));
        } else {
            running = respond(streamHeader(command->id));
            std::atomic<bool> stop{false}, finished{false};
            std::thread worker([&] {
                reply.stream(stop, [&](std::string_view text) {
                    if (!text.empty()) respond(std::string(text));
                });
                finished = true;
                queue.wake();
            });
            queue.waitForInputOr(finished);
            stop = true;
            worker.join();
            running = respond("\n") && running;
        }
        if (engine.quitRequested()) {
            summary.end = SessionEnd::Quit;
            running = false;
        }
    }
    stopReading = true;
    reader.interrupt();
    readerThread.join();
    return summary;
}

SessionSummary runSession(Engine& engine, std::istream& in, std::ostream& out, const SessionLimits& limits) {
    StreamLineReader reader(in, limits.maxLineBytes);
    StreamWriter writer(out);
    return runSession(engine, reader, writer);
}

}  // namespace tengen::gtp
