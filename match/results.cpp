#include "match/results.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace tengen::match {

using nlohmann::json;

double GameResult::scoreOf(const std::string& engine) const {
    if (!winner) return 0.5;
    const std::string& winnerName = *winner == "black" ? black : white;
    // An engine playing itself scores a half either way.
    if (black == white) return 0.5;
    return winnerName == engine ? 1.0 : 0.0;
}

json toJson(const GameResult& r) {
    return json{{"id", r.id},
                {"pairing", r.pairing},
                {"round", r.round},
                {"opening", r.opening},
                {"black", r.black},
                {"white", r.white},
                {"winner", r.winner ? json(*r.winner) : json(nullptr)},
                {"result", r.result},
                {"reason", r.reason},
                {"detail", r.detail},
                {"moves", r.moves},
                {"black_seconds", r.blackSeconds},
                {"white_seconds", r.whiteSeconds},
                {"sgf", r.sgf},
                {"finished", r.finished}};
}

GameResult gameResultFromJson(const json& j) {
    GameResult r;
    r.id = j.at("id").get<int>();
    r.pairing = j.value("pairing", 0);
    r.round = j.value("round", 0);
    r.opening = j.value("opening", 0);
    r.black = j.at("black").get<std::string>();
    r.white = j.at("white").get<std::string>();
    if (j.contains("winner") && !j.at("winner").is_null()) r.winner = j.at("winner").get<std::string>();
    r.result = j.value("result", "");
    r.reason = j.value("reason", "");
    r.detail = j.value("detail", "");
    r.moves = j.value("moves", 0);
    r.blackSeconds = j.value("black_seconds", 0.0);
    r.whiteSeconds = j.value("white_seconds", 0.0);
    r.sgf = j.value("sgf", "");
    r.finished = j.value("finished", "");
    return r;
}

namespace {

void checked(int rc, const std::string& what) {
    if (rc < 0) throw std::runtime_error(fmt::format("{}: {}", what, std::strerror(errno)));
}

void writeAllFd(int fd, std::string_view data, const std::string& path) {
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR) continue;
        checked(static_cast<int>(n), "writing " + path);
        data.remove_prefix(static_cast<std::size_t>(n));
    }
}

}  // namespace

std::map<int, GameResult> loadResults(const std::string& path) {
    std::map<int, GameResult> results;
    std::ifstream in(path, std::ios::binary);
    if (!in) return results;
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    const std::size_t complete = text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1;
    if (complete < text.size()) {
        in.close();
        checked(::truncate(path.c_str(), static_cast<off_t>(complete)), "truncating torn line of " + path);
    }
    std::size_t start = 0;
    int lineNumber = 0;
    while (start < complete) {
        const std::size_t end = text.find('\n', start);
        const std::string line = text.substr(start, end - start);
        start = end + 1;
        ++lineNumber;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        try {
            GameResult r = gameResultFromJson(json::parse(line));
            results.try_emplace(r.id, std::move(r));
        } catch (const std::exception& e) {
            throw std::runtime_error(fmt::format("{} line {}: {}", path, lineNumber, e.what()));
        }
    }
    return results;
}

void appendResult(const std::string& path, const GameResult& r) {
    const std::string line = toJson(r).dump() + "\n";
    const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    checked(fd, "opening " + path);
    try {
        writeAllFd(fd, line, path);
        checked(::fsync(fd), "fsync " + path);
    } catch (...) {
        ::close(fd);
        throw;
    }
    ::close(fd);
}

}  // namespace tengen::match
