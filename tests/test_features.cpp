// AlphaGo's input planes on hand-made positions, and against a slow reference built from
// Game::legality and Board::analyse on random positions.
#include <catch2/catch.hpp>

#include "go/playout.h"
#include "nets/features.h"
#include "nets/ladder.h"
#include "tests/board_text.h"

using namespace tengen;
using namespace tengen::nets;
using tengen::test::at;
using tengen::test::gameFromDiagram;

namespace {

float value(const std::vector<float>& features, const Game& game, int plane, Point p) {
    const Geometry& g = game.geometry();
    return features.at(static_cast<std::size_t>(plane) * game.size() * game.size() + g.row(p) * game.size() + g.col(p));
}

float value(const std::vector<float>& features, const Game& game, int plane, const char* vertex) {
    return value(features, game, plane, at(game, vertex));
}

// Which plane of a one-hot group is set at a point: 0-based, or -1 for none. Fails the
// test if more than one is.
int oneHot(const std::vector<float>& features, const Game& game, int first, int count, Point p) {
    int found = -1;
    for (int k = 0; k < count; ++k) {
        const float v = value(features, game, first + k, p);
        REQUIRE((v == 0.0f || v == 1.0f));
        if (v == 1.0f) {
            REQUIRE(found == -1);
            found = k;
        }
    }
    return found;
}

int oneHot(const std::vector<float>& features, const Game& game, int first, const char* vertex) {
    return oneHot(features, game, first, 8, at(game, vertex));
}

}  // namespace

TEST_CASE("feature sets name their planes in order", "[features]") {
    CHECK(planeCount(FeatureSet::AlphaGoPolicy) == 48);
    CHECK(planeCount(FeatureSet::AlphaGoValue) == 49);
    CHECK(featureSize(FeatureSet::AlphaGoPolicy, 19) == 48u * 361u);
    for (FeatureSet set : {FeatureSet::AlphaGoPolicy, FeatureSet::AlphaGoValue}) {
        CHECK(parseFeatureSet(featureSetName(set)) == set);
        int next = 0;
        for (const PlaneGroup& group : planeGroups(set)) {
            CHECK(group.first == next);
            next += group.count;
        }
        CHECK(next == planeCount(set));
    }
    CHECK(planeGroups(FeatureSet::AlphaGoValue).back().name == "player colour");
    CHECK_FALSE(parseFeatureSet("alphago"));
}

TEST_CASE("stone colour, ones, zeros and player colour planes", "[features]") {
    Game game = gameFromDiagram(R"(
        . X . . .
        . O . . .
        . . . . .
        . . . . .
        . . . . .)");
    for (Color toMove : {Color::Black, Color::White}) {
        game.setToMove(toMove);
        const std::vector<float> f = extractFeatures(game, FeatureSet::AlphaGoValue);
        REQUIRE(f.size() == 49u * 25u);
        const bool blackMoves = toMove == Color::Black;
        CHECK(value(f, game, alphago::kPlayerStone, "B5") == (blackMoves ? 1 : 0));
        CHECK(value(f, game, alphago::kOpponentStone, "B5") == (blackMoves ? 0 : 1));
        CHECK(value(f, game, alphago::kPlayerStone, "B4") == (blackMoves ? 0 : 1));
        CHECK(value(f, game, alphago::kEmpty, "B4") == 0);
        CHECK(value(f, game, alphago::kEmpty, "C3") == 1);
        CHECK(value(f, game, alphago::kPlayerStone, "C3") == 0);
        for (int i = 0; i < 25; ++i) {
            CHECK(f[alphago::kOnes * 25 + i] == 1);
            CHECK(f[alphago::kZeros * 25 + i] == 0);
            CHECK(f[alphago::kPlayerColour * 25 + i] == (blackMoves ? 1 : 0));
        }
        // The policy set is the value set without its last plane.
        const std::vector<float> policy = extractFeatures(game, FeatureSet::AlphaGoPolicy);
        CHECK(std::vector<float>(f.begin(), f.begin() + 48 * 25) == policy);
    }
}

