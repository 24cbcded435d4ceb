// tengen: one binary, one subcommand per job.
#include <malloc.h>

#include <csignal>
#include <iostream>

#include "app/commands.h"
#include "nets/device.h"
#include "tengen_version.h"

int main(int argc, char** argv) {
    // A GTP peer or child engine that goes away must be an error code, not a killed process.
    std::signal(SIGPIPE, SIG_IGN);
    // LibTorch allocates and frees large buffers on every forward pass; with glibc's default
    // thresholds the heap is trimmed and refilled each time, and the page faults cost about a
    // third of the network's speed. Keep freed memory for reuse instead.
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    // Before any thread starts, so that every one (TBB workers, torch's pool) inherits it.
    tengen::nets::flushDenormalsToZero();
    CLI::App app{"Tengen: an AlphaGo-style Go engine"};
    app.set_version_flag("--version", std::string("tengen ") + TENGEN_VERSION);
    app.set_config("--config", "", "Read options from a TOML/INI config file");
    // A misspelt key would otherwise be dropped without a word, and the run would go on with
    // the default the user meant to change.
    app.allow_config_extras(CLI::config_extras_mode::error);
    app.require_subcommand(1);
    tengen::app::addGtpCommand(app);
    tengen::app::addSgfCommand(app);
    tengen::app::addBenchCommand(app);
    tengen::app::addTrainCommands(app, argc, argv);
    tengen::app::addRolloutCommands(app, argc, argv);
    tengen::app::addPlotCommand(app);
    tengen::app::addMatchCommand(app);
    tengen::app::addSelfplayCommand(app);
    tengen::app::addRlCommands(app, argc, argv);
    tengen::app::addRunCommand(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const std::exception& e) {
        std::cerr << "tengen: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
