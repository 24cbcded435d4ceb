// Networks, model files and supervised training, on tiny networks and fixture games.
#include <algorithm>
#include <filesystem>
#include <cstdio>
#include <fstream>
#include <thread>

#include <fmt/format.h>

#include "tests/command_output.h"
#include "tests/scratch_files.h"
#include "nets/device.h"
#include "go/game_index.h"
#include "nets/model_file.h"
#include "nets/train/sl_training.h"
#include "nets/symmetry_ensemble.h"
#include "nets/train/warm_start.h"
#include "nets/train/value_training.h"
#include "nets/train/weight_averaging.h"

// LibTorch brings glog's CHECK, which aborts; the tests want Catch's.
#undef CHECK
#include <catch2/catch.hpp>

using namespace tengen;
using namespace tengen::nets;

using tengen::test::readAll;
using tengen::test::runCommand;
using tengen::test::scratch;
using tengen::test::writeAll;

namespace {

NetworkShape tinyShape(NetworkKind kind = NetworkKind::Policy, bool residual = false) {
    NetworkShape shape;
    shape.kind = kind;
    shape.features = kind == NetworkKind::Policy ? FeatureSet::AlphaGoPolicy : FeatureSet::AlphaGoValue;
    shape.boardSize = 9;
    shape.layers = 3;
    shape.filters = 8;
    shape.residual = residual;
    return shape;
}

// A fresh run on the fixture games, every game used for training.
TrainingOptions fixtureTraining(const std::string& name, const NetworkShape& shape) {
    TrainingOptions options;
    options.out = scratch(name);
    for (const auto& p : {options.out, checkpointPath(options.out), csvPath(options.out)}) std::filesystem::remove(p);
    options.data = {std::string(TENGEN_FIXTURES) + "/sgf"};
    options.shape = shape;
    options.shape.boardSize = 19;
    options.filter.evenGamesOnly = false;
    options.filter.heldOutEvery = 0;
    options.optimizer.kind = "adam";
    options.evalEvery = 1000;
    options.threads = 1;
    return options;
}

}  // namespace

TEST_CASE("policy and value networks have AlphaGo's outputs", "[nets]") {
    torch::NoGradGuard noGrad;
    for (bool residual : {false, true}) {
        Model policy = makeModel(tinyShape(NetworkKind::Policy, residual));
        const torch::Tensor logits = policy.policy->forward(torch::zeros({2, 48, 9, 9}));
        CHECK(logits.sizes() == torch::IntArrayRef({2, 82}));
        Model value = makeModel(tinyShape(NetworkKind::Value, residual));
        const torch::Tensor v = value.value->forward(torch::randn({3, 49, 9, 9}));
        CHECK(v.sizes() == torch::IntArrayRef({3}));
        CHECK(v.abs().max().item<float>() <= 1.0f);
    }
    const torch::Tensor legal = torch::tensor({true, false, true}).unsqueeze(0);
    const torch::Tensor masked = maskIllegal(torch::zeros({1, 3}), legal);
    const torch::Tensor p = torch::softmax(masked, 1);
    CHECK(p[0][1].item<float>() == 0.0f);
    CHECK(p[0][0].item<float>() == Approx(0.5f));
}

TEST_CASE("a value network can start from a policy network's trunk", "[nets]") {
    const Model policy = makeModel(tinyShape(NetworkKind::Policy));
    Model value = makeModel(tinyShape(NetworkKind::Value));
    warmStart(policy, value);
    auto policyParameters = const_cast<Model&>(policy).module().named_parameters();
    int compared = 0;
    for (const auto& p : value.module().named_parameters()) {
        if (p.key().rfind("trunk.", 0) != 0) continue;
        const torch::Tensor& original = policyParameters[p.key()];
        if (p.key() == "trunk.first.weight") {
            // 48 shared planes copied; the value set's extra plane starts at zero.
            CHECK(torch::equal(p.value().narrow(1, 0, 48), original));
            CHECK(p.value().narrow(1, 48, 1).abs().sum().item<float>() == 0.0f);
        } else {
            CHECK(torch::equal(p.value(), original));
        }
        ++compared;
    }
    CHECK(compared >= 6);

    NetworkShape narrower = tinyShape(NetworkKind::Value);
    narrower.filters = 4;
    Model other = makeModel(narrower);
    CHECK_THROWS_AS(warmStart(policy, other), std::invalid_argument);
}