TEST_CASE("turns since counts moves, passes included; setup stones are old", "[features]") {
    Game game = gameFromDiagram(R"(
        . . . . .
        . . . . .
        . . X . .
        . . . . .
        . . . . .)");
    for (const char* v : {"A1", "E5", "pass", "A5", "E1"}) {
        const Point p = std::string_view(v) == "pass" ? kPass : at(game, v);
        REQUIRE(game.play({game.toMove(), p}) == Legality::Legal);
    }
    const std::vector<float> f = extractFeatures(game, FeatureSet::AlphaGoPolicy);
    auto age = [&](const char* v) { return oneHot(f, game, alphago::kTurnsSince, v) + 1; };
    CHECK(age("E1") == 1);
    CHECK(age("A5") == 2);
    CHECK(age("E5") == 4);
    CHECK(age("A1") == 5);
    CHECK(age("C3") == 8);
    CHECK(oneHot(f, game, alphago::kTurnsSince, "B2") == -1);

    // After eight more moves the first ones fall into the ">=8" plane.
    for (const char* v : {"B1", "D5", "B5", "D1", "A2", "E4", "A4", "E2"}) REQUIRE(game.play({game.toMove(), at(game, v)}) == Legality::Legal);
    const std::vector<float> later = extractFeatures(game, FeatureSet::AlphaGoPolicy);
    CHECK(oneHot(later, game, alphago::kTurnsSince, "E2") + 1 == 1);
    CHECK(oneHot(later, game, alphago::kTurnsSince, "B5") + 1 == 6);
    CHECK(oneHot(later, game, alphago::kTurnsSince, "D5") + 1 == 7);
    CHECK(oneHot(later, game, alphago::kTurnsSince, "B1") + 1 == 8);
    CHECK(oneHot(later, game, alphago::kTurnsSince, "E1") + 1 == 8);
}

TEST_CASE("a stone played again after a capture takes the new move's age", "[features]") {
    // A ko: Black takes at C4, White retakes at B4 after a pair of moves elsewhere.
    Game game = gameFromDiagram(test::kSimpleKo, Rules::japanese());
    REQUIRE(game.play({Color::Black, at(game, "C4")}) == Legality::Legal);  // takes B4
    REQUIRE(game.play({Color::White, at(game, "E1")}) == Legality::Legal);
    REQUIRE(game.play({Color::Black, at(game, "E2")}) == Legality::Legal);
    REQUIRE(game.play({Color::White, at(game, "B4")}) == Legality::Legal);  // retakes C4
    const std::vector<float> f = extractFeatures(game, FeatureSet::AlphaGoPolicy);
    CHECK(oneHot(f, game, alphago::kTurnsSince, "B4") + 1 == 1);  // the setup stone is gone, the retake is new
    CHECK(oneHot(f, game, alphago::kTurnsSince, "C4") == -1);     // captured: empty now
    CHECK(oneHot(f, game, alphago::kTurnsSince, "E2") + 1 == 2);
}

TEST_CASE("liberties, capture size, self-atari size and liberties after move", "[features]") {
    // White's four stones B4 C4 C5 C3 have one liberty, D5. Black B5 is in atari; A5
    // joins it to A4, with A3 as the only liberty left.
    Game game = gameFromDiagram(R"(
        . X O . .
        X O O X .
        . X O X .
        . . X . .
        . . . . .)");
    const std::vector<float> f = extractFeatures(game, FeatureSet::AlphaGoPolicy);
    auto libs = [&](const char* v) { return oneHot(f, game, alphago::kLiberties, v) + 1; };
    CHECK(libs("B5") == 1);
    CHECK(libs("C4") == 1);
    CHECK(libs("A4") == 2);
    CHECK(libs("D4") == 4);
    CHECK(libs("C2") == 3);
    CHECK(oneHot(f, game, alphago::kLiberties, "E5") == -1);

    auto capture = [&](const char* v) { return oneHot(f, game, alphago::kCaptureSize, v); };
    CHECK(capture("D5") == 4);
    CHECK(capture("A5") == 0);
    CHECK(capture("E1") == 0);

    auto selfAtari = [&](const char* v) { return oneHot(f, game, alphago::kSelfAtariSize, v) + 1; };
    CHECK(selfAtari("A5") == 3);
    CHECK(selfAtari("D5") == 0);  // none
    CHECK(selfAtari("E1") == 0);

    auto after = [&](const char* v) { return oneHot(f, game, alphago::kLibertiesAfter, v) + 1; };
    CHECK(after("A5") == 1);
    CHECK(after("E1") == 2);
    CHECK(after("B2") == 5);  // A2 B1, A3 from B3, D2 C1 from C2
    // D5 takes four stones: the D4 chain keeps E4 E3 D2, gains C4 C3 C5 and E5.
    CHECK(after("D5") == 7);
    // Occupied points have no move features.
    CHECK(capture("B5") == -1);
    CHECK(after("B5") == 0);  // none
    CHECK(value(f, game, alphago::kSensibleness, "B5") == 0);
}

