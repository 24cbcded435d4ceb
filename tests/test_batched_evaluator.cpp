// The batched evaluator: the same answers as evaluating one position at a time, from many
// threads at once, through symmetries and the cache, in fp32, bf16 or the faster of the two,
// and a clean shutdown.
#include <algorithm>
#include <cmath>
#include <future>
#include <thread>

#include "go/playout.h"
#include "nets/batched_evaluator.h"
#include "nets/network_cost.h"
#include "nets/precision_choice.h"

// LibTorch brings glog, whose CHECK macro replaces Catch's when Catch comes first: checks
// would then abort the run on failure instead of being reported. So torch's headers come
// first and its CHECK goes before Catch defines its own.
#undef CHECK
#include <catch2/catch.hpp>

using namespace tengen;
using namespace tengen::nets;

namespace {

constexpr int kSize = 9;

Model tinyModel(NetworkKind kind, std::uint64_t seed) {
    torch::manual_seed(seed);
    NetworkShape shape;
    shape.kind = kind;
    shape.features = kind == NetworkKind::Policy ? FeatureSet::AlphaGoPolicy : FeatureSet::AlphaGoValue;
    shape.boardSize = kSize;
    shape.layers = 3;
    shape.filters = 8;
    Model model = makeModel(shape);
    // Freshly initialised networks are nearly uniform; larger weights make differences show.
    torch::NoGradGuard noGrad;
    for (auto& p : model.module().parameters()) p.mul_(3);
    return model;
}

// Random games stopped at lengths from 0 to about 60 moves: captures, kos and eyes included.
std::vector<Game> randomPositions(int count, std::uint64_t seed) {
    Random rng(seed);
    std::vector<Game> positions;
    for (int i = 0; i < count; ++i) {
        Game game(kSize);
        playRandomMoves(game, static_cast<int>(rng.below(61)), rng);
        positions.push_back(std::move(game));
    }
    return positions;
}

torch::Tensor featureTensor(const Game& game, FeatureSet set) {
    std::vector<float> features = extractFeatures(game, set);
    return torch::from_blob(features.data(), {1, planeCount(set), kSize, kSize}, torch::kFloat).clone();
}

// One position through the networks on its own, the way the evaluator is meant to agree with.
Evaluation evaluateAlone(Model& policy, Model& value, const Game& game) {
    torch::NoGradGuard noGrad;
    torch::Tensor legal = torch::zeros({1, kSize * kSize + 1}, torch::kBool);
    for (int row = 0; row < kSize; ++row)
        for (int col = 0; col < kSize; ++col)
            legal[0][row * kSize + col] = game.isLegal({game.toMove(), game.geometry().point(col, row)});
    legal[0][kSize * kSize] = true;
    const torch::Tensor logits = policy.policy->forward(featureTensor(game, FeatureSet::AlphaGoPolicy));
    const torch::Tensor probabilities = torch::softmax(maskIllegal(logits, legal), 1).contiguous();
    Evaluation e;
    e.policy.assign(probabilities.data_ptr<float>(), probabilities.data_ptr<float>() + kSize * kSize + 1);
    e.value = value.value->forward(featureTensor(game, FeatureSet::AlphaGoValue)).item<float>();
    return e;
}

float largestDifference(const std::vector<float>& a, const std::vector<float>& b) {
    REQUIRE(a.size() == b.size());
    float largest = 0;
    for (std::size_t i = 0; i < a.size(); ++i) largest = std::max(largest, std::abs(a[i] - b[i]));
    return largest;
}

// The same game seen through a symmetry: every move transformed.
Game transformedGame(const Game& game, Symmetry s) {
    Game transformed(game.size(), game.rules(), game.komi());
    for (const Move& m : game.moves()) REQUIRE(transformed.play(transformMove(s, m, game.geometry())) == Legality::Legal);
    return transformed;
}

EvaluatorOptions uncachedOptions() {
    EvaluatorOptions options;
    options.cacheEntries = 0;
    return options;
}

}  // namespace

