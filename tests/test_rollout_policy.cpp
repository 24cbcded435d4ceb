// The fast rollout policy p_pi: its features on hand-made positions, the incremental playout
// weights against a full recomputation, sampling, playouts, model files and training.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "tests/scratch_files.h"
#include "go/playout.h"
#include "go/scoring.h"
#include "go/even_positions.h"
#include "go/framed_file.h"
#include "nets/rollout/outcome.h"
#include "nets/rollout/playout.h"
#include "nets/rollout/training.h"
#include "go/training_files.h"
#include "nets/symmetry.h"
#include "tests/board_text.h"

using namespace tengen;
using namespace tengen::nets;
using tengen::test::at;
using tengen::test::gameFromDiagram;
using Layout = RolloutFeatureLayout;

using tengen::test::readAll;
using tengen::test::scratch;
using tengen::test::writeAll;

namespace {

// A policy whose every weight matters: random in [-2, 2].
RolloutPolicy randomPolicy(std::uint64_t seed) {
    RolloutPolicy policy;
    Random rng(seed);
    for (float& w : policy.mutableWeights()) w = static_cast<float>(rng.uniform() * 4 - 2);
    policy.refresh();
    return policy;
}

// The last-move features of the mover at one point, sorted.
std::vector<std::uint32_t> featuresAt(const Board& board, Color mover, const RolloutContext& context, Point p) {
    LastMoveFeatures features;
    lastMoveFeatures(board, mover, context, features);
    std::vector<std::uint32_t> found;
    for (int i = 0; i < features.count; ++i)
        if (features.items[i].point == p) found.push_back(features.items[i].feature);
    std::sort(found.begin(), found.end());
    return found;
}

bool has(const std::vector<std::uint32_t>& features, std::uint32_t feature) {
    return std::find(features.begin(), features.end(), feature) != features.end();
}

RolloutContext lastMoveAt(Point p) {
    RolloutContext context;
    context.lastMove = p;
    return context;
}

// exp(score) for every candidate, from the reference extraction.
std::map<Point, double> referenceWeights(const RolloutPolicy& policy, const Board& board, Color mover,
                                         const RolloutContext& context) {
    RolloutCandidates set;
    extractRolloutCandidates(board, mover, context, set);
    std::map<Point, double> weights;
    for (const RolloutCandidate& c : set.candidates) {
        double score = 0;
        for (std::uint32_t k = 0; k < c.featureCount; ++k) score += policy.weight(set.features[c.firstFeature + k]);
        weights[c.point] = std::exp(score);
    }
    return weights;
}

// The position with every stone moved by a symmetry (or with colours swapped).
Game transformed(const Board& board, Symmetry s, bool swapColours) {
    const Geometry& g = board.geometry();
    std::vector<Point> black, white;
    for (int row = 0; row < g.size(); ++row)
        for (int col = 0; col < g.size(); ++col) {
            const Point p = g.point(col, row);
            const Color c = board.at(p);
            if (c == Color::Empty) continue;
            const bool toBlack = (c == Color::Black) != swapColours;
            (toBlack ? black : white).push_back(transformPoint(s, p, g));
        }
    Game game(g.size());
    REQUIRE(game.setup(black, white));
    return game;
}

}  // namespace

TEST_CASE("3x3 codes hold colours and liberty counts, from either side", "[rollout]") {
    const Game game = gameFromDiagram(R"(
        . . . . .
        . X O . .
        . . . . .
        . . . . .
        . . . . .)");
    const Board& board = game.board();
    // B3: B4 (Black, 3 liberties) to the north, C4 (White, 3 liberties) to the north-east.
    const std::uint32_t code = neighbourhoodCode(board, at(game, "B3"));
    CHECK(code == (4u | 7u << 15));
    CHECK(swapNeighbourhoodColours(code) == (7u | 4u << 15));
    // The corner sees the edge on the west, south and three diagonals.
    CHECK(neighbourhoodCode(board, at(game, "A1")) == (1u << 3 | 1u << 9 | 1u << 12 | 1u << 18 | 1u << 21));

    const Game atari = gameFromDiagram(R"(
        . X O . .
        X O . . .
        . X . . .
        . . . . .
        . . . . .)");
    // C4's neighbour B4 is a White stone with one liberty (C4 itself): state 5 for Black.
    CHECK((neighbourhoodCode(atari.board(), at(atari, "C4")) >> 3 & 7) == 5);
    // Playing there captures: a candidate for Black; for White it is a legal extension.
    CHECK(isCandidateNeighbourhood(neighbourhoodCode(atari.board(), at(atari, "C4"))));
}

