// The tree search: PUCT and backup arithmetic on hand-built nodes, and searches without
// networks (uniform priors, rollouts only) on small boards.
#include <atomic>
#include <chrono>
#include <cmath>
#include <string_view>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include "mcts/move_choice.h"
#include "mcts/search.h"
#include "mcts/search_tree.h"
#include "nets/batched_evaluator.h"
#include "nets/model_file.h"
#include "nets/rollout/policy.h"
#include "tests/board_text.h"

// LibTorch brings glog's CHECK, which aborts; the tests want Catch's.
#undef CHECK
#include <catch2/catch.hpp>

using namespace tengen;
using namespace tengen::mcts;
using namespace tengen::nets;
using tengen::test::gameFromDiagram;

namespace {

// Black to play: B2's chain and White's C1-C2 are both in atari; D1 captures and saves.
constexpr const char* kMutualAtari = R"(
    . . . . .
    . . . . .
    O O X . .
    X X O X .
    . X O . .)";

// Black to play: White's only eye space is a straight three, and its middle kills.
constexpr const char* kStraightThree = R"(
    . . . . .
    . . . . .
    X X X X X
    O O O O O
    . . . O O)";

// A policy and a value network with random weights, 4 filters wide.
std::pair<Model, Model> untrainedNetworks(int boardSize, int layers) {
    NetworkShape shape;
    shape.features = FeatureSet::AlphaGoPolicy;
    shape.boardSize = boardSize;
    shape.layers = layers;
    shape.filters = 4;
    Model policy = makeModel(shape);
    shape.kind = NetworkKind::Value;
    shape.features = FeatureSet::AlphaGoValue;
    return {std::move(policy), makeModel(shape)};
}

SearchOptions rolloutOnly(int visits, std::uint64_t seed = 1) {
    SearchOptions options;
    options.visits = visits;
    options.lambda = 1;
    options.seed = seed;
    return options;
}

}  // namespace

TEST_CASE("PUCT adds the prior's exploration bonus to the mean value", "[mcts]") {
    Node parent;
    REQUIRE(parent.tryClaimExpansion());
    const std::vector<ChildPrior> priors{{10, 0.5f}, {11, 0.1f}, {kPass, 0.4f}};
    parent.expand(priors);
    auto children = parent.children();
    REQUIRE(children.size() == 3);
    CHECK(children[1].move() == 11);
    CHECK(children[1].prior() == Approx(0.1f));

    // Child 0: 3 visits worth 0.5 in all; child 1: 1 visit worth -1; child 2 unvisited.
    for (double v : {1.0, -1.0, 0.5}) children[0].backup(v, 0);
    children[1].backup(-1, 0);
    const double sqrtN = std::sqrt(4.0);
    CHECK(puctScore(children[0], 2.0, sqrtN) == Approx(0.5 / 3 + 2.0 * 0.5 * sqrtN / 4));
    CHECK(puctScore(children[1], 2.0, sqrtN) == Approx(-1 + 2.0 * 0.1 * sqrtN / 2));
    CHECK(puctScore(children[2], 2.0, sqrtN) == Approx(0 + 2.0 * 0.4 * sqrtN / 1));
    // With c_puct 2 the scores are 0.67, -0.8 and 1.6: the unvisited child. With a small
    // c_puct the best mean value wins (0.19 against 0.08).
    CHECK(&selectChild(parent, {.cPuct = 2.0, .fpuReduction = {}}) == &children[2]);
    CHECK(&selectChild(parent, {.cPuct = 0.1, .fpuReduction = {}}) == &children[0]);
}