TEST_CASE("a deeper policy network starts out computing what the shallower one did", "[nets]") {
    torch::manual_seed(3);
    Model shallow = makeModel(tinyShape());
    NetworkShape deeperShape = tinyShape();
    deeperShape.layers = 5;
    Model deeper = makeModel(deeperShape);
    const torch::Tensor planes = torch::randint(0, 2, {4, 48, 9, 9}).to(torch::kFloat);
    torch::NoGradGuard noGrad;
    CHECK_FALSE(torch::allclose(deeper.policy->forward(planes), shallow.policy->forward(planes)));
    warmStart(shallow, deeper);
    CHECK(torch::allclose(deeper.policy->forward(planes), shallow.policy->forward(planes), 1e-5, 1e-5));

    Model fewer = makeModel(tinyShape());
    CHECK_THROWS_AS(warmStart(deeper, fewer), std::invalid_argument);
    NetworkShape residualShape = tinyShape(NetworkKind::Policy, true);
    const Model residual = makeModel(residualShape);
    residualShape.layers = 5;
    Model deeperResidual = makeModel(residualShape);
    CHECK_THROWS_AS(warmStart(residual, deeperResidual), std::invalid_argument);
}

TEST_CASE("a wider network starts out computing what the narrower one did", "[nets]") {
    torch::manual_seed(5);
    const torch::Tensor planes = torch::randint(0, 2, {4, 48, 9, 9}).to(torch::kFloat);
    for (bool residual : {false, true}) {
        Model narrow = makeModel(tinyShape(NetworkKind::Policy, residual));
        NetworkShape wideShape = tinyShape(NetworkKind::Policy, residual);
        wideShape.filters = 13;  // not a multiple, so filters get different numbers of copies
        if (!residual) wideShape.layers = 5;  // widened and deepened at once
        Model wide = makeModel(wideShape);
        torch::NoGradGuard noGrad;
        warmStart(narrow, wide);
        const torch::Tensor expected = narrow.policy->forward(planes);
        const torch::Tensor got = wide.policy->forward(planes);
        // Only the noise that separates the copies moves the output, and only a little.
        CHECK((got - expected).abs().max().item<float>() < 0.05f * expected.abs().max().item<float>());
        CHECK_FALSE(torch::equal(got, expected));
        const torch::Tensor firstWide = wide.module().named_parameters()["trunk.first.weight"];
        const torch::Tensor firstNarrow = narrow.module().named_parameters()["trunk.first.weight"];
        CHECK(torch::equal(firstWide.narrow(0, 0, 8), firstNarrow));
    }
    Model policy = makeModel(tinyShape());
    NetworkShape wideValue = tinyShape(NetworkKind::Value);
    wideValue.filters = 16;
    Model value = makeModel(wideValue);
    warmStart(policy, value);  // the trunk widened, the extra plane added, the head fresh
    CHECK(value.value->forward(torch::randn({2, 49, 9, 9})).sizes() == torch::IntArrayRef({2}));
}

