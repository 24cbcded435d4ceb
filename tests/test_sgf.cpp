#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "go/sgf.h"
#include "go/sgf_game.h"

using namespace tengen;

namespace {

std::filesystem::path fixtureDir() {
#ifdef TENGEN_FIXTURES
    return std::filesystem::path(TENGEN_FIXTURES) / "sgf";
#else
    return std::filesystem::path(__FILE__).parent_path() / "fixtures" / "sgf";
#endif
}

std::string readFixture(const std::string& name) {
    std::ifstream in(fixtureDir() / name, std::ios::binary);
    REQUIRE(in);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::unique_ptr<SgfNode> parseOne(std::string_view text) {
    auto trees = parseSgfCollection(text);
    REQUIRE(trees.size() == 1);
    return std::move(trees.front());
}

// Offset of the SgfError that parsing `text` throws; fails the test if none is thrown.
std::size_t errorOffset(std::string_view text) {
    try {
        parseSgfCollection(text, "bad.sgf");
    } catch (const SgfError& error) {
        CHECK(error.source == "bad.sgf");
        CHECK(std::string(error.what()).rfind("bad.sgf: byte " + std::to_string(error.offset) + ": ", 0) ==
              0);
        return error.offset;
    }
    FAIL("no SgfError for: " << text.substr(0, 80));
    return 0;
}

std::vector<const SgfNode*> mainLine(const SgfNode& root) {
    std::vector<const SgfNode*> line{&root};
    while (!line.back()->children.empty()) line.push_back(line.back()->children.front().get());
    return line;
}

void requireRoundTrip(const SgfNode& tree) {
    const std::string text = writeSgf(tree);
    const auto again = parseSgfCollection(text);
    REQUIRE(again.size() == 1);
    REQUIRE(*again.front() == tree);
    REQUIRE(writeSgf(*again.front()) == text);
}

}  // namespace

TEST_CASE("SgfNode accessors keep file order and merge values", "[sgf]") {
    SgfNode node;
    node.add("SZ", "19");
    node.add("AB", "dd");
    node.add("AB", "pp");
    node.set("SZ", {"9"});
    node.set("KM", {"7.5"});
    REQUIRE(node.properties.size() == 3);
    CHECK(node.properties[0].id == "SZ");
    CHECK(node.properties[1].id == "AB");
    CHECK(node.properties[2].id == "KM");
    CHECK(node.value("SZ") == "9");
    CHECK(*node.find("AB") == std::vector<std::string>{"dd", "pp"});
    CHECK(node.find("C") == nullptr);
    CHECK(node.value("C").empty());
    CHECK(node.has("KM"));
    CHECK_FALSE(node.has("HA"));

    SgfNode other;
    other.properties = node.properties;
    CHECK(other == node);
    other.addChild().add("B", "aa");
    CHECK_FALSE(other == node);
    node.addChild().add("B", "aa");
    CHECK(other == node);
    node.children[0]->add("C", "x");
    CHECK_FALSE(other == node);
}

TEST_CASE("Parses a real KGS handicap game", "[sgf]") {
    const auto root = parseOne(readFixture("kgs-2001-07-20-7-handicap.sgf"));
    CHECK(root->value("PB") == "dip");
    CHECK(root->value("HA") == "6");
    CHECK(root->value("RE") == "B+Time");
    CHECK(root->value("PC") == "The Kiseido Go Server (KGS) at http://kgs.kiseido.com/");
    CHECK(root->properties.front().id == "GM");
    const Geometry geometry(19);
    const auto stones = expandSgfPointList(*root->find("AB"), geometry);
    REQUIRE(stones.size() == 6);
    CHECK(stones[0] == geometry.point(3, 3));
    CHECK(stones[5] == geometry.point(15, 15));

    const auto line = mainLine(*root);
    REQUIRE(line.size() == 57);
    CHECK(line[1]->value("W") == "fq");  // White moves first in handicap games
    CHECK(line[56]->value("B") == "dl");
    requireRoundTrip(*root);
}

TEST_CASE("Parses a real KGS game ending in passes", "[sgf]") {
    const auto root = parseOne(readFixture("kgs-2001-10-03-1-passes.sgf"));
    const auto line = mainLine(*root);
    const Geometry geometry(19);
    const SgfNode& blackPass = *line[line.size() - 2];
    const SgfNode& whitePass = *line.back();
    REQUIRE(blackPass.has("B"));
    REQUIRE(whitePass.has("W"));
    CHECK(blackPass.value("B").empty());
    CHECK(geometry.parseSgfPoint(blackPass.value("B")) == kPass);
    CHECK(geometry.parseSgfPoint(whitePass.value("W")) == kPass);
    CHECK(geometry.parseSgfPoint("tt") == kPass);
    CHECK(geometry.parseSgfPoint(line[1]->value("B")) == geometry.point(15, 3));
    requireRoundTrip(*root);

    const std::string written = writeSgf(*root);
    std::istringstream lines(written);
    for (std::string row; std::getline(lines, row);)
        CHECK(row.find_last_not_of(')') < 80);  // parens may overhang
}

TEST_CASE("Hand-made FF[3] file with every quirk", "[sgf]") {
    const auto trees = parseSgfCollection(readFixture("ff3-quirks.sgf"), "ff3-quirks.sgf");
    REQUIRE(trees.size() == 2);
    const SgfNode& root = *trees[0];

    // Old-style identifiers keep their capitals only.
    CHECK(root.value("GM") == "1");
    CHECK(root.value("FF") == "3");
    CHECK(root.value("SZ") == "9");
    // Escapes and soft line breaks.
    CHECK(root.value("PB") == "Alice [1d]");
    CHECK(root.value("PW") == "Bob\\Carol");
    CHECK(root.value("C") == "first line joined; hard break\nkept");
    // A value list split across lines, with a compressed range.
    REQUIRE(root.find("AB"));
    CHECK(*root.find("AB") == std::vector<std::string>{"cc:dd", "gg"});
    const Geometry geometry(9);
    CHECK(expandSgfPointList(*root.find("AB"), geometry) ==
          std::vector<Point>{geometry.point(2, 2), geometry.point(3, 2), geometry.point(2, 3),
                             geometry.point(3, 3), geometry.point(6, 6)});

    // Variations: the first child is the main line.
    const SgfNode& whitePass = *root.children.at(0)->children.at(0);
    CHECK(whitePass.value("W").empty());
    REQUIRE(whitePass.children.size() == 2);
    const SgfNode& mainMove = *whitePass.children[0];
    CHECK(mainMove.value("B") == "ce");
    CHECK(mainMove.children.at(0)->value("W") == "tt");
    CHECK(geometry.parseSgfPoint(mainMove.children[0]->value("W")) == kPass);
    CHECK(whitePass.children[1]->value("B") == "ge");
    CHECK(whitePass.children[1]->value("C") == "a variation");

    // The second game, after junk between trees.
    CHECK(trees[1]->value("SZ") == "19");
    CHECK(trees[1]->find("AE")->front().empty());
    CHECK(expandSgfPointList(*trees[1]->find("AE"), Geometry(19)).empty());

    for (const auto& tree : trees) requireRoundTrip(*tree);
}

TEST_CASE("Whitespace may appear between any tokens", "[sgf]") {
    const auto root = parseOne(" \r\n( \t;\nGM [1]\n\n AB\r\n[pd]\n [dp] ; B [aa]\r\n)\n");
    CHECK(*root->find("AB") == std::vector<std::string>{"pd", "dp"});
    CHECK(root->children.at(0)->value("B") == "aa");
}

TEST_CASE("Escapes and soft line breaks are undone", "[sgf]") {
    const auto root = parseOne("(;C[a\\]b\\\\c\\:d]GN[soft\\\nbreak]N[crlf\\\r\nbreak]GC[hard\nbreak])");
    CHECK(root->value("C") == "a]b\\c:d");
    CHECK(root->value("GN") == "softbreak");
    CHECK(root->value("N") == "crlfbreak");
    CHECK(root->value("GC") == "hard\nbreak");
}

TEST_CASE("Text before, between and after game trees is ignored", "[sgf]") {
    const auto trees = parseSgfCollection(
        "Newsgroups: rec.games.go (a note)\n\n(;GM[1]PB[a])\n-- \nsig\n(;GM[1]PB[b];B[aa])\r\n\x1a");
    REQUIRE(trees.size() == 2);
    CHECK(trees[0]->value("PB") == "a");
    CHECK(trees[1]->value("PB") == "b");
    CHECK(trees[1]->children.size() == 1);
}

TEST_CASE("A repeated identifier within a node is merged", "[sgf]") {
    const auto root = parseOne("(;AB[aa]AW[bb]AB[cc])");
    REQUIRE(root->properties.size() == 2);
    CHECK(*root->find("AB") == std::vector<std::string>{"aa", "cc"});
}

TEST_CASE("Round trip keeps variations, escapes and value lists", "[sgf]") {
    SgfNode root;
    root.add("GM", "1");
    root.add("FF", "4");
    root.add("CA", "UTF-8");
    root.add("PB", "Shūsaku ] \\ [ ) ( ;");
    root.set("AB", {"aa:cc", "dd", "ee"});
    root.add("C", "multi\nline\r\ncomment\\");
    SgfNode* node = &root;
    for (int i = 0; i < 60; ++i) {
        node = &node->addChild();
        node->add(i % 2 ? "W" : "B",
                  std::string{static_cast<char>('a' + i % 19), static_cast<char>('a' + i / 19)});
    }
    SgfNode& fork = *root.children[0]->children[0];
    fork.addChild().add("B", "ss");
    fork.addChild().add("B", "");
    fork.children.back()->addChild().add("W", "tt");
    requireRoundTrip(root);

    const auto parsed = parseOne(writeSgf(root));
    const SgfNode& parsedFork = *parsed->children[0]->children[0];
    REQUIRE(parsedFork.children.size() == 3);
    CHECK(parsedFork.children[0]->value("B") == "ca");  // the main line stays first
    CHECK(parsedFork.children[1]->value("B") == "ss");
    CHECK(parsedFork.children[2]->value("B").empty());
}

TEST_CASE("Invalid UTF-8 under CA[UTF-8] is repaired as Latin-1", "[sgf][charset]") {
    const auto root = parseOne(readFixture("bad-utf8.sgf"));
    CHECK(root->value("PB") == "M\u00fcller");
    CHECK(root->value("PW") == "\u65e5\u672c");  // valid UTF-8 is left alone
    CHECK(root->value("C") == "cut \u00e6\u0097");
    CHECK(root->value("CA") == "UTF-8");

    // No CA at all, lower-case "utf8", overlong forms and surrogates.
    CHECK(parseOne("(;PB[\xe9t\xe9])")->value("PB") == "\u00e9t\u00e9");
    CHECK(parseOne("(;CA[utf8]PB[\xc0\xaf])")->value("PB") == "\u00c0\u00af");
    CHECK(parseOne("(;PB[\xed\xa0\x80])")->value("PB") == "\u00ed\u00a0\u0080");
    CHECK(parseOne("(;PB[\xf4\x90\x80\x80])")->value("PB") == "\u00f4\u0090\u0080\u0080");
    CHECK(parseOne("(;PB[\xf0\x9f\x98\x80])")->value("PB") == "\U0001F600");
}

TEST_CASE("Other charsets are converted to UTF-8", "[sgf][charset]") {
    const auto latin1 = parseOne(readFixture("latin1.sgf"));
    CHECK(latin1->value("PB") == "M\u00fcller");
    CHECK(latin1->value("PW") == "Jos\u00e9");
    CHECK(latin1->value("CA") == "UTF-8");  // the values are UTF-8 now

    const auto gb = parseOne(readFixture("gb2312.sgf"));
    CHECK(gb->value("PB") == "\u56f4\u68cb");
    CHECK(gb->value("C") == "\u9ed1\u68cb\u80dc");
    CHECK(gb->children.at(0)->value("B") == "pd");
    requireRoundTrip(*gb);

    // Each game in a collection has its own charset.
    const auto trees = parseSgfCollection("(;CA[latin1]PB[\xe9])(;PB[\xc3\xa9])");
    CHECK(trees.at(0)->value("PB") == "\u00e9");
    CHECK(trees.at(1)->value("PB") == "\u00e9");
}

TEST_CASE("Charset trouble never throws", "[sgf][charset]") {
    // Unknown to iconv: falls back to the byte-level repair.
    CHECK(parseOne("(;CA[x-klingon]PB[\xfc\xc3\xa9])")->value("PB") == "\u00fc\u00e9");
    // Invalid and truncated GB2312 sequences keep their bytes.
    CHECK(parseOne("(;CA[GB2312]PB[\xce\xa7\xff\xce])")->value("PB") == "\u56f4\u00ff\u00ce");
    CHECK(parseOne("(;CA[]PB[ok])")->value("PB") == "ok");
    // A charset that would not keep ASCII as ASCII cannot be what the file is in.
    const auto utf16 = parseOne("(;CA[UTF-16]PB[\xe9];B[pd])");
    CHECK(utf16->value("PB") == "\u00e9");
    CHECK(utf16->children.at(0)->value("B") == "pd");
    CHECK(parseOne("(;CA[IBM037]PB[ok])")->value("PB") == "ok");
}

TEST_CASE("expandSgfPointList expands ranges and drops passes", "[sgf]") {
    const Geometry nine(9);
    CHECK(expandSgfPointList({"aa:bb"}, nine) ==
          std::vector<Point>{nine.point(0, 0), nine.point(1, 0), nine.point(0, 1), nine.point(1, 1)});
    CHECK(expandSgfPointList({"bb:aa"}, nine) == expandSgfPointList({"aa:bb"}, nine));
    CHECK(expandSgfPointList({"ai:ii"}, nine).size() == 9);  // the bottom row
    CHECK(expandSgfPointList({"aa:ii"}, nine).size() == 81);
    CHECK(expandSgfPointList({"ee", "", "tt", "ee"}, nine) ==
          std::vector<Point>{nine.point(4, 4), nine.point(4, 4)});
    CHECK(expandSgfPointList({}, nine).empty());

    CHECK_THROWS_AS(expandSgfPointList({"jj"}, nine), std::invalid_argument);  // off a 9x9 board
    CHECK_THROWS_AS(expandSgfPointList({"aa:jj"}, nine), std::invalid_argument);
    CHECK_THROWS_AS(expandSgfPointList({"aa:"}, nine), std::invalid_argument);
    CHECK_THROWS_AS(expandSgfPointList({"a"}, nine), std::invalid_argument);
    CHECK_THROWS_WITH(expandSgfPointList({"dd", "z!"}, nine), Catch::Contains("'z!'"));

    const Geometry big(21);
    CHECK(expandSgfPointList({"tt"}, big) ==
          std::vector<Point>{big.point(19, 19)});  // not a pass above 19x19
}

TEST_CASE("Malformed files throw SgfError with the offending offset", "[sgf][errors]") {
    SECTION("empty or tree-less text") {
        CHECK(errorOffset("") == 0);
        CHECK(errorOffset(" \n\t") == 0);
        CHECK(errorOffset("just some text") == 0);
        CHECK(errorOffset("notes (draft)") == 6);  // a '(' but no ';'
        CHECK(errorOffset("()") == 0);
    }
    SECTION("truncated") {
        CHECK(errorOffset("(;GM[1];B[aa]") == 13);
        CHECK(errorOffset("(;GM[1](;B[aa])") == 15);
        CHECK(errorOffset("(;GM[1]PB") == 9);
        CHECK(errorOffset("(;C[unterminated") == 3);
        CHECK(errorOffset("(;C[ends in backslash\\") == 3);
    }
    SECTION("unbalanced brackets") {
        CHECK(errorOffset("(;C[a]b])") == 6);  // "b" has no capital
        CHECK(errorOffset("(;B[aa]])") == 7);
        CHECK(errorOffset("(;B[aa];[bb])") == 8);
        CHECK(errorOffset("(;C[comment [with brackets] inside])") == 28);
    }
    SECTION("unbalanced parentheses") {
        CHECK(errorOffset("(;B[aa]))") == 8);
        CHECK(errorOffset("(;B[aa])\n)(;B[bb])") == 9);
        CHECK(errorOffset("(;B[aa](;W[bb])") == 15);
    }
    SECTION("missing ';' or misplaced nodes") {
        CHECK(errorOffset("(;B[aa](W[bb]))") == 8);
        CHECK(errorOffset("(;B[aa]())") == 8);
        CHECK(errorOffset("(;B[aa](;W[bb]);B[cc])") == 15);
        CHECK(errorOffset("(;B[aa](;W[bb])C[x])") == 15);
        CHECK(errorOffset("(;GM[1]B;W[aa])") == 8);
        CHECK(errorOffset("(;foo[1])") == 2);
        CHECK(errorOffset("(;B[aa]\x01)") == 7);
    }
}

TEST_CASE("Deep nesting is rejected without exhausting the stack", "[sgf][errors]") {
    constexpr int kDepth = 100000;
    std::string nested = "(;";
    for (int i = 0; i < kDepth; ++i) nested += "(;";
    nested.append(kDepth + 1, ')');
    CHECK(errorOffset(nested) == 2 * kMaxSgfNesting);

    std::string parens(kDepth, '(');
    parens.append(kDepth, ')');
    errorOffset(parens);
}

TEST_CASE("Deep but legal trees are handled iteratively", "[sgf]") {
    constexpr int kNodes = 200000;  // a main line this long would overflow a recursive destructor
    std::string line = "(;GM[1]";
    for (int i = 0; i < kNodes; ++i) line += i % 2 ? ";W[aa]" : ";B[bb]";
    line += ")";
    auto root = parseOne(line);
    CHECK(mainLine(*root).size() == kNodes + 1);
    requireRoundTrip(*root);

    std::string nested = "(;";
    const int depth = static_cast<int>(kMaxSgfNesting) - 1;
    for (int i = 0; i < depth; ++i) nested += "(;B[aa]";
    nested.append(depth + 1, ')');
    root = parseOne(nested);
    CHECK(mainLine(*root).size() == static_cast<std::size_t>(depth) + 1);
    requireRoundTrip(*root);
}

TEST_CASE("Damaged files either parse or throw SgfError", "[sgf][errors]") {
    const std::string original = readFixture("ff3-quirks.sgf") + readFixture("kgs-2001-07-20-7-handicap.sgf");
    const auto survives = [](const std::string& text) {
        try {
            for (const auto& tree : parseSgfCollection(text)) writeSgf(*tree);
        } catch (const SgfError&) {
        }
    };
    for (std::size_t length = 0; length <= original.size(); ++length) survives(original.substr(0, length));

    std::mt19937 random(12345);
    const std::string alphabet = "()[];\\:ABCWabc \n\x80\xff";
    for (int trial = 0; trial < 2000; ++trial) {
        std::string damaged = original;
        for (int edits = 1 + static_cast<int>(random() % 4); edits > 0; --edits)
            damaged[random() % damaged.size()] = alphabet[random() % alphabet.size()];
        survives(damaged);
    }
    SUCCEED();
}

TEST_CASE("Root properties out of range are refused by name; blank ones are tolerated", "[sgf][errors]") {
    const auto handicapOf = [](const std::string& ha) {
        return readGameRecords("(;GM[1]SZ[19]HA[" + ha + "];B[pd])").front().handicap;
    };
    CHECK(handicapOf("2") == 2);
    CHECK(handicapOf("") == 0);
    for (const char* bad : {"1e300", "-3", "2.5"})
        CHECK_THROWS_WITH(handicapOf(bad), Catch::Contains(std::string("HA[") + bad + "] is not a number of stones"));
    CHECK_THROWS_WITH(readGameRecords("(;GM[1]KM[1e300])"), Catch::Contains("KM[1e300] is not a number"));
}