TEST_CASE("patterns of symmetric and colour-swapped positions share features", "[rollout]") {
    Random rng(11);
    for (int size : {7, 19}) {
        Game game(size);
        playRandomMoves(game, size * size / 2, rng);
        const Board& board = game.board();
        const Geometry& g = board.geometry();
        const Game swapped = transformed(board, Symmetry::Identity, true);
        for (Symmetry s : kAllSymmetries) {
            const Game image = transformed(board, s, false);
            for (int row = 0; row < size; ++row)
                for (int col = 0; col < size; ++col) {
                    const Point p = g.point(col, row);
                    const std::uint32_t code = neighbourhoodCode(board, p);
                    CHECK(patternFeature(code) == patternFeature(neighbourhoodCode(image.board(), transformPoint(s, p, g))));
                    CHECK(swapNeighbourhoodColours(code) == neighbourhoodCode(swapped.board(), p));
                }
        }
    }
}

TEST_CASE("the candidate rule read off 3x3 codes is Board::isLightPlayoutMove", "[rollout]") {
    Random rng(5);
    long checked = 0;
    for (int size : {3, 5, 9, 19}) {
        for (int round = 0; round < 6; ++round) {
            Game game(size);
            playRandomMoves(game, static_cast<int>(rng.below(static_cast<std::uint32_t>(2 * size * size))), rng);
            const Board& board = game.board();
            for (int i = 0; i < board.emptyCount(); ++i) {
                const Point p = board.emptyAt(i);
                const std::uint32_t code = neighbourhoodCode(board, p);
                for (Color c : {Color::Black, Color::White}) {
                    if (board.koPoint(c) == p) continue;
                    const std::uint32_t own = c == Color::Black ? code : swapNeighbourhoodColours(code);
                    CHECK(isCandidateNeighbourhood(own) == board.isLightPlayoutMove(p, c));
                    ++checked;
                }
            }
        }
    }
    CHECK(checked > 1000);
}

