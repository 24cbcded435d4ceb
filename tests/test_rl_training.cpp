// The RL trainer on 7x7 with tiny networks: its loss is REINFORCE or cross-entropy exactly as
// MIXER's two ends say, bad starts are refused before any game, the pool grows and draws as
// configured, a resumed run reaches the weights of an uninterrupted one, and a few iterations
// beat the fixed random network they started from.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include "nets/model_file.h"
#include "nets/train/policy_gradient.h"
#include "nets/train/position_batch.h"
#include "nets/train/sl_training.h"
#include "go/training_files.h"
#include "selfplay/networks.h"
#include "selfplay/opponent_pool.h"
#include "selfplay/policy_learner.h"
#include "selfplay/rl_training.h"
#include "tests/scratch_files.h"

// LibTorch brings glog's CHECK, which aborts; the tests want Catch's.
#undef CHECK
#include <catch2/catch.hpp>

using namespace tengen;
namespace fs = std::filesystem;

namespace {

constexpr int kSize = 7;

nets::NetworkShape tinyShape(nets::NetworkKind kind, int boardSize = kSize) {
    nets::NetworkShape shape;
    shape.kind = kind;
    shape.features = kind == nets::NetworkKind::Policy ? nets::FeatureSet::AlphaGoPolicy : nets::FeatureSet::AlphaGoValue;
    shape.boardSize = boardSize;
    shape.layers = 2;
    shape.filters = 8;
    return shape;
}

fs::path tinyModelFile(const std::string& name, std::uint64_t seed, nets::NetworkKind kind = nets::NetworkKind::Policy,
                       int boardSize = kSize) {
    const fs::path path = test::scratch(name);
    torch::manual_seed(seed);
    nets::Model model = nets::makeModel(tinyShape(kind, boardSize));
    nets::saveModel(path, model);
    return path;
}

// Games the tiny network plays against itself, for the loss checks.
std::vector<selfplay::GameRecord> someGames(const fs::path& policy, int count,
                                            nets::Precision precision = nets::Precision::Float32) {
    nets::EvaluatorOptions evaluator;
    evaluator.precision = precision;
    evaluator.maxBatch = 8;
    evaluator.fixedBatchShape = true;
    selfplay::NetworkSet networks(evaluator);
    selfplay::RunnerOptions runner;
    runner.game.boardSize = kSize;
    runner.game.deadStonePlayouts = 20;
    runner.black = networks.player(policy, {});
    runner.white = networks.player(policy, {});
    std::vector<std::uint64_t> seeds;
    for (int i = 0; i < count; ++i) seeds.push_back(selfplay::gameSeed(7, static_cast<std::uint64_t>(i)));
    return selfplay::playGames(runner, seeds);
}

selfplay::RlOptions tinyRun(const fs::path& start, const std::string& name) {
    selfplay::RlOptions o;
    o.initialModel = start;
    o.out = test::scratch(name);
    for (const fs::path& stale : {o.out, checkpointPath(o.out), csvPath(o.out)}) fs::remove(stale);
    fs::remove_all(o.out.string() + ".pool");
    o.komi = 7.5;
    o.gamesPerIteration = 8;
    o.iterations = 4;
    o.evaluatorBatch = 8;
    o.learner.optimizer = {"adam", 3e-3, 0.9, 0, 0};
    o.threads = 1;
    o.varianceEvery = 2;
    o.learner.varianceGames = 4;
    o.pool.addEvery = 2;
    return o;
}

// Every position of `moves`, as the supervised trainer batches them, each through the view of
// the board its move was drawn through.
nets::PositionBatch batchOfAll(const selfplay::LearnerMoves& moves) {
    std::vector<nets::PositionRef> refs;
    for (std::size_t i = 0; i < moves.gameOf.size(); ++i)
        refs.push_back({static_cast<std::uint32_t>(moves.gameOf[i]), moves.moveOf[i]});
    return nets::makeBatch(moves.games, refs, moves.views, nets::FeatureSet::AlphaGoPolicy, kSize);
}

std::vector<torch::Tensor> weightsOf(const fs::path& file) {
    nets::Model model = nets::loadModel(file);
    std::vector<torch::Tensor> weights;
    for (const torch::Tensor& p : model.module().parameters()) weights.push_back(p.detach().clone());
    return weights;
}

}  // namespace