TEST_CASE("batched evaluations from several threads equal single evaluations", "[evaluator]") {
    Model policy = tinyModel(NetworkKind::Policy, 1);
    Model value = tinyModel(NetworkKind::Value, 2);
    const std::vector<Game> positions = randomPositions(48, 11);
    std::vector<Evaluation> expected;
    for (const Game& game : positions) expected.push_back(evaluateAlone(policy, value, game));

    EvaluatorOptions options = uncachedOptions();
    options.maxBatch = 8;
    options.maxWait = std::chrono::milliseconds(5);
    BatchedEvaluator evaluator(policy, value, options);
    constexpr int kThreads = 4;
    std::vector<Evaluation> actual(positions.size());
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            // Everything in flight at once, so batches fill from all threads.
            std::vector<std::pair<std::size_t, std::future<Evaluation>>> pending;
            for (std::size_t i = t; i < positions.size(); i += kThreads) pending.emplace_back(i, evaluator.submit(positions[i]));
            for (auto& [i, result] : pending) actual[i] = result.get();
        });
    for (auto& t : threads) t.join();

    for (std::size_t i = 0; i < positions.size(); ++i) {
        INFO("position " << i);
        CHECK(largestDifference(actual[i].policy, expected[i].policy) < 1e-5f);
        REQUIRE(actual[i].value);
        CHECK(std::abs(*actual[i].value - *expected[i].value) < 1e-5f);
    }
    const EvaluatorStatistics stats = evaluator.statistics();
    CHECK(stats.requests == positions.size());
    CHECK(stats.evaluated == positions.size());
    CHECK(stats.cacheHits == 0);
    CHECK(stats.batches < positions.size());  // some positions really shared a batch
    CHECK(stats.meanBatchSize() > 1.0);
    CHECK(stats.meanBatchFill() <= 1.0);
    CHECK(stats.networkSeconds > 0);
}

TEST_CASE("value-only requests skip the policy network, in mixed batches and in the cache", "[evaluator]") {
    Model policy = tinyModel(NetworkKind::Policy, 1);
    Model value = tinyModel(NetworkKind::Value, 2);
    const std::vector<Game> positions = randomPositions(24, 12);
    EvaluatorOptions options;
    options.maxBatch = 8;
    options.maxWait = std::chrono::milliseconds(20);
    BatchedEvaluator evaluator(policy, value, options);
    // Every third request wants the policy, so most batches mix both kinds.
    auto outputsOf = [](std::size_t i) { return i % 3 == 0 ? Outputs::PolicyAndValue : Outputs::ValueOnly; };
    std::vector<std::future<Evaluation>> pending;
    for (std::size_t i = 0; i < positions.size(); ++i)
        pending.push_back(evaluator.submit(positions[i], Symmetry::Identity, outputsOf(i)));
    for (std::size_t i = 0; i < positions.size(); ++i) {
        INFO("position " << i);
        const Evaluation actual = pending[i].get();
        const Evaluation expected = evaluateAlone(policy, value, positions[i]);
        REQUIRE(actual.value);
        CHECK(std::abs(*actual.value - *expected.value) < 1e-5f);
        if (outputsOf(i) == Outputs::ValueOnly) {
            CHECK(actual.policy.empty());
        } else {
            CHECK(largestDifference(actual.policy, expected.policy) < 1e-5f);
        }
    }
    // A cached value-only answer does not stand in for a request that wants the policy.
    const Evaluation full = evaluator.evaluate(positions[1]);
    CHECK(largestDifference(full.policy, evaluateAlone(policy, value, positions[1]).policy) < 1e-5f);
    CHECK(evaluator.statistics().cacheHits == 0);
    CHECK(evaluator.submit(positions[1], Symmetry::Identity, Outputs::ValueOnly).get().policy.empty());
    CHECK(evaluator.statistics().cacheHits == 1);

    // Without a value network the policy is all a request can get.
    BatchedEvaluator policyOnly(policy, std::nullopt, options);
    CHECK_FALSE(policyOnly.submit(positions[0], Symmetry::Identity, Outputs::ValueOnly).get().policy.empty());
}