TEST_CASE("response and neighbour features cover the last move's diamond", "[rollout]") {
    const Game game = gameFromDiagram(R"(
        . . . . . . .
        . . . . . . .
        . . . . . . .
        . . . O . . .
        . . . . . . .
        . . . . . . .
        . . . . . . .)");
    const Board& board = game.board();
    const RolloutContext context = lastMoveAt(at(game, "D4"));
    LastMoveFeatures all;
    lastMoveFeatures(board, Color::Black, context, all);
    // Diamond points: response, neighbour (but two away), precise and colours-only patterns;
    // then 12 points three away and 12 (on this board) four away.
    CHECK(all.count == 4 * 4 + 4 * 4 + 4 * 3 + 12 + 12);
    std::map<std::string, std::uint32_t> diamondPattern;
    const std::map<std::string, std::vector<const char*>> rings = {{"orthogonal", {"D5", "C4", "E4", "D3"}},
                                                                   {"diagonal", {"C5", "E5", "C3", "E3"}},
                                                                   {"two away", {"D6", "B4", "F4", "D2"}}};
    for (const auto& [ring, vertices] : rings)
        for (const char* v : vertices) {
            INFO(v);
            const auto f = featuresAt(board, Color::Black, context, at(game, v));
            CHECK(has(f, Layout::kResponse));
            CHECK(has(f, Layout::kNeighbourOrthogonal) == (ring == "orthogonal"));
            CHECK(has(f, Layout::kNeighbourDiagonal) == (ring == "diagonal"));
            REQUIRE(f.size() >= 3);
            CHECK(f[f.size() - 2] >= Layout::kResponseBase);
            CHECK(f[f.size() - 2] < Layout::kResponseShapeBase);
            CHECK(f.back() >= Layout::kResponseShapeBase);
            // A symmetric position: every point of a ring has the same diamond pattern.
            diamondPattern.emplace(ring, f.back());
            CHECK(diamondPattern[ring] == f.back());
        }
    CHECK(diamondPattern.size() == 3);
    CHECK(featuresAt(board, Color::Black, context, at(game, "D7")) == std::vector{Layout::kLastMoveThreeAway});
    CHECK(featuresAt(board, Color::Black, context, at(game, "B2")) == std::vector{Layout::kLastMoveFourAway});
    CHECK(featuresAt(board, Color::Black, context, at(game, "A1")).empty());

    // The mover's own previous move: how far from it, ring by ring.
    RolloutContext both = context;
    const Game withOwn = gameFromDiagram(R"(
        . . . . . . .
        . . . . . . .
        . . . . . . .
        . . . O . . .
        . . . . . . .
        . . . . . . .
        X . . . . . .)");
    both.ownPreviousMove = at(withOwn, "A1");
    const Board& own = withOwn.board();
    CHECK(has(featuresAt(own, Color::Black, both, at(withOwn, "A2")), Layout::kOwnPreviousOrthogonal));
    CHECK(has(featuresAt(own, Color::Black, both, at(withOwn, "B2")), Layout::kOwnPreviousDiagonal));
    CHECK(has(featuresAt(own, Color::Black, both, at(withOwn, "C1")), Layout::kOwnPreviousTwoAway));
    CHECK(has(featuresAt(own, Color::Black, both, at(withOwn, "B3")), Layout::kOwnPreviousThreeAway));
    CHECK(has(featuresAt(own, Color::Black, both, at(withOwn, "C3")), Layout::kOwnPreviousFourAway));
    CHECK_FALSE(has(featuresAt(own, Color::Black, both, at(withOwn, "C4")), Layout::kOwnPreviousFourAway));
    // No last move, or a pass: nothing to respond to.
    LastMoveFeatures none;
    lastMoveFeatures(board, Color::Black, RolloutContext{}, none);
    CHECK(none.count == 0);
    lastMoveFeatures(board, Color::Black, lastMoveAt(kPass), none);
    CHECK(none.count == 0);
}

TEST_CASE("save-atari features: escaping by extension and by capture", "[rollout]") {
    // White D4 has just put C4 in atari; C3 escapes to three liberties, B3 captures B4.
    const Game game = gameFromDiagram(R"(
        . . . . . . .
        . . . . . . .
        . X O . . . .
        X O X O . . .
        . . . . . . .
        . . . . . . .
        . . . . . . .)");
    const RolloutContext context = lastMoveAt(at(game, "D4"));
    CHECK(has(featuresAt(game.board(), Color::Black, context, at(game, "C3")), Layout::kSaveAtariExtend));
    CHECK(has(featuresAt(game.board(), Color::Black, context, at(game, "B3")), Layout::kSaveAtariCapture));
    CHECK_FALSE(has(featuresAt(game.board(), Color::Black, context, at(game, "B3")), Layout::kSaveAtariExtend));

    // Extending C4 to C3 would leave it one liberty (C2): no escape, no feature.
    const Game trapped = gameFromDiagram(R"(
        . . . . . . .
        . . . . . . .
        . . O . . . .
        . O X O . . .
        . O . O . . .
        . . . . . . .
        . . . . . . .)");
    const RolloutContext last = lastMoveAt(at(trapped, "D4"));
    LastMoveFeatures features;
    lastMoveFeatures(trapped.board(), Color::Black, last, features);
    for (int i = 0; i < features.count; ++i) {
        CHECK(features.items[i].feature != Layout::kSaveAtariExtend);
        CHECK(features.items[i].feature != Layout::kSaveAtariCapture);
    }
}

