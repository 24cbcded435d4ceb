#include "nets/train/training_loop.h"

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
#include "nets/train/run_log.h"
#include "nets/train/warm_start.h"

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

// The model as it stands, with how it got there; written at every evaluation so that a
// usable model always exists while a long run goes on.
void saveTrainedModel(const TrainingOptions& o, TrainingTask& task, Model& model, const Progress& progress,
                      const Metrics& heldOut, torch::Device device) {
    nlohmann::json training = {{"data", o.data},
                               {"shards", o.shards},
                               {"steps", progress.step},
                               {"positions", progress.positions},
                               {"batch", o.batchSize},
                               {"optimizer", o.optimizer.kind},
                               {"precision", o.precision},
                               {"learning_rate", o.optimizer.learningRate},
                               {"seconds", progress.seconds},
                               {"command", o.commandLine}};
    if (!o.initialModel.empty()) training["initialised_from"] = o.initialModel.string();
    training.update(task.describeData());
    for (const auto& [name, value] : heldOut) training["held_out_" + name] = value;
    model.metadata.training = training;
    model.module().to(torch::kCPU);
    saveModel(o.out, model);
    model.module().to(device);
}

std::string csvHeader(const TrainingTask& task) {
    std::string header = "step,epoch,positions,seconds,learning_rate,train_loss,train_" + task.trainMetric();
    for (const std::string& name : task.evaluationNames()) header += ",heldout_" + name;
    return header + ",positions_per_second";
}

}  // namespace

GameIndex indexTrainingGames(const TrainingOptions& o) {
    GameFilter filter = o.filter;
    filter.boardSize = o.shape.boardSize;  // the network's size decides which games fit it
    return indexTrainingGames(o.data, filter);
}

Metrics runTraining(const TrainingOptions& o, TrainingTask& task) {
    if (o.batchSize < 1 || o.steps < 1 || o.evalEvery < 1 || o.checkpointEvery < 1)
        throw std::invalid_argument("the batch size, steps, evaluation interval and checkpoint interval must be positive");
    const torch::Device device = parseDevice(o.device);
    const Precision precision = requirePrecision(o.precision);
    if (precision == Precision::BFloat16 && !device.is_cpu())
        throw std::invalid_argument("bf16 precision is for training on CPU");
    setTorchThreads(o.threads);
    torch::manual_seed(o.seed);
    const std::vector<PositionRef>& positions = task.trainingPositions();
    if (positions.empty()) throw std::runtime_error("no training positions");

    Model model = makeModel(o.shape);
    model.module().to(device);
    std::unique_ptr<torch::optim::Optimizer> optimizer = makeOptimizer(o.optimizer, model.module().parameters());
    Progress progress;
    const std::filesystem::path checkpoint = checkpointPath(o.out), csv = csvPath(o.out);
    if (std::filesystem::exists(checkpoint)) {
        progress = loadCheckpoint(checkpoint, model, *optimizer);
        trimCsvAfter(csv, progress.step);
        spdlog::warn("resuming from {} at step {} ({} positions)", checkpoint.string(), progress.step,
                     progress.positions);
    } else {
        if (std::filesystem::exists(csv)) std::filesystem::remove(csv);  // a log without a checkpoint belongs to a run that is gone
        if (!o.initialModel.empty()) {
            warmStart(loadModel(o.initialModel), model);
            spdlog::info("initialised from {}", o.initialModel.string());
        }
    }

    const bool terminal = ::isatty(2);
    const auto started = Clock::now();
    const double secondsBefore = progress.seconds;
    const long firstStep = progress.step;
    std::vector<PositionRef> order = epochOrder(positions, o.seed, progress.epoch);
    double lossSum = 0, metricSum = 0;
    long seen = 0;
    Metrics heldOut;
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
        setLearningRate(*optimizer, learningRateAt(o.optimizer, progress.step));
        optimizer->zero_grad();
        double lossValue = 0, metric = 0;
        {
            const MixedPrecisionScope mixed(precision);
            const auto [loss, batchMetric] = task.loss(model, refs, symmetries, device);
            loss.backward();
            lossValue = loss.item<double>();
            metric = batchMetric;
        }
        // A diverged run stops before the step, so its checkpoint stays the last good one.
        if (!std::isfinite(lossValue))
            throw std::runtime_error(fmt::format(
                "step {}: the loss is not finite; {}: lower the learning rate", progress.step + 1,
                std::filesystem::exists(checkpoint)
                    ? fmt::format("the last good checkpoint is {}; resume from it", checkpoint.string())
                    : std::string("no checkpoint was written yet, so start again")));
        optimizer->step();

        ++progress.step;
        progress.positions += o.batchSize;
        lossSum += lossValue * o.batchSize;
        metricSum += metric;
        seen += o.batchSize;

        const double seconds = elapsed();
        const double rate = (progress.step - firstStep) * o.batchSize / std::max(1e-9, seconds - secondsBefore);
        const bool last = progress.step == o.steps;
        if (progress.step % o.evalEvery == 0 || last) {
            heldOut = task.evaluate(model);
            std::string row = fmt::format("{},{},{},{:.1f},{:.6g},{:.4f},{:.4f}", progress.step, progress.epoch,
                                          progress.positions, seconds, learningRateAt(o.optimizer, progress.step), lossSum / seen,
                                          metricSum / seen);
            std::string summary;
            for (const auto& [name, value] : heldOut) {
                row += fmt::format(",{:.4f}", value);
                summary += fmt::format(" {} {:.4f}", name, value);
            }
            appendCsvRow(csv, csvHeader(task), row + fmt::format(",{:.1f}", rate));
            if (terminal) std::fputs("\n", stderr);
            spdlog::info("step {}: train loss {:.4f} {} {:.4f}; held-out{}; {:.0f} positions/s", progress.step,
                         lossSum / seen, task.trainMetric(), metricSum / seen, summary, rate);
            lossSum = metricSum = 0;
            seen = 0;
            progress.seconds = seconds;
            saveTrainedModel(o, task, model, progress, heldOut, device);
        }
        if (terminal) {
            const double fraction = static_cast<double>(progress.step) / o.steps;
            const int filled = static_cast<int>(fraction * 30);
            const double eta = (o.steps - progress.step) * o.batchSize / std::max(1e-9, rate);
            std::fprintf(stderr, "\r[%s%s] %ld/%ld steps  %.0f pos/s  ETA %s  ", std::string(filled, '#').c_str(),
                         std::string(30 - filled, '.').c_str(), progress.step, o.steps, rate, formatDuration(eta).c_str());
        }
        progress.seconds = seconds;
        if (progress.step % o.checkpointEvery == 0 || last) saveCheckpoint(checkpoint, model, *optimizer, progress);
    }
    if (terminal) std::fputs("\n", stderr);
    if (heldOut.empty()) heldOut = task.evaluate(model);
    saveCheckpoint(checkpoint, model, *optimizer, progress);
    saveTrainedModel(o, task, model, progress, heldOut, device);
    spdlog::warn("saved {} after {} steps", o.out.string(), progress.step);
    return heldOut;
}

}  // namespace tengen::nets
