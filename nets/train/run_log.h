#pragma once
// A training run's CSV log, kept consistent with its checkpoint: one row per step (or
// iteration), appended and flushed as it is made, and cut back to the checkpoint when a
// killed run resumes, so that the resumed run's rows do not repeat or interleave.

#include <filesystem>
#include <string>

namespace tengen::nets {

// Appends a row, writing the header first into a new file. Throws std::runtime_error when the
// row cannot be written.
void appendCsvRow(const std::filesystem::path& path, const std::string& header, const std::string& row);

// Keeps the rows whose first column is at most `lastStep`, and drops a last row a kill cut
// short (rows are appended, so only the last can be torn, and it then lacks its line end). A
// file without even a whole header is removed.
void trimCsvAfter(const std::filesystem::path& path, long lastStep);

// A log begun by an earlier build, whose header is `header` less columns added at the end
// since, gets `header`: its rows then read with those columns empty. Any other header is
// left alone.
void extendCsvHeader(const std::filesystem::path& path, const std::string& header);

// h:mm:ss, for progress lines.
std::string formatDuration(double seconds);

}  // namespace tengen::nets