TEST_CASE("nakade: the vital point of a small eye space the last move closed or emptied", "[rollout]") {
    const Game straightThree = gameFromDiagram(R"(
        . . . . . . .
        . O O O O O .
        . O . . . O .
        . O O O O O .
        . . . . . . .
        . . . . . . .
        . . . . . . .)");
    const RolloutContext context = lastMoveAt(at(straightThree, "D6"));
    CHECK(has(featuresAt(straightThree.board(), Color::Black, context, at(straightThree, "D5")), Layout::kNakade));
    CHECK_FALSE(has(featuresAt(straightThree.board(), Color::Black, context, at(straightThree, "C5")), Layout::kNakade));
    // White's own eye space is no nakade for White to kill.
    CHECK_FALSE(has(featuresAt(straightThree.board(), Color::White, lastMoveAt(kNoPoint), at(straightThree, "D5")),
                    Layout::kNakade));

    const Game pyramidFour = gameFromDiagram(R"(
        . . . . . . .
        . O O O O O .
        . O . . . O .
        . O O . O O .
        . . O O O . .
        . . . . . . .
        . . . . . . .)");
    CHECK(has(featuresAt(pyramidFour.board(), Color::Black, lastMoveAt(at(pyramidFour, "D6")), at(pyramidFour, "D5")),
              Layout::kNakade + 1));

    // A straight four lives: no vital point.
    const Game straightFour = gameFromDiagram(R"(
        . . . . . . .
        . O O O O O O
        . O . . . . O
        . O O O O O O
        . . . . . . .
        . . . . . . .
        . . . . . . .)");
    LastMoveFeatures features;
    lastMoveFeatures(straightFour.board(), Color::Black, lastMoveAt(at(straightFour, "D6")), features);
    for (int i = 0; i < features.count; ++i)
        CHECK((features.items[i].feature < Layout::kNakade ||
               features.items[i].feature >= Layout::kNakade + Layout::kNakadeSizes));

    // White F5 captures three stones, leaving a straight three: Black's vital point is D5.
    const Game capture = gameFromDiagram(R"(
        . . . . . . .
        . O O O O O .
        . O X X X . .
        . O O O O O .
        . . . . . . .
        . . . . . . .
        . . . . . . .)");
    Board board = capture.board();
    const RolloutContext captured = playTracked(board, {Color::White, at(capture, "F5")});
    CHECK(captured.capturedCount == 3);
    CHECK(board.at(at(capture, "D5")) == Color::Empty);
    CHECK(has(featuresAt(board, Color::Black, captured, at(capture, "D5")), Layout::kNakade));

    // A search starts from a Game, which keeps no captures: rolloutContextOf recovers them.
    Game played = capture;
    REQUIRE(played.play({Color::White, at(capture, "F5")}) == Legality::Legal);
    const RolloutContext recovered = rolloutContextOf(played);
    CHECK(recovered.lastMove == at(capture, "F5"));
    CHECK(recovered.capturedCount == 3);
    CHECK(std::find(recovered.captured.begin(), recovered.captured.end(), at(capture, "D5")) !=
          recovered.captured.end());
    // White moving again (a genmove for the side not to move): F5 is not Black's own move.
    CHECK(contextAfter(played.board(), {Color::White, at(capture, "A1")}, recovered).ownPreviousMove == kNoPoint);
    CHECK(contextAfter(played.board(), {Color::Black, at(capture, "A1")}, recovered).ownPreviousMove ==
          at(capture, "F5"));
}

TEST_CASE("playout weights, kept up to date incrementally, match a full recomputation", "[rollout]") {
    const RolloutPolicy policy = randomPolicy(3);
    Random rng(17);
    for (int size : {5, 9, 19}) {
        for (int round = 0; round < 2; ++round) {
            Game game(size);
            playRandomMoves(game, static_cast<int>(rng.below(static_cast<std::uint32_t>(size * size / 2))), rng);
            Board board = game.board();
            RolloutPlayer player(policy, board, game.toMove());
            for (int move = 0, passes = 0; passes < 2 && move < 3 * size * size; ++move) {
                const auto expected = referenceWeights(policy, board, player.toMove(), player.context());
                std::string mismatch;
                for (int row = 0; row < size && mismatch.empty(); ++row)
                    for (int col = 0; col < size; ++col) {
                        const Point p = board.geometry().point(col, row);
                        const auto it = expected.find(p);
                        const double want = it == expected.end() ? 0.0 : it->second;
                        if (std::abs(player.weightOf(p) - want) > 1e-4 * want) {
                            mismatch = board.geometry().vertexName(p) + ": " + std::to_string(player.weightOf(p)) +
                                       " instead of " + std::to_string(want);
                            break;
                        }
                    }
                INFO("size " << size << ", move " << move << "\n" << board.toString());
                REQUIRE(mismatch == "");
                const Point p = player.sample(rng);
                REQUIRE((p == kPass) == expected.empty());
                passes = p == kPass ? passes + 1 : 0;
                player.play(p);
            }
        }
    }
}