TEST_CASE("a network for another board size starts from a 19x19 trunk", "[nets]") {
    torch::manual_seed(11);
    NetworkShape big = tinyShape();
    big.boardSize = 19;
    const Model from19 = makeModel(big);
    Model policy9 = makeModel(tinyShape());
    warmStart(from19, policy9);
    // Everything is copied but the per-point bias, which starts afresh at zero.
    auto original = const_cast<Model&>(from19).module().named_parameters();
    int copied = 0;
    for (const auto& p : policy9.module().named_parameters()) {
        if (p.key() == "point_bias") {
            CHECK(p.value().abs().sum().item<float>() == 0.0f);
        } else {
            CHECK(torch::equal(p.value(), original[p.key()]));
            ++copied;
        }
    }
    CHECK(copied >= 6);
    NetworkShape bigValue = tinyShape(NetworkKind::Value);
    bigValue.boardSize = 19;
    Model value19 = makeModel(bigValue);
    Model value9 = makeModel(tinyShape(NetworkKind::Value));
    const torch::Tensor freshHidden = value9.module().named_parameters()["hidden.weight"].clone();
    warmStart(value19, value9);
    auto values = value9.module().named_parameters();
    CHECK(torch::equal(values["extra.weight"], value19.module().named_parameters()["extra.weight"]));
    CHECK(torch::equal(values["hidden.weight"], freshHidden));  // over the points: not copied
}

TEST_CASE("the symmetry-averaged policy is a distribution that turns with the board", "[nets]") {
    torch::manual_seed(7);
    Model model = makeModel(tinyShape());
    model.module().eval();
    torch::NoGradGuard noGrad;
    const NetworkShape& shape = model.metadata.shape;
    const int planes = shape.inputPlanes(), size = shape.boardSize, area = size * size;
    const torch::Tensor position = torch::rand({1, planes, size, size});
    const torch::Tensor averaged = symmetryAveragedLogProbabilities(model.policy, position);
    REQUIRE(averaged.sizes() == torch::IntArrayRef({1, area + 1}));
    CHECK(averaged.exp().sum().item<double>() == Approx(1.0).epsilon(1e-5));
    // Unlike one view, the mean over all views cannot tell a position from its mirror image:
    // asking about a turned board gives the same answers, turned.
    const torch::Tensor single = torch::log_softmax(model.policy->forward(position), 1);
    for (Symmetry s : kAllSymmetries) {
        const std::vector<float> plain(position.data_ptr<float>(), position.data_ptr<float>() + planes * area);
        const std::vector<float> turnedPlanes = transformPlanes(s, plain, planes, size);
        const torch::Tensor turned =
            torch::from_blob(const_cast<float*>(turnedPlanes.data()), {1, planes, size, size}).clone();
        const torch::Tensor answer = symmetryAveragedLogProbabilities(model.policy, turned);
        const std::vector<float> expected = transformPolicy(
            s, std::span<const float>(averaged.data_ptr<float>(), static_cast<std::size_t>(area + 1)), size, true);
        for (int i = 0; i <= area; ++i) CHECK(answer[0][i].item<float>() == Approx(expected[i]).margin(1e-5));
        if (s == Symmetry::Identity) continue;
        const torch::Tensor turnedSingle = torch::log_softmax(model.policy->forward(turned), 1);
        double difference = 0;
        for (int i = 0; i < area; ++i)
            difference +=
                std::abs(turnedSingle[0][transformIndex(s, i, size)].item<float>() - single[0][i].item<float>());
        CHECK(difference > 1e-3);  // one view alone is not symmetric, so the test above has teeth
    }
}

TEST_CASE("model files round trip and reject bad files with clear errors", "[nets]") {
    const auto path = scratch("round-trip.model");
    Model model = makeModel(tinyShape());
    model.metadata.training = {{"steps", 7}};
    saveModel(path, model);
    Model loaded = loadModel(path, {NetworkKind::Policy, 9});
    CHECK(loaded.metadata.shape == model.metadata.shape);
    CHECK(loaded.metadata.training["steps"] == 7);
    {
        torch::NoGradGuard noGrad;
        const torch::Tensor x = torch::randn({1, 48, 9, 9});
        CHECK(torch::allclose(model.policy->forward(x), loaded.policy->forward(x)));
    }

    CHECK_THROWS_WITH(loadModel(path, {NetworkKind::Value, std::nullopt}),
                      Catch::Contains("holds a policy network, but a value network is needed"));
    CHECK_THROWS_WITH(loadModel(path, {std::nullopt, 19}), Catch::Contains("is for 9x9 boards, not 19x19"));
    CHECK_THROWS_WITH(loadModel(scratch("missing.model")), Catch::Contains("cannot be read"));

    const std::string bytes = readAll(path);
    const auto damaged = scratch("damaged.model");
    writeAll(damaged, bytes.substr(0, bytes.size() / 2));
    CHECK_THROWS_WITH(loadModel(damaged), Catch::Contains("truncated"));
    std::string flipped = bytes;
    flipped[bytes.size() / 2] ^= 0x5A;
    writeAll(damaged, flipped);
    CHECK_THROWS_WITH(loadModel(damaged), Catch::Contains("corrupted"));
    writeAll(damaged, "not a model at all");
    CHECK_THROWS_WITH(loadModel(damaged), Catch::Contains("not a Tengen model"));
    writeAll(damaged, "");
    CHECK_THROWS_AS(loadModel(damaged), ModelFileError);
}

