#include "nets/model_file.h"

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "go/atomic_file.h"
#include "go/framed_file.h"

namespace tengen::nets {

namespace {

constexpr std::string_view kMagic = "TENGEN-MODEL 1\n";
constexpr std::uintmax_t kMaxModelBytes = std::uintmax_t{4} << 30;

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

Model copyModel(Model model) {
    Model copy = makeModel(model.metadata.shape);
    copy.metadata = model.metadata;
    torch::NoGradGuard noGrad;
    const auto parameters = model.module().named_parameters(true);
    for (auto& p : copy.module().named_parameters(true)) p.value().copy_(parameters[p.key()]);
    const auto buffers = model.module().named_buffers(true);
    for (auto& b : copy.module().named_buffers(true)) b.value().copy_(buffers[b.key()]);
    return copy;
}

void saveModel(const std::filesystem::path& path, Model& model) {
    std::ostringstream weights;
    torch::serialize::OutputArchive archive;
    model.module().save(archive);
    archive.save_to(weights);
    const nlohmann::json metadata = {{"shape", toJson(model.metadata.shape)}, {"training", model.metadata.training}};
    const std::string body = metadata.dump(2) + "\n";
    const std::string blob = weights.str();
    const std::string file = frameBlocks(kMagic, {body, blob});
    writeFileAtomically(path, file);
}

Model loadModel(const std::filesystem::path& path, const ModelExpectations& expect) {
    auto fail = [&](const std::string& problem) -> ModelFileError {
        return ModelFileError(fmt::format("model file {}: {}", path.string(), problem));
    };
    std::string whyNot;
    const std::optional<std::string> text = readWholeFile(path, kMaxModelBytes, whyNot);
    if (!text) throw fail(whyNot);
    const Unframed parts = unframeBlocks(*text, kMagic, 2);
    if (parts.problem != FrameProblem::None) throw fail(describeFrameProblem(parts.problem, "Tengen model"));
    const std::string_view body = parts.blocks[0], blob = parts.blocks[1];

    Model model;
    try {
        const nlohmann::json metadata = nlohmann::json::parse(body);
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
        std::istringstream weights{std::string(blob)};
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
