// GTP transcripts: every file in tests/gtp holds commands ("> " lines, sent as written,
// tabs and odd whitespace included) each followed by the exact response lines expected.
// An expected line starting with "~" is a regular expression for the whole line, and one
// starting with "*" a regular expression for any number of lines (streamed analysis).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "gtp/session.h"
#include "play/simple_player.h"

using namespace tengen;

namespace {

struct Exchange {
    std::string command;
    std::vector<std::string> expected;
    int lineNumber;
};

std::vector<Exchange> readTranscript(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::vector<Exchange> exchanges;
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (line.rfind("> ", 0) == 0 || line == ">") exchanges.push_back({line.substr(std::min<std::size_t>(2, line.size())), {}, number});
        else if (!exchanges.empty()) exchanges.back().expected.push_back(line);
    }
    // The file's last response ends with the blank line like every other; trailing
    // newlines beyond it are the file's, not the engine's.
    return exchanges;
}

std::vector<std::string> splitLines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) lines.push_back(line);
    return lines;
}

bool lineMatches(const std::string& pattern, const std::string& line) {
    if (!pattern.empty() && (pattern[0] == '~' || pattern[0] == '*'))
        return std::regex_match(line, std::regex(pattern.substr(1)));
    return line == pattern;
}

// Expected lines against actual ones; "*" patterns take as many lines as they match.
bool linesMatch(const std::vector<std::string>& expected, std::size_t e, const std::vector<std::string>& actual,
                std::size_t a) {
    if (e == expected.size()) return a == actual.size();
    if (!expected[e].empty() && expected[e][0] == '*') {
        if (linesMatch(expected, e + 1, actual, a)) return true;
        return a < actual.size() && lineMatches(expected[e], actual[a]) && linesMatch(expected, e, actual, a + 1);
    }
    return a < actual.size() && lineMatches(expected[e], actual[a]) && linesMatch(expected, e + 1, actual, a + 1);
}

std::string unescape(const std::string& command) {
    // \t, \r and \xNN let transcripts hold bytes an editor would mangle.
    std::string out;
    for (std::size_t i = 0; i < command.size(); ++i) {
        if (command[i] == '\\' && i + 1 < command.size()) {
            const char next = command[i + 1];
            if (next == 't') { out += '\t'; ++i; continue; }
            if (next == 'r') { out += '\r'; ++i; continue; }
            if (next == 'x' && i + 3 < command.size()) {
                out += static_cast<char>(std::stoi(command.substr(i + 2, 2), nullptr, 16));
                i += 3;
                continue;
            }
        }
        out += command[i];
    }
    return out;
}

}  // namespace

TEST_CASE("GTP transcripts", "[gtp]") {
    const std::filesystem::path folder = std::filesystem::path(TENGEN_TESTS_DIR) / "gtp";
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(folder))
        if (entry.path().extension() == ".txt") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() >= 3);
    for (const auto& file : files) {
        SECTION(file.filename().string()) {
            play::SimplePlayer player(1);
            gtp::EngineOptions options;
            options.version = "test";
            gtp::Engine engine(player, options);
            for (const Exchange& exchange : readTranscript(file)) {
                std::string command = unescape(exchange.command);
                // Transcripts name fixture files relative to the tests folder.
                for (std::size_t at; (at = command.find("TESTS/")) != std::string::npos;)
                    command.replace(at, 5, TENGEN_TESTS_DIR);
                std::istringstream in(command + "\n");
                std::ostringstream out;
                gtp::runSession(engine, in, out, {256, std::nullopt});
                const std::vector<std::string> actual = splitLines(out.str());
                std::vector<std::string> expected = exchange.expected;
                // Blank lines at the end of the file belong to the file, not the response.
                while (expected.size() >= 2 && expected.back().empty() && expected[expected.size() - 2].empty())
                    expected.pop_back();
                if (actual.empty()) while (!expected.empty() && expected.back().empty()) expected.pop_back();
                INFO(file.filename().string() << ":" << exchange.lineNumber << ": " << exchange.command << "\n"
                                              << out.str());
                CHECK(linesMatch(expected, 0, actual, 0));
            }
        }
    }
}