TEST_CASE("averaging snapshots gives the mean of their weights, from the library and the CLI", "[nets][integration]") {
    torch::manual_seed(5);
    const Model first = makeModel(tinyShape()), second = makeModel(tinyShape());
    const Model mean = averageModels({first, second});
    const auto a = first.policy->named_parameters(), b = second.policy->named_parameters();
    for (const auto& p : mean.policy->named_parameters()) {
        INFO(p.key());
        CHECK(torch::allclose(p.value(), (a[p.key()] + b[p.key()]) / 2, 1e-6, 1e-6));
    }
    CHECK_FALSE(torch::allclose(a["to_points.weight"], mean.policy->named_parameters()["to_points.weight"]));
    CHECK_THROWS_AS(averageModels({}), std::invalid_argument);
    NetworkShape wider = tinyShape();
    wider.filters = 16;
    CHECK_THROWS_WITH(averageModels({first, makeModel(wider)}), Catch::Contains("different shapes"));

    Model saved = first;
    saved.metadata.training = {{"steps", 100}, {"held_out_top1", 0.4}};
    saveModel(scratch("snapshot-100.model"), saved);
    saved = second;
    saved.metadata.training = {{"steps", 200}, {"held_out_top1", 0.5}};
    saveModel(scratch("snapshot-200.model"), saved);
    const auto out = scratch("averaged.model");
    const auto [status, report] = runCommand(std::string(TENGEN_BINARY) + " average-models " +
                                             scratch("snapshot-100.model").string() + " " +
                                             scratch("snapshot-200.model").string() + " --out " + out.string());
    REQUIRE(status == 0);
    const Model loaded = loadModel(out);
    CHECK(loaded.metadata.training["steps"] == 200);
    CHECK_FALSE(loaded.metadata.training.contains("held_out_top1"));
    CHECK(loaded.metadata.training["averaged_from"].size() == 2);
    const auto loadedParameters = loaded.policy->named_parameters();
    for (const auto& p : mean.policy->named_parameters())
        CHECK(torch::allclose(p.value(), loadedParameters[p.key()], 1e-6, 1e-6));
}

TEST_CASE("a supervised run whose loss stops being finite stops before the step, naming its checkpoint",
          "[nets][training][integration]") {
    TrainingOptions options = fixtureTraining("diverging-sl.model", tinyShape());
    options.batchSize = 16;
    options.optimizer.momentum = 0.9;
    options.optimizer.learningRate = 1e12;  // diverges within a few steps
    options.steps = 200;
    options.evalPositions = 0;
    options.checkpointEvery = 1;
    CHECK_THROWS_WITH(trainPolicy(options), Catch::Contains("not finite") &&
                                                Catch::Contains(checkpointPath(options.out).string()));
    // The checkpoint is the last finite step's.
    Model model = makeModel(options.shape);
    torch::serialize::InputArchive archive;
    archive.load_from(checkpointPath(options.out).string());
    torch::serialize::InputArchive weights;
    archive.read("model", weights);
    model.module().load(weights);
    for (const auto& p : model.module().parameters()) CHECK(torch::isfinite(p).all().item<bool>());
}

