#pragma once
// The engines of a match: what the user wrote about each (name, how to reach it, setup
// commands), and a running connection made from that, restarted after any failure.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gtp/client.h"

namespace tengen::match {

struct EngineSpec {
    std::string name;
    // Either a command line to spawn (program first) or a TCP address of a running server.
    std::vector<std::string> commandLine;
    std::optional<gtp::GtpClient::TcpAddress> address;
    // Sent after every (re)start, before the first game: "level 1", "kgs-rules chinese", ...
    std::vector<std::string> setupCommands;

    // What the user wrote, for the match fingerprint and messages.
    std::string describe() const;
};

// "NAME=COMMAND LINE" (split like a shell would) or "NAME=tcp:HOST:PORT".
// Throws std::invalid_argument on a missing name or an empty command.
EngineSpec parseEngineSpec(const std::string& text);

// Splits "NAME=GTP COMMAND" as given to --setup. Throws std::invalid_argument.
std::pair<std::string, std::string> parseSetupSpec(const std::string& text);

struct EngineStartOptions {
    bool quietStderr = true;  // engines' chatter would garble the progress view
    std::chrono::milliseconds setupTimeout{30'000};
};

// An engine ready to play: started (or connected), setup commands sent, and what it says
// its name and version are. Throws GtpClientError if it cannot be started or set up.
struct RunningEngine {
    std::unique_ptr<gtp::GtpClient> client;
    std::string programName;   // from GTP name/version, for SGF records
    bool knowsKgsRules = false;
    bool knowsTimeSettings = false;
    bool knowsTimeLeft = false;
};
RunningEngine startEngine(const EngineSpec& spec, const EngineStartOptions& options = {});

}  // namespace tengen::match
