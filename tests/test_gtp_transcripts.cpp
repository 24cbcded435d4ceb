// GTP transcripts: every file in tests/gtp holds commands ("> " lines, sent as written,
// tabs and odd whitespace included) each followed by the exact response lines expected.
// An expected line starting with "~" is a regular expression for the whole line.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "gtp/session.h"
#include "gtp/simple_player.h"

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
            gtp::SimplePlayer player(1);
            gtp::EngineOptions options;
            options.version = "test";
            gtp::Engine engine(player, options);
            for (const Exchange& exchange : readTranscript(file)) {
                std::istringstream in(unescape(exchange.command) + "\n");
                std::ostringstream out;
                gtp::runSession(engine, in, out, {256, std::nullopt});
                std::vector<std::string> actual = splitLines(out.str());
                std::vector<std::string> expected = exchange.expected;
                while (!expected.empty() && expected.back().empty() && expected.size() > actual.size()) expected.pop_back();
                INFO(file.filename().string() << ":" << exchange.lineNumber << ": " << exchange.command << "\n"
                                              << out.str());
                REQUIRE(actual.size() == expected.size());
                for (std::size_t i = 0; i < actual.size(); ++i) {
                    if (!expected[i].empty() && expected[i][0] == '~') CHECK(std::regex_match(actual[i], std::regex(expected[i].substr(1))));
                    else CHECK(actual[i] == expected[i]);
                }
            }
        }
    }
}
