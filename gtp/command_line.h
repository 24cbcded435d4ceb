#pragma once
// GTP version 2 framing: turning a raw input line into a command, and a result into a
// response (GTP spec, sections 2.2-2.6).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tengen::gtp {

struct CommandLine {
    std::optional<long long> id;
    std::string name;
    std::vector<std::string> args;
};

// Control characters other than tab and newline are dropped, tabs become spaces, and
// everything from '#' on is a comment. Returns nullopt for a line left empty, which GTP
// says to ignore without a response.
std::optional<CommandLine> parseCommandLine(std::string_view raw);

// "=id text\n\n" or "?id text\n\n". Multi-line text keeps its lines; blank lines inside
// it would end the response early, so they are dropped.
std::string formatResponse(bool success, const std::optional<long long>& id, std::string_view text);

}  // namespace tengen::gtp
