#include "gtp/session.h"

#include <istream>
#include <ostream>

#include <spdlog/spdlog.h>

namespace tengen::gtp {

std::optional<std::string> readBoundedLine(std::istream& in, std::size_t maxBytes, bool& tooLong) {
    std::string line;
    tooLong = false;
    std::streambuf* buffer = in.rdbuf();
    for (;;) {
        const int ch = buffer->sbumpc();
        if (ch == std::char_traits<char>::eof()) {
            if (line.empty() && !tooLong) return std::nullopt;
            return line;
        }
        if (ch == '\n') return line;
        if (line.size() < maxBytes) line += static_cast<char>(ch);
        else tooLong = true;
    }
}

std::size_t runSession(Engine& engine, std::istream& in, std::ostream& out, const SessionLimits& limits) {
    std::size_t answered = 0;
    bool tooLong = false;
    while (const auto line = readBoundedLine(in, limits.maxLineBytes, tooLong)) {
        const auto command = parseCommandLine(*line);
        if (tooLong) {
            spdlog::warn("command line longer than {} bytes rejected", limits.maxLineBytes);
            out << formatResponse(false, command ? command->id : std::nullopt, "line too long") << std::flush;
            ++answered;
            continue;
        }
        if (!command) continue;
        spdlog::debug("<< {}", *line);
        const Reply reply = engine.execute(*command);
        const std::string response = formatResponse(reply.success, command->id, reply.text);
        spdlog::debug(">> {}", response.substr(0, response.size() - 2));
        out << response << std::flush;
        ++answered;
        if (engine.quitRequested()) break;
    }
    return answered;
}

}  // namespace tengen::gtp