TEST_CASE("with every move teacher-forced the RL loss is the SL loss on those positions", "[rl]") {
    const fs::path policyFile = tinyModelFile("rl-mixer-policy.model", 3);
    std::vector<selfplay::GameRecord> games = someGames(policyFile, 4);
    for (selfplay::GameRecord& g : games) g.openingMoves = static_cast<int>(g.moves.size());  // K = the whole game
    const selfplay::LearnerMoves moves = selfplay::learnerMoves(games, {{true, false}, {false, true}, {true, false}, {false, true}}, true, 0, 1);
    REQUIRE(moves.weights.size() == [&] {
        std::size_t n = 0;
        for (const auto& g : games) n += g.moves.size();
        return n;
    }());

    nets::Model model = nets::loadModel(policyFile);
    selfplay::LossTotals totals;
    const std::vector<float> advantages(moves.weights.size(), 5.0f);  // ignored for teacher-forced moves
    const torch::Tensor rl = selfplay::learnerLoss(model, moves, 0, moves.weights.size(), advantages, 0.3, 0,
                                                   static_cast<double>(moves.weights.size()), totals);
    const nets::PositionBatch batch = batchOfAll(moves);
    const torch::Tensor sl = nets::expertMoveLoss(model.policy->forward(batch.features), batch.legal, batch.target);
    CHECK(rl.item<double>() == Approx(sl.item<double>()).epsilon(1e-5));
    CHECK(totals.entropy == 0);  // no REINFORCE move, so no entropy term

    // A teacher game's random opening moves are played but not learnt.
    const selfplay::LearnerMoves untaught = selfplay::learnerMoves(
        games, {{true, false}, {false, true}, {true, false}, {false, true}}, true, 0, 1, 6);
    CHECK(untaught.weights.size() == moves.weights.size() - 4 * 6);
    CHECK(*std::min_element(untaught.moveOf.begin(), untaught.moveOf.end()) == 6);

    // The gradients agree too: the step is an SL step.
    model.module().zero_grad();
    rl.backward();
    std::vector<torch::Tensor> rlGrad;
    for (auto& p : model.module().parameters()) rlGrad.push_back(p.grad().clone());
    model.module().zero_grad();
    sl.backward();
    std::size_t i = 0;
    for (auto& p : model.module().parameters()) CHECK(torch::allclose(rlGrad[i++], p.grad(), 1e-4, 1e-6));
}

// The learner's moves in `games`, with the probability the fp32 learner gives each now and
// the one it was drawn with.
struct LearnerProbabilities {
    selfplay::LearnerMoves moves;
    torch::Tensor learnt, drawn;
};
LearnerProbabilities learnerProbabilities(const fs::path& policyFile, const std::vector<selfplay::GameRecord>& games) {
    LearnerProbabilities p;
    p.moves = selfplay::learnerMoves(games, std::vector<selfplay::LearnerSides>(games.size(), {true, true}), false, 0, 1);
    nets::Model model = nets::loadModel(policyFile);
    torch::NoGradGuard noGrad;
    const nets::PositionBatch batch = batchOfAll(p.moves);
    p.learnt =
        nets::policyMoveTerms(model.policy->forward(batch.features), batch.legal & ~batch.ownTrueEyes, batch.target)
            .logProbability.exp();
    p.drawn = torch::tensor(p.moves.behaviour);
    return p;
}

TEST_CASE("the learner scores each of its moves with the probability it was drawn with", "[rl]") {
    // Self-play draws each move through a random view of the board; an untrained network's
    // views disagree, so a learner that looked through another view would be off-policy.
    const fs::path policyFile = tinyModelFile("rl-on-policy.model", 5);
    const LearnerProbabilities fp32 = learnerProbabilities(policyFile, someGames(policyFile, 4));
    REQUIRE(fp32.moves.views.size() == fp32.moves.behaviour.size());
    CHECK(std::count(fp32.moves.views.begin(), fp32.moves.views.end(), nets::Symmetry::Identity) <
          static_cast<long>(fp32.moves.views.size()) / 2);
    CHECK((fp32.learnt - fp32.drawn).abs().max().item<float>() < 1e-4f);

    // train-rl --play-precision bf16: the moves are drawn from bf16's probabilities, a little
    // off the learner's, and --importance-clip weighs each move by their ratio.
    const LearnerProbabilities bf16 =
        learnerProbabilities(policyFile, someGames(policyFile, 4, nets::Precision::BFloat16));
    const float drift = (bf16.learnt / bf16.drawn - 1).abs().max().item<float>();
    CHECK(drift > 1e-4f);
    CHECK(drift < 0.05f);
}