TEST_CASE("a symmetry's evaluation is the transformed position's, mapped back", "[evaluator]") {
    Model policy = tinyModel(NetworkKind::Policy, 3);
    Model value = tinyModel(NetworkKind::Value, 4);
    BatchedEvaluator evaluator(policy, value, uncachedOptions());
    for (const Game& game : randomPositions(4, 21)) {
        for (Symmetry s : kAllSymmetries) {
            INFO("symmetry " << symmetryName(s) << ", " << game.moves().size() << " moves");
            const Evaluation seenThrough = evaluator.evaluate(game, s);
            const Evaluation transformed = evaluator.evaluate(transformedGame(game, s), Symmetry::Identity);
            // The evaluator's policy is in the original orientation; moved by s it must be the
            // transformed position's policy.
            const std::vector<float> moved = transformPolicy(s, seenThrough.policy, kSize, true);
            CHECK(largestDifference(moved, transformed.policy) < 1e-5f);
            CHECK(std::abs(*seenThrough.value - *transformed.value) < 1e-5f);
        }
    }
    // A random symmetry is one of the eight, drawn from the caller's generator.
    const Game game = randomPositions(1, 5).front();
    Random rng(77), sameRng(77);
    const Evaluation random = evaluator.evaluate(game, rng);
    const Evaluation chosen = evaluator.evaluate(game, randomSymmetry(sameRng));
    CHECK(random.policy == chosen.policy);
}

TEST_CASE("cache hits return identical results and the cache stays bounded", "[evaluator]") {
    Model policy = tinyModel(NetworkKind::Policy, 5);
    Model value = tinyModel(NetworkKind::Value, 6);
    EvaluatorOptions options;
    options.cacheEntries = 16;
    BatchedEvaluator evaluator(policy, value, options);
    const std::vector<Game> positions = randomPositions(40, 31);

    const Evaluation first = evaluator.evaluate(positions[0], Symmetry::Rotate90);
    const Evaluation again = evaluator.evaluate(positions[0], Symmetry::Rotate90);
    CHECK(again.policy == first.policy);
    CHECK(again.value == first.value);
    EvaluatorStatistics stats = evaluator.statistics();
    CHECK(stats.requests == 2);
    CHECK(stats.cacheHits == 1);
    CHECK(stats.evaluated == 1);

    // Another symmetry is another entry; komi is not a network input, so it shares entries.
    evaluator.evaluate(positions[0], Symmetry::Identity);
    Game otherKomi = positions[0];
    otherKomi.setKomi(0.5);
    CHECK(evaluator.evaluate(otherKomi, Symmetry::Identity).policy == evaluator.evaluate(positions[0]).policy);
    stats = evaluator.statistics();
    CHECK(stats.evaluated == 2);
    CHECK(stats.cacheHits == 3);

    for (const Game& game : positions) evaluator.evaluate(game);
    for (const Game& game : positions) evaluator.evaluate(game, Symmetry::FlipUpDown);
    CHECK(evaluator.statistics().cacheSize <= 16);
    // A recent position is still there.
    const std::uint64_t evaluatedBefore = evaluator.statistics().evaluated;
    evaluator.evaluate(positions.back(), Symmetry::FlipUpDown);
    CHECK(evaluator.statistics().evaluated == evaluatedBefore);
}

TEST_CASE("cache keys see recent moves, legal moves and symmetry, but not older history", "[evaluator]") {
    const Geometry g(kSize);
    auto play = [&](const std::vector<const char*>& vertices) {
        Game game(kSize);
        for (const char* v : vertices) REQUIRE(game.play({game.toMove(), *g.parseVertex(v)}) == Legality::Legal);
        return game;
    };
    const std::vector<const char*> tail = {"E5", "E6", "D5", "D6", "C5", "C6", "B5", "B6"};
    std::vector<const char*> one = {"A1", "J9", "A2", "J8"}, other = {"A2", "J8", "A1", "J9"};
    one.insert(one.end(), tail.begin(), tail.end());
    other.insert(other.end(), tail.begin(), tail.end());
    auto key = [](const Game& game, Symmetry s = Symmetry::Identity) { return evaluationKey(game, legalMoveMask(game), s); };
    // The same stones, differing only in moves older than "turns since" can tell apart.
    const Game a = play(one), b = play(other);
    CHECK(key(a) == key(b));
    CHECK_FALSE(key(a) == key(a, Symmetry::Transpose));
    CHECK_FALSE(key(a) == evaluationKey(a, legalMoveMask(a), Symmetry::Identity, false));  // value only
    // The same stones, but some played recently in one game and long ago in the other:
    // different "turns since" planes, so different entries.
    const Game c = play({"A1", "J9", "A2", "J8", "E5", "E6", "D5", "D6", "C5", "C6"});
    const Game d = play({"C5", "C6", "A2", "J8", "E5", "E6", "D5", "D6", "A1", "J9"});
    CHECK(c.board().hash() == d.board().hash());
    CHECK_FALSE(key(c) == key(d));
}