TEST_CASE("liberty planes cap at eight", "[features]") {
    Game game = gameFromDiagram(R"(
        . . . . . . .
        . . . . . . .
        . . X X X . .
        . . . . . . .
        . . . . . . .
        . . . . . . .
        . . . . . . .)");
    const std::vector<float> f = extractFeatures(game, FeatureSet::AlphaGoPolicy);
    CHECK(oneHot(f, game, alphago::kLiberties, "D5") + 1 == 8);
    CHECK(oneHot(f, game, alphago::kLibertiesAfter, "D4") + 1 == 8);  // exactly 8
    CHECK(oneHot(f, game, alphago::kLibertiesAfter, "B5") + 1 == 8);  // 10
    CHECK(oneHot(f, game, alphago::kLibertiesAfter, "F5") + 1 == 8);
    CHECK(oneHot(f, game, alphago::kLibertiesAfter, "C3") + 1 == 4);
}

TEST_CASE("self-atari size caps at eight and ignores safe moves", "[features]") {
    // White to move: D4 joins seven white stones into eight with one liberty left, E4.
    Game game = gameFromDiagram(R"(
        . . . . . . .
        X X X X X . .
        O O O O X . .
        O O O . . X .
        X X X X X . .
        . . . . . . .
        . . . . . . .)");
    game.setToMove(Color::White);
    const std::vector<float> f = extractFeatures(game, FeatureSet::AlphaGoPolicy);
    CHECK(oneHot(f, game, alphago::kSelfAtariSize, "D4") + 1 == 8);
    CHECK(oneHot(f, game, alphago::kLibertiesAfter, "D4") + 1 == 1);
    CHECK(oneHot(f, game, alphago::kCaptureSize, "D4") == 0);
    CHECK(oneHot(f, game, alphago::kSelfAtariSize, "E4") + 1 == 1);
    CHECK(oneHot(f, game, alphago::kSelfAtariSize, "F2") == -1);
}

TEST_CASE("sensibleness: legal and not the player's own true eye", "[features]") {
    // Black has true eyes at A1 and C1 on the edge, G7 in the corner and F6 in the middle.
    // E7 is a false eye: White D6 and the edge together can break it.
    Game game = gameFromDiagram(R"(
        . . . X . X .
        . . . O X . X
        . . . . X X .
        . . . . . . .
        . . . . . . .
        X X X X . . .
        . X . X . . .)");
    const std::vector<float> black = extractFeatures(game, FeatureSet::AlphaGoPolicy);
    for (const char* eye : {"A1", "C1", "G7", "F6"}) CHECK(value(black, game, alphago::kSensibleness, eye) == 0);
    CHECK(value(black, game, alphago::kSensibleness, "E7") == 1);
    CHECK(value(black, game, alphago::kSensibleness, "G5") == 1);
    // Filling one's own eye is legal, so the other move planes still describe it.
    CHECK(oneHot(black, game, alphago::kCaptureSize, "C1") == 0);
    game.setToMove(Color::White);
    const std::vector<float> white = extractFeatures(game, FeatureSet::AlphaGoPolicy);
    CHECK(value(white, game, alphago::kSensibleness, "C1") == 0);   // suicide
    CHECK(value(white, game, alphago::kSensibleness, "G7") == 0);   // suicide
    CHECK(value(white, game, alphago::kSensibleness, "G5") == 1);
    CHECK(oneHot(white, game, alphago::kCaptureSize, "C1") == -1);  // illegal: no move features
    CHECK(oneHot(white, game, alphago::kLibertiesAfter, "C1") == -1);
}

TEST_CASE("a ko point White may not retake is not sensible", "[features]") {
    Game game = gameFromDiagram(test::kSimpleKo, Rules::japanese());
    REQUIRE(game.play({Color::Black, at(game, "C4")}) == Legality::Legal);  // takes B4
    const std::vector<float> f = extractFeatures(game, FeatureSet::AlphaGoPolicy);
    CHECK(value(f, game, alphago::kSensibleness, "B4") == 0);  // White may not retake at once
    CHECK(oneHot(f, game, alphago::kCaptureSize, "B4") == -1);
    CHECK(value(f, game, alphago::kSensibleness, "D3") == 1);
}