TEST_CASE("with no prefix and no SL weight the RL loss is plain REINFORCE on the learner's moves", "[rl]") {
    // Over the moves the learner could draw: the legal ones less its own true eyes.
    const fs::path policyFile = tinyModelFile("rl-plain-policy.model", 4);
    const std::vector<selfplay::GameRecord> games = someGames(policyFile, 4);
    const std::vector<bool> learnerBlack{true, true, false, false};
    std::vector<selfplay::LearnerSides> sides;
    for (bool black : learnerBlack) sides.push_back({black, !black});
    const selfplay::LearnerMoves moves = selfplay::learnerMoves(games, sides, false, 0, 1);
    REQUIRE(!moves.weights.empty());
    for (std::size_t i = 0; i < moves.gameOf.size(); ++i) {
        // Only the learner's own moves, each with the outcome for the learner.
        const bool blackMoved = moves.moveOf[i] % 2 == 0;
        CHECK(blackMoved == learnerBlack[static_cast<std::size_t>(moves.gameOf[i])]);
        CHECK_FALSE(moves.teacherForced[i]);
    }
    std::vector<float> advantages;
    for (float z : moves.rewards) advantages.push_back(z - 0.25f);

    nets::Model model = nets::loadModel(policyFile);
    selfplay::LossTotals totals;
    const torch::Tensor rl = selfplay::learnerLoss(model, moves, 0, moves.weights.size(), advantages, 0.1, 0,
                                                   static_cast<double>(moves.weights.size()), totals);
    const nets::PositionBatch batch = batchOfAll(moves);
    const nets::PolicyGradientTerms plain =
        nets::policyGradientLoss(model.policy->forward(batch.features), batch.legal & ~batch.ownTrueEyes,
                                 batch.target, torch::tensor(advantages), 0.1);
    CHECK(rl.item<double>() == Approx(plain.loss.item<double>()).epsilon(1e-5));
    CHECK(totals.entropy / static_cast<double>(moves.weights.size()) == Approx(plain.meanEntropy).epsilon(1e-5));

    // Importance weights: with mu the network's own probabilities the weights are all 1 and the
    // loss is unchanged; with mu halved they would be 2, and the clip holds them at 1.5.
    selfplay::LearnerMoves own = moves;
    const torch::Tensor logits = model.policy->forward(batch.features).detach();
    const torch::Tensor probabilities =
        nets::policyMoveTerms(logits, batch.legal & ~batch.ownTrueEyes, batch.target).logProbability.exp();
    for (std::size_t i = 0; i < own.behaviour.size(); ++i) own.behaviour[i] = probabilities[static_cast<long>(i)].item<float>();
    selfplay::LossTotals weighted;
    const torch::Tensor same = selfplay::learnerLoss(model, own, 0, own.weights.size(), advantages, 0.1, 10.0,
                                                     static_cast<double>(own.weights.size()), weighted);
    CHECK(same.item<double>() == Approx(rl.item<double>()).epsilon(1e-4));
    CHECK(weighted.importance / static_cast<double>(weighted.moves) == Approx(1).epsilon(1e-4));
    for (float& mu : own.behaviour) mu /= 2;
    selfplay::LossTotals clipped;
    selfplay::learnerLoss(model, own, 0, own.weights.size(), advantages, 0.1, 1.5,
                          static_cast<double>(own.weights.size()), clipped);
    CHECK(clipped.importance / static_cast<double>(clipped.moves) == Approx(1.5).epsilon(1e-4));
}

TEST_CASE("a sample of each game's moves is weighed to keep the sum unbiased", "[rl]") {
    const std::vector<selfplay::GameRecord> games = someGames(tinyModelFile("rl-sample-policy.model", 5), 3);
    const std::vector<selfplay::LearnerSides> sides{{true, false}, {false, true}, {true, true}};
    const selfplay::LearnerMoves all = selfplay::learnerMoves(games, sides, false, 0, 9);
    const selfplay::LearnerMoves some = selfplay::learnerMoves(games, sides, false, 3, 9);
    for (int g = 0; g < 3; ++g) {
        const auto count = [&](const selfplay::LearnerMoves& m) {
            double weight = 0;
            int n = 0;
            for (std::size_t i = 0; i < m.gameOf.size(); ++i)
                if (m.gameOf[i] == g) weight += m.weights[i], ++n;
            return std::pair{n, weight};
        };
        const auto [allMoves, allWeight] = count(all);
        const auto [sampled, sampledWeight] = count(some);
        REQUIRE(allMoves > 3);
        CHECK(sampled == 3);
        CHECK(sampledWeight == Approx(allWeight));  // each sampled move stands for n / K moves
    }
    // The same seed samples the same moves.
    CHECK(selfplay::learnerMoves(games, sides, false, 3, 9).moveOf == some.moveOf);
}