TEST_CASE("illegal moves get no probability, ko included", "[evaluator]") {
    Model policy = tinyModel(NetworkKind::Policy, 7);
    BatchedEvaluator evaluator(policy, std::nullopt, uncachedOptions());
    const Geometry g(kSize);
    Game game(kSize);
    // A ko in the corner: Black takes at C8, and White may not retake at B8 at once.
    REQUIRE(game.setup({g.point(0, 1), g.point(1, 0), g.point(1, 2)}, {g.point(1, 1), g.point(2, 0), g.point(2, 2), g.point(3, 1)}));
    REQUIRE(game.play({Color::Black, g.point(2, 1)}) == Legality::Legal);
    REQUIRE(game.legality({Color::White, g.point(1, 1)}) == Legality::Ko);
    const Evaluation e = evaluator.evaluate(game, Symmetry::Rotate270);
    CHECK_FALSE(e.value);
    REQUIRE(e.policy.size() == kSize * kSize + 1);
    CHECK(e.policy[policyIndex(g.point(1, 1), g)] == 0.0f);  // ko
    CHECK(e.policy[policyIndex(g.point(2, 1), g)] == 0.0f);  // occupied
    CHECK(e.policy[policyIndex(g.point(0, 1), g)] == 0.0f);
    CHECK(e.policy[policyIndex(kPass, g)] > 0.0f);
    double sum = 0;
    for (int i = 0; i < kSize * kSize + 1; ++i) {
        const Point move = policyMove(i, g);
        CHECK(policyIndex(move, g) == i);
        const bool legal = move == kPass || game.isLegal({game.toMove(), move});
        CHECK((e.policy[i] > 0.0f) == legal);
        sum += e.policy[i];
    }
    CHECK(sum == Approx(1.0).epsilon(1e-5));
    // The evaluator reads legality from the features; it must agree with the game's.
    std::vector<Game> positions = randomPositions(30, 71);
    positions.push_back(game);
    for (const Game& position : positions)
        for (FeatureSet set : {FeatureSet::AlphaGoPolicy, FeatureSet::AlphaGoValue})
            CHECK(legalMoveMaskFromFeatures(extractFeatures(position, set), kSize) == legalMoveMask(position));
}

TEST_CASE("a value-only evaluator returns values and no policy", "[evaluator]") {
    Model policy = tinyModel(NetworkKind::Policy, 8);
    Model value = tinyModel(NetworkKind::Value, 9);
    BatchedEvaluator evaluator(std::nullopt, value, uncachedOptions());
    const Game game = randomPositions(1, 41).front();
    const Evaluation e = evaluator.evaluate(game);
    CHECK(e.policy.empty());
    REQUIRE(e.value);
    CHECK(std::abs(*e.value - *evaluateAlone(policy, value, game).value) < 1e-5f);
    CHECK_THROWS_AS(evaluator.evaluate(Game(19)), std::invalid_argument);
    CHECK_THROWS_AS(BatchedEvaluator(value, std::nullopt), std::invalid_argument);
    CHECK_THROWS_AS(BatchedEvaluator(std::nullopt, std::nullopt), std::invalid_argument);
}

TEST_CASE("shutting down with requests in flight answers them all", "[evaluator]") {
    Model policy = tinyModel(NetworkKind::Policy, 10);
    Model value = tinyModel(NetworkKind::Value, 11);
    const std::vector<Game> positions = randomPositions(60, 51);
    std::vector<std::future<Evaluation>> pending;
    std::mutex pendingMutex;
    const auto start = std::chrono::steady_clock::now();
    {
        EvaluatorOptions options = uncachedOptions();
        options.maxBatch = 64;  // never full: only the long wait or the shutdown sends a batch
        options.maxWait = std::chrono::seconds(30);
        BatchedEvaluator evaluator(policy, value, options);
        std::vector<std::thread> threads;
        for (int t = 0; t < 3; ++t)
            threads.emplace_back([&, t] {
                for (std::size_t i = t; i < positions.size(); i += 3) {
                    std::future<Evaluation> f = evaluator.submit(positions[i]);
                    std::lock_guard lock(pendingMutex);
                    pending.push_back(std::move(f));
                }
            });
        for (auto& t : threads) t.join();
    }  // destroyed with every request still queued
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
    REQUIRE(pending.size() == positions.size());
    for (auto& f : pending) {
        REQUIRE(f.wait_for(std::chrono::seconds(0)) == std::future_status::ready);
        const Evaluation e = f.get();
        CHECK(e.policy.size() == kSize * kSize + 1);
        CHECK(e.value);
    }
}