TEST_CASE("the playout samples moves with p_pi's probabilities, sharpened if asked", "[rollout]") {
    RolloutPolicy policy = randomPolicy(8);
    Random rng(2);
    Game game(9);
    playRandomMoves(game, 20, rng);
    Board board = game.board();
    const RolloutContext context = rolloutContextOf(game);
    CHECK(context.lastMove == game.moves().back().point);
    CHECK(context.ownPreviousMove == game.moves()[game.moves().size() - 2].point);
    const auto probabilities = policy.moveProbabilities(board, game.toMove(), context);
    REQUIRE(!probabilities.empty());
    double sum = 0;
    for (const RolloutMoveProbability& m : probabilities) sum += m.probability;
    CHECK(sum == Approx(1.0));
    for (double sharpness : {1.0, 2.0}) {
        policy.setPlayoutSharpness(sharpness);
        RolloutPlayer player(policy, board, game.toMove(), context);
        std::map<Point, int> counts;
        const int draws = 40000;
        for (int i = 0; i < draws; ++i) ++counts[player.sample(rng)];
        double norm = 0;
        for (const RolloutMoveProbability& m : probabilities) norm += std::pow(m.probability, sharpness);
        INFO("sharpness " << sharpness);
        for (const RolloutMoveProbability& m : probabilities)
            CHECK(static_cast<double>(counts[m.point]) / draws ==
                  Approx(std::pow(m.probability, sharpness) / norm).margin(0.01));
        CHECK(counts.count(kPass) == 0);
    }
    // Sharpness is the playouts' alone: the policy's own probabilities are unchanged.
    CHECK(policy.moveProbabilities(board, game.toMove(), context)[0].probability == probabilities[0].probability);
    CHECK_THROWS_AS(policy.setPlayoutSharpness(0), std::invalid_argument);
    const auto best = std::max_element(probabilities.begin(), probabilities.end(), [](const auto& a, const auto& b) {
        return a.probability < b.probability;
    });
    CHECK(policy.bestMove(board, game.toMove(), context) == best->point);
}

TEST_CASE("playouts can set aside moves that put a big own chain in atari", "[rollout]") {
    // Black's two stones have one liberty, C1: filling it makes a chain of three in atari.
    const Game game = gameFromDiagram(R"(
        .....
        .....
        .....
        OOOO.
        XX...)");
    const Point selfAtari = at(game, "C1");
    const RolloutPolicy uniform;
    auto drawsOfSelfAtari = [&](int rejectFrom) {
        Board board = game.board();
        RolloutOptions options;
        options.rejectSelfAtariFrom = rejectFrom;
        RolloutPlayer player(uniform, board, Color::Black, {}, options);
        Random rng(5);
        int count = 0;
        for (int i = 0; i < 2000; ++i) {
            const Point p = player.sample(rng);
            REQUIRE(p != kPass);
            count += p == selfAtari;
        }
        return count;
    };
    CHECK(drawsOfSelfAtari(0) > 50);  // one of 19 candidates
    CHECK(drawsOfSelfAtari(2) == 0);
    CHECK(drawsOfSelfAtari(3) == 0);
    CHECK(drawsOfSelfAtari(4) > 50);  // a chain of three is allowed

    // Black's one candidate, D5, would leave its chain only the eye at B5: set aside, it
    // leaves a pass.
    const Game onlySelfAtari = gameFromDiagram(R"(
        X.X.O
        XXXOO
        XXXO.
        XXXOO
        XXXO.)");
    for (int rejectFrom : {0, 2}) {
        Board board = onlySelfAtari.board();
        RolloutOptions options;
        options.rejectSelfAtariFrom = rejectFrom;
        RolloutPlayer player(uniform, board, Color::Black, {}, options);
        Random rng(1);
        CHECK(player.sample(rng) == (rejectFrom ? kPass : at(onlySelfAtari, "D5")));
    }
}