TEST_CASE("first play urgency values unvisited children from the parent", "[mcts]") {
    Node parent;
    REQUIRE(parent.tryClaimExpansion());
    const std::vector<ChildPrior> priors{{10, 0.64f}, {11, 0.36f}};
    parent.expand(priors);
    auto children = parent.children();
    // The parent's mean is -0.5 for the player who moved into it, so +0.5 for the player
    // choosing among its children; child 0 has one visit worth -0.2 to that player, and
    // scores -0.2 + 0.64 / 2 = 0.12.
    for (double v : {-0.5, -0.5}) parent.backup(v, 0);
    children[0].backup(-0.2, 0);
    const double sqrtN = 1;
    // Unset: the unvisited child counts as even, 0 + 0.36.
    CHECK(puctScore(children[1], 1.0, sqrtN) == Approx(0.36));
    CHECK(&selectChild(parent, {.cPuct = 1.0, .fpuReduction = {}}) == &children[1]);
    // Parent's 0.5 less 1.0 * sqrt(0.64) is -0.3, plus 0.36: 0.06, below the visited 0.12.
    CHECK(puctScore(children[1], 1.0, sqrtN, -0.3) == Approx(0.06));
    CHECK(&selectChild(parent, {.cPuct = 1.0, .fpuReduction = 1.0}) == &children[0]);
    // No reduction: the parent's 0.5 + 0.36.
    CHECK(&selectChild(parent, {.cPuct = 1.0, .fpuReduction = 0.0}) == &children[1]);
}

TEST_CASE("score utility breaks a tie in win rate by the margin, measured from the root's", "[mcts]") {
    Node parent;
    REQUIRE(parent.tryClaimExpansion());
    const std::vector<ChildPrior> priors{{10, 0.5f}, {11, 0.5f}};
    parent.expand(priors);
    auto children = parent.children();
    // Both children win every rollout, child 0 by 30 points, child 1 by 10.
    for (int i = 0; i < 2; ++i) {
        children[0].backup(1, 0);
        children[0].addMargin(30);
        children[1].backup(1, 0);
        children[1].addMargin(10);
    }
    const SelectionOptions winRateOnly{.cPuct = 1.0, .fpuReduction = {}};
    SelectionOptions withScore = winRateOnly;
    withScore.scoreUtility = 0.2;
    withScore.scoreScale = 20;
    CHECK(scoreUtility(children[0], winRateOnly, 20) == 0);
    CHECK(scoreUtility(children[0], withScore, 20) == Approx(0.2 * std::tanh(0.5)));
    CHECK(scoreUtility(children[1], withScore, 20) == Approx(0.2 * std::tanh(-0.5)));
    // Equal priors, visits and values: the tie goes to the first child either way, so make
    // the second one look better on win rate by a hair.
    children[1].backup(1, 0);
    children[1].addMargin(10);
    children[0].backup(0.9, 0);
    children[0].addMargin(30);
    CHECK(&selectChild(parent, winRateOnly) == &children[1]);
    CHECK(&selectChild(parent, withScore, 20) == &children[0]);
    // Unvisited children have no margin to weigh.
    Node fresh;
    CHECK(scoreUtility(fresh, withScore, 20) == 0);
}

TEST_CASE("virtual loss counts as lost visits until backup takes it back", "[mcts]") {
    Node node;
    node.backup(1, 0);
    node.backup(0.5, 0);
    CHECK(node.q() == Approx(0.75));

    node.addVirtualLoss(3);
    CHECK(node.virtualLoss() == 3);
    CHECK(node.effectiveVisits() == 5);
    CHECK(node.q() == Approx((1.5 - 3) / 5));

    node.addVirtualLoss(3);  // a second worker on the same path
    node.backup(-0.5, 3);
    CHECK(node.visits() == 3);
    CHECK(node.virtualLoss() == 3);
    CHECK(node.valueSum() == Approx(1.0));
    CHECK(node.q() == Approx((1.0 - 3) / 6));

    node.backup(1, 3);
    CHECK(node.visits() == 4);
    CHECK(node.virtualLoss() == 0);
    CHECK(node.q() == Approx(0.5));
}