TEST_CASE("a tiny supervised run on fixture games reduces the loss, resumes, and evaluates", "[nets][training][integration]") {
    // Everything trains; the evaluation below uses the same games.
    TrainingOptions options = fixtureTraining("tiny-sl.model", tinyShape());
    const auto out = options.out;
    options.batchSize = 16;
    options.optimizer.learningRate = 3e-3;
    options.steps = 30;
    options.evalPositions = 0;
    options.checkpointEvery = 10;

    const GameIndex index = indexGames(options.data, options.filter);
    REQUIRE(index.training.size() >= 2);
    Model untrained = makeModel(options.shape);
    const PolicyEvaluation before = evaluatePolicy(untrained, index.training, 200, "cpu");

    options.steps = 15;
    trainPolicy(options);  // stops at step 15 with a checkpoint...
    // A kill in the middle of writing a log row leaves it torn: the resumed run drops it.
    std::ofstream(csvPath(out), std::ios::app) << "1";
    options.steps = 30;
    trainPolicy(options);  // ...and this resumes from it
    Model trained = loadModel(out, {NetworkKind::Policy, 19});
    const PolicyEvaluation after = evaluatePolicy(trained, index.training, 200, "cpu");
    CHECK(trained.metadata.training["steps"] == 30);
    CHECK(trained.metadata.training["positions"] == 30 * 16);
    CHECK(after.loss < before.loss - 0.5);
    CHECK(after.top1 > before.top1);
    CHECK(after.positions == 200);
    // eval-sl reports the same figures from the command line, in either precision.
    for (const char* precision : {"fp32", "bf16"}) {
        const std::string command = std::string(TENGEN_BINARY) + " eval-sl --model " + out.string() + " --data " +
                                    TENGEN_FIXTURES + "/sgf --all-games --with-handicap --positions 200 --threads 1 "
                                    "--precision " + precision + " 2>&1";
        const auto [status, report] = runCommand(command);
        CHECK(status == 0);
        INFO(report);
        CHECK(report.find("positions: 200") != std::string::npos);
        if (std::string(precision) == "fp32") CHECK(report.find(fmt::format("top-1: {:.4f}", after.top1)) != std::string::npos);
    }
    const PolicyEvaluation averaged = evaluatePolicy(trained, index.training, 200, "cpu", true);
    const auto [status, report] =
        runCommand(std::string(TENGEN_BINARY) + " eval-sl --model " + out.string() + " --data " + TENGEN_FIXTURES +
                   "/sgf --all-games --with-handicap --positions 200 --threads 1 --average-symmetries 2>&1");
    CHECK(status == 0);
    INFO(report);
    CHECK(report.find("symmetries: 8, averaged") != std::string::npos);
    CHECK(report.find(fmt::format("loss: {:.4f}", averaged.loss)) != std::string::npos);
    CHECK(averaged.loss != Approx(after.loss));
    // Resuming keeps one log row per evaluation (the final one), and no torn row.
    std::ifstream csv(csvPath(out));
    std::string header, row;
    std::getline(csv, header);
    int rows = 0;
    while (std::getline(csv, row)) ++rows;
    CHECK(rows == 2);
}

TEST_CASE("mixed-precision training (bf16) reduces the loss and records its precision", "[nets][training][integration]") {
    TrainingOptions options = fixtureTraining("tiny-sl-bf16.model", tinyShape());
    options.batchSize = 16;
    options.optimizer.learningRate = 3e-3;
    options.steps = 30;
    options.evalPositions = 0;
    options.precision = "bf16";
    const GameIndex index = indexGames(options.data, options.filter);
    Model untrained = makeModel(options.shape);
    const PolicyEvaluation before = evaluatePolicy(untrained, index.training, 200, "cpu");
    trainPolicy(options);
    Model trained = loadModel(options.out, {NetworkKind::Policy, 19});
    // The weights stay float: only the arithmetic was bfloat16.
    CHECK(trained.module().parameters().front().scalar_type() == torch::kFloat);
    CHECK(trained.metadata.training["precision"] == "bf16");
    CHECK(evaluatePolicy(trained, index.training, 200, "cpu").loss < before.loss - 0.5);

    options.precision = "fp16";
    CHECK_THROWS_WITH(trainPolicy(options), Catch::Contains("precision must be fp32 or bf16"));
}

