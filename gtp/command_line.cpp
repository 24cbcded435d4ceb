#include "gtp/command_line.h"

#include <algorithm>
#include <cctype>

namespace tengen::gtp {

std::optional<CommandLine> parseCommandLine(std::string_view raw) {
    std::string clean;
    clean.reserve(raw.size());
    for (char ch : raw) {
        if (ch == '#') break;
        const unsigned char u = static_cast<unsigned char>(ch);
        if (ch == '\t') clean += ' ';
        else if (u >= 32 && u != 127) clean += ch;
    }
    std::vector<std::string> tokens;
    std::size_t pos = 0;
    while (pos < clean.size()) {
        const std::size_t start = clean.find_first_not_of(' ', pos);
        if (start == std::string::npos) break;
        const std::size_t end = std::min(clean.find(' ', start), clean.size());
        tokens.push_back(clean.substr(start, end - start));
        pos = end;
    }
    if (tokens.empty()) return std::nullopt;
    CommandLine command;
    std::size_t first = 0;
    const std::string& head = tokens[0];
    const bool numeric = head.size() <= 18 && std::all_of(head.begin(), head.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
    if (numeric) {
        command.id = std::stoll(head);
        first = 1;
    }
    if (first < tokens.size()) command.name = tokens[first];
    command.args.assign(tokens.begin() + static_cast<long>(std::min(first + 1, tokens.size())), tokens.end());
    return command;
}

std::string formatResponse(bool success, const std::optional<long long>& id, std::string_view text) {
    std::string out(1, success ? '=' : '?');
    if (id) out += std::to_string(*id);
    // A leading newline puts multi-line output (showboard) below the status mark.
    if (text.empty() || text.front() != '\n') out += ' ';
    if (!text.empty()) {
        std::size_t pos = 0;
        bool firstLine = true;
        while (pos <= text.size()) {
            std::size_t end = text.find('\n', pos);
            if (end == std::string_view::npos) end = text.size();
            const std::string_view line = text.substr(pos, end - pos);
            if (!line.empty() || firstLine) {
                if (!firstLine) out += '\n';
                out += line;
            }
            firstLine = false;
            pos = end + 1;
        }
    }
    return out + "\n\n";
}

}  // namespace tengen::gtp