TEST_CASE("search without networks finds a capture that wins a race", "[mcts]") {
    const Game game = gameFromDiagram(kMutualAtari, Rules::chinese(), 0.5);
    const SearchResult result = Search(rolloutOnly(3000)).run(game);
    CHECK(game.geometry().vertexName(result.bestMove) == "D1");
    CHECK(result.visits == 3000);
    CHECK(result.moves.front().q > 0.5);
    // The rollouts' mean score: Black, to move, wins most of the 25 points after D1, and
    // would lose the race (and the board) after a move elsewhere that lets White capture.
    REQUIRE(result.moves.front().scoreLead);
    CHECK(*result.moves.front().scoreLead > 5);
    CHECK(*result.moves.front().scoreLead <= 25 - 0.5);
    CHECK(*result.moves.back().scoreLead < *result.moves.front().scoreLead);
}

TEST_CASE("with score utility a search that wins whatever it plays still takes the points", "[mcts]") {
    // The race of the test above, with komi enough for Black to win even after losing it: the
    // win rate no longer tells D1 from the rest, the margin does (about 65 points against 15).
    const Game game = gameFromDiagram(kMutualAtari, Rules::chinese(), -40.5);
    SearchOptions options = rolloutOnly(2000);
    const auto visitsOf = [&](const SearchResult& result, std::string_view move) {
        for (const MoveStatistics& m : result.moves)
            if (game.geometry().vertexName(m.move) == move) return m.visits;
        return 0;
    };
    const int winRateOnly = visitsOf(Search(options).run(game), "D1");
    options.selection.scoreUtility = 0.3;
    const SearchResult result = Search(options).run(game);
    CHECK(game.geometry().vertexName(result.bestMove) == "D1");
    CHECK(result.moves.front().q > 0.9);
    CAPTURE(winRateOnly);
    CHECK(visitsOf(result, "D1") > 2 * winRateOnly);
}

TEST_CASE("search without networks finds the vital point of a straight three", "[mcts]") {
    const Game game = gameFromDiagram(kStraightThree);
    const SearchResult result = Search(rolloutOnly(3000)).run(game);
    CHECK(game.geometry().vertexName(result.bestMove) == "B1");
    CHECK(result.moves.front().q > 0.5);
}

TEST_CASE("search counts White's handicap bonus, as the rules do", "[mcts]") {
    // Black owns columns A-C (15 points), White D-E (10), each with three eyes, so nothing
    // can change: by the board alone Black wins by 4.5 at komi 0.5. But five of Black's
    // stones were handicap stones, and Chinese rules give White a point for each.
    //   . X X O .
    //   X X X O O
    //   . X X O .
    //   X X X O O
    //   . X X O .
    Game game(5, Rules::chinese(), 0.5);
    const auto points = [&](std::initializer_list<const char*> names) {
        std::vector<Point> out;
        for (const char* name : names) out.push_back(test::at(game, name));
        return out;
    };
    REQUIRE(game.placeHandicap(points({"C1", "C2", "C3", "C4", "C5"})));
    REQUIRE(game.setup(points({"A2", "A4", "B1", "B2", "B3", "B4", "B5"}),
                       points({"D1", "D2", "D3", "D4", "D5", "E2", "E4"})));
    REQUIRE(game.toMove() == Color::White);
    CHECK(game.areaKomi() == 5.5);
    const SearchResult result = Search(rolloutOnly(300)).run(game);
    // Without the bonus White would lose every line but those where Black fills its own eyes.
    CHECK(result.moves.front().q > 0.9);
    REQUIRE(result.moves.front().scoreLead);
    CHECK(*result.moves.front().scoreLead > 0);
}

TEST_CASE("one thread with a fixed seed repeats its search exactly", "[mcts]") {
    Game game = gameFromDiagram(kStraightThree);
    const SearchResult first = Search(rolloutOnly(500, 7)).run(game);
    const SearchResult second = Search(rolloutOnly(500, 7)).run(game);
    CHECK(first.bestMove == second.bestMove);
    REQUIRE(first.moves.size() == second.moves.size());
    for (std::size_t i = 0; i < first.moves.size(); ++i) {
        CHECK(first.moves[i].move == second.moves[i].move);
        CHECK(first.moves[i].visits == second.moves[i].visits);
    }
    CHECK(first.nodes == second.nodes);
}

