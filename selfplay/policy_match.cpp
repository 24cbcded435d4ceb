#include "selfplay/policy_match.h"

#include <stdexcept>

#include "play/opening.h"
#include "selfplay/networks.h"

namespace tengen::selfplay {

PolicyMatchResult playPolicyMatch(const std::filesystem::path& first, const std::filesystem::path& second,
                                  const PolicyMatchOptions& o) {
    if (o.games < 2 || o.games % 2 != 0) throw std::invalid_argument("the games must be even and at least 2");
    nets::EvaluatorOptions evaluator;
    evaluator.maxBatch = 32;
    evaluator.threads = o.inferenceThreads;
    NetworkSet networks(evaluator);
    const PolicySampling sampling{o.greedy ? 0.0 : o.temperature, 0};
    const SidePlayer firstPlayer = networks.player(first, sampling), secondPlayer = networks.player(second, sampling);
    PolicyMatchResult result;
    result.boardSize = firstPlayer.pool.front().evaluator->boardSize();
    if (secondPlayer.pool.front().evaluator->boardSize() != result.boardSize)
        throw std::invalid_argument(first.string() + " and " + second.string() + " are networks of different board sizes");
    RunnerOptions runner;
    runner.game.boardSize = result.boardSize;
    runner.game.komi = o.komi;
    runner.game.rules = o.rules;
    runner.parallelGames = o.parallelGames;
    if (o.randomOpening > 0) {
        play::OpeningOptions openings;
        openings.randomMoves = o.randomOpening;
        openings.perGame = true;
        openings.seed = o.seed;
        runner.openings = std::make_shared<play::OpeningBook>(openings, result.boardSize, o.komi);
    }
    std::vector<std::uint64_t> seeds;
    for (int n = 0; n < o.games / 2; ++n) seeds.push_back(gameSeed(o.seed, static_cast<std::uint64_t>(n)));
    for (const Color firstColor : {Color::Black, Color::White}) {
        runner.black = firstColor == Color::Black ? firstPlayer : secondPlayer;
        runner.white = firstColor == Color::Black ? secondPlayer : firstPlayer;
        for (const GameRecord& game : playGames(runner, seeds)) {
            if (!game.winner) ++result.draws;
            else if (*game.winner == firstColor) ++result.wins;
            else ++result.losses;
            if (firstColor == Color::Black && game.winner == Color::Black) ++result.firstWinsAsBlack;
        }
    }
    return result;
}

}  // namespace tengen::selfplay