TEST_CASE("p_pi playouts play legal moves, never fill own eyes, and end", "[rollout]") {
    for (const RolloutPolicy& policy : {RolloutPolicy(), randomPolicy(4)}) {
        Random rng(9);
        for (int size : {2, 9, 19}) {
            Board board(size);
            RolloutPlayer player(policy, board, Color::Black);
            int moves = 0, passes = 0;
            for (; passes < 2 && moves < 3 * size * size; ++moves) {
                const Point p = player.sample(rng);
                if (p != kPass) REQUIRE(board.isLightPlayoutMove(p, player.toMove()));
                passes = p == kPass ? passes + 1 : 0;
                player.play(p);
            }
            // Tiny boards can cycle through captures until the move cap, as light playouts do.
            INFO("size " << size << ", moves " << moves << "\n" << board.toString());
            CHECK((passes == 2 || (size < 5 && moves == 3 * size * size)));
            Board again(size);
            const PlayoutResult result = rolloutPlayout(policy, again, Color::Black, 7.5, rng);
            CHECK(result.moves > 0);
            CHECK(result.margin == trompTaylorScore(again, 7.5).margin());
        }
    }
    const RolloutBenchmarkResult bench = benchmarkRolloutPolicy(RolloutPolicy(), {9, 0.0, 1, 1, 7.5});
    CHECK(bench.playouts >= 1);
    CHECK(bench.microsecondsPerMove() > 0);
}

TEST_CASE("rollout model files round-trip, and bad files are refused by name", "[rollout]") {
    RolloutPolicy policy = randomPolicy(6);
    policy.setBoardSize(9);
    policy.training = {{"held_out_top1", 0.25}};
    const auto path = scratch("rollout.model");
    saveRolloutPolicy(path, policy);
    const RolloutPolicy loaded = loadRolloutPolicy(path, 9);
    CHECK(loaded.weights() == policy.weights());
    CHECK(loaded.boardSize() == 9);
    CHECK(loaded.training["held_out_top1"] == 0.25);
    CHECK(loaded.expWeight(Layout::kPatternBase + 7) == Approx(std::exp(policy.weight(Layout::kPatternBase + 7))));

    auto refused = [](const std::filesystem::path& p, const std::string& why, std::optional<int> size = std::nullopt) {
        try {
            loadRolloutPolicy(p, size);
            FAIL("loaded " << p);
        } catch (const RolloutModelError& e) {
            const std::string message = e.what();
            INFO(message);
            CHECK(message.find(p.string()) != std::string::npos);
            CHECK(message.find(why) != std::string::npos);
        }
    };
    refused(scratch("no-such-rollout.model"), "cannot be read");
    refused(path, "for 9x9 boards, not 19x19", 19);
    const std::string bytes = readAll(path);
    const auto bad = scratch("bad-rollout.model");
    writeAll(bad, bytes.substr(0, bytes.size() / 2));
    refused(bad, "truncated");
    std::string flipped = bytes;
    flipped[flipped.size() - 1000] ^= 0x10;
    writeAll(bad, flipped);
    refused(bad, "checksum");
    writeAll(bad, "TENGEN-MODEL 1\n" + bytes.substr(15));
    refused(bad, "not a Tengen rollout model");
    writeAll(bad, "");
    refused(bad, "not a Tengen rollout model");
    // Well-formed files from another version or with the wrong amount of weights.
    writeAll(bad, frameBlocks("TENGEN-ROLLOUT\n", {R"({"format_version": 2})", ""}));
    refused(bad, "format version 2");
    const std::string weights = bytes.substr(bytes.size() - 17 - std::size_t{Layout::kCount} * 4,
                                             std::size_t{Layout::kCount} * 4);
    writeAll(bad, frameBlocks("TENGEN-ROLLOUT\n", {R"({"format_version": 1, "feature_version": 99})", weights}));
    refused(bad, "feature version 99");
    const std::string header = fmt::format(
        R"({{"format_version": 1, "feature_version": {}, "board_size": 19, "tables": {{"fixed": {},
        "pattern_slots": {}, "response_slots": {}, "response_shape_slots": {}, "weights": {}}}}})",
        Layout::kVersion, Layout::kFixedCount, Layout::kPatternSlots, Layout::kResponseSlots,
        Layout::kResponseShapeSlots, Layout::kCount);
    writeAll(bad, frameBlocks("TENGEN-ROLLOUT\n", {header, weights}));
    CHECK(loadRolloutPolicy(bad).boardSize() == 19);
    writeAll(bad, frameBlocks("TENGEN-ROLLOUT\n", {header, weights.substr(4)}));
    refused(bad, "bytes of weights");
}