TEST_CASE("parallel workers share one tree and every visit is counted", "[mcts]") {
    Game game(7);
    SearchOptions options = rolloutOnly(2000);
    options.threads = 3;
    options.dirichletEpsilon = 0.25;
    options.dirichletAlpha = 0.3;
    const SearchResult result = Search(options).run(game);
    CHECK(game.isLegal({game.toMove(), result.bestMove}));
    int visits = 0;
    float priors = 0;
    for (const MoveStatistics& m : result.moves) {
        visits += m.visits;
        priors += m.prior;
        CHECK(m.principalVariation.front() == m.move);
    }
    CHECK(visits == 2000);
    CHECK(result.visits == 2000);
    CHECK(priors == Approx(1.0f));
    CHECK(result.nodes > result.moves.size());
}

TEST_CASE("temperature samples among visited moves; resigning needs a threshold", "[mcts]") {
    const Game game = gameFromDiagram(kMutualAtari, Rules::chinese(), 0.5);
    SearchOptions options = rolloutOnly(300);
    options.temperature = 1;
    const SearchResult sampled = Search(options).run(game);
    CHECK(game.isLegal({game.toMove(), sampled.bestMove}));
    CHECK(sampled.bestMove != kPass);

    // With 30 points of komi on 5x5 Black cannot win, and every rollout says so; but no
    // resigning in the opening, the first fifth of the board's points.
    Game hopeless(5, Rules::chinese(), 30.5);
    options = rolloutOnly(300);
    options.resignThreshold = 0.1;
    CHECK(Search(options).run(hopeless).bestMove != kResign);
    for (const char* move : {"A1", "E5", "A5", "E1", "C1", "C5"})
        hopeless.play({hopeless.toMove(), test::at(hopeless, move)});
    CHECK(Search(options).run(hopeless).bestMove == kResign);
    options.resignThreshold = 0;
    CHECK(Search(options).run(hopeless).bestMove != kResign);
}

TEST_CASE("temperature draws afresh in every position, and again alike for the same seed", "[mcts]") {
    // Two moves with equal visits: a draw per position picks each of them somewhere.
    Game game(9);
    std::vector<MoveStatistics> moves(2);
    moves[0].move = test::at(game, "C3");
    moves[1].move = test::at(game, "G7");
    for (MoveStatistics& m : moves) m.visits = 50;
    SearchOptions options;
    options.temperature = 1;
    std::set<Point> chosen;
    for (const char* vertex : {"A9", "B9", "C9", "D9", "E9", "F9", "G9", "H9", "J9", "A8", "B8", "C8"}) {
        Game position = game;
        position.play({Color::Black, test::at(position, vertex)});
        const Point move = chooseMove(moves, position, options);
        CHECK(move == chooseMove(moves, position, options));
        chosen.insert(move);
    }
    CHECK(chosen == std::set<Point>{moves[0].move, moves[1].move});
}

TEST_CASE("a resignation streak counts one player's consecutive searches in one game", "[mcts]") {
    std::vector<Move> moves;
    auto advance = [&](int plies) {
        for (int i = 0; i < plies; ++i)
            moves.push_back({moves.size() % 2 ? Color::White : Color::Black, static_cast<Point>(40 + moves.size())});
        return moves;
    };
    ResignationStreak streak(3);
    CHECK_FALSE(streak.confirm(true, advance(100)));
    CHECK_FALSE(streak.confirm(true, advance(2)));
    CHECK(streak.confirm(true, advance(2)));
    // A search that does not want to resign ends the streak.
    CHECK_FALSE(streak.confirm(false, advance(2)));
    CHECK_FALSE(streak.confirm(true, advance(2)));
    CHECK_FALSE(streak.confirm(true, advance(2)));
    // Not the same player's next search (an undo here): the streak starts again.
    moves.pop_back();
    CHECK_FALSE(streak.confirm(true, moves));
    CHECK_FALSE(streak.confirm(true, advance(2)));
    CHECK(streak.confirm(true, advance(2)));
    // Another game two moves longer is not a continuation.
    std::vector<Move> other = moves;
    other.push_back({Color::White, kPass});
    other.push_back({Color::Black, kPass});
    other.front().point = 7;
    CHECK_FALSE(streak.confirm(true, other));
    CHECK(ResignationStreak(1).confirm(true, moves));
}

