#include "go/rank.h"

#include <array>
#include <cctype>
#include <utility>

namespace tengen {

namespace {

// The East Asian rank units, in UTF-8 (the reader's text is UTF-8 whatever the file's charset).
constexpr std::array<std::pair<std::string_view, Rank::Kind>, 5> kUnits{{
    {"\xE6\xAE\xB5", Rank::Kind::Dan},  // 段 (Chinese and Japanese)
    {"\xEB\x8B\xA8", Rank::Kind::Dan},  // 단 (Korean)
    {"\xE7\xBA\xA7", Rank::Kind::Kyu},  // 级 (simplified Chinese)
    {"\xE7\xB4\x9A", Rank::Kind::Kyu},  // 級 (Japanese, traditional Chinese)
    {"\xEA\xB8\x89", Rank::Kind::Kyu},  // 급 (Korean)
}};

// Japanese records spell the number in kanji: 初段 is 1 dan, 九段 is 9 dan. 十段 (Judan) is a
// title, not a rank, so ten is left out.
constexpr std::array<std::pair<std::string_view, int>, 10> kKanjiNumerals{{
    {"\xE5\x88\x9D", 1},  // 初
    {"\xE4\xB8\x80", 1},  // 一
    {"\xE4\xBA\x8C", 2},  // 二
    {"\xE4\xB8\x89", 3},  // 三
    {"\xE5\x9B\x9B", 4},  // 四
    {"\xE4\xBA\x94", 5},  // 五
    {"\xE5\x85\xAD", 6},  // 六
    {"\xE4\xB8\x83", 7},  // 七
    {"\xE5\x85\xAB", 8},  // 八
    {"\xE4\xB9\x9D", 9},  // 九
}};

bool startsWith(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

}  // namespace

std::string Rank::text() const {
    const char unit = kind == Kind::Kyu ? 'k' : kind == Kind::Dan ? 'd' : 'p';
    return std::to_string(level) + unit;
}

RankReading readRank(std::string_view text) {
    RankReading reading;
    std::size_t i = 0;
    // Fox marks professionals with a P before the number: "P9段".
    if (text.size() > 1 && (text[0] == 'P' || text[0] == 'p') && std::isdigit(static_cast<unsigned char>(text[1]))) {
        reading.proPrefix = true;
        i = 1;
    }
    int level = 0;
    const std::size_t digitsStart = i;
    // Real ranks have one or two digits; a longer run is no rank, and must not overflow.
    while (i < text.size() && i - digitsStart < 2 && std::isdigit(static_cast<unsigned char>(text[i])))
        level = level * 10 + (text[i++] - '0');
    if (i == digitsStart) {
        for (const auto& [numeral, value] : kKanjiNumerals)
            if (startsWith(text.substr(i), numeral)) {
                level = value;
                i += numeral.size();
                reading.eastAsianScript = true;
                break;
            }
    }
    if (level == 0 || i == text.size() || std::isdigit(static_cast<unsigned char>(text[i]))) return {};

    std::optional<Rank::Kind> kind;
    const std::string_view rest = text.substr(i);
    switch (std::tolower(static_cast<unsigned char>(rest[0]))) {
        case 'd': kind = Rank::Kind::Dan; break;
        case 'k': kind = Rank::Kind::Kyu; break;
        case 'p': kind = Rank::Kind::Pro; break;
        default:
            for (const auto& [unit, unitKind] : kUnits)
                if (startsWith(rest, unit)) {
                    kind = unitKind;
                    reading.eastAsianScript = true;
                }
    }
    if (!kind) return {};
    if (reading.proPrefix) {
        if (*kind != Rank::Kind::Dan) return {};  // "P3级" is no rank anyone holds
        kind = Rank::Kind::Pro;
    }
    reading.rank = Rank{*kind, level};
    return reading;
}

int danOf(std::string_view text) {
    const std::optional<Rank> rank = readRank(text).rank;
    if (!rank || rank->kind == Rank::Kind::Kyu) return 0;
    return rank->kind == Rank::Kind::Pro ? 9 : rank->level;
}

}  // namespace tengen
