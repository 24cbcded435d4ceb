#include "go/framed_file.h"

#include <bit>
#include <fstream>

#include <fmt/format.h>

namespace tengen {

namespace {

constexpr std::size_t kChecksumLineBytes = 17;  // 16 hex digits and a newline

// Reads "<count>\n" then count bytes, from `text` at `pos`.
std::optional<std::string_view> sizedBlock(std::string_view text, std::size_t& pos) {
    const std::size_t newline = text.find('\n', pos);
    if (newline == std::string_view::npos || newline - pos > 20) return std::nullopt;
    std::size_t count = 0;
    for (std::size_t i = pos; i < newline; ++i) {
        if (text[i] < '0' || text[i] > '9') return std::nullopt;
        count = count * 10 + static_cast<std::size_t>(text[i] - '0');
    }
    if (count > text.size() - newline - 1) return std::nullopt;
    pos = newline + 1 + count;
    return text.substr(newline + 1, count);
}

}  // namespace

std::string encodeFloats(const std::vector<float>& values) {
    std::string bytes(values.size() * 4, '\0');
    for (std::size_t i = 0; i < values.size(); ++i) {
        const std::uint32_t bits = std::bit_cast<std::uint32_t>(values[i]);
        for (int b = 0; b < 4; ++b) bytes[i * 4 + b] = static_cast<char>((bits >> (8 * b)) & 0xFF);
    }
    return bytes;
}

std::vector<float> decodeFloats(std::string_view bytes) {
    std::vector<float> values(bytes.size() / 4);
    for (std::size_t i = 0; i < values.size(); ++i) {
        std::uint32_t bits = 0;
        for (int b = 0; b < 4; ++b) bits |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i * 4 + b])) << (8 * b);
        values[i] = std::bit_cast<float>(bits);
    }
    return values;
}

std::uint64_t fnv1a(std::string_view bytes) {
    std::uint64_t hash = 0xCBF29CE484222325ull;
    for (unsigned char c : bytes) hash = (hash ^ c) * 0x100000001B3ull;
    return hash;
}

std::string frameBlocks(std::string_view magic, std::initializer_list<std::string_view> blocks) {
    std::string file(magic);
    for (std::string_view block : blocks) {
        file += std::to_string(block.size()) + "\n";
        file += block;
    }
    file += fmt::format("{:016x}\n", fnv1a(std::string_view(file).substr(magic.size())));
    return file;
}

Unframed unframeBlocks(std::string_view text, std::string_view magic, std::size_t blockCount) {
    Unframed result;
    if (text.substr(0, magic.size()) != magic) {
        result.problem = FrameProblem::BadMagic;
        return result;
    }
    std::size_t pos = magic.size();
    for (std::size_t i = 0; i < blockCount; ++i) {
        const auto block = sizedBlock(text, pos);
        if (!block) {
            result.problem = FrameProblem::Truncated;
            result.blocks.clear();
            return result;
        }
        result.blocks.push_back(*block);
    }
    if (text.size() - pos != kChecksumLineBytes || text.back() != '\n') {
        result.problem = FrameProblem::Truncated;
        result.blocks.clear();
        return result;
    }
    const std::string checksum = fmt::format("{:016x}", fnv1a(text.substr(magic.size(), pos - magic.size())));
    if (text.compare(pos, 16, checksum) != 0) {
        result.problem = FrameProblem::Corrupted;
        result.blocks.clear();
    }
    return result;
}

std::string describeFrameProblem(FrameProblem problem, std::string_view formatName) {
    switch (problem) {
        case FrameProblem::None: return "is fine";
        case FrameProblem::BadMagic: return fmt::format("is not a {} (bad header)", formatName);
        case FrameProblem::Truncated: return "is truncated or malformed";
        case FrameProblem::Corrupted: return "is corrupted (checksum mismatch)";
    }
    return "is unreadable";
}

std::optional<std::string> readWholeFile(const std::filesystem::path& path, std::uintmax_t maxBytes,
                                         std::string& whyNot) {
    std::error_code ec;
    const std::uintmax_t size = std::filesystem::file_size(path, ec);
    if (ec) {
        whyNot = "cannot be read (" + ec.message() + ")";
        return std::nullopt;
    }
    if (size > maxBytes) {
        whyNot = "is too large to be a model";
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    std::string text(static_cast<std::size_t>(size), '\0');
    if (!in.read(text.data(), static_cast<std::streamsize>(size))) {
        whyNot = "cannot be read";
        return std::nullopt;
    }
    return text;
}

}  // namespace tengen
