// Ranks as KGS, Fox, the Korean and Japanese servers and associations write them.
#include <catch2/catch.hpp>

#include "go/rank.h"

using namespace tengen;

TEST_CASE("ranks read as dans: amateur dans, pros as 9, anything else as none", "[go][rank]") {
    CHECK(danOf("6d") == 6);
    CHECK(danOf("7D") == 7);
    CHECK(danOf("7d?") == 7);
    CHECK(danOf("9p") == 9);
    CHECK(danOf("3k") == 0);
    CHECK(danOf("d") == 0);
    CHECK(danOf("6") == 0);
    CHECK(danOf("") == 0);
    CHECK(danOf("123d") == 0);
    CHECK(danOf("99999999999d") == 0);
}

TEST_CASE("East Asian ranks: Fox's pro prefix, dan and kyu in Chinese, Korean and kanji", "[go][rank]") {
    const auto rankOf = [](const char* text) { return readRank(text).rank; };
    CHECK(rankOf("P9段") == Rank{Rank::Kind::Pro, 9});
    CHECK(readRank("P9段").proPrefix);
    CHECK(rankOf("9段") == Rank{Rank::Kind::Dan, 9});
    CHECK(rankOf("1级") == Rank{Rank::Kind::Kyu, 1});
    CHECK(rankOf("2級") == Rank{Rank::Kind::Kyu, 2});
    CHECK(rankOf("9단") == Rank{Rank::Kind::Dan, 9});
    CHECK(rankOf("1급") == Rank{Rank::Kind::Kyu, 1});
    CHECK(rankOf("初段") == Rank{Rank::Kind::Dan, 1});
    CHECK(rankOf("九段") == Rank{Rank::Kind::Dan, 9});
    CHECK(readRank("9段").eastAsianScript);
    CHECK_FALSE(readRank("7d").eastAsianScript);
    CHECK(danOf("P9段") == 9);
    CHECK(danOf("8단") == 8);
    CHECK(danOf("1级") == 0);
    // Titles are not ranks.
    CHECK_FALSE(rankOf("十段"));
    CHECK_FALSE(rankOf("名人"));
    CHECK_FALSE(rankOf("P3级"));
    CHECK(Rank{Rank::Kind::Pro, 9}.text() == "9p");
    CHECK(Rank{Rank::Kind::Kyu, 3}.text() == "3k");
}
