#pragma once
// One GTP conversation: read a line, answer it, until quit or the end of input. stdio and
// each TCP connection run one of these. Lines are read on a separate thread so that a new
// command can interrupt a streaming analysis, as Leela Zero and KataGo allow.

#include <chrono>
#include <cstddef>
#include <iosfwd>
#include <optional>

#include "gtp/engine.h"
#include "gtp/line_io.h"

namespace tengen::gtp {

struct SessionLimits {
    std::size_t maxLineBytes = 64 * 1024;
    std::optional<std::chrono::milliseconds> idleTimeout;  // enforced by FdLineReader
};

enum class SessionEnd { Quit, EndOfInput, IdleTimeout, PeerGone };

struct SessionSummary {
    std::size_t answered = 0;
    SessionEnd end = SessionEnd::EndOfInput;
};

SessionSummary runSession(Engine& engine, LineReader& reader, ResponseWriter& writer);

// For tests and pipes: runs a session over C++ streams.
SessionSummary runSession(Engine& engine, std::istream& in, std::ostream& out, const SessionLimits& limits = {});

}  // namespace tengen::gtp
