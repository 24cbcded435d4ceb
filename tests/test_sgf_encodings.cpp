// SGF as people have it: UTF-16 and legacy encodings without CA[], Nihon Ki-in files, and the
// Fox server's komi and ranks. The fixtures are made by tests/fixtures/sgf-encodings/
// make-fixtures.sh, which writes the UTF-8 text below into each encoding with iconv.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>

#include "go/game_index.h"
#include "go/rank.h"
#include "go/sgf_game.h"
#include "gtp/session.h"
#include "play/simple_player.h"
#include "tests/command_output.h"
#include "tests/scratch_files.h"

using namespace tengen;

namespace {

std::filesystem::path fixtureDir() { return std::filesystem::path(TENGEN_FIXTURES) / "sgf-encodings"; }

std::string readFixture(const std::string& name) {
    REQUIRE(std::filesystem::exists(fixtureDir() / name));
    return test::readAll(fixtureDir() / name);
}

GameRecord readOne(const std::string& name) {
    const std::vector<GameRecord> records = readGameRecords(readFixture(name), name);
    REQUIRE(records.size() == 1);
    REQUIRE_FALSE(replay(records.front()).error);
    return records.front();
}

// Whether one of the record's fixes is `fix`, or starts with it when it ends in a space.
bool hasFix(const GameRecord& record, const std::string& fix) {
    return std::any_of(record.fixes.begin(), record.fixes.end(), [&](const std::string& f) {
        return f == fix || (fix.ends_with(' ') && f.starts_with(fix));
    });
}

struct Expected {
    const char* file;
    const char* black;
    const char* white;
    const char* fix;  // the reinterpretation sgf stats will count
};

// What each legacy-encoded fixture says, in UTF-8.
const Expected kLegacyFiles[] = {
    {"utf16le-bom.sgf", "本因坊秀策", "井上幻庵因碩", "UTF-16LE with a byte-order mark"},
    {"utf16be-bom.sgf", "本因坊秀策", "井上幻庵因碩", "UTF-16BE with a byte-order mark"},
    {"shift-jis.sgf", "井山裕太", "一力遼", "charset detected: CP932"},
    {"euc-kr.sgf", "이세돌", "박정환", "charset detected: "},  // UHC, or CP949 from older uchardets
    {"gb18030.sgf", "柯洁", "芈昱廷", "charset detected: GB18030"},
    {"big5.sgf", "周俊勳", "林至涵", "charset detected: BIG5"},
    {"windows-1251.sgf", "Александр Динерштейн", "Илья Шикшин", "charset detected: WINDOWS-1251"},
    {"unknown-ca.sgf", "井山裕太", "一力遼",
     "CA[x-sjis-mac] ignored (iconv cannot read the file with it), CP932 detected"},
    {"nihon-kiin.sgf", "井山裕太", "一力遼", "charset detected: CP932"},
};

}  // namespace

TEST_CASE("UTF-16 files and legacy encodings without CA come back as the original UTF-8", "[sgf][charset]") {
    for (const Expected& expected : kLegacyFiles) {
        INFO(expected.file);
        const GameRecord record = readOne(expected.file);
        CHECK(record.blackName == expected.black);
        CHECK(record.whiteName == expected.white);
        CHECK(hasFix(record, expected.fix));
        CHECK(record.moves.size() == 30);
    }
    CHECK(readOne("shift-jis.sgf").event == "第四十八期棋聖戦挑戦手合七番勝負");
    CHECK(readOne("euc-kr.sgf").event == "제이십회 지에스칼텍스배 프로기전 결승");
    CHECK(readOne("windows-1251.sgf").event == "Чемпионат России по го, финал");
}

TEST_CASE("A Nihon Ki-in record: a root without ';', Shift-JIS, CRLF and kanji ranks", "[sgf][charset]") {
    const GameRecord record = readOne("nihon-kiin.sgf");
    CHECK(hasFix(record, "root node without ';'"));
    CHECK(hasFix(record, "rank in East Asian script"));
    CHECK(record.komi == 6.5);
    CHECK(record.result == "B+R");
    CHECK(record.blackRank == "九段");
    CHECK(danOf(record.blackRank) == 9);
    CHECK(record.moves.front().color == Color::Black);
    // Elsewhere a missing ';' is still an error.
    CHECK_THROWS_AS(readGameRecords("(;B[aa](W[bb]))"), SgfError);
}

