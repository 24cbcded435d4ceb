#pragma once
// Whole-file writes that a crash can never leave half done: write a temporary file beside
// the target, flush it to disk, then rename it over the target.

#include <filesystem>
#include <string_view>

namespace tengen {

// Throws std::runtime_error naming the path if any step fails; the target is then untouched.
void writeFileAtomically(const std::filesystem::path& path, std::string_view contents);

}  // namespace tengen