TEST_CASE("a superko point is not sensible under superko rules, and is under simple ko", "[features]") {
    // Three kos (as in the rules tests): after five captures in turn, White's sixth at B4
    // would bring back the starting position.
    for (auto [rules, sensible] : {std::pair{Rules::chinese(), 0.0f}, std::pair{Rules::japanese(), 1.0f}}) {
        Game game = gameFromDiagram(test::kTripleKo, rules);
        for (const char* v : {"C8", "H8", "C4", "B8", "G8"}) REQUIRE(game.play({game.toMove(), at(game, v)}) == Legality::Legal);
        REQUIRE(game.toMove() == Color::White);
        const std::vector<float> f = extractFeatures(game, FeatureSet::AlphaGoPolicy);
        CHECK(value(f, game, alphago::kSensibleness, "B4") == sensible);
        CHECK(oneHot(f, game, alphago::kCaptureSize, "B4") == (sensible == 1.0f ? 1 : -1));
    }
}

TEST_CASE("ladder capture plane on hand-made ladders", "[features][ladder]") {
    // Black to move: D4 ataris White D3 into a working ladder, E3 ataris it into open space.
    Game works = gameFromDiagram(R"(
        . . . . . . . . .
        . . . . . . . . .
        . . . . . . . . .
        . . . . . . . . .
        . . . . . . . . .
        . . . . . . . . .
        . . X O . . . . .
        . . . X X . . . .
        . . . . . . . . .)");
    const std::vector<float> f = extractFeatures(works, FeatureSet::AlphaGoPolicy);
    CHECK(value(f, works, alphago::kLadderCapture, "D4") == 1);
    CHECK(value(f, works, alphago::kLadderCapture, "E3") == 0);
    int set = 0;
    for (int i = 0; i < 81; ++i) set += f[alphago::kLadderCapture * 81 + i] != 0;
    CHECK(set == 1);

    // A white stone at G6 breaks the ladder.
    Game broken = gameFromDiagram(R"(
        . . . . . . . . .
        . . . . . . . . .
        . . . . . . . . .
        . . . . . . O . .
        . . . . . . . . .
        . . . . . . . . .
        . . X O . . . . .
        . . . X X . . . .
        . . . . . . . . .)");
    const std::vector<float> g = extractFeatures(broken, FeatureSet::AlphaGoPolicy);
    CHECK(value(g, broken, alphago::kLadderCapture, "D4") == 0);
    CHECK(value(g, broken, alphago::kLadderCapture, "E3") == 0);

    // White to move sees no ladder capture: it is Black's chain that would be chased.
    works.setToMove(Color::White);
    const std::vector<float> w = extractFeatures(works, FeatureSet::AlphaGoPolicy);
    CHECK(value(w, works, alphago::kLadderCapture, "D4") == 0);
}

TEST_CASE("ladder escape plane on hand-made ladders", "[features][ladder]") {
    auto escape = [](const char* diagram, const char* vertex) {
        Game game = gameFromDiagram(diagram);
        game.setToMove(Color::White);
        return value(extractFeatures(game, FeatureSet::AlphaGoPolicy), game, alphago::kLadderEscape, vertex);
    };
    const char* works = R"(
        . . . . . . . . .
        . . . . . . . . .
        . . . . . . . . .
        . . . . . . . . .
        . . . . . . . . .
        . . . X . . . . .
        . . X O . . . . .
        . . . X X . . . .
        . . . . . . . . .)";
    const char* broken = R"(
        . . . . . . . . .
        . . . . . . . . .
        . . . . . . O . .
        . . . . . . . . .
        . . . . . . . . .
        . . . X . . . . .
        . . X O . . . . .
        . . . X X . . . .
        . . . . . . . . .)";
    // Black D4 is in atari and White E4 takes it; extending at E3 runs into Black F3.
    const char* byCapture = R"(
        . . . . . . . . .
        . . . . . . . . .
        . . . . . . . . .
        . . . . . . . . .
        . . . O . . . . .
        . . O X . . . . .
        . . X O . X . . .
        . . . X X . . . .
        . . . . . . . . .)";
    CHECK(escape(works, "E3") == 0);
    CHECK(escape(broken, "E3") == 1);
    CHECK(escape(byCapture, "E4") == 1);
    CHECK(escape(byCapture, "E3") == 0);
}