TEST_CASE("Fox records: komi written x100, pro ranks as P9段, HA without stones", "[sgf]") {
    const GameRecord japanese = readOne("fox-japanese.sgf");
    CHECK(japanese.komi == 6.5);
    CHECK(hasFix(japanese, "komi \u00d7100"));
    CHECK(hasFix(japanese, "rank with a pro prefix"));
    CHECK(danOf(japanese.blackRank) == 9);

    const GameRecord chinese = readOne("fox-chinese.sgf");
    CHECK(chinese.komi == 7.5);  // 3¾ stones
    CHECK(hasFix(chinese, "komi \u00d7100 in stones"));
    CHECK(danOf(chinese.whiteRank) == 9);

    const GameRecord handicap = readOne("fox-handicap-no-stones.sgf");
    CHECK(handicap.handicap == 0);
    CHECK(handicap.firstToMove == Color::White);
    CHECK(hasFix(handicap, "HA without stones, White first: even game"));
    CHECK(replay(handicap).game.moves().size() == 29);

    CHECK_THROWS_AS(readGameRecords(readFixture("fox-empty.sgf")), SgfError);
    CHECK_THROWS_AS(readGameRecords(readFixture("fox-truncated.sgf")), SgfError);
    // Komi already in points is left alone.
    CHECK(readGameRecords("(;KM[6.5];B[pd])").front().fixes.empty());
    CHECK(readGameRecords("(;KM[-50];B[pd])").front().komi == -50);
    CHECK(readGameRecords("(;KM[100];B[pd])").front().komi == 100);  // KGS's largest komi
}

TEST_CASE("The minimum-dan filter keeps the Fox and Nihon Ki-in games", "[sgf][dataset]") {
    GameFilter filter;
    filter.minimumDan = 7;
    filter.heldOutEvery = 1;
    const GameIndex index = indexGames({(fixtureDir() / "fox-japanese.sgf").string(),
                                        (fixtureDir() / "fox-chinese.sgf").string(),
                                        (fixtureDir() / "nihon-kiin.sgf").string(),
                                        (fixtureDir() / "euc-kr.sgf").string()},
                                       filter);
    CHECK(index.heldOut.size() == 3);  // euc-kr.sgf's White is 1 kyu
    CHECK(index.removedBy.rank == 1);
}

TEST_CASE("A filter that keeps no game is an error naming what each filter removed", "[sgf][dataset]") {
    GameFilter filter;
    filter.minimumDan = 9;
    filter.heldOutEvery = 1;
    const std::vector<std::string> paths{(fixtureDir() / "shift-jis.sgf").string(),
                                         (fixtureDir() / "fox-handicap-no-stones.sgf").string()};
    CHECK_THROWS_WITH(indexHeldOutGames(paths, filter),
                      Catch::Contains("no games left: 2 game(s) read") &&
                          Catch::Contains("both players at least 9 dan removed 2"));
    CHECK_THROWS_WITH(indexTrainingGames(paths, filter), Catch::Contains("no training games left"));
    filter.minimumDan = 0;
    CHECK(indexHeldOutGames(paths, filter).heldOut.size() == 2);
}

TEST_CASE("GTP loadsgf reads the fixtures: komi, and the names printsgf writes back", "[sgf][gtp]") {
    play::SimplePlayer player(1);
    gtp::EngineOptions options;
    options.version = "test";
    gtp::Engine engine(player, options);
    const auto send = [&](const std::string& command) {
        std::istringstream in(command + "\n");
        std::ostringstream out;
        gtp::runSession(engine, in, out, {256, std::nullopt});
        return out.str();
    };
    for (const Expected& expected : kLegacyFiles) {
        INFO(expected.file);
        REQUIRE(send("loadsgf " + (fixtureDir() / expected.file).string()) == "= \n\n");
        const std::string sgf = send("printsgf");
        CHECK_THAT(sgf, Catch::Contains(std::string("PB[") + expected.black + "]"));
        CHECK_THAT(sgf, Catch::Contains(std::string("PW[") + expected.white + "]"));
    }
    REQUIRE(send("loadsgf " + (fixtureDir() / "fox-japanese.sgf").string()) == "= \n\n");
    CHECK_THAT(send("printsgf"), Catch::Contains("KM[6.5]") && Catch::Contains("BR[P9段]"));
    REQUIRE(send("loadsgf " + (fixtureDir() / "fox-chinese.sgf").string()) == "= \n\n");
    CHECK_THAT(send("printsgf"), Catch::Contains("KM[7.5]") && Catch::Contains("WR[9段]"));
}

TEST_CASE("sgf stats counts ranks after normalisation and each reinterpretation", "[sgf][integration]") {
    const test::CommandOutput stats =
        test::runCommand(std::string(TENGEN_BINARY) + " sgf stats " + fixtureDir().string() + " 2>&1");
    INFO(stats.output);
    REQUIRE(stats.status == 0);
    CHECK_THAT(stats.output, Catch::Contains("files: 14"));
    CHECK_THAT(stats.output, Catch::Contains("games: 12\n"));
    CHECK_THAT(stats.output, Catch::Contains("failures: 2"));  // the empty and the truncated file
    CHECK_THAT(stats.output, Catch::Contains("fox-empty.sgf: "));
    CHECK_THAT(stats.output, Catch::Contains("fox-truncated.sgf: "));
    CHECK_THAT(stats.output, Catch::Contains("  6.5              7\n"));
    CHECK_THAT(stats.output, Catch::Contains("  9p               2\n"));
    CHECK_THAT(stats.output, Catch::Contains("komi \u00d7100        1\n"));
    CHECK_THAT(stats.output, Catch::Contains("komi \u00d7100 in stones 1\n"));
    CHECK_THAT(stats.output, Catch::Contains("charset detected: CP932 2\n") &&
                                     Catch::Contains("root node without ';' 1\n"));
}