TEST_CASE("training on fixture games raises accuracy and lowers the loss", "[rollout][integration]") {
    GameFilter filter;
    filter.evenGamesOnly = false;
    filter.heldOutEvery = 0;
    const GameIndex index = indexGames({std::string(TENGEN_FIXTURES) + "/sgf"}, filter);
    REQUIRE(index.training.size() >= 2);
    const RolloutEvaluation before = evaluateRolloutPolicy(RolloutPolicy(), index.training, 100000);
    REQUIRE(before.positions > 150);

    RolloutTrainingOptions options;
    options.filter = filter;
    options.positions = 3000;
    options.evalEvery = 500;
    options.learningRate = 0.1;
    options.out = scratch("tiny-rollout.model");
    std::filesystem::remove(options.out);
    std::filesystem::remove(checkpointPath(options.out));
    const RolloutTrainingResult result = trainRolloutPolicy(options, index);
    CHECK(result.positions == 3000);
    CHECK(result.lastTrainLoss < result.firstTrainLoss);
    const RolloutEvaluation after = evaluateRolloutPolicy(result.policy, index.training, 100000, 2);
    CHECK(after.positions == before.positions);
    CHECK(after.loss < before.loss - 0.5);
    CHECK(after.top1 > before.top1 + 0.1);
    // The model written along the way is the one trained, with its record.
    const RolloutPolicy saved = loadRolloutPolicy(options.out, 19);
    CHECK(saved.weights() == result.policy.weights());
    CHECK(saved.training["positions"] == 3000);
    CHECK(std::filesystem::exists(csvPath(options.out)));
}

TEST_CASE("a stopped training run resumes from its checkpoint and takes the same steps", "[rollout][integration]") {
    GameFilter filter;
    filter.evenGamesOnly = false;
    filter.heldOutEvery = 0;
    const GameIndex index = indexGames({std::string(TENGEN_FIXTURES) + "/sgf"}, filter);
    RolloutTrainingOptions options;
    options.filter = filter;
    options.evalEvery = 500;
    options.evalPositions = 100;
    options.interleavedGames = 3;  // fewer than the games: some games are started after the stop
    options.learningRate = 0.1;
    const auto freshRun = [&](const std::string& name) {
        options.out = scratch(name);
        std::filesystem::remove(options.out);
        std::filesystem::remove(checkpointPath(options.out));
    };

    freshRun("uninterrupted-rollout.model");
    options.positions = 2000;
    const RolloutTrainingResult whole = trainRolloutPolicy(options, index);

    freshRun("resumed-rollout.model");
    options.positions = 1000;
    trainRolloutPolicy(options, index);  // as if killed after its evaluation at 1,000
    REQUIRE(std::filesystem::exists(checkpointPath(options.out)));
    options.positions = 2000;
    const RolloutTrainingResult resumed = trainRolloutPolicy(options, index);
    CHECK(resumed.positions == 2000);
    CHECK(resumed.policy.weights() == whole.policy.weights());
    CHECK(loadRolloutPolicy(options.out).weights() == whole.policy.weights());
    // One log row per evaluation, as without the stop.
    const std::string log = readAll(csvPath(options.out));
    CHECK(std::count(log.begin(), log.end(), '\n') == 1 + 4);

    // Resuming with nothing left to do changes nothing.
    const RolloutTrainingResult again = trainRolloutPolicy(options, index);
    CHECK(again.positions == 2000);
    CHECK(again.policy.weights() == whole.policy.weights());

    // A checkpoint that does not fit the data, or is damaged, is refused by name.
    GameIndex fewer = index;
    fewer.training.pop_back();
    CHECK_THROWS_WITH(trainRolloutPolicy(options, fewer), Catch::Contains("training games, and this run has"));
    std::string bytes = readAll(checkpointPath(options.out));
    bytes[bytes.size() / 2] ^= 1;
    writeAll(checkpointPath(options.out), bytes);
    CHECK_THROWS_WITH(trainRolloutPolicy(options, index), Catch::Contains("cannot resume from checkpoint"));
}