TEST_CASE("a rollout policy plays the rollouts and gives the cheap priors", "[mcts][rollout]") {
    const Game game = gameFromDiagram(kMutualAtari, Rules::chinese(), 0.5);
    RolloutPolicy policy;  // all weights zero: every candidate alike
    policy.setBoardSize(19);  // made for 19x19: its local features serve the 5x5 board as well
    policy.refresh();
    const SearchResult result = Search(rolloutOnly(3000), nullptr, &policy).run(game);
    CHECK(game.geometry().vertexName(result.bestMove) == "D1");
    float priors = 0, passPrior = 1;
    for (const MoveStatistics& m : result.moves) {
        priors += m.prior;
        if (m.move == kPass) passPrior = m.prior;
    }
    CHECK(priors == Approx(1.0f));
    // p_pi never passes: the pass keeps only the uniform floor.
    CHECK(passPrior < 0.5f / static_cast<float>(result.moves.size()));
}

TEST_CASE("the subtree of the moves played is kept for the next search", "[mcts]") {
    Game game = gameFromDiagram(kMutualAtari, Rules::chinese(), 0.5);
    Search search(rolloutOnly(1000));
    const SearchResult first = search.run(game);
    CHECK(first.reusedVisits == 0);
    game.play({game.toMove(), first.bestMove});
    const SearchResult second = search.run(game);
    CHECK(second.reusedVisits == first.moves.front().visits);
    CHECK(second.visits == 1000);
    int total = 0;
    for (const MoveStatistics& m : second.moves) total += m.visits;
    // Less the visits the new root had as a leaf, before it had children.
    CHECK(total <= 1000 + second.reusedVisits);
    CHECK(total >= 1000 + second.reusedVisits - 2);

    // A move out of turn, or another game, starts afresh.
    Game outOfTurn = game;
    outOfTurn.play({opponent(game.toMove()), test::at(game, "E5")});
    CHECK(search.run(outOfTurn).reusedVisits == 0);
    CHECK(search.run(Game(5)).reusedVisits == 0);
    search.clear();
    CHECK(search.run(Game(5)).reusedVisits == 0);
}

TEST_CASE("the node cap stops expansion but not the search", "[mcts]") {
    const Game game(5);
    SearchOptions options = rolloutOnly(1000);
    options.maxNodes = 200;
    const SearchResult capped = Search(options).run(game);
    CHECK(capped.visits == 1000);
    // One expansion may start just under the cap: at most 25 points and a pass past it.
    CHECK(capped.nodes <= 200 + 26);
    options.maxNodes = 10'000'000;
    CHECK(Search(options).run(game).nodes > 1000);

    SearchControl full;
    full.stopWhenFull = true;
    options.maxNodes = 200;
    CHECK(Search(options).run(game, full).visits < 1000);
}

TEST_CASE("a decided search stops early with the same move", "[mcts]") {
    const Game game = gameFromDiagram(kMutualAtari, Rules::chinese(), 0.5);
    SearchControl control;
    control.stopWhenDecided = true;
    const SearchResult result = Search(rolloutOnly(20000)).run(game, control);
    CHECK(game.geometry().vertexName(result.bestMove) == "D1");
    CHECK(result.visits < 20000);
    // Stopped only once the runner-up could not catch up with the visits left.
    CHECK(result.moves[0].visits - result.moves[1].visits > 20000 - result.visits - 8);
}

namespace {

// White's C3 is dead inside Black's wall; every point counts for Black once it is off.
Game deadStoneInBlackWall() {
    return gameFromDiagram(R"(
        X X X X X
        X . X . X
        X X O . X
        X . X X X
        X X X X X)", Rules::chinese(), 7.5);
}

}  // namespace

