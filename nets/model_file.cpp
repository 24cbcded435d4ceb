#include "nets/model_file.h"

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "go/atomic_file.h"

namespace tengen::nets {

namespace {

constexpr std::string_view kMagic = "TENGEN-MODEL 1\n";
constexpr std::uintmax_t kMaxModelBytes = std::uintmax_t{4} << 30;

std::uint64_t fnv1a(std::string_view bytes) {
    std::uint64_t hash = 0xCBF29CE484222325ull;
    for (unsigned char c : bytes) hash = (hash ^ c) * 0x100000001B3ull;
    return hash;
}

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

torch::nn::Module& Model::module() {
    if (policy) return *policy;
    return *value;
}

Model makeModel(const NetworkShape& shape) {
    Model model;
    model.metadata.shape = shape;
    if (shape.kind == NetworkKind::Policy) model.policy = PolicyNetwork(shape);
    else model.value = ValueNetwork(shape);
    return model;
}

void saveModel(const std::filesystem::path& path, Model& model) {
    std::ostringstream weights;
    torch::serialize::OutputArchive archive;
    model.module().save(archive);
    archive.save_to(weights);
    const nlohmann::json metadata = {{"shape", toJson(model.metadata.shape)}, {"training", model.metadata.training}};
    const std::string body = metadata.dump(2) + "\n";
    const std::string blob = weights.str();
    std::string file(kMagic);
    file += std::to_string(body.size()) + "\n" + body;
    file += std::to_string(blob.size()) + "\n" + blob;
    file += fmt::format("{:016x}\n", fnv1a(std::string_view(file).substr(kMagic.size())));
    writeFileAtomically(path, file);
}

Model loadModel(const std::filesystem::path& path, const ModelExpectations& expect) {
    auto fail = [&](const std::string& problem) -> ModelFileError {
        return ModelFileError(fmt::format("model file {}: {}", path.string(), problem));
    };
    std::error_code ec;
    const std::uintmax_t size = std::filesystem::file_size(path, ec);
    if (ec) throw fail("cannot be read (" + ec.message() + ")");
    if (size > kMaxModelBytes) throw fail("is too large to be a model");
    std::ifstream in(path, std::ios::binary);
    std::string text(static_cast<std::size_t>(size), '\0');
    if (!in.read(text.data(), static_cast<std::streamsize>(size))) throw fail("cannot be read");
    if (text.compare(0, kMagic.size(), kMagic) != 0) throw fail("is not a Tengen model (bad header)");

    std::size_t pos = kMagic.size();
    const auto body = sizedBlock(text, pos);
    const auto blob = body ? sizedBlock(text, pos) : std::nullopt;
    if (!body || !blob || text.size() - pos != 17 || text.back() != '\n') throw fail("is truncated or malformed");
    const std::string checksum = fmt::format("{:016x}", fnv1a(std::string_view(text).substr(kMagic.size(), pos - kMagic.size())));
    if (text.compare(pos, 16, checksum) != 0) throw fail("is corrupted (checksum mismatch)");

    Model model;
    try {
        const nlohmann::json metadata = nlohmann::json::parse(*body);
        model.metadata.shape = shapeFromJson(metadata.at("shape"));
        model.metadata.training = metadata.value("training", nlohmann::json::object());
    } catch (const std::exception& e) {
        throw fail(std::string("has bad metadata: ") + e.what());
    }
    const NetworkShape& shape = model.metadata.shape;
    if (expect.kind && *expect.kind != shape.kind)
        throw fail(fmt::format("holds a {} network, but a {} network is needed", networkKindName(shape.kind),
                               networkKindName(*expect.kind)));
    if (expect.boardSize && *expect.boardSize != shape.boardSize)
        throw fail(fmt::format("is for {}x{} boards, not {}x{}", shape.boardSize, shape.boardSize, *expect.boardSize,
                               *expect.boardSize));
    Model built = makeModel(shape);
    built.metadata = model.metadata;
    try {
        std::istringstream weights{std::string(*blob)};
        torch::serialize::InputArchive archive;
        archive.load_from(weights);
        built.module().load(archive);
    } catch (const std::exception& e) {
        throw fail(fmt::format("weights do not fit a {} ({})", shape.describe(),
                               std::string(e.what()).substr(0, std::string(e.what()).find('\n'))));
    }
    return built;
}

}  // namespace tengen::nets
