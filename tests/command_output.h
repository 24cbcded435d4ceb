#pragma once
// Running the tengen binary from a test, as a user would from the shell.

#include <cstdio>
#include <string>

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

}  // namespace tengen::test
