#pragma once
// The container Tengen's model files share: a magic line naming the format, length-prefixed
// blocks, and a checksum over them. A reader can then tell a missing, truncated, corrupted
// or foreign file from a good one before it interprets a single byte.
//
// Layout: magic, then for each block "<byte count>\n<bytes>", then the FNV-1a hash of
// everything after the magic as 16 hex digits and "\n".

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tengen {

std::uint64_t fnv1a(std::string_view bytes);

// The whole file: magic, blocks and checksum, ready for writeFileAtomically.
std::string frameBlocks(std::string_view magic, std::initializer_list<std::string_view> blocks);

enum class FrameProblem { None, BadMagic, Truncated, Corrupted };

struct Unframed {
    FrameProblem problem = FrameProblem::None;
    std::vector<std::string_view> blocks;  // views into the text given; empty unless problem is None
};

// Checks the magic, the block structure (exactly `blockCount` blocks) and the checksum.
Unframed unframeBlocks(std::string_view text, std::string_view magic, std::size_t blockCount);

// Float arrays as blocks: float32 little-endian, whatever the machine.
std::string encodeFloats(const std::vector<float>& values);
std::vector<float> decodeFloats(std::string_view bytes);  // a trailing partial float is ignored

// "is not a ... (bad header)", "is truncated or malformed", "is corrupted (checksum mismatch)".
std::string describeFrameProblem(FrameProblem problem, std::string_view formatName);

// The file's bytes, or nullopt with `whyNot` set ("cannot be read (No such file...)",
// "is too large..."): model files are read whole, so a size limit guards the allocation.
std::optional<std::string> readWholeFile(const std::filesystem::path& path, std::uintmax_t maxBytes,
                                         std::string& whyNot);

}  // namespace tengen
