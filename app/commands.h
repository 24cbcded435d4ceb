#pragma once
// Each subcommand registers its options on the CLI11 app and runs when chosen.

#include <string>

#include <CLI/CLI.hpp>

namespace tengen::app {

void addSgfCommand(CLI::App& app);
void addBenchCommand(CLI::App& app);
void addGtpCommand(CLI::App& app);
void addTrainCommands(CLI::App& app, int argc, char** argv);
void addPlotCommand(CLI::App& app);
void addMatchCommand(CLI::App& app);
void addRolloutCommands(CLI::App& app, int argc, char** argv);
void addSelfplayCommand(CLI::App& app);
void addRlCommands(CLI::App& app, int argc, char** argv);
void addRunCommand(CLI::App& app);

// The command line as typed, for model metadata.
std::string joinArguments(int argc, char** argv);

}  // namespace tengen::app