TEST_CASE("playout outcomes are scored against the game's winner from the mover's side", "[rollout]") {
    // Black's living group fills five of nine columns, White's three: every playout ends in
    // a Black win, whoever is to move (Black 45 points at least, White 36 + 7.5 at most).
    IndexedGame game;
    game.record.size = 9;
    game.record.komi = 7.5;
    const Geometry geometry(9);
    const auto isEye = [](int col, int row) { return (col == 0 || col == 8) && (row == 1 || row == 7); };
    for (int row = 0; row < 9; ++row)
        for (int col = 0; col < 9; ++col) {
            if (col == 5 || isEye(col, row)) continue;
            (col < 5 ? game.record.setupBlack : game.record.setupWhite).push_back(geometry.point(col, row));
        }
    for (int i = 0; i < 6; ++i) game.record.moves.push_back({i % 2 ? Color::White : Color::Black, kPass});
    RolloutOutcomeOptions options;
    options.positions = 6;
    options.playoutsPerPosition = 8;

    game.winner = Color::Black;
    const RolloutOutcomeEvaluation right = evaluateRolloutOutcomes(RolloutPolicy(), {game}, options);
    CHECK(right.all.positions == 6);
    CHECK(right.all.mse == Approx(0.0));
    CHECK(right.all.accuracy == 1.0);
    for (const OutcomeError& third : right.byThird) CHECK(third.positions == 2);

    game.winner = Color::White;
    const RolloutOutcomeEvaluation wrong = evaluateRolloutOutcomes(RolloutPolicy(), {game}, options);
    CHECK(wrong.all.mse == Approx(4.0));
    CHECK(wrong.all.accuracy == 0.0);
}

TEST_CASE("positions are chosen evenly across games, and only among the moves counted", "[rollout]") {
    GameFilter filter;
    filter.evenGamesOnly = false;
    filter.heldOutEvery = 0;
    const std::vector<IndexedGame> games = indexGames({std::string(TENGEN_FIXTURES) + "/sgf"}, filter).training;
    REQUIRE(games.size() >= 2);
    // Only the longest game's moves count, then every game's.
    const auto longest = std::max_element(games.begin(), games.end(), [](const IndexedGame& a, const IndexedGame& b) {
        return a.record.moves.size() < b.record.moves.size();
    });
    REQUIRE(longest->record.moves.size() >= 10);
    const auto longestOnly = [&](const IndexedGame& game) { return &game == &*longest ? game.record.moves.size() : 0; };
    const auto allMoves = [](const IndexedGame& game) { return game.record.moves.size(); };
    std::size_t total = 0;
    for (const IndexedGame& game : games) total += game.record.moves.size();

    const EvenPositions few(games, 10, longestOnly);
    for (std::size_t g = 0; g < games.size(); ++g)
        CHECK(few.end(g) - few.begin(g) == (&games[g] == &*longest ? 10 : 0));

    for (const int wanted : {0, 1, 37, static_cast<int>(total), static_cast<int>(total) + 5}) {
        const EvenPositions sample(games, wanted, allMoves);
        std::vector<std::size_t> chosen;
        for (std::size_t g = 0; g < games.size(); ++g)
            for (auto it = sample.begin(g); it != sample.end(g); ++it) {
                CHECK(*it >= sample.firstOrdinal(g));
                CHECK(*it < sample.firstOrdinal(g) + games[g].record.moves.size());
                chosen.push_back(*it);
            }
        CHECK(chosen.size() == std::min<std::size_t>(total, static_cast<std::size_t>(wanted)));
        // Even steps: consecutive gaps differ by one at most.
        for (std::size_t k = 2; k < chosen.size(); ++k) {
            const auto gap = chosen[k] - chosen[k - 1], previous = chosen[k - 1] - chosen[k - 2];
            CHECK(std::max(gap, previous) - std::min(gap, previous) <= 1);
        }
    }
}