TEST_CASE("torch threads treat denormal floats as zero", "[nets]") {
    // Denormals cost Intel CPUs microcode assists: a trained network ran 7x slower with them.
    volatile float tiny = 1e-39f;  // below FLT_MIN: a denormal
    std::thread([&] {
        setTorchThreads(1);
        const float product = tiny * 1.0f;
        CHECK(product == 0.0f);
    }).join();
}

TEST_CASE("value data keeps games decided on the board at modern komi", "[nets][training]") {
    GameRecord record;
    for (const char* onBoard : {"B+3.5", "W+0.5", "W+Resign", "B+R", "0", "Jigo"}) {
        record.result = onBoard;
        CHECK(record.decidedOnBoard());
    }
    for (const char* offBoard : {"B+Time", "W+T", "B+Forfeit", "W+F", "B+", "Void", "?", ""}) {
        record.result = offBoard;
        CHECK_FALSE(record.decidedOnBoard());
    }

    // The fixtures: a komi 0.5 game won on time (B+Time) and a komi 0.5 game counted (W+72.50).
    GameFilter filter = valueGameFilter();
    filter.evenGamesOnly = false;
    filter.heldOutEvery = 0;
    const std::string fixtures = std::string(TENGEN_FIXTURES) + "/sgf";
    CHECK(indexGames({fixtures}, filter).training.empty());
    filter.minimumKomi = 0;
    const GameIndex counted = indexGames({fixtures}, filter);
    REQUIRE(counted.training.size() == 1);
    CHECK(counted.training[0].winner == Color::White);
    filter.decidedOnBoardOnly = false;
    const GameIndex anyResult = indexGames({fixtures}, filter);
    CHECK(std::count_if(anyResult.training.begin(), anyResult.training.end(),
                        [](const IndexedGame& g) { return g.winner != Color::Empty; }) == 2);
}

TEST_CASE("a game's opening moves can be left out of its positions", "[nets]") {
    GameFilter filter;
    filter.evenGamesOnly = false;
    filter.heldOutEvery = 0;
    const std::string fixtures = std::string(TENGEN_FIXTURES) + "/sgf";
    filter.skipOpeningMoves = 2;  // the one-move fixtures go
    const GameIndex whole = indexGames({fixtures}, filter);
    REQUIRE(whole.training.size() == 2);
    filter.skipOpeningMoves = 8;
    const GameIndex skipped = indexGames({fixtures}, filter);
    REQUIRE(skipped.training.size() == 2);
    CHECK(skipped.trainingPositions() == whole.trainingPositions() - 2 * 6);
    const std::vector<PositionRef> all = allPositions(skipped.training);
    CHECK(all.size() == skipped.trainingPositions());
    CHECK(std::all_of(all.begin(), all.end(), [](const PositionRef& p) { return p.move >= 8; }));
    CHECK(std::any_of(all.begin(), all.end(), [](const PositionRef& p) { return p.move == 8; }));
    const std::vector<PositionRef> sampled = sampledPositions(skipped.training, 1000, 1);
    CHECK_FALSE(sampled.empty());
    CHECK(std::all_of(sampled.begin(), sampled.end(), [](const PositionRef& p) { return p.move >= 8; }));
    // A game with nothing past its opening gives no positions at all.
    filter.skipOpeningMoves = 100000;
    const GameIndex none = indexGames({fixtures}, filter);
    CHECK(none.training.empty());
    CHECK(none.removedBy.noMoves >= whole.training.size());
    CHECK(none.skippedByFilter == none.removedBy.noMoves);
}

