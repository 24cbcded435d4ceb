#pragma once
// Files the tests write and read back: model files to damage, checkpoints to resume from.

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace tengen::test {

// A path in the tests' own temporary directory.
inline std::filesystem::path scratch(const std::string& name) {
    const auto dir = std::filesystem::temp_directory_path() / "tengen-tests";
    std::filesystem::create_directories(dir);
    return dir / name;
}

inline std::string readAll(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void writeAll(const std::filesystem::path& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

}  // namespace tengen::test
