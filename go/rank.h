#pragma once
// Players' ranks as SGF files write them: KGS's "7d" and "3k", "9p" for professionals, and
// the East Asian servers' forms - Fox's "P9段" for a professional, "9段" and "1级", Korean
// "9단" and "1급", Japanese "初段" and "九段".

#include <optional>
#include <string>
#include <string_view>

namespace tengen {

struct Rank {
    enum class Kind { Kyu, Dan, Pro };
    Kind kind = Kind::Kyu;
    int level = 0;  // 1 and up

    std::string text() const;  // "3k", "7d", "9p"
    friend bool operator==(const Rank&, const Rank&) = default;
};

struct RankReading {
    std::optional<Rank> rank;      // nullopt: no rank, or text that is not one
    bool eastAsianScript = false;  // 段, 级/級, 단, 급 or a kanji numeral were read
    bool proPrefix = false;        // Fox's "P" before the number marked a professional
};

// Reads the rank at the start of `text`; anything after the rank's unit ("7d?", "3段 (A)")
// is ignored, as KGS appends "?" to unsure ranks.
RankReading readRank(std::string_view text);

// What a minimum-dan filter compares: a dan rank's level, 9 for any professional, 0 for kyu
// ranks and for text that is no rank.
int danOf(std::string_view rank);

}  // namespace tengen