TEST_CASE("passing is safe only when it cannot lose the game", "[mcts]") {
    Game game = deadStoneInBlackWall();
    CHECK(passIsSafe(game, false));
    CHECK_FALSE(passIsSafe(game, true));  // cleanup: capture it first
    game.setToMove(Color::White);
    game.play({Color::White, kPass});
    CHECK(passIsSafe(game, false));  // Black wins the count with C3 removed
    game.setRules(Rules::trompTaylor());
    CHECK_FALSE(passIsSafe(game, false));  // which Tromp-Taylor does not do

    // On an empty board after White's pass, Black's pass would end the game lost on komi.
    Game empty(5, Rules::chinese(), 7.5);
    empty.setToMove(Color::White);
    empty.play({Color::White, kPass});
    CHECK_FALSE(passIsSafe(empty, false));
    SearchOptions options = rolloutOnly(50);
    std::vector<MoveStatistics> passFirst{{kPass, 40, 0.9, 0.5f, {kPass}, {}}, {test::at(empty, "C3"), 10, 0.1, 0.5f, {}, {}}};
    CHECK(empty.geometry().vertexName(chooseMove(passFirst, empty, options)) == "C3");
}

TEST_CASE("after the opponent's pass a pass that wins ends the game", "[mcts]") {
    Game game = deadStoneInBlackWall();  // and White passes
    game.setToMove(Color::White);
    game.play({Color::White, kPass});
    SearchOptions options = rolloutOnly(50);
    const Point capture = test::at(game, "D3");
    const std::vector<MoveStatistics> captureFirst{{capture, 40, 0.9, 0.5f, {capture}, {}}, {kPass, 10, 0.9, 0.5f, {}, {}}};
    CHECK(chooseMove(captureFirst, game, options) == kPass);
    options.cleanup = true;  // the dead stone must be captured first
    CHECK(chooseMove(captureFirst, game, options) == capture);
}

TEST_CASE("before the opponent passes, a neutral point is filled rather than passed", "[mcts]") {
    // C5 and C4 reach both colours: whoever fills them gains a point under area scoring.
    const Game game = gameFromDiagram(R"(
        . X . O .
        X X . O O
        X X X O .
        X . X O O
        X X X O .)", Rules::chinese(), 7.5);
    const SearchOptions options = rolloutOnly(50);
    const Point c4 = test::at(game, "C4"), c5 = test::at(game, "C5");
    std::vector<MoveStatistics> passFirst{{kPass, 40, 0.5, 0.5f, {kPass}, {}}, {c4, 5, 0.5, 0.5f, {}, {}}, {c5, 0, 0, 0.1f, {}, {}}};
    CHECK(chooseMove(passFirst, game, options) == c4);
    passFirst[1].q = -0.5;  // the search saw C4 lose, and never tried C5
    CHECK(chooseMove(passFirst, game, options) == kPass);
    passFirst[2] = {c5, 3, 0.45, 0.1f, {}, {}};
    CHECK(chooseMove(passFirst, game, options) == c5);

    // Nothing to fill where every point counts for Black.
    const Game settled = deadStoneInBlackWall();
    const Point d3 = test::at(settled, "D3");
    const std::vector<MoveStatistics> settledPassFirst{{kPass, 40, 0.9, 0.5f, {kPass}, {}}, {d3, 10, 0.9, 0.5f, {}, {}}};
    CHECK(chooseMove(settledPassFirst, settled, options) == kPass);
}