TEST_CASE("move planes match a slow reference on random positions", "[features]") {
    // The extractor settles most points from neighbours and cached liberty lists; the
    // reference asks Game::legality and Board::analyse about every point.
    struct Case {
        int size;
        Rules rules;
        int moves;
    };
    int ladderCaptures = 0, ladderEscapes = 0, selfAtaris = 0, captures = 0;
    for (const Case& c : {Case{9, Rules::chinese(), 50}, Case{9, Rules::newZealand(), 70}, Case{9, Rules::japanese(), 90},
                          Case{13, Rules::chinese(), 120}, Case{19, Rules::chinese(), 200}, Case{19, Rules::aga(), 300}}) {
        Random rng(static_cast<std::uint64_t>(c.size * 31 + c.moves));
        for (int gameIndex = 0; gameIndex < 6; ++gameIndex) {
            Game game(c.size, c.rules);
            std::vector<int> lastPlayed(kMaxPoints, -1);
            const int length = c.moves + gameIndex * 3;
            for (int i = 0; i < length; ++i) {
                Move m{game.toMove(), randomLightMove(game.board(), game.toMove(), rng)};
                if (!game.isLegal(m)) m.point = kPass;
                REQUIRE(game.play(m) == Legality::Legal);
                if (m.point >= 0) lastPlayed[m.point] = i;
            }
            const Board& board = game.board();
            const Color me = game.toMove();
            const std::vector<float> f = extractFeatures(game, FeatureSet::AlphaGoPolicy);
            INFO("size " << c.size << " rules " << c.rules.describe() << " game " << gameIndex);
            for (int row = 0; row < c.size; ++row)
                for (int col = 0; col < c.size; ++col) {
                    const Point p = game.geometry().point(col, row);
                    INFO("point " << game.geometry().vertexName(p) << "\n" << board.toString());
                    if (board.at(p) != Color::Empty) {
                        const int age = length - lastPlayed[p];
                        CHECK(oneHot(f, game, alphago::kTurnsSince, 8, p) == std::min(age, 8) - 1);
                        CHECK(oneHot(f, game, alphago::kLiberties, 8, p) == std::min(board.chainLiberties(p), 8) - 1);
                        for (int k = alphago::kCaptureSize; k < alphago::kZeros; ++k) CHECK(value(f, game, k, p) == 0);
                        continue;
                    }
                    const bool legal = game.isLegal({me, p});
                    const MoveEffect e = board.analyse({me, p}, c.rules.suicideAllowed);
                    CHECK(oneHot(f, game, alphago::kCaptureSize, 8, p) == (legal ? std::min(e.capturedStones, 7) : -1));
                    CHECK(oneHot(f, game, alphago::kLibertiesAfter, 8, p) ==
                          (legal && e.libertiesAfter > 0 ? std::min(e.libertiesAfter, 8) - 1 : -1));
                    CHECK(oneHot(f, game, alphago::kSelfAtariSize, 8, p) ==
                          (legal && e.libertiesAfter == 1 ? std::min(e.chainSizeAfter, 8) - 1 : -1));
                    CHECK(value(f, game, alphago::kSensibleness, p) == (legal && !board.isTrueEye(p, me) ? 1 : 0));
                    // Ladders: every chain a move at p could put in a ladder or pull out of one.
                    bool capture = false, escape = false;
                    for (int r = 0; r < c.size && legal; ++r)
                        for (int q = 0; q < c.size; ++q) {
                            const Point s = game.geometry().point(q, r);
                            if (board.at(s) == opponent(me)) capture |= isLadderCapture(board, p, s);
                            if (board.at(s) == me) escape |= isLadderEscape(board, p, s);
                        }
                    CHECK(value(f, game, alphago::kLadderCapture, p) == (capture ? 1 : 0));
                    CHECK(value(f, game, alphago::kLadderEscape, p) == (escape ? 1 : 0));
                    ladderCaptures += capture;
                    ladderEscapes += escape;
                    selfAtaris += legal && e.libertiesAfter == 1;
                    captures += legal && e.capturedStones > 0;
                }
        }
    }
    // The random positions must exercise what they check.
    CHECK(ladderCaptures > 10);
    CHECK(ladderEscapes > 10);
    CHECK(selfAtaris > 10);
    CHECK(captures > 10);
}
