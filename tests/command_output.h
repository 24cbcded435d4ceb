#pragma once
// Running the tengen binary from a test, as a user would from the shell.

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace tengen::test {

struct CommandOutput {
    int status = -1;     // as pclose returns it: 0 for a clean exit
    std::string output;  // stdout and whatever the command redirects into it
};

inline CommandOutput runCommand(const std::string& command) {
    CommandOutput result;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe) return result;
    char chunk[256];
    while (std::fgets(chunk, sizeof chunk, pipe)) result.output += chunk;
    result.status = ::pclose(pipe);
    return result;
}

// Starts `tengen ARGS` in the background with stdout and stderr appended to `log`; returns
// its pid, for waitExit or a kill.
inline pid_t spawnTengen(const std::vector<std::string>& args, const std::filesystem::path& log) {
    std::vector<std::string> words = {TENGEN_BINARY};
    words.insert(words.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start " + words[0]);
    return pid;
}

// The exit status, or minus the signal that ended the process.
inline int waitExit(pid_t pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

}  // namespace tengen::test