TEST_CASE("train-rl refuses a value network as its start, a pool member that does not fit, and rates out of range",
          "[rl]") {
    const fs::path start = tinyModelFile("rl-refuse-start.model", 6);
    selfplay::RlOptions o = tinyRun(tinyModelFile("rl-refuse-value.model", 6, nets::NetworkKind::Value), "rl-refuse.model");
    REQUIRE_THROWS_WITH(selfplay::trainRl(o), Catch::Contains("rl-refuse-value.model") && Catch::Contains("value"));

    o = tinyRun(start, "rl-refuse.model");
    o.poolSeeds = {tinyModelFile("rl-refuse-9x9.model", 6, nets::NetworkKind::Policy, 9)};
    REQUIRE_THROWS_WITH(selfplay::trainRl(o), Catch::Contains("rl-refuse-9x9.model") && Catch::Contains("9x9"));

    o = tinyRun(start, "rl-refuse.model");
    o.learner.optimizer.learningRate = 5;
    REQUIRE_THROWS_WITH(selfplay::trainRl(o), Catch::Contains("learning rate"));
    o = tinyRun(start, "rl-refuse.model");
    o.learner.entropyWeight = -0.1;
    REQUIRE_THROWS_WITH(selfplay::trainRl(o), Catch::Contains("entropy"));
    o = tinyRun(start, "rl-refuse.model");
    o.curriculum.slWeight = 0.5;  // with no expert games
    REQUIRE_THROWS_WITH(selfplay::trainRl(o), Catch::Contains("expert games"));
    CHECK_FALSE(fs::exists(o.out));
    CHECK_THROWS_WITH(selfplay::OpponentPool({}, {}).check(tinyShape(nets::NetworkKind::Policy)),
                      Catch::Contains("empty"));
}

TEST_CASE("the pool draws uniformly over its members or among the latest k", "[rl]") {
    selfplay::PoolSettings settings;
    settings.latest = 2;
    const selfplay::OpponentPool latest(settings, {"a", "b", "c", "d"});
    settings.latest = 0;
    const selfplay::OpponentPool uniform(settings, {"a", "b", "c", "d"});
    std::map<std::string, int> latestDraws, uniformDraws;
    for (std::uint64_t seed = 0; seed < 4000; ++seed) {
        ++latestDraws[latest.draw(seed).string()];
        ++uniformDraws[uniform.draw(seed).string()];
    }
    CHECK(latestDraws.size() == 2);
    CHECK(latestDraws.count("c") == 1);
    CHECK(latestDraws.count("d") == 1);
    REQUIRE(uniformDraws.size() == 4);
    for (const auto& [member, draws] : uniformDraws) CHECK(std::abs(draws - 1000) < 150);  // 5 sigma
    CHECK(uniform.joinsAfter(500 * 3));
    CHECK_FALSE(uniform.joinsAfter(499));
}

TEST_CASE("a resumed RL run reaches the weights, pool and log of an uninterrupted one, for every baseline",
          "[rl][integration]") {
    const fs::path start = tinyModelFile("rl-resume-start.model", 8);
    for (const nets::Baseline baseline :
         {nets::Baseline::None, nets::Baseline::Mean, nets::Baseline::Value, nets::Baseline::Greedy}) {
        INFO(nets::baselineName(baseline));
        selfplay::RlOptions whole = tinyRun(start, "rl-resume-whole.model");
        whole.learner.baseline = baseline;
        whole.learner.entropyWeight = 0.01;
        selfplay::trainRl(whole);

        selfplay::RlOptions split = tinyRun(start, "rl-resume-split.model");
        split.learner.baseline = baseline;
        split.learner.entropyWeight = 0.01;
        split.iterations = 3;  // stops after a snapshot joined the pool (at 2) and one more iteration
        selfplay::trainRl(split);
        {
            // As an earlier build wrote the log, before its last column was added.
            std::string log = test::readAll(csvPath(split.out));
            log.replace(log.find(",importance_weight\n"), std::string(",importance_weight").size(), "");
            test::writeAll(csvPath(split.out), log);
        }
        split.iterations = 4;
        selfplay::trainRl(split);

        const std::vector<torch::Tensor> a = weightsOf(whole.out), b = weightsOf(split.out);
        REQUIRE(a.size() == b.size());
        for (std::size_t i = 0; i < a.size(); ++i) CHECK(torch::equal(a[i], b[i]));
        // The learner joined the pool after iterations 2 and 4.
        for (const fs::path& pool : {fs::path(whole.out.string() + ".pool"), fs::path(split.out.string() + ".pool")}) {
            CHECK(fs::exists(pool / "000002.model"));
            CHECK(fs::exists(pool / "000004.model"));
        }
        // One CSV row per iteration, the resumed run's rows not repeated.
        std::ifstream csv(csvPath(split.out));
        std::string line;
        std::vector<std::string> firstColumns;
        while (std::getline(csv, line)) firstColumns.push_back(line.substr(0, line.find(',')));
        CHECK(firstColumns == std::vector<std::string>{"iteration", "1", "2", "3", "4"});
        std::ifstream again(csvPath(split.out));
        std::getline(again, line);
        CHECK_THAT(line, Catch::EndsWith(",importance_weight"));  // the old log's header extended
    }
}

