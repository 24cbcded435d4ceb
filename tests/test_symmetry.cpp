// The eight board symmetries: each is a bijection, inverses undo, policies keep their pass,
// and features of a transformed position are the transformed features.
#include <catch2/catch.hpp>

#include <set>

#include "go/playout.h"
#include "nets/features.h"
#include "nets/symmetry.h"
#include "tests/board_text.h"

using namespace tengen;
using namespace tengen::nets;
using tengen::test::at;

TEST_CASE("each symmetry is a bijection that its inverse undoes", "[symmetry]") {
    for (int size : {2, 5, 8, 9, 19, 25})
        for (Symmetry s : kAllSymmetries) {
            std::set<int> images;
            for (int i = 0; i < size * size; ++i) {
                const int j = transformIndex(s, i, size);
                REQUIRE(j >= 0);
                REQUIRE(j < size * size);
                images.insert(j);
                CHECK(transformIndex(inverse(s), j, size) == i);
            }
            CHECK(static_cast<int>(images.size()) == size * size);
            CHECK(compose(s, inverse(s)) == Symmetry::Identity);
            CHECK(compose(inverse(s), s) == Symmetry::Identity);
        }
}

TEST_CASE("the symmetries are the eight distinct elements of the square's group", "[symmetry]") {
    // Told apart by where they send the top-left corner and the point to its right.
    std::set<std::pair<int, int>> seen;
    for (Symmetry s : kAllSymmetries) seen.insert({transformIndex(s, 0, 9), transformIndex(s, 1, 9)});
    CHECK(seen.size() == 8);
    // Closed under composition, and composition matches applying one after the other.
    for (Symmetry a : kAllSymmetries)
        for (Symmetry b : kAllSymmetries)
            for (int i = 0; i < 49; ++i)
                CHECK(transformIndex(compose(a, b), i, 7) == transformIndex(b, transformIndex(a, i, 7), 7));
    CHECK(compose(Symmetry::Rotate90, Symmetry::Rotate90) == Symmetry::Rotate180);
    CHECK(compose(Symmetry::FlipLeftRight, Symmetry::FlipUpDown) == Symmetry::Rotate180);
    for (int i = 0; i < kSymmetryCount; ++i) CHECK(symmetryFromIndex(i) == kAllSymmetries[i]);
    CHECK_FALSE(symmetryFromIndex(8));
}

TEST_CASE("symmetries move points where their names say", "[symmetry]") {
    const Geometry g(19);
    auto image = [&](Symmetry s, const char* vertex) { return g.vertexName(transformPoint(s, *g.parseVertex(vertex), g)); };
    // Row 0 is the top (A19); a clockwise quarter turn takes the top-left corner to the top right.
    CHECK(image(Symmetry::Identity, "C17") == "C17");
    CHECK(image(Symmetry::Rotate90, "A19") == "T19");
    CHECK(image(Symmetry::Rotate90, "T19") == "T1");
    CHECK(image(Symmetry::Rotate180, "C17") == "R3");
    CHECK(image(Symmetry::Rotate270, "A19") == "A1");
    CHECK(image(Symmetry::FlipLeftRight, "C17") == "R17");
    CHECK(image(Symmetry::FlipUpDown, "C17") == "C3");
    CHECK(image(Symmetry::Transpose, "D19") == "A16");
    CHECK(image(Symmetry::AntiTranspose, "A19") == "T1");
    CHECK(image(Symmetry::Rotate90, "K10") == "K10");  // the centre stays
    for (Symmetry s : kAllSymmetries) {
        CHECK(transformPoint(s, kPass, g) == kPass);
        CHECK(transformPoint(s, kResign, g) == kResign);
    }
}

TEST_CASE("feature planes and policies go back with the inverse symmetry", "[symmetry]") {
    const int size = 7, planes = 3;
    std::vector<float> features(planes * size * size);
    for (std::size_t i = 0; i < features.size(); ++i) features[i] = static_cast<float>(i);
    std::vector<float> policy(size * size + 1);
    for (std::size_t i = 0; i < policy.size(); ++i) policy[i] = static_cast<float>(i) / 100;
    for (Symmetry s : kAllSymmetries) {
        const std::vector<float> moved = transformPlanes(s, features, planes, size);
        CHECK(transformPlanes(inverse(s), moved, planes, size) == features);
        // Each plane keeps its own values: the transform never mixes planes.
        for (int k = 0; k < planes; ++k)
            for (int i = 0; i < size * size; ++i)
                CHECK(moved[k * size * size + transformIndex(s, i, size)] == features[k * size * size + i]);

        const std::vector<float> movedPolicy = transformPolicy(s, policy, size, true);
        CHECK(movedPolicy.back() == policy.back());
        CHECK(transformPolicy(inverse(s), movedPolicy, size, true) == policy);
        const std::vector<float> noPass(policy.begin(), policy.end() - 1);
        CHECK(transformPolicy(inverse(s), transformPolicy(s, noPass, size, false), size, false) == noPass);
    }
    CHECK_THROWS_AS(transformPlanes(Symmetry::Rotate90, features, planes + 1, size), std::invalid_argument);
    CHECK_THROWS_AS(transformPolicy(Symmetry::Rotate90, policy, size, false), std::invalid_argument);
}

TEST_CASE("features of a transformed position are the transformed features", "[symmetry][features]") {
    // Random games give ataris, captures, kos, eyes and ladders in every direction.
    for (int size : {7, 9, 19}) {
        Random rng(static_cast<std::uint64_t>(size) * 1009);
        for (int gameIndex = 0; gameIndex < 4; ++gameIndex) {
            Game game(size);
            std::vector<Move> moves;
            const int length = size * size * 2 / 3 + gameIndex * 7;
            for (int i = 0; i < length; ++i) {
                Move m{game.toMove(), randomLightMove(game.board(), game.toMove(), rng)};
                if (!game.isLegal(m)) m.point = kPass;
                game.play(m);
                moves.push_back(m);
            }
            const std::vector<float> features = extractFeatures(game, FeatureSet::AlphaGoValue);
            const int planes = planeCount(FeatureSet::AlphaGoValue);
            for (Symmetry s : kAllSymmetries) {
                Game transformed(size);
                for (const Move& m : moves) REQUIRE(transformed.play(transformMove(s, m, game.geometry())) == Legality::Legal);
                const std::vector<float> expected = transformPlanes(s, features, planes, size);
                const std::vector<float> actual = extractFeatures(transformed, FeatureSet::AlphaGoValue);
                INFO("size " << size << " game " << gameIndex << " symmetry " << symmetryName(s));
                CHECK(actual == expected);
            }
        }
    }
}
