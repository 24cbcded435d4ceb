#include "match/engine.h"

#include <fmt/format.h>

#include <stdexcept>

#include "gtp/tcp_server.h"

namespace tengen::match {

namespace {

std::string trim(const std::string& s) {
    const auto begin = s.find_first_not_of(" \t");
    if (begin == std::string::npos) return "";
    return s.substr(begin, s.find_last_not_of(" \t") - begin + 1);
}

}  // namespace

std::string EngineSpec::describe() const {
    std::string text = name + "=";
    if (address) {
        text += fmt::format("tcp:{}:{}", address->host, address->port);
    } else {
        for (std::size_t i = 0; i < commandLine.size(); ++i) text += (i ? " " : "") + commandLine[i];
    }
    for (const std::string& setup : setupCommands) text += " [" + setup + "]";
    return text;
}

EngineSpec parseEngineSpec(const std::string& text) {
    const auto equals = text.find('=');
    if (equals == std::string::npos)
        throw std::invalid_argument(fmt::format("engine '{}': expected NAME=COMMAND or NAME=tcp:HOST:PORT", text));
    EngineSpec spec;
    spec.name = trim(text.substr(0, equals));
    const std::string rest = trim(text.substr(equals + 1));
    if (spec.name.empty() || spec.name.find_first_of(" \t,\"") != std::string::npos)
        throw std::invalid_argument(fmt::format("engine '{}': the name must be one word", text));
    if (rest.rfind("tcp:", 0) == 0) {
        const gtp::Endpoint endpoint = gtp::Endpoint::parse(rest.substr(4));
        spec.address = gtp::GtpClient::TcpAddress{endpoint.host, endpoint.port};
    } else {
        spec.commandLine = gtp::GtpClient::splitCommandLine(rest);
        if (spec.commandLine.empty()) throw std::invalid_argument(fmt::format("engine '{}' has no command", spec.name));
    }
    return spec;
}

std::pair<std::string, std::string> parseSetupSpec(const std::string& text) {
    const auto equals = text.find('=');
    if (equals == std::string::npos || trim(text.substr(0, equals)).empty() || trim(text.substr(equals + 1)).empty())
        throw std::invalid_argument(fmt::format("setup '{}': expected ENGINE=GTP COMMAND", text));
    return {trim(text.substr(0, equals)), trim(text.substr(equals + 1))};
}

RunningEngine startEngine(const EngineSpec& spec, const EngineStartOptions& options) {
    RunningEngine engine;
    if (spec.address) {
        engine.client = std::make_unique<gtp::GtpClient>(spec.name, *spec.address);
    } else {
        engine.client = std::make_unique<gtp::GtpClient>(
            spec.name, spec.commandLine, options.quietStderr ? gtp::GtpClient::Stderr::Discard : gtp::GtpClient::Stderr::Inherit);
    }
    // One pipelined batch: a slow-starting engine (network loading) pays one timeout, not five.
    const std::vector<std::string> probes = {"name", "version", "known_command kgs-rules",
                                             "known_command time_settings", "known_command time_left"};
    const std::vector<gtp::GtpReply> replies = engine.client->sendAll(probes, options.setupTimeout);
    engine.programName = replies[0].ok ? replies[0].text : spec.name;
    if (replies[1].ok && !replies[1].text.empty()) engine.programName += " " + replies[1].text;
    engine.knowsKgsRules = replies[2].ok && replies[2].text == "true";
    engine.knowsTimeSettings = replies[3].ok && replies[3].text == "true";
    engine.knowsTimeLeft = replies[4].ok && replies[4].text == "true";
    for (const std::string& command : spec.setupCommands) {
        const gtp::GtpReply reply = engine.client->send(command, options.setupTimeout);
        if (!reply.ok)
            throw gtp::GtpClientError(fmt::format("engine {} rejected setup command '{}': {}", spec.name, command, reply.text));
    }
    return engine;
}

}  // namespace tengen::match