TEST_CASE("a few RL iterations on 7x7 beat the fixed random network they started from", "[rl][integration]") {
    const fs::path start = tinyModelFile("rl-learns-start.model", 11);
    selfplay::RlOptions o = tinyRun(start, "rl-learns.model");
    o.gamesPerIteration = 64;
    o.iterations = 30;
    o.pool.addEvery = 1000;  // the pool stays the start: a fixed opponent
    o.learner.baseline = nets::Baseline::Mean;
    o.learner.optimizer = {"adam", 1e-2, 0.9, 0, 0};
    o.varianceEvery = 0;
    o.evaluatorBatch = 32;
    selfplay::trainRl(o);

    // 400 fresh games (other seeds) against the start, colours balanced.
    nets::EvaluatorOptions evaluator;
    evaluator.maxBatch = 32;
    selfplay::NetworkSet networks(evaluator);
    selfplay::RunnerOptions runner;
    runner.game.boardSize = kSize;
    runner.game.deadStonePlayouts = 20;
    int wins = 0;
    for (int learnerWhite = 0; learnerWhite < 2; ++learnerWhite) {
        runner.black = networks.player(learnerWhite ? start : o.out, {});
        runner.white = networks.player(learnerWhite ? o.out : start, {});
        std::vector<std::uint64_t> seeds;
        for (int i = 0; i < 200; ++i) seeds.push_back(selfplay::gameSeed(991, static_cast<std::uint64_t>(i)));
        for (const selfplay::GameRecord& g : selfplay::playGames(runner, seeds))
            wins += g.winner == (learnerWhite ? Color::White : Color::Black);
    }
    // Even play wins 200 +- 10 (one sigma); 260 is six sigma above it.
    CHECK(wins >= 260);
}

TEST_CASE("a network that is not finite is refused in play, and a loss that is not finite takes no step", "[rl]") {
    const fs::path sound = tinyModelFile("rl-nan-sound.model", 12);
    const fs::path broken = test::scratch("rl-nan-start.model");
    {
        nets::Model model = nets::loadModel(sound);
        torch::NoGradGuard noGrad;
        model.module().parameters().front().view({-1})[0] = std::nan("");
        nets::saveModel(broken, model);
    }
    // Playing with it: a clear error, before any checkpoint.
    selfplay::RlOptions o = tinyRun(broken, "rl-nan.model");
    o.iterations = 1;
    CHECK_THROWS_WITH(selfplay::trainRl(o), Catch::Contains("not finite"));
    CHECK_FALSE(fs::exists(checkpointPath(o.out)));

    // Learning with it from sound games: the step refuses, and the weights stay as they were.
    const std::vector<selfplay::GameRecord> games = someGames(sound, 2);
    selfplay::PolicyLearner learner({}, nets::loadModel(broken), nullptr);
    std::vector<torch::Tensor> before;
    for (const torch::Tensor& p : learner.policy().module().parameters()) before.push_back(p.detach().clone());
    const selfplay::StepGames step{&games, {{true, false}, {false, true}}, nullptr, false};
    CHECK_THROWS_WITH(learner.step(step, 0, 1, 0, false), Catch::Contains("not finite"));
    std::size_t i = 0;
    for (const torch::Tensor& p : learner.policy().module().parameters())
        CHECK(torch::allclose(p, before[i++], 0, 0, /*equal_nan=*/true));
}
