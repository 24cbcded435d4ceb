#include "nets/train/run_log.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "go/atomic_file.h"

namespace tengen::nets {

void trimCsvAfter(const std::filesystem::path& path, long lastStep) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return;
    std::stringstream text;
    text << in.rdbuf();
    std::string kept, line;
    if (!std::getline(text, line) || text.eof()) {
        std::filesystem::remove(path);
        return;
    }
    kept = line + "\n";
    while (std::getline(text, line) && !text.eof()) {
        const long step = std::strtol(line.c_str(), nullptr, 10);
        if (step <= lastStep) kept += line + "\n";
    }
    writeFileAtomically(path, kept);
}

void extendCsvHeader(const std::filesystem::path& path, const std::string& header) {
    std::ifstream in(path, std::ios::binary);
    std::string first;
    if (!in || !std::getline(in, first) || first == header || header.rfind(first + ",", 0) != 0) return;
    std::stringstream rest;
    rest << in.rdbuf();
    in.close();
    writeFileAtomically(path, header + "\n" + rest.str());
}

void appendCsvRow(const std::filesystem::path& path, const std::string& header, const std::string& row) {
    const bool fresh = !std::filesystem::exists(path);
    std::ofstream out(path, std::ios::app);
    if (fresh) out << header << "\n";
    out << row << "\n";
    out.flush();
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string formatDuration(double seconds) {
    const long s = static_cast<long>(seconds);
    return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
}

}  // namespace tengen::nets