TEST_CASE("the move chosen never fills the mover's own true eye", "[mcts]") {
    // Black's group has true eyes at A5 and B2; White has just passed and Black is behind on
    // komi (14 points to 10 + 7.5).
    Game game = gameFromDiagram(R"(
        . X . O .
        X X X O O
        X X X O .
        X . X O O
        X X X O .)", Rules::chinese(), 7.5);
    game.setToMove(Color::White);
    game.play({Color::White, kPass});
    REQUIRE_FALSE(passIsSafe(game, false));
    const Point eye = test::at(game, "B2");
    REQUIRE(game.board().isTrueEye(eye, Color::Black));
    const SearchOptions options = rolloutOnly(50);
    std::vector<MoveStatistics> eyeFirst{{eye, 40, 0.1, 0.5f, {eye}, {}}, {kPass, 10, 0.0, 0.5f, {}, {}}};
    CHECK(chooseMove(eyeFirst, game, options) == kPass);  // the loss stays a loss, the group lives
    eyeFirst.push_back({test::at(game, "C5"), 5, 0.0, 0.5f, {}, {}});
    CHECK(game.geometry().vertexName(chooseMove(eyeFirst, game, options)) == "C5");
}

TEST_CASE("priors and leaf values come from the networks through the batched evaluator", "[mcts]") {
    const auto [policy, value] = untrainedNetworks(9, 2);
    EvaluatorOptions evaluatorOptions;
    evaluatorOptions.maxBatch = 2;
    BatchedEvaluator evaluator(policy, value, evaluatorOptions);

    Game game(9);
    game.play({Color::Black, test::at(game, "E5")});
    SearchOptions options;
    options.visits = 40;
    options.threads = 2;
    const SearchResult result = Search(options, &evaluator).run(game);
    CHECK(game.isLegal({game.toMove(), result.bestMove}));
    CHECK(result.visits == 40);
    // The root's priors are the policy network's, over the legal moves and pass, as seen
    // through one of the symmetries.
    REQUIRE(result.moves.size() == game.legalMoves(game.toMove()).size() + 1);
    int matchingSymmetries = 0;
    for (Symmetry symmetry : kAllSymmetries) {
        const Evaluation root = evaluator.evaluate(game, symmetry);
        bool matches = true;
        for (const MoveStatistics& m : result.moves)
            matches &= std::abs(m.prior - root.policy[policyIndex(m.move, game.geometry())]) < 1e-5;
        matchingSymmetries += matches;
    }
    CHECK(matchingSymmetries >= 1);
    // Every leaf asked for the value network; the root once more for its priors.
    CHECK(evaluator.statistics().requests >= 40 + 8);
    CHECK(result.moves.front().scoreLead);  // the rollouts' half of the leaves
    // Value-only leaves play no rollouts, so there is no score to report.
    options.lambda = 0;
    CHECK_FALSE(Search(options, &evaluator).run(game).moves.front().scoreLead);

    Game wrongSize(7);
    CHECK_THROWS_AS(Search(options, &evaluator).run(wrongSize), std::invalid_argument);
}

// The race test: run it under the thread sanitizer (scripts/run-tsan.sh) after touching the
// search's concurrency. Workers, the evaluator's inference thread, tree reuse and a stop
// from another thread all meet here.
TEST_CASE("workers, the evaluator and a stopping thread share the tree without races", "[mcts][threads]") {
    const auto [policy, value] = untrainedNetworks(7, 1);
    EvaluatorOptions evaluatorOptions;
    evaluatorOptions.maxBatch = 8;
    evaluatorOptions.cacheEntries = 64;  // small, so that entries are evicted while workers read
    BatchedEvaluator evaluator(policy, value, evaluatorOptions);

    SearchOptions options;
    options.visits = 300;
    options.threads = 3;
    options.simulationsInFlight = 3;
    Search search(options, &evaluator);
    Game game(7);
    for (int move = 0; move < 3; ++move) {
        const SearchResult result = search.run(game);
        CHECK(result.visits == 300);
        game.play({game.toMove(), result.bestMove});
    }
    std::atomic<bool> stop{false};
    options.visits = 1'000'000;
    search.setOptions(options);
    SearchControl control;
    control.stop = &stop;
    int reports = 0;
    control.reportEvery = std::chrono::milliseconds(1);
    control.report = [&](const SearchResult&) { ++reports; };
    std::thread stopper([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        stop = true;
    });
    const SearchResult stopped = search.run(game, control);
    stopper.join();
    CHECK(stopped.visits < 1'000'000);
    CHECK(reports > 0);
}