TEST_CASE("the trainers read the games of their network's board size", "[nets]") {
    TrainingOptions options = fixtureTraining("board-size.model", tinyShape());  // 19x19 network
    options.filter.boardSize = 13;  // what the filter says is overruled
    CHECK_FALSE(indexTrainingGames(options).training.empty());
    options.shape.boardSize = 13;   // no fixture game is 13x13
    options.filter.boardSize = 19;
    CHECK_THROWS_WITH(indexTrainingGames(options), Catch::Contains("no training games"));
}

TEST_CASE("the MSE by move number has buckets of about a seventh of the board's points", "[nets]") {
    CHECK(movesPerBucketFor(19) == 50);
    CHECK(movesPerBucketFor(13) == 20);
    CHECK(movesPerBucketFor(9) == 10);
    CHECK(movesPerBucketFor(5) == 10);
}

TEST_CASE("a tiny value network learns game outcomes from sampled positions", "[nets][training][integration]") {
    TrainingOptions options = fixtureTraining("tiny-value.model", tinyShape(NetworkKind::Value));
    const auto out = options.out;
    options.batchSize = 8;
    options.optimizer.learningRate = 1e-3;
    options.steps = 200;
    const GameIndex index = indexGames(options.data, options.filter);
    const std::vector<PositionRef> positions = sampledPositions(index.training, 6, options.seed);
    REQUIRE(positions.size() >= 6);
    // The same positions on every call: the sample depends on the seed only.
    CHECK(sampledPositions(index.training, 6, options.seed).size() == positions.size());

    Model untrained = makeModel(options.shape);
    const ValueEvaluation before = evaluateValue(untrained, index.training, positions, "cpu");
    trainValue(options, indexGames(options.data, options.filter), 6);
    Model trained = loadModel(out, {NetworkKind::Value, 19});
    const ValueEvaluation after = evaluateValue(trained, index.training, positions, "cpu");
    CHECK(after.mse < before.mse);
    CHECK(after.mse < 0.5);
    // It tells positions apart instead of predicting the mean outcome, the baseline it beats.
    double squaredError = 0;  // of the mean outcome for each colour to move
    for (Color colour : {Color::Black, Color::White}) {
        std::vector<PositionRef> theirs;
        for (const PositionRef& p : positions)
            if (index.training[p.game].record.moves[p.move].color == colour) theirs.push_back(p);
        if (theirs.empty()) continue;
        const torch::Tensor outcome =
            makeBatch(index.training, theirs, std::vector<Symmetry>(theirs.size(), Symmetry::Identity),
                      options.shape.features, 19)
                .outcome;
        squaredError += (outcome - outcome.mean()).pow(2).sum().item<double>();
    }
    CHECK(after.baselineMse == Approx(squaredError / positions.size()));
    CHECK(after.mse < after.baselineMse - 0.3);
    CHECK(after.predictionStdDev > 0.3);
    CHECK(before.predictionStdDev < after.predictionStdDev);
    // The MSE by move number, in buckets of 50 moves on 19x19: every position in one of them.
    CHECK(after.movesPerBucket == 50);
    std::size_t bucketed = 0;
    for (const ValueEvaluation::Stage& stage : after.byMoveNumber) bucketed += stage.positions;
    CHECK(bucketed == positions.size());
    // eval-value reports them from the command line.
    const auto [status, report] = runCommand(std::string(TENGEN_BINARY) + " eval-value --model " + out.string() +
                                             " --data " + TENGEN_FIXTURES +
                                             "/sgf --all-games --with-handicap --min-komi 0 --any-result --positions-per-game 6 "
                                             "--threads 1 2>&1");
    CHECK(status == 0);
    INFO(report);
    CHECK(report.find(fmt::format("positions: {}", positions.size())) != std::string::npos);
    CHECK(report.find(fmt::format("baseline mse: {:.4f}", after.baselineMse)) != std::string::npos);
    CHECK(trained.metadata.training["stage"] == "value regression (train-value)");
}
