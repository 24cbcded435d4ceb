#include "nets/sl_training.h"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <random>
#include <sstream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "go/atomic_file.h"
#include "nets/device.h"
#include "nets/position_batch.h"

namespace tengen::nets {

namespace {

using Clock = std::chrono::steady_clock;

// Where training stands: enough to continue with the very next batch.
struct Progress {
    long step = 0;
    long epoch = 0;
    long offset = 0;        // into this epoch's order
    long positions = 0;     // trained on so far
    double seconds = 0;     // training time so far, across restarts
};

const char* kCsvHeader =
    "step,epoch,positions,seconds,learning_rate,train_loss,train_top1,heldout_loss,heldout_top1,heldout_top5,"
    "positions_per_second";

std::unique_ptr<torch::optim::Optimizer> makeOptimizer(const SlTrainingOptions& o, Model& model) {
    if (o.optimizer == "sgd")
        return std::make_unique<torch::optim::SGD>(
            model.module().parameters(),
            torch::optim::SGDOptions(o.learningRate).momentum(o.momentum).weight_decay(o.weightDecay));
    if (o.optimizer == "adam")
        return std::make_unique<torch::optim::Adam>(
            model.module().parameters(), torch::optim::AdamOptions(o.learningRate).weight_decay(o.weightDecay));
    throw std::invalid_argument("--optimizer must be sgd or adam");
}

double learningRateAt(const SlTrainingOptions& o, long step) {
    return o.learningRateHalfLife > 0 ? o.learningRate * std::pow(0.5, static_cast<double>(step) / o.learningRateHalfLife)
                                      : o.learningRate;
}

void setLearningRate(torch::optim::Optimizer& optimizer, double rate) {
    for (auto& group : optimizer.param_groups()) group.options().set_lr(rate);
}

// The position order of an epoch: a full shuffle, the same on every run with this seed.
std::vector<PositionRef> epochOrder(const std::vector<PositionRef>& positions, std::uint64_t seed, long epoch) {
    std::vector<PositionRef> order = positions;
    std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(epoch));
    std::shuffle(order.begin(), order.end(), rng);
    return order;
}

Symmetry symmetryFor(std::uint64_t seed, long epoch, long offset) {
    std::uint64_t z = seed ^ (static_cast<std::uint64_t>(epoch) << 40) ^ static_cast<std::uint64_t>(offset);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return kAllSymmetries[(z ^ (z >> 31)) % kSymmetryCount];
}

void saveCheckpoint(const std::filesystem::path& path, Model& model, torch::optim::Optimizer& optimizer,
                    const Progress& p) {
    torch::serialize::OutputArchive archive, modelArchive, optimizerArchive;
    model.module().save(modelArchive);
    optimizer.save(optimizerArchive);
    archive.write("model", modelArchive);
    archive.write("optimizer", optimizerArchive);
    archive.write("shape", c10::IValue(toJson(model.metadata.shape).dump()));
    archive.write("progress", torch::tensor({p.step, p.epoch, p.offset, p.positions}, torch::kLong));
    archive.write("seconds", torch::tensor({p.seconds}, torch::kDouble));
    std::ostringstream out;
    archive.save_to(out);
    writeFileAtomically(path, out.str());
}

Progress loadCheckpoint(const std::filesystem::path& path, Model& model, torch::optim::Optimizer& optimizer) {
    try {
        torch::serialize::InputArchive archive, modelArchive, optimizerArchive;
        archive.load_from(path.string());
        c10::IValue shape;
        archive.read("shape", shape);
        if (shape.toStringRef() != toJson(model.metadata.shape).dump())
            throw std::runtime_error("it was made for a different network (" + shape.toStringRef() +
                                     "); use the same options or delete it");
        archive.read("model", modelArchive);
        archive.read("optimizer", optimizerArchive);
        model.module().load(modelArchive);
        optimizer.load(optimizerArchive);
        torch::Tensor progress, seconds;
        archive.read("progress", progress);
        archive.read("seconds", seconds);
        return {progress[0].item<long>(), progress[1].item<long>(), progress[2].item<long>(),
                progress[3].item<long>(), seconds[0].item<double>()};
    } catch (const std::exception& e) {
        throw std::runtime_error("cannot resume from checkpoint " + path.string() + ": " +
                                 std::string(e.what()).substr(0, std::string(e.what()).find('\n')));
    }
}

// Keeps the CSV consistent with the checkpoint: rows logged after it are dropped, since
// the resumed run logs those steps again.
void trimCsv(const std::filesystem::path& path, long lastStep) {
    std::ifstream in(path);
    if (!in) return;
    std::string line, kept;
    std::getline(in, line);
    kept = line + "\n";
    while (std::getline(in, line)) {
        const long step = std::strtol(line.c_str(), nullptr, 10);
        if (step <= lastStep) kept += line + "\n";
    }
    writeFileAtomically(path, kept);
}

void appendCsv(const std::filesystem::path& path, const std::string& row) {
    const bool fresh = !std::filesystem::exists(path);
    std::ofstream out(path, std::ios::app);
    if (fresh) out << kCsvHeader << "\n";
    out << row << "\n";
    out.flush();
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

// The model as it stands, with how it got there; written at every evaluation so that a
// usable model always exists while a long run goes on.
void saveTrainedModel(const SlTrainingOptions& o, const GameIndex& index, Model& model, const Progress& progress,
                      const PolicyEvaluation& heldOut, torch::Device device) {
    model.metadata.training = {
        {"stage", "supervised (train-sl)"},
        {"data", o.data},
        {"training_games", index.training.size()},
        {"held_out_games", index.heldOut.size()},
        {"steps", progress.step},
        {"positions", progress.positions},
        {"batch", o.batchSize},
        {"optimizer", o.optimizer},
        {"learning_rate", o.learningRate},
        {"seconds", progress.seconds},
        {"held_out_positions", heldOut.positions},
        {"held_out_top1", heldOut.top1},
        {"held_out_top5", heldOut.top5},
        {"held_out_loss", heldOut.loss},
        {"command", o.commandLine}};
    model.module().to(torch::kCPU);
    saveModel(o.out, model);
    model.module().to(device);
}

std::string duration(double seconds) {
    const long s = static_cast<long>(seconds);
    return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
}

}  // namespace

std::filesystem::path checkpointPath(const std::filesystem::path& out) { return out.string() + ".checkpoint"; }
std::filesystem::path csvPath(const std::filesystem::path& out) { return out.string() + ".csv"; }

PolicyEvaluation evaluatePolicy(Model& model, const std::vector<IndexedGame>& games, int maxPositions,
                                const std::string& device, int batchSize) {
    const NetworkShape& shape = model.metadata.shape;
    const torch::Device where = parseDevice(device);
    std::vector<PositionRef> all = allPositions(games);
    std::vector<PositionRef> chosen;
    const std::size_t wanted = std::min<std::size_t>(all.size(), static_cast<std::size_t>(std::max(0, maxPositions)));
    for (std::size_t i = 0; i < wanted; ++i) chosen.push_back(all[i * all.size() / wanted]);

    torch::NoGradGuard noGrad;
    model.module().eval();
    PolicyEvaluation result;
    double lossSum = 0;
    long top1 = 0, top5 = 0;
    for (std::size_t start = 0; start < chosen.size(); start += static_cast<std::size_t>(batchSize)) {
        const std::vector<PositionRef> refs(chosen.begin() + static_cast<long>(start),
                                            chosen.begin() + static_cast<long>(std::min(chosen.size(), start + batchSize)));
        const PositionBatch batch =
            makeBatch(games, refs, std::vector<Symmetry>(refs.size(), Symmetry::Identity), shape.features, shape.boardSize);
        const torch::Tensor logits =
            maskIllegal(model.policy->forward(batch.features.to(where)), batch.legal.to(where)).cpu();
        const torch::Tensor logProbabilities = torch::log_softmax(logits, 1);
        lossSum += torch::nll_loss(logProbabilities, batch.target, {}, at::Reduction::Sum).item<double>();
        const torch::Tensor best = std::get<1>(logits.topk(5, 1));
        top1 += best.select(1, 0).eq(batch.target).sum().item<long>();
        top5 += best.eq(batch.target.unsqueeze(1)).any(1).sum().item<long>();
    }
    model.module().train();
    result.positions = chosen.size();
    if (!chosen.empty()) {
        result.loss = lossSum / chosen.size();
        result.top1 = static_cast<double>(top1) / chosen.size();
        result.top5 = static_cast<double>(top5) / chosen.size();
    }
    return result;
}

PolicyEvaluation trainPolicy(const SlTrainingOptions& o) {
    if (o.shape.kind != NetworkKind::Policy) throw std::invalid_argument("train-sl trains policy networks");
    if (o.batchSize < 1 || o.steps < 1) throw std::invalid_argument("--batch and --steps must be positive");
    const torch::Device device = parseDevice(o.device);
    setTorchThreads(o.threads);
    torch::manual_seed(o.seed);

    spdlog::info("indexing games in {} path(s)", o.data.size());
    const GameIndex index = indexGames(o.data, o.filter);
    spdlog::info("games: {} training ({} positions), {} held out ({} positions); skipped {} by filter, {} unreadable, "
                 "{} not replaying",
                 index.training.size(), index.trainingPositions(), index.heldOut.size(), index.heldOutPositions(),
                 index.skippedByFilter, index.skippedUnreadable, index.skippedIllegal);
    if (index.training.empty()) throw std::runtime_error("no training games left after filtering");
    const std::vector<PositionRef> positions = allPositions(index.training);

    Model model = makeModel(o.shape);
    model.module().to(device);
    std::unique_ptr<torch::optim::Optimizer> optimizer = makeOptimizer(o, model);
    Progress progress;
    const std::filesystem::path checkpoint = checkpointPath(o.out), csv = csvPath(o.out);
    if (std::filesystem::exists(checkpoint)) {
        progress = loadCheckpoint(checkpoint, model, *optimizer);
        trimCsv(csv, progress.step);
        spdlog::warn("resuming from {} at step {} ({} positions)", checkpoint.string(), progress.step,
                     progress.positions);
    } else if (std::filesystem::exists(csv)) {
        std::filesystem::remove(csv);  // a log without a checkpoint belongs to a run that is gone
    }

    const bool terminal = ::isatty(2);
    const auto started = Clock::now();
    const double secondsBefore = progress.seconds;
    const long firstStep = progress.step;
    std::vector<PositionRef> order = epochOrder(positions, o.seed, progress.epoch);
    double lossSum = 0;
    long correct = 0, seen = 0;
    PolicyEvaluation heldOut;
    auto elapsed = [&] { return secondsBefore + std::chrono::duration<double>(Clock::now() - started).count(); };

    while (progress.step < o.steps && (o.maxHours <= 0 || elapsed() < o.maxHours * 3600)) {
        std::vector<PositionRef> refs;
        std::vector<Symmetry> symmetries;
        while (static_cast<int>(refs.size()) < o.batchSize) {
            if (progress.offset >= static_cast<long>(order.size())) {
                ++progress.epoch;
                progress.offset = 0;
                order = epochOrder(positions, o.seed, progress.epoch);
            }
            refs.push_back(order[progress.offset]);
            symmetries.push_back(symmetryFor(o.seed, progress.epoch, progress.offset));
            ++progress.offset;
        }
        const PositionBatch batch = makeBatch(index.training, refs, symmetries, o.shape.features, o.shape.boardSize);
        setLearningRate(*optimizer, learningRateAt(o, progress.step));
        const torch::Tensor logits =
            maskIllegal(model.policy->forward(batch.features.to(device)), batch.legal.to(device));
        const torch::Tensor loss = torch::nll_loss(torch::log_softmax(logits, 1), batch.target.to(device));
        optimizer->zero_grad();
        loss.backward();
        optimizer->step();

        ++progress.step;
        progress.positions += o.batchSize;
        lossSum += loss.item<double>() * o.batchSize;
        correct += logits.argmax(1).cpu().eq(batch.target).sum().item<long>();
        seen += o.batchSize;

        const double seconds = elapsed();
        const double rate = (progress.step - firstStep) * o.batchSize / std::max(1e-9, seconds - secondsBefore);
        const bool last = progress.step == o.steps;
        if (progress.step % o.evalEvery == 0 || last) {
            heldOut = evaluatePolicy(model, index.heldOut, o.evalPositions, o.device);
            appendCsv(csv, fmt::format("{},{},{},{:.1f},{:.6g},{:.4f},{:.4f},{:.4f},{:.4f},{:.4f},{:.1f}", progress.step,
                                       progress.epoch, progress.positions, seconds, learningRateAt(o, progress.step),
                                       lossSum / seen, static_cast<double>(correct) / seen, heldOut.loss, heldOut.top1,
                                       heldOut.top5, rate));
            if (terminal) std::fputs("\n", stderr);
            spdlog::info("step {}: train loss {:.3f} top-1 {:.3f}; held-out loss {:.3f} top-1 {:.3f} top-5 {:.3f}; "
                         "{:.0f} positions/s",
                         progress.step, lossSum / seen, static_cast<double>(correct) / seen, heldOut.loss, heldOut.top1,
                         heldOut.top5, rate);
            lossSum = 0;
            correct = seen = 0;
            progress.seconds = seconds;
            saveTrainedModel(o, index, model, progress, heldOut, device);
        }
        if (terminal) {
            const double fraction = static_cast<double>(progress.step) / o.steps;
            const int filled = static_cast<int>(fraction * 30);
            const double eta = (o.steps - progress.step) * o.batchSize / std::max(1e-9, rate);
            std::fprintf(stderr, "\r[%s%s] %ld/%ld steps  %.0f pos/s  ETA %s  ", std::string(filled, '#').c_str(),
                         std::string(30 - filled, '.').c_str(), progress.step, o.steps, rate, duration(eta).c_str());
        }
        progress.seconds = seconds;
        if (progress.step % o.checkpointEvery == 0 || last) saveCheckpoint(checkpoint, model, *optimizer, progress);
    }
    if (terminal) std::fputs("\n", stderr);
    if (heldOut.positions == 0) heldOut = evaluatePolicy(model, index.heldOut, o.evalPositions, o.device);
    saveCheckpoint(checkpoint, model, *optimizer, progress);

    saveTrainedModel(o, index, model, progress, heldOut, device);
    spdlog::warn("saved {} after {} steps: held-out top-1 {:.3f}, top-5 {:.3f}, loss {:.3f}", o.out.string(),
                 progress.step, heldOut.top1, heldOut.top5, heldOut.loss);
    return heldOut;
}

}  // namespace tengen::nets
