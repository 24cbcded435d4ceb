#pragma once
// Each subcommand registers its options on the CLI11 app and runs when chosen.

#include <string>

#include <CLI/CLI.hpp>

namespace tengen::nets {
struct GameFilter;
}

namespace tengen::app {

void addSgfCommand(CLI::App& app);
void addBenchCommand(CLI::App& app);
void addGtpCommand(CLI::App& app);
void addTrainCommands(CLI::App& app, int argc, char** argv);
void addPlotCommand(CLI::App& app);
void addMatchCommand(CLI::App& app);
void addRolloutCommands(CLI::App& app, int argc, char** argv);

// Shared by the training and evaluation commands: which games count (--min-dan,
// --with-handicap, --held-out-every), and the command line as typed, for model metadata.
void addFilterOptions(CLI::App* command, nets::GameFilter& filter);
std::string joinArguments(int argc, char** argv);

}  // namespace tengen::app
