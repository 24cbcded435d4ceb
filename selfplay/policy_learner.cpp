#include "selfplay/policy_learner.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include <fmt/format.h>

#include "go/random.h"
#include "nets/train/position_batch.h"
#include "nets/train/sl_training.h"
#include "nets/train/warm_start.h"
#include "selfplay/game_runner.h"

namespace tengen::selfplay {

namespace {

// z for a colour from one game's record.
float rewardOf(const GameRecord& game, bool black) {
    if (!game.winner) return 0;
    return (*game.winner == Color::Black) == black ? 1.0f : -1.0f;
}

// The positions [begin, end) of `moves`, with the given features.
nets::PositionBatch batchOf(const LearnerMoves& moves, std::size_t begin, std::size_t end, nets::FeatureSet features,
                            int boardSize) {
    std::vector<nets::PositionRef> refs;
    for (std::size_t i = begin; i < end; ++i)
        refs.push_back({static_cast<std::uint32_t>(moves.gameOf[i]), moves.moveOf[i]});
    // Each move through the view it was drawn through: its gradient is then of the very
    // probability it was drawn with, which on-policy REINFORCE needs.
    const std::vector<nets::Symmetry> views(moves.views.begin() + static_cast<long>(begin),
                                            moves.views.begin() + static_cast<long>(end));
    return nets::makeBatch(moves.games, refs, views, features, boardSize);
}

std::vector<torch::Tensor> gradientsOf(nets::Model& model) {
    std::vector<torch::Tensor> grads;
    for (const torch::Tensor& p : model.module().parameters())
        grads.push_back(p.grad().defined() ? p.grad().detach().reshape({-1}).clone() : torch::zeros({p.numel()}));
    return grads;
}

nets::NetworkShape criticShape(nets::NetworkShape shape) {
    shape.kind = nets::NetworkKind::Value;
    shape.features = nets::FeatureSet::AlphaGoValue;
    return shape;
}

}  // namespace

void checkLearnerSettings(const LearnerSettings& s) {
    for (const nets::OptimizerSettings* o : {&s.optimizer, &s.criticOptimizer}) {
        if (!(o->learningRate > 0 && o->learningRate <= 1))
            throw std::invalid_argument(fmt::format("the learning rate {} is out of range (0, 1]", o->learningRate));
        if (o->kind != "sgd" && o->kind != "adam")
            throw std::invalid_argument(fmt::format("the optimizer must be sgd or adam, not '{}'", o->kind));
    }
    if (!(s.entropyWeight >= 0 && s.entropyWeight <= 1))
        throw std::invalid_argument(fmt::format("the entropy weight {} is out of range [0, 1]", s.entropyWeight));
    if (s.movesPerGame < 0 || s.trainBatch < 1 || s.varianceGames < 2 || s.slBatch < 1)
        throw std::invalid_argument("moves per game, batch sizes and variance games must be positive");
    if (!(s.clipNorm >= 0)) throw std::invalid_argument("the gradient clip must not be negative");
    if (!(s.importanceClip >= 0)) throw std::invalid_argument("the importance-weight clip must not be negative");
    if (!(s.meanBaselineDecay >= 0 && s.meanBaselineDecay < 1))
        throw std::invalid_argument("the mean baseline's decay must be in [0, 1)");
}

LearnerMoves learnerMoves(const std::vector<GameRecord>& games, const std::vector<LearnerSides>& sides,
                          bool teacherForced, int movesPerGame, std::uint64_t seed, int untaughtMoves) {
    if (sides.size() != games.size()) throw std::invalid_argument("one learner side per game is needed");
    LearnerMoves out;
    for (std::size_t g = 0; g < games.size(); ++g) {
        const GameRecord& game = games[g];
        IndexedGame indexed;
        indexed.name = fmt::format("game {}", g);
        indexed.record = game.asSgfRecord();
        indexed.winner = game.winner.value_or(Color::Empty);
        out.games.push_back(std::move(indexed));
        struct Candidate {
            std::uint32_t move;
            bool forced;
        };
        std::vector<Candidate> candidates;
        for (std::uint32_t m = 0; m < game.moves.size(); ++m) {
            if (static_cast<int>(m) < game.openingMoves) {
                if (teacherForced && static_cast<int>(m) >= untaughtMoves) candidates.push_back({m, true});
                continue;
            }
            // From the empty board Black moves first and the colours alternate; a move of
            // probability 1 was not chosen (a pass with nothing else left).
            const bool learnerMoved = m % 2 == 0 ? sides[g].black : sides[g].white;
            if (learnerMoved && game.moveProbabilities[m] < 1) candidates.push_back({m, false});
        }
        float weight = 1;
        if (movesPerGame > 0 && candidates.size() > static_cast<std::size_t>(movesPerGame)) {
            Random rng(gameSeed(seed ^ 0x5A3B1E, g));
            for (std::size_t i = 0; i < static_cast<std::size_t>(movesPerGame); ++i)
                std::swap(candidates[i], candidates[i + rng.below(static_cast<std::uint32_t>(candidates.size() - i))]);
            weight = static_cast<float>(candidates.size()) / static_cast<float>(movesPerGame);
            candidates.resize(static_cast<std::size_t>(movesPerGame));
            std::sort(candidates.begin(), candidates.end(),
                      [](const Candidate& a, const Candidate& b) { return a.move < b.move; });
        }
        for (const Candidate& c : candidates) {
            out.gameOf.push_back(static_cast<int>(g));
            out.moveOf.push_back(c.move);
            out.weights.push_back(weight);
            out.teacherForced.push_back(c.forced);
            out.rewards.push_back(rewardOf(game, c.move % 2 == 0));
            out.behaviour.push_back(game.moveProbabilities[c.move]);
            out.views.push_back(c.move < game.symmetries.size() ? static_cast<nets::Symmetry>(game.symmetries[c.move])
                                                                : nets::Symmetry::Identity);
        }
    }
    return out;
}

torch::Tensor learnerLoss(nets::Model& policy, const LearnerMoves& moves, std::size_t begin, std::size_t end,
                          const std::vector<float>& advantages, double entropyWeight, double importanceClip,
                          double totalWeight, LossTotals& totals) {
    const nets::PositionBatch batch =
        batchOf(moves, begin, end, policy.metadata.shape.features, policy.metadata.shape.boardSize);
    const long n = static_cast<long>(end - begin);
    torch::Tensor weight = torch::empty({n}), advantage = torch::empty({n}), reinforce = torch::empty({n});
    for (long i = 0; i < n; ++i) {
        const std::size_t at = begin + static_cast<std::size_t>(i);
        weight[i] = moves.weights[at];
        advantage[i] = advantages[at];
        reinforce[i] = moves.teacherForced[at] ? 0.0f : 1.0f;
    }
    const torch::Tensor logits = policy.policy->forward(batch.features).to(torch::kFloat);
    // The learner's own moves were drawn from its policy over the legal moves less its own
    // true eyes (selfplay/policy_choice.h); the gradient must be of that distribution's log.
    // Expert moves are scored over every legal move, as supervised training does.
    const torch::Tensor legal = batch.legal & ~(batch.ownTrueEyes & reinforce.to(torch::kBool).unsqueeze(1));
    const nets::MoveTerms terms = nets::policyMoveTerms(logits, legal, batch.target);
    // REINFORCE moves: -rho (z - b) log pi - beta H, rho the truncated importance weight (1
    // on-policy); teacher-forced moves: -log pi (cross-entropy).
    torch::Tensor rho = torch::ones({n});
    if (importanceClip > 0) {
        torch::Tensor behaviour = torch::empty({n});
        for (long i = 0; i < n; ++i) behaviour[i] = std::max(1e-6f, moves.behaviour[begin + static_cast<std::size_t>(i)]);
        rho = (terms.logProbability.detach() - behaviour.log()).exp().clamp_max(importanceClip);
        totals.importance += (rho * reinforce).sum().item<double>();
    }
    const torch::Tensor perMove =
        reinforce * (-rho * advantage * terms.logProbability - entropyWeight * terms.entropy) +
        (1 - reinforce) * -terms.logProbability;
    totals.entropy += (weight * reinforce * terms.entropy.detach()).sum().item<double>();
    totals.moves += reinforce.sum().item<long>();
    return (weight * perMove).sum() / totalWeight;
}

PolicyLearner::PolicyLearner(const LearnerSettings& settings, const nets::Model& start, const GameIndex* expert)
    : settings_(settings), precision_(nets::requirePrecision(settings.precision)), policy_(nets::copyModel(start)),
      meanBaseline_(settings.meanBaselineDecay), expert_(expert) {
    checkLearnerSettings(settings_);
    policy_.module().train();
    optimizer_ = nets::makeOptimizer(settings_.optimizer, policy_.module().parameters());
    if (settings_.baseline != nets::Baseline::Value) return;
    if (!settings_.criticModel.empty()) {
        critic_ = nets::loadModel(settings_.criticModel, {nets::NetworkKind::Value, start.metadata.shape.boardSize});
    } else {
        critic_ = nets::makeModel(criticShape(start.metadata.shape));
        nets::warmStart(start, *critic_);
    }
    critic_->module().train();
    criticOptimizer_ = nets::makeOptimizer(settings_.criticOptimizer, critic_->module().parameters());
}

void PolicyLearner::save(torch::serialize::OutputArchive& archive) {
    torch::serialize::OutputArchive policy, optimizer;
    policy_.module().save(policy);
    optimizer_->save(optimizer);
    archive.write("policy", policy);
    archive.write("optimizer", optimizer);
    archive.write("mean_baseline", torch::tensor({meanBaseline_.value(), meanBaseline_.started() ? 1.0 : 0.0},
                                                 torch::kDouble));
    if (critic_) {
        torch::serialize::OutputArchive critic, criticOptimizer;
        critic_->module().save(critic);
        criticOptimizer_->save(criticOptimizer);
        archive.write("critic", critic);
        archive.write("critic_optimizer", criticOptimizer);
    }
}

void PolicyLearner::load(torch::serialize::InputArchive& archive) {
    torch::serialize::InputArchive policy, optimizer;
    archive.read("policy", policy);
    archive.read("optimizer", optimizer);
    policy_.module().load(policy);
    optimizer_->load(optimizer);
    torch::Tensor mean;
    archive.read("mean_baseline", mean);
    meanBaseline_.restore(mean[0].item<double>(), mean[1].item<double>() != 0);
    if (critic_) {
        torch::serialize::InputArchive critic, criticOptimizer;
        archive.read("critic", critic);
        archive.read("critic_optimizer", criticOptimizer);
        critic_->module().load(critic);
        criticOptimizer_->load(criticOptimizer);
    }
}

std::vector<float> PolicyLearner::advantages(const StepGames& games, const LearnerMoves& moves, StepRecord& record) {
    std::vector<float> baseline(moves.rewards.size(), 0.0f);
    switch (settings_.baseline) {
        case nets::Baseline::None: break;
        case nets::Baseline::Mean:
            std::fill(baseline.begin(), baseline.end(), static_cast<float>(meanBaseline_.value()));
            break;
        case nets::Baseline::Greedy:
            if (!games.greedy) throw std::invalid_argument("the greedy baseline needs the learner's greedy games");
            for (std::size_t i = 0; i < baseline.size(); ++i) {
                const auto g = static_cast<std::size_t>(moves.gameOf[i]);
                baseline[i] = rewardOf((*games.greedy)[g], moves.moveOf[i] % 2 == 0);
            }
            break;
        case nets::Baseline::Value: {
            torch::NoGradGuard noGrad;
            double squared = 0;
            long scored = 0;
            for (std::size_t b = 0; b < baseline.size(); b += static_cast<std::size_t>(settings_.trainBatch)) {
                const std::size_t e = std::min(baseline.size(), b + static_cast<std::size_t>(settings_.trainBatch));
                const nets::PositionBatch batch =
                    batchOf(moves, b, e, critic_->metadata.shape.features, shape().boardSize);
                const torch::Tensor v = critic_->value->forward(batch.features).to(torch::kFloat).contiguous();
                const float* values = v.data_ptr<float>();
                for (std::size_t i = b; i < e; ++i) {
                    baseline[i] = values[i - b];
                    if (moves.teacherForced[i]) continue;  // the critic learns only the learner's positions
                    squared += std::pow(moves.rewards[i] - values[i - b], 2);
                    ++scored;
                }
            }
            if (scored > 0) record.criticMse = squared / static_cast<double>(scored);
            break;
        }
    }
    std::vector<float> result(baseline.size(), 0.0f);
    double sum = 0, sumSquares = 0;
    long n = 0;
    for (std::size_t i = 0; i < result.size(); ++i) {
        if (moves.teacherForced[i]) continue;
        result[i] = moves.rewards[i] - baseline[i];
        sum += result[i];
        sumSquares += static_cast<double>(result[i]) * result[i];
        ++n;
    }
    if (n > 0) {
        record.meanAdvantage = sum / static_cast<double>(n);
        record.advantageVariance = sumSquares / static_cast<double>(n) - record.meanAdvantage * record.meanAdvantage;
    }
    return result;
}

StepRecord PolicyLearner::step(const StepGames& games, double slWeight, std::uint64_t seed, long stepNumber,
                               bool measureVariance) {
    if (slWeight > 0 && (!expert_ || expert_->training.empty()))
        throw std::invalid_argument("the SL term needs expert games");
    const LearnerMoves moves =
        learnerMoves(*games.games, games.sides, games.teacherForced, settings_.movesPerGame, seed, games.untaughtMoves);
    StepRecord record;
    std::vector<double> rewards;  // per learner side of each game, for the mean baseline
    for (std::size_t g = 0; g < games.games->size(); ++g) {
        if (games.sides[g].black) rewards.push_back(rewardOf((*games.games)[g], true));
        if (games.sides[g].white) rewards.push_back(rewardOf((*games.games)[g], false));
    }
    if (!rewards.empty())
        record.meanReward = std::accumulate(rewards.begin(), rewards.end(), 0.0) / static_cast<double>(rewards.size());
    record.positions = static_cast<long>(moves.weights.size());
    // Nothing to learn from: no step (momentum and Adam would still move the weights).
    if (record.positions == 0 && slWeight <= 0) {
        meanBaseline_.update(rewards);
        return record;
    }
    const std::vector<float> advantage = advantages(games, moves, record);
    const double totalWeight = std::accumulate(moves.weights.begin(), moves.weights.end(), 0.0);
    const nets::MixedPrecisionScope mixed(precision_);

    if (measureVariance) record.gradientVariance = measureGradientVariance(moves, advantage, totalWeight);

    optimizer_->zero_grad();
    double loss = 0;
    LossTotals totals;
    const auto chunk = static_cast<std::size_t>(settings_.trainBatch);
    for (std::size_t b = 0; b < moves.weights.size(); b += chunk) {
        const std::size_t e = std::min(moves.weights.size(), b + chunk);
        const torch::Tensor part =
            learnerLoss(policy_, moves, b, e, advantage, settings_.entropyWeight, settings_.importanceClip, totalWeight,
                        totals);
        part.backward();
        loss += part.item<double>();
    }
    if (slWeight > 0) {
        const torch::Tensor expert = slWeight * expertLoss(seed);
        expert.backward();
        loss += expert.item<double>();
    }
    double reinforceWeight = 0;
    for (std::size_t i = 0; i < moves.weights.size(); ++i)
        if (!moves.teacherForced[i]) reinforceWeight += moves.weights[i];
    record.entropy = reinforceWeight > 0 ? totals.entropy / reinforceWeight : 0;
    if (settings_.importanceClip > 0 && totals.moves > 0)
        record.meanImportanceWeight = totals.importance / static_cast<double>(totals.moves);
    record.loss = loss;
    if (!std::isfinite(loss)) {
        optimizer_->zero_grad();
        throw std::runtime_error("the loss is not finite");
    }
    nets::setLearningRate(*optimizer_, nets::learningRateAt(settings_.optimizer, stepNumber));
    if (settings_.clipNorm > 0) torch::nn::utils::clip_grad_norm_(policy_.module().parameters(), settings_.clipNorm);
    optimizer_->step();
    if (critic_) trainCritic(moves);
    meanBaseline_.update(rewards);
    return record;
}

double PolicyLearner::measureGradientVariance(const LearnerMoves& moves, const std::vector<float>& advantage,
                                              double totalWeight) {
    // Each game's gradient scaled to stand for the whole batch: n times its share.
    std::vector<torch::Tensor> perGame;
    const double games = static_cast<double>(moves.games.size());
    LossTotals ignored;
    std::size_t begin = 0;
    while (begin < moves.gameOf.size() && static_cast<int>(perGame.size()) < settings_.varianceGames) {
        std::size_t end = begin;
        while (end < moves.gameOf.size() && moves.gameOf[end] == moves.gameOf[begin]) ++end;
        optimizer_->zero_grad();
        learnerLoss(policy_, moves, begin, end, advantage, settings_.entropyWeight, settings_.importanceClip,
                    totalWeight / games, ignored)
            .backward();
        perGame.push_back(torch::cat(gradientsOf(policy_)));
        begin = end;
    }
    optimizer_->zero_grad();
    return nets::gradientVariance(perGame);
}

torch::Tensor PolicyLearner::expertLoss(std::uint64_t seed) {
    Random rng(gameSeed(seed, 0xE4BE27));
    std::vector<nets::PositionRef> refs;
    while (static_cast<int>(refs.size()) < settings_.slBatch) {
        const auto g = rng.below(static_cast<std::uint32_t>(expert_->training.size()));
        const IndexedGame& game = expert_->training[g];
        const auto length = static_cast<std::uint32_t>(game.record.moves.size());
        const auto first = static_cast<std::uint32_t>(game.firstPosition);
        if (length > first) refs.push_back({g, first + rng.below(length - first)});
    }
    const nets::PositionBatch batch =
        nets::makeBatch(expert_->training, refs, std::vector<nets::Symmetry>(refs.size(), nets::Symmetry::Identity),
                        shape().features, shape().boardSize);
    return nets::expertMoveLoss(policy_.policy->forward(batch.features).to(torch::kFloat), batch.legal, batch.target);
}

void PolicyLearner::trainCritic(const LearnerMoves& moves) {
    criticOptimizer_->zero_grad();
    long reinforce = 0;
    for (bool forced : moves.teacherForced) reinforce += !forced;
    if (reinforce == 0) return;
    const auto chunk = static_cast<std::size_t>(settings_.trainBatch);
    for (std::size_t b = 0; b < moves.rewards.size(); b += chunk) {
        const std::size_t e = std::min(moves.rewards.size(), b + chunk);
        const nets::PositionBatch batch = batchOf(moves, b, e, critic_->metadata.shape.features, shape().boardSize);
        torch::Tensor mask = torch::ones({static_cast<long>(e - b)});
        for (std::size_t i = b; i < e; ++i)
            if (moves.teacherForced[i]) mask[static_cast<long>(i - b)] = 0;
        const torch::Tensor z =
            torch::from_blob(const_cast<float*>(moves.rewards.data() + b), {static_cast<long>(e - b)}, torch::kFloat)
                .clone();
        const torch::Tensor v = critic_->value->forward(batch.features).to(torch::kFloat);
        ((v - z).pow(2) * mask).sum().div(static_cast<double>(reinforce)).backward();
    }
    criticOptimizer_->step();
}

}  // namespace tengen::selfplay
