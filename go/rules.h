#pragma once
// Rule sets: named presets and the individual options they are made of.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tengen {

enum class KoRule { Simple, PositionalSuperko, SituationalSuperko };
enum class Scoring { Area, Territory };
// Points White receives for Black's handicap stones under area scoring.
enum class HandicapBonus { None, StonesMinusOne, Stones };

struct Rules {
    KoRule ko = KoRule::PositionalSuperko;
    Scoring scoring = Scoring::Area;
    bool suicideAllowed = false;          // multi- and single-stone suicide alike
    HandicapBonus handicapBonus = HandicapBonus::None;
    // Territory scoring only: eyes of groups in seki are not counted (Japanese rules).
    bool sekiEyesScoreless = false;

    friend bool operator==(const Rules&, const Rules&) = default;

    static Rules chinese();
    static Rules japanese();
    static Rules trompTaylor();
    static Rules aga();
    static Rules newZealand();

    // Accepts the preset names (chinese, japanese, korean, tromp-taylor, aga, new-zealand/nz, ...)
    // case-insensitively, and SGF RU[] spellings such as "Japanese", "AGA", "NZ", "Chinese".
    static std::optional<Rules> fromName(std::string_view name);
    // A preset optionally followed by option overrides, e.g. "japanese,ko=positional" or
    // "chinese,suicide=allowed,scoring=territory". Options: ko=simple|positional|situational,
    // suicide=allowed|illegal, scoring=area|territory, bonus=none|stones-1|stones,
    // seki-eyes=count|scoreless. Returns nullopt for anything it does not understand.
    static std::optional<Rules> fromSpec(std::string_view spec);
    static std::vector<std::string> presetNames();

    // The preset name if these options are exactly a preset, else a description of the options.
    std::string describe() const;
};

// Points White receives under area scoring for `handicap` stones.
double handicapBonus(HandicapBonus bonus, int handicap);

std::string_view koRuleName(KoRule ko);
std::string_view scoringName(Scoring s);

}  // namespace tengen