TEST_CASE("bf16 evaluations are close to fp32 and leave the caller's model alone", "[evaluator]") {
    Model policy = tinyModel(NetworkKind::Policy, 12);
    Model value = tinyModel(NetworkKind::Value, 13);
    EvaluatorOptions options = uncachedOptions();
    BatchedEvaluator fp32(policy, value, options);
    options.precision = Precision::BFloat16;
    BatchedEvaluator bf16(policy, value, options);
    CHECK(policy.policy->parameters().front().dtype() == torch::kFloat);
    float policyDifference = 0, valueDifference = 0;
    for (const Game& game : randomPositions(12, 61)) {
        const Evaluation a = fp32.evaluate(game), b = bf16.evaluate(game);
        policyDifference = std::max(policyDifference, largestDifference(a.policy, b.policy));
        valueDifference = std::max(valueDifference, std::abs(*a.value - *b.value));
        double sum = 0;
        for (float p : b.policy) sum += p;
        CHECK(sum == Approx(1.0).epsilon(1e-5));
    }
    CHECK(policyDifference < 0.03f);
    CHECK(valueDifference < 0.05f);
    CHECK(policyDifference + valueDifference > 0.0f);  // it really ran in bf16
    CHECK(parsePrecision("bf16") == Precision::BFloat16);
    CHECK(parsePrecision("fp32") == Precision::Float32);
    CHECK_FALSE(parsePrecision("fp16"));
}

TEST_CASE("precision auto keeps the precision its own timing found faster", "[evaluator]") {
    const Model policy = tinyModel(NetworkKind::Policy, 14);
    const PrecisionTiming timing = timePrecisions(policy, torch::Device(torch::kCPU), 4, 1);
    CHECK(timing.float32Seconds > 0);
    CHECK(timing.bfloat16Seconds > 0);
    CHECK(timing.faster == (timing.bfloat16Seconds < timing.float32Seconds ? Precision::BFloat16 : Precision::Float32));

    EvaluatorOptions options = uncachedOptions();
    options.precision = std::nullopt;
    BatchedEvaluator chosen(policy, std::nullopt, options);
    options.precision = chosen.precision();
    BatchedEvaluator fixed(policy, std::nullopt, options);
    for (const Game& game : randomPositions(4, 62)) CHECK(chosen.evaluate(game).policy == fixed.evaluate(game).policy);

    CHECK(requirePrecisionOrAuto("auto") == std::nullopt);
    CHECK(requirePrecisionOrAuto("bf16") == Precision::BFloat16);
    CHECK_THROWS_WITH(requirePrecisionOrAuto("fp16"), Catch::Contains("fp32, bf16 or auto"));
}

TEST_CASE("forward FLOPs count the convolutions and fully connected layers", "[evaluator]") {
    NetworkShape shape;  // policy, 12x128, 19x19, 48 planes
    const double trunk = 2.0 * 361 * (25 * 48 * 128 + 11 * 9 * 128 * 128);
    CHECK(forwardFlops(shape) == Approx(trunk + 2.0 * 361 * 128 + 2.0 * 128));
    shape.kind = NetworkKind::Value;
    shape.features = FeatureSet::AlphaGoValue;
    const double valueTrunk = 2.0 * 361 * (25 * 49 * 128 + 11 * 9 * 128 * 128);
    CHECK(forwardFlops(shape) ==
          Approx(valueTrunk + 2.0 * 361 * 9 * 128 * 128 + 2.0 * 361 * 128 + 2.0 * 361 * 256 + 2.0 * 256));
}
