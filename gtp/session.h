#pragma once
// One GTP conversation over a pair of streams: read a line, answer it, until quit or the
// end of input. stdio and each TCP connection run one of these.

#include <cstddef>
#include <iosfwd>
#include <optional>
#include <string>

#include "gtp/engine.h"

namespace tengen::gtp {

struct SessionLimits {
    std::size_t maxLineBytes = 64 * 1024;
};

// Reads one line of at most `maxBytes` bytes (the rest of a longer line is consumed and
// dropped, and `tooLong` set). Returns nullopt at the end of input.
std::optional<std::string> readBoundedLine(std::istream& in, std::size_t maxBytes, bool& tooLong);

// Answers commands until quit or end of input. Returns the number of commands answered.
std::size_t runSession(Engine& engine, std::istream& in, std::ostream& out, const SessionLimits& limits = {});

}  // namespace tengen::gtp
